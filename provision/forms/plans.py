"""Forms for SEN support plans: they check shape; the services check the rules (R8)."""

from django import forms

from provision.models import Decision, PlanOutcome, PlanReview, Progress, SupportPlan
from provision.services.plans import REVIEW_FIELDS
from pupils.models import NeedArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartPlanForm(forms.Form):
    started_on = forms.DateField(label="Plan starts on", widget=DATE)


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SupportPlan
        fields = ["assessment", "strategies", "arrangements", "review_due_on"]
        widgets = {
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "strategies": forms.Textarea(attrs={"rows": 4}),
            "arrangements": forms.Textarea(attrs={"rows": 3}),
            "review_due_on": DATE,
        }


class OutcomeForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.ChoiceField(
        label="Area of need", choices=[("", "Choose an area"), *NeedArea.choices], required=False
    )
    description = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    success_criteria = forms.CharField(
        label="Success criteria", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("area"):
            self.add_error("area", "Choose the area of need this outcome belongs to.")
        return data


OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=2)


def outcome_initial(plan: SupportPlan) -> list[dict]:
    return [
        {"id": o.pk, "area": o.area, "description": o.description, "success_criteria": o.success_criteria}
        for o in plan.outcomes.all()
    ]


def outcomes_from(formset) -> list[dict]:
    """The filled-in rows; a row with a blank outcome is dropped (that removes it)."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("description")]


class SharedForm(forms.Form):
    shared_on = forms.DateField(label="Plan shared with parents on", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    body = forms.CharField(label="Your comment for the review", widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.ModelForm):
    """The review, plus a progress rating and note for each of the plan's outcomes."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PlanReview
        fields = REVIEW_FIELDS
        widgets = {
            "held_on": DATE,
            "parent_view_on": DATE,
            "pupil_view_on": DATE,
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "parent_view": forms.Textarea(attrs={"rows": 3}),
            "pupil_view": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, outcomes: list[PlanOutcome], progress: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "Not decided yet"), *Decision.choices]
        self.outcomes = outcomes
        progress = progress or {}
        for number, outcome in enumerate(outcomes, start=1):
            rating, note = progress.get(outcome.pk, ("", ""))
            self.fields[f"rating_{outcome.pk}"] = forms.ChoiceField(
                label=f"Outcome {number}: {outcome.description}",
                choices=[("", "Not rated yet"), *Progress.choices],
                required=False,
                initial=rating,
            )
            self.fields[f"note_{outcome.pk}"] = forms.CharField(
                label=f"Outcome {number}: progress note",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=note,
            )

    def review_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def progress(self) -> dict[int, tuple[str, str]]:
        return {
            o.pk: (self.cleaned_data[f"rating_{o.pk}"], self.cleaned_data[f"note_{o.pk}"])
            for o in self.outcomes
        }
