"""The SEN status change form: shape only. The census rules live in `SenStatusChange.clean()`
and `change_sen_status`, whose errors the view puts back on these fields (R8)."""

from django import forms

from pupils.models import NeedType, SenStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedChoiceField(forms.ModelChoiceField):
    """A census need type, shown with its broad area of need so the SENCO sees both."""

    def label_from_instance(self, need: NeedType) -> str:
        return f"{need.code} – {need.name} ({need.get_area_display()})"


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label="New SEN status", choices=SenStatus.choices)
    effective_from = forms.DateField(label="Takes effect from", widget=DATE)
    primary_need = NeedChoiceField(
        label="Primary need",
        queryset=NeedType.objects.all(),
        required=False,
        empty_label="None",
        help_text="Required for SEN support or an EHC plan; leave as None otherwise.",
    )
    secondary_need = NeedChoiceField(
        label="Secondary need", queryset=NeedType.objects.all(), required=False, empty_label="None"
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the decision rests on, for the pupil's history.",
    )
    parents_informed_on = forms.DateField(label="Parents informed on", widget=DATE, required=False)
    parents_informed_how = forms.CharField(label="How parents were informed", max_length=200, required=False)
    ehc_plan_date = forms.DateField(
        label="EHC plan issued on",
        widget=DATE,
        required=False,
        help_text="Only for an EHC plan: the date on the final plan.",
    )
