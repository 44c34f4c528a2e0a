"""The passport form: it checks shape; `save_passport` checks the rules (R8)."""

from django import forms

from pupils.models import Passport, Pupil
from pupils.services.passports import PASSPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def pupil_voice_label(pupil: Pupil) -> str:
    return f"In {pupil.preferred_first_name or pupil.first_name}'s own words"


PARENT_VOICE_LABEL = "Parents' and carers' words"


class PassportForm(forms.ModelForm):
    # The version the editor started from (0 for a first passport), for optimistic concurrency.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Passport
        fields = PASSPORT_FIELDS
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "important_to_me": forms.Textarea(attrs={"rows": 3}),
            "how_to_support": forms.Textarea(attrs={"rows": 4}),
            "staff_should": forms.Textarea(attrs={"rows": 4}),
            "pupil_voice": forms.Textarea(attrs={"rows": 3}),
            "parent_voice": forms.Textarea(attrs={"rows": 3}),
            "written_on": DATE,
        }
        help_texts = {
            "how_to_support": "In the pupil's words where you can: what helps them learn and feel safe.",
            "staff_should": "What works: the strategies every adult should use, a supply teacher too.",
        }

    def __init__(self, *args, pupil: Pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil_voice"].label = pupil_voice_label(pupil)
        self.fields["parent_voice"].label = PARENT_VOICE_LABEL

    def passport_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def passport_initial(passport: Passport | None, *, version: int, today) -> dict:
    """Start from the latest version's text, agreed today, so an edit changes only what is new."""
    initial = {"version": version, "written_on": today}
    if passport is not None:
        texts = [name for name in PassportForm.Meta.fields if name != "written_on"]
        initial |= {name: getattr(passport, name) for name in texts}
    return initial
