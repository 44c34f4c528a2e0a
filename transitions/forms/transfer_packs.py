"""Forms for making and sending a transfer pack. They check shape; the services check the rules
(R8)."""

from django import forms

from transitions.models import PackSending, SendingMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MakePackForm(forms.Form):
    include_health = forms.BooleanField(
        label="Include health documents",
        required=False,
        help_text="Reports marked as health information are left out unless you tick this.",
    )


class PackSentForm(forms.ModelForm):
    class Meta:
        model = PackSending
        fields = ["sent_to", "method", "sent_on"]
        widgets = {"sent_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            choice for choice in self.fields["method"].choices if choice[0] != SendingMethod.DIRECT
        ]

    def sending_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SendDirectlyForm(forms.Form):
    to_school = forms.ModelChoiceField(queryset=None, label="Receiving school", empty_label=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = schools
