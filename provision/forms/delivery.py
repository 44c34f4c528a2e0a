"""Forms for the delivery log: recording and correcting a session. Shape only: the services
check the rules (R8)."""

from django import forms

from provision.models import SessionStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AbsentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil) -> str:
        return pupil.full_name


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    status = forms.ChoiceField(
        label="Did the session happen?",
        choices=SessionStatus.choices,
        initial=SessionStatus.DELIVERED,
        widget=forms.RadioSelect,
    )
    cancelled_reason = forms.CharField(
        label="If cancelled, why",
        max_length=200,
        required=False,
        help_text="For example: TA covering a class; school trip.",
    )
    absent = AbsentChoiceField(
        label="Pupils absent", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = pupils


class SessionCorrectionForm(SessionForm):
    """A recorded session's fields, with the fingerprint of the record as it was opened."""

    version = forms.CharField(widget=forms.HiddenInput)
