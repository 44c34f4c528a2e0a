"""The transitions app's forms: they check shape; the services check the rules (R8)."""

from django import forms

from senco.forms import DATE
from transitions.models import (
    AccessArrangement,
    Form8,
    NormalWayRecord,
    PackSending,
    PfaOccasion,
    PfaProgress,
    ScoreArea,
    SendingMethod,
    TransitionPlan,
)
from transitions.models.adulthood import PFA_AREA_CHOICES
from transitions.rules import MAX_PACK_BYTES
from transitions.services.access_arrangements import ARRANGEMENT_FIELDS
from transitions.services.transition_plans import PLAN_FIELDS

# --- Transition plans -----------------------------------------------------------------------------
#
# Forms for transition plans: the plan, a step of the checklist, a visit, who was told.
# Shape only: the services check the rules (R8).


class TransitionPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TransitionPlan
        fields = PLAN_FIELDS
        widgets = {
            "moves_on": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("pupil_views", "parent_views", "notes")},
        }

    def validate_unique(self):
        # The service owns the rules (R8); the unique constraint is checked there by full_clean().
        pass


class ChecklistItemForm(forms.Form):
    label = forms.CharField(label="Step", max_length=200)
    due_on = forms.DateField(label="Due by (optional)", widget=DATE, required=False)


class VisitForm(forms.Form):
    visit_on = forms.DateField(label="Date of the visit", widget=DATE)
    description = forms.CharField(label="What the visit is", max_length=200)


class ToldForm(forms.Form):
    told = forms.CharField(label="Who was told", max_length=150)
    what = forms.CharField(label="What they were told", widget=forms.Textarea(attrs={"rows": 3}))
    told_on = forms.DateField(label="When", widget=DATE)


# --- Adulthood ------------------------------------------------------------------------------------
#
# Forms for preparing for adulthood: the outcomes in the four areas, and a review of them.
# Shape only: the services check the rules (R8).


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


# --- Transfer packs -------------------------------------------------------------------------------
#
# Forms for making and sending a transfer pack. They check shape; the services check the rules
# (R8).


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


# --- Arrivals -------------------------------------------------------------------------------------
#
# Forms for an arriving transfer pack: the upload, and the import's one question. A file input
# cannot be refilled by the server: the upload form asks for the file again and says so.


class PackUploadForm(forms.Form):
    file = forms.FileField(
        label="Transfer pack (JSON file)",
        allow_empty_file=True,  # the service says why an empty file is refused
        help_text=f"The .json file the previous school sent, at most {MAX_PACK_BYTES // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def content(self) -> bytes:
        """At most one byte over twice the limit: enough to say how much too big it is, never the
        whole of an oversize file in memory."""
        return self.cleaned_data["file"].read(MAX_PACK_BYTES * 2 + 1)


class ImportPackForm(forms.Form):
    admitted_on = forms.DateField(
        label="Admission date",
        widget=DATE,
        help_text="For a pupil new to this school; a pupil matched by UPN keeps their own.",
    )


# --- Access arrangements --------------------------------------------------------------------------
#
# The shape of exam access arrangements' input (R8): a Form 8 with its scores, an arrangement,
# a teacher's record of it as the normal way of working.

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
