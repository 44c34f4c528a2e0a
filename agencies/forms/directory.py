"""The form of a service in the directory (R8)."""

from django import forms

from agencies.models import Agency
from agencies.services.directory import AGENCY_FIELDS


class AgencyForm(forms.ModelForm):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = list(AGENCY_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "how_to_refer": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"kind": "Kind of service", "name": "Name", "contact_name": "Contact"}

    def validate_unique(self):
        # The school is not on the form; the service's full_clean checks the name is unique there.
        pass
