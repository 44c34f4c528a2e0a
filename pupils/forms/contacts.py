"""Forms for carers and the contact log: they check shape; the services check the rules (R8)."""

from django import forms

from pupils.models import Carer, ContactLogEntry
from pupils.services.contacts import CARER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CarerForm(forms.ModelForm):
    # A fingerprint of the record as the editor saw it (carers have no version column).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Carer
        fields = CARER_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def carer_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactEntryForm(forms.ModelForm):
    class Meta:
        model = ContactLogEntry
        fields = ["kind", "occurred_on", "participants", "summary", "agreed_actions"]
        widgets = {
            "occurred_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "agreed_actions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "participants": "For example: mother, class teacher, SENCO.",
            "summary": "What was discussed. For the pupil's own views, write what they said.",
            "agreed_actions": "Who will do what, by when. Staff who teach the pupil see these.",
        }
