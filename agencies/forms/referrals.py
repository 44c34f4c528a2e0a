"""Forms for referrals and consents: they check shape; the services check the rules (R8)."""

from django import forms

from agencies.models import Consent, ConsentException, Referral, ReferralState
from agencies.rules import next_states
from senco.forms import DATE

OPEN = "open"


class ReferralForm(forms.ModelForm):
    """Starting a referral (no version) or changing one (with its version, R9)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Referral
        fields = ["agency", "reason", "professional", "agency_reference"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label = "Service"


class MoveForm(forms.Form):
    # A CharField: a state the referral cannot reach is refused by the service, which says what
    # may come next, rather than by the field's "Select a valid choice".
    to = forms.CharField(label="Move the referral to", widget=forms.Select)
    on = forms.DateField(label="Date it happened", widget=DATE)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, state: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.choices = [(s, ReferralState(s).label) for s in next_states(state)]


class ConsentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Consent
        fields = [
            "decision",
            "giver_name",
            "relationship",
            "has_parental_responsibility",
            "covers_referral",
            "covers_sharing",
            "scope_note",
            "given_on",
            "how_given",
        ]
        widgets = {
            "given_on": DATE,
            "decision": forms.RadioSelect,
            "scope_note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"covers_referral": "It covers the referral to the service"}
        help_texts = {
            "has_parental_responsibility": "Birth mothers always have it; fathers and others "
            "usually through marriage, the birth certificate or a court order. Leave unticked for "
            "the young person themselves."
        }


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(label="Date consent was withdrawn", widget=DATE)
    note = forms.CharField(
        label="How it was withdrawn, and by whom", widget=forms.Textarea(attrs={"rows": 2})
    )


class ExceptionForm(forms.Form):
    exception = forms.ChoiceField(
        label="Why consent is not sought", choices=ConsentException.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label="Why the exception applies", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Every state"), (OPEN, "Still open"), *ReferralState.choices],
    )
    agency = forms.ModelChoiceField(
        label="Service", required=False, queryset=None, empty_label="Every service"
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
