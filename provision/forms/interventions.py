"""Forms for staff rates, the rate each member of staff is costed at, and the intervention
catalogue. Shape only: the services and models' `clean()` check the rules (R8)."""

from django import forms

from provision.models import Direction, Intervention, StaffRate
from provision.services.budget import STAFF_MEMBER_RATE_FIELDS
from provision.services.interventions import COST_FIELDS, INTERVENTION_FIELDS
from senco.concurrency import version_token

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffRateForm(forms.ModelForm):
    """A staff rate and its hourly cost; changing one, also the day a new hourly cost applies
    from (the view offers today)."""

    hourly_cost = forms.DecimalField(
        label="Hourly cost (£)",
        max_digits=7,
        decimal_places=2,
        help_text="Salary plus on-costs (employer's National Insurance and pension), per hour.",
    )
    applies_from = forms.DateField(
        label="A new hourly cost applies from",
        widget=DATE,
        required=False,
        help_text="Groups are re-priced from this day on, never before it. A financial year that has "
        "ended keeps its costs.",
    )

    class Meta:
        model = StaffRate
        fields = ["name", "hourly_cost", "applies_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # a new rate's first hourly cost applies from the start
            del self.fields["applies_from"]


class StaffMemberRateForm(forms.Form):
    staff_rate = forms.ModelChoiceField(
        label="Costed at",
        queryset=None,
        required=False,
        empty_label="No rate of their own: each intervention's rate",
        help_text="Groups they run are costed at this hourly rate.",
    )
    applies_from = forms.DateField(
        label="From",
        widget=DATE,
        help_text="Their groups are re-priced from this day on, never before it. A financial year that "
        "has ended keeps its costs.",
    )
    # The token of their rate in force today as the editor saw it, blank if they had none (R9).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, staff_rates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_rate"].queryset = staff_rates

    @staticmethod
    def initial_for(row, *, today) -> dict:
        """Initial values for a member of staff's `StaffMemberRate` in force `today` (None if they
        have none): a change from today."""
        return {
            "staff_rate": row.staff_rate_id if row else None,
            "applies_from": today,
            "version": version_token(row, fields=STAFF_MEMBER_RATE_FIELDS),
        }


class InterventionForm(forms.ModelForm):
    """The catalogue entry. `staff_rates` are the school's own rates."""

    fixed_cost = forms.DecimalField(
        label="Programme fee per group (£)",
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text="A bought-in programme's price per group (licence, training, materials). "
        "The time of our staff who run it is added.",
    )
    resources_cost = forms.DecimalField(
        label="Resources per group (£)",
        max_digits=9,
        decimal_places=2,
        initial=0,
        help_text="Books, games or kits bought for each group.",
    )
    applies_from = forms.DateField(
        label="A new fee or resources cost applies from",
        widget=DATE,
        required=False,
        help_text="Groups starting from this day pay it; groups started before keep theirs. A financial "
        "year that has ended keeps its costs.",
    )

    class Meta:
        model = Intervention
        # The costs after the staff who run it: not fields of the entry, but dated rows of their own.
        fields = [*INTERVENTION_FIELDS[:-1], *COST_FIELDS, "applies_from", INTERVENTION_FIELDS[-1]]
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
        if self.instance.pk is None:  # a new entry's first costs apply from the start
            del self.fields["applies_from"]

    def clean(self):
        data = super().clean()
        for name in ("group_size", "sessions_per_week", "minutes_per_session", "typical_weeks"):
            if data.get(name) == 0:
                self.add_error(name, "Enter a number of at least 1.")
        return data
