"""The shape of exam access arrangements' input (R8): a Form 8 with its scores, an arrangement,
a teacher's record of it as the normal way of working."""

from django import forms

from transitions.models import AccessArrangement, Form8, NormalWayRecord, ScoreArea
from transitions.services.access_arrangements import ARRANGEMENT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORM8_FIELDS = ("part1_on", "part1_by", "assessed_on", "assessor_name", "assessor_qualification")
SCORE_ROWS = 4


class Form8Form(forms.ModelForm):
    """The Form 8's dates and assessor, and up to four scores, each an area, a test and a score."""

    class Meta:
        model = Form8
        fields = list(FORM8_FIELDS)
        widgets = {"part1_on": DATE, "assessed_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, SCORE_ROWS + 1):
            self.fields[f"area_{n}"] = forms.ChoiceField(
                label=f"Score {n}: area", choices=[("", "---------"), *ScoreArea.choices], required=False
            )
            self.fields[f"test_{n}"] = forms.CharField(
                label=f"Score {n}: test", max_length=100, required=False
            )
            self.fields[f"score_{n}"] = forms.IntegerField(
                label=f"Score {n}: standard score", min_value=40, max_value=160, required=False
            )

    def clean(self):
        data = super().clean()
        scores = []
        for n in range(1, SCORE_ROWS + 1):
            row = (data.get(f"area_{n}"), data.get(f"test_{n}"), data.get(f"score_{n}"))
            if any(value not in (None, "") for value in row):
                if not all(value not in (None, "") for value in row):
                    self.add_error(
                        f"score_{n}", "Enter the area, the test and the standard score, or none of them."
                    )
                else:
                    scores.append(row)
        data["scores"] = scores
        return data

    def validate_unique(self):
        pass


class ArrangementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AccessArrangement
        fields = list(ARRANGEMENT_FIELDS)
        widgets = {
            "approved_on": DATE,
            "lapses_on": DATE,
            "other_evidence": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "other_kind": "Only for another arrangement.",
            "lapses_on": "Left blank, an approved arrangement lapses 26 months after its approval.",
        }

    def __init__(self, *args, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form8"].queryset = Form8.objects.filter(pupil=pupil)

    def validate_unique(self):
        pass

    def _post_clean(self):
        # The service runs the model's checks, with the pupil set (R8).
        pass


class NormalWayForm(forms.ModelForm):
    class Meta:
        model = NormalWayRecord
        fields = ["observed_on", "where", "note"]
        widgets = {"observed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
