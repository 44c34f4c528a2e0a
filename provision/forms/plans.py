"""Forms for SEN support plans, their outcomes, sharing, comments and reviews. Shape only: the
services and models' `clean()` check the rules (R8)."""

from django import forms

from provision.models import Decision, ParentsAtReview, PlanOutcome, PlanReview, Progress, SupportPlan
from provision.services.plans import MORE_THAN_A_TERM, REVIEW_FIELDS
from pupils.models import NeedArea, SenStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartPlanForm(forms.Form):
    started_on = forms.DateField(label="Plan starts on", widget=DATE)


class PlanForm(forms.ModelForm):
    """The plan's text and review date. The tick box confirming a review date more than a term
    after the start appears only once the service has asked for it (or it was posted)."""

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
        help_texts = {
            "review_due_on": "Proposed three months after the plan starts, on the last school day on or "
            "before that date. Change it to the day of the review meeting.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("confirm_review_date"):
            self._offer_confirmation()

    def _offer_confirmation(self) -> None:
        self.fields["confirm_review_date"] = forms.BooleanField(
            label="Yes, review this plan more than a term after it starts",
            required=False,
        )

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if (
            self.has_error("review_due_on", code=MORE_THAN_A_TERM)
            and "confirm_review_date" not in self.fields
        ):
            self._offer_confirmation()


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


# For a pupil with an EHC plan, escalating means asking the local authority to review the plan
# sooner than the annual review (CFA 2014 s44: "at least" every 12 months), not asking for an EHC
# needs assessment they have already had.
ESCALATE_WITH_EHC_PLAN = "Escalate (specialist advice, or ask the local authority for an early review)"
MEETING_FIELDS = ("held_on", "invited", "attended", "declined", "parents_at_meeting")
EXIT_DETAIL_FIELDS = ("exit_status", "status_from", "parents_told_on")


class ReviewForm(forms.ModelForm):
    """The review, plus a progress rating and note for each of the plan's outcomes.

    `pupil_status` is the pupil's SEN status now: a pupil with an EHC plan is never offered the
    exit from SEN support, and only a pupil on SEN support has exit details to give (a pupil
    already off the register keeps their status)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PlanReview
        fields = REVIEW_FIELDS
        widgets = {
            "held_on": DATE,
            "parent_view_on": DATE,
            "pupil_view_on": DATE,
            "status_from": DATE,
            "parents_told_on": DATE,
            "invited": forms.Textarea(attrs={"rows": 2}),
            "attended": forms.Textarea(attrs={"rows": 2}),
            "declined": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "parent_view": forms.Textarea(attrs={"rows": 3}),
            "pupil_view": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "parent_view": "Not needed if parents did not come; record it if they gave it another way.",
        }

    def __init__(
        self,
        *args,
        outcomes: list[PlanOutcome],
        pupil_status: str | None,
        progress: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = list(Decision.choices)
        if pupil_status == SenStatus.EHC_PLAN:
            choices = [
                (value, ESCALATE_WITH_EHC_PLAN if value == Decision.ESCALATE else label)
                for value, label in choices
                if value != Decision.EXIT
            ]
        self.fields["decision"].choices = [("", "Not decided yet"), *choices]
        self.fields["parents_at_meeting"].choices = [("", "Not recorded yet"), *ParentsAtReview.choices]
        if pupil_status != SenStatus.SEN_SUPPORT:
            for name in EXIT_DETAIL_FIELDS:
                del self.fields[name]
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
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}

    def _bound(self, names) -> list:
        return [self[name] for name in names if name in self.fields]

    def meeting_fields(self) -> list:
        return self._bound(MEETING_FIELDS)

    def exit_fields(self) -> list:
        return self._bound(EXIT_DETAIL_FIELDS)

    def other_fields(self) -> list:
        placed = {*MEETING_FIELDS, *EXIT_DETAIL_FIELDS}
        return [field for field in self if field.name not in placed]

    def progress(self) -> dict[int, tuple[str, str]]:
        return {
            o.pk: (self.cleaned_data[f"rating_{o.pk}"], self.cleaned_data[f"note_{o.pk}"])
            for o in self.outcomes
        }
