"""Forms for preparing for adulthood: the outcomes in the four areas, and a review of them.
Shape only: the services check the rules (R8)."""

from django import forms

from transitions.models import PfaOccasion, PfaProgress
from transitions.models.adulthood import PFA_AREA_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutcomesForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area, label in PFA_AREA_CHOICES:
            self.fields[f"{area}_outcome"] = forms.CharField(
                label=f"{label}: outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{area}_steps"] = forms.CharField(
                label=f"{label}: what we will do towards it",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def outcomes(self) -> dict:
        data = self.cleaned_data
        return {area: (data[f"{area}_outcome"], data[f"{area}_steps"]) for area, _ in PFA_AREA_CHOICES}


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DATE)
    occasion = forms.ChoiceField(label="Reviewed at", choices=PfaOccasion.choices)

    def __init__(self, *args, areas: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area, label in areas:
            self.fields[f"{area}_progress"] = forms.ChoiceField(
                label=f"{label}: progress", choices=[("", "Choose"), *PfaProgress.choices], required=False
            )
            self.fields[f"{area}_note"] = forms.CharField(
                label=f"{label}: what was agreed", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def progress(self) -> dict:
        data = self.cleaned_data
        return {area: (data[f"{area}_progress"], data[f"{area}_note"]) for area, _ in self.areas}
