"""Forms for SEN support plans, provision groups and their pupils, the delivery log, staff rates,
the intervention catalogue and the notional SEN budget. Shape only: the services and models'
`clean()` check the rules (R8). Choices (interventions, staff, pupils) come from selectors the
view passes in."""

import copy
import itertools

from django import forms

from provision.models import (
    Decision,
    Direction,
    Intervention,
    ParentsAtReview,
    PlanOutcome,
    PlanReview,
    Progress,
    SessionStatus,
    Setting,
    StaffRate,
    SupportPlan,
)
from provision.rules.budget import FinancialYear
from provision.services.budget import BUDGET_FIELDS
from provision.services.groups import MEASURE_FIELDS, score_field, scores_token
from provision.services.interventions import INTERVENTION_FIELDS, STAFF_MEMBER_RATE_FIELDS
from provision.services.plans import MORE_THAN_A_TERM, REVIEW_FIELDS
from pupils.models import NeedArea, SenStatus
from senco.concurrency import version_token
from senco.models import FinancialYearStart, Role, School, SenSpend
from senco.services.schools import FINANCIAL_YEAR_FIELDS

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


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        role = getattr(user, "role_here", "")
        return f"{user} ({Role(role).label})" if role else str(user)


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pupil) -> str:
        first_name = pupil.preferred_first_name or pupil.first_name
        return f"{pupil.last_name}, {first_name} ({pupil.get_year_group_display()})"


class AbsentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil) -> str:
        return pupil.full_name


class GroupFieldsForm(forms.Form):
    """What the SENCO sets for a running group, whether new or being changed."""

    name = forms.CharField(max_length=100, help_text="For example: Year 3 phonics (Tuesday and Thursday).")
    starts_on = forms.DateField(label="First session on", widget=DATE)
    ends_on = forms.DateField(label="Last session on", widget=DATE)
    sessions_per_week = forms.IntegerField(label="Sessions a week", min_value=1, max_value=10)
    minutes_per_session = forms.IntegerField(label="Minutes a session", min_value=5, max_value=240)
    schedule = forms.CharField(
        label="When it runs",
        max_length=200,
        required=False,
        help_text="For example: Mon, Wed, Fri 9:10–9:40.",
    )
    setting = forms.ChoiceField(label="Where", choices=Setting.choices, initial=Setting.WITHDRAWAL)
    staff = StaffChoiceField(
        label="Who delivers it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They will see the pupils in this group and record its sessions.",
    )

    def __init__(self, *args, deliverers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = deliverers


class GroupForm(GroupFieldsForm):
    """A new group built from a catalogue entry. Left blank, the end date, sessions and minutes
    come from the intervention."""

    intervention = forms.ModelChoiceField(label="Intervention from the catalogue", queryset=None)
    field_order = ["intervention", "name"]

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        for name in ("ends_on", "sessions_per_week", "minutes_per_session"):
            self.fields[name].required = False
        self.fields[
            "ends_on"
        ].help_text = (
            "Leave blank for the intervention's typical length in teaching weeks, holidays added on."
        )
        self.fields["sessions_per_week"].help_text = "Leave blank for the intervention's."
        self.fields["minutes_per_session"].help_text = "Leave blank for the intervention's."


class GroupEditForm(GroupFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlacementForm(forms.Form):
    pupil = PupilChoiceField(queryset=None, empty_label="Choose a pupil")
    joined_on = forms.DateField(label="Joins on", widget=DATE)
    target = forms.CharField(
        label="Target for this pupil",
        max_length=300,
        required=False,
        help_text="What success looks like, for example: reads 40 words a minute.",
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class EndPlacementForm(forms.Form):
    left_on = forms.DateField(label="Left the group on", widget=DATE)


class MeasuresForm(forms.Form):
    """Entry and exit scores on the intervention's one instrument, each with its date, and the
    token of the scores as they were shown (R9)."""

    entry_score = forms.DecimalField(label="Entry score", max_digits=6, decimal_places=1, required=False)
    entry_measured_on = forms.DateField(label="Entry measure taken on", widget=DATE, required=False)
    exit_score = forms.DecimalField(label="Exit score", max_digits=6, decimal_places=1, required=False)
    exit_measured_on = forms.DateField(label="Exit measure taken on", widget=DATE, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, intervention: Intervention, **kwargs):
        super().__init__(*args, **kwargs)
        kind = intervention.get_measure_kind_display()
        help_text = f"{intervention.measure_name}: {kind}, scored {intervention.score_range_text}."
        for prefix in ("entry", "exit"):
            self.fields[f"{prefix}_score"].help_text = help_text


# The grid's columns, each field's label naming the pupil (the grid hides labels from sight).
GRID_LABELS = dict(zip(MEASURE_FIELDS, ("Entry score", "Entry date", "Exit score", "Exit date"), strict=True))


class GroupScoresForm(forms.Form):
    """Every pupil's entry and exit scores on one grid: `MeasuresForm`'s four fields for each
    placement, named by `score_field`, one date for scores typed without one, and the grid's
    token (`scores_token`, R9)."""

    measured_on = forms.DateField(label="Date for scores typed without one", widget=DATE, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, placements: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.placements = placements
        for placement, (name, label) in itertools.product(placements, GRID_LABELS.items()):
            field = copy.deepcopy(MeasuresForm.base_fields[name])
            field.label = f"{label} for {placement.pupil.full_name}"
            self.fields[score_field(name, placement.pk)] = field

    @staticmethod
    def initial_for(placements: list, *, today) -> dict:
        initial = {score_field(name, p.pk): getattr(p, name) for p in placements for name in GRID_LABELS}
        return initial | {"measured_on": today, "version": scores_token(placements)}

    def rows(self) -> list[tuple]:
        """(placement, [(column label, bound field), ...]) for each pupil's row."""
        columns = GRID_LABELS.items()
        return [
            (p, [(label, self[score_field(name, p.pk)]) for name, label in columns]) for p in self.placements
        ]

    def scores(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {p.pk: {name: data[score_field(name, p.pk)] for name in GRID_LABELS} for p in self.placements}


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    status = forms.ChoiceField(
        label="Did the session happen?",
        choices=SessionStatus.choices,
        initial=SessionStatus.DELIVERED,
        widget=forms.RadioSelect,
    )
    cancelled_reason = forms.CharField(
        label="If cancelled, why",
        max_length=200,
        required=False,
        help_text="For example: TA covering a class; school trip.",
    )
    absent = AbsentChoiceField(
        label="Pupils absent", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = pupils


class SessionCorrectionForm(SessionForm):
    """A recorded session's fields, with the fingerprint of the record as it was opened."""

    version = forms.CharField(widget=forms.HiddenInput)


class StaffRateForm(forms.ModelForm):
    class Meta:
        model = StaffRate
        fields = ["name", "hourly_cost"]
        help_texts = {
            "hourly_cost": "Salary plus on-costs (employer's National Insurance and pension), per hour."
        }


class StaffMemberRateForm(forms.Form):
    staff_rate = forms.ModelChoiceField(
        label="Costed at",
        queryset=None,
        required=False,
        empty_label="No rate of their own: each intervention's rate",
        help_text="Groups they run are costed at this hourly rate.",
    )
    # Their rate's token as the editor saw it, blank if they had none (R9).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, staff_rates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_rate"].queryset = staff_rates

    @staticmethod
    def initial_for(row) -> dict:
        """Initial values for a member of staff's `StaffMemberRate` (None if they have none)."""
        return {
            "staff_rate": row.staff_rate_id if row else None,
            "version": version_token(row, fields=STAFF_MEMBER_RATE_FIELDS),
        }


class InterventionForm(forms.ModelForm):
    """The catalogue entry. `staff_rates` are the school's own rates."""

    class Meta:
        model = Intervention
        fields = INTERVENTION_FIELDS
        labels = {
            "delivered_by": "Who delivers it",
            "measure_kind": "Kind of measure",
            "staff_per_session": "Staff in each session",
            "is_active": "In use: new groups may be set up from it",
        }
        help_texts = {
            "description": "What happens in a session and the evidence for it.",
            "staff_rate": (
                "The rate for a group's staff who have no rate of their own, and for a group that names "
                "no staff yet. Needed for an intervention run by our staff."
            ),
            "staff_per_session": "How many staff a group that names none yet is costed for.",
            "fixed_cost": (
                "A bought-in programme's price per group (licence, training, materials). "
                "The time of our staff who run it is added."
            ),
            "resources_cost": "Books, games or kits bought for each group.",
            "measure_lowest": "Blank: 40 for a standardised score, otherwise 0.",
            "measure_highest": "30 for a checklist out of 30: a higher score is refused as a typing mistake. "
            "Blank: 160 for a standardised score, 240 months for a reading age, otherwise none.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    better_when = forms.ChoiceField(
        label="Which way is better",
        choices=[("", "Usual for the kind of measure"), *Direction.choices],
        required=False,
        help_text="Usually higher; lower for a difficulties score such as an SDQ total, and for "
        "a count of errors or incidents.",
    )

    def __init__(self, *args, staff_rates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_rate"].queryset = staff_rates
        self.fields["staff_rate"].empty_label = "No staff rate"

    def clean(self):
        data = super().clean()
        for name in ("group_size", "sessions_per_week", "minutes_per_session", "typical_weeks"):
            if data.get(name) == 0:
                self.add_error(name, "Enter a number of at least 1.")
        return data


class SenBudgetForm(forms.Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, widget=forms.HiddenInput)
    notional_sen_budget = forms.DecimalField(
        label="Notional SEN budget (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="The indicative SEN share of the school budget for the year, from the funding statement.",
    )
    # The budget's token as the editor saw it, blank for a year with no budget yet (R9).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[FinancialYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(year.start_year, year.label) for year in years]

    @staticmethod
    def initial_for(row) -> dict:
        """Initial values for a `BudgetYear` row: its figures and its token."""
        budget = row.budget
        initial = {
            "financial_year": row.financial_year.start_year,
            "version": version_token(budget, fields=BUDGET_FIELDS),
        }
        if budget:
            initial |= {name: getattr(budget, name) for name in BUDGET_FIELDS}
        return initial


class SenSpendForm(forms.ModelForm):
    """A line of other spend: hours at an hourly cost, or an amount. Which of the two is a rule of
    the model, checked when the form is validated and again by the service."""

    class Meta:
        model = SenSpend
        fields = ["kind", "description", "hours", "hourly_cost", "amount"]
        help_texts = {
            "description": (
                "For example: TA support in Year 4 classes, 15 hours a week; "
                "educational psychologist, 6 days."
            ),
            "hours": "For staff time: the hours in the year (15 hours a week for 38 weeks is 570).",
            "hourly_cost": "For staff time: salary plus on-costs, per hour (see the staff rates page).",
            "amount": "For a bought-in service, training or anything else: its cost for the year.",
        }


class SenSpendAddForm(SenSpendForm):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[FinancialYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(year.start_year, year.label) for year in years]


class SenSpendEditForm(SenSpendForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TopUpPupilField(forms.ModelChoiceField):
    def label_from_instance(self, pupil) -> str:
        first_name = pupil.preferred_first_name or pupil.first_name
        return f"{pupil.last_name}, {first_name} ({pupil.get_year_group_display()}, {pupil.sen_status_label})"


class TopUpFields(forms.Form):
    amount = forms.DecimalField(
        label="Top-up for the year (£)",
        max_digits=10,
        decimal_places=2,
        min_value=0,
        help_text="The element 3 high-needs top-up the local authority pays for this pupil for the year.",
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        help_text="For example: band C, from the local authority's funding letter.",
    )


class TopUpForm(TopUpFields):
    """A new top-up: the pupil, from the school's pupils on roll, and the year."""

    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, widget=forms.HiddenInput)
    pupil = TopUpPupilField(queryset=None, empty_label="Choose a pupil")
    field_order = ["financial_year", "pupil", "amount", "note"]

    def __init__(self, *args, years: list[FinancialYear], pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(year.start_year, year.label) for year in years]
        self.fields["pupil"].queryset = pupils


class TopUpEditForm(TopUpFields):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FinancialYearStartForm(forms.Form):
    financial_year_starts = forms.TypedChoiceField(
        label="The school's financial year runs",
        choices=FinancialYearStart.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Academies may keep the academy year. Budgets already recorded keep their year numbers.",
    )
    # The school's token as the editor saw it (R9).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(school: School) -> dict:
        return {
            "financial_year_starts": school.financial_year_starts,
            "version": version_token(school, fields=FINANCIAL_YEAR_FIELDS),
        }
