"""The pupil record form: it checks shape; `pupils.services.records` checks the rules (R8)."""

from django import forms

from pupils.models import Pupil
from pupils.services.records import EDITABLE_FIELDS, designated_teacher_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class PupilRecordForm(forms.ModelForm):
    """Every census-style field and flag of the record, plus the hidden `version` fingerprint.

    For a leaver, pass `leaving_date_only=True`: every field but the leaving date is disabled,
    so only that can be corrected or cleared (the service enforces the same rule).
    """

    version = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Pupil
        fields = EDITABLE_FIELDS
        field_classes = {"designated_teacher": StaffChoiceField}
        widgets = {"date_of_birth": DATE, "admitted_on": DATE, "left_on": DATE}
        labels = {"year_group": "National Curriculum year", "designated_teacher": "Designated teacher"}

    def __init__(self, *args, leaving_date_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designated_teacher"].queryset = designated_teacher_choices(self.instance.school)
        self.fields["designated_teacher"].empty_label = "None recorded"
        self.fields["upn"].help_text = "13 characters, starting with the check letter, as on the MIS."
        if leaving_date_only:
            for name in EDITABLE_FIELDS:
                self.fields[name].disabled = name != "left_on"

    def clean_upn(self) -> str:
        return self.cleaned_data["upn"].strip().upper()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
