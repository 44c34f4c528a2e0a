"""Forms for the notional SEN budget, its other spend, element 3 top-ups and the school's
financial year. Shape only: the services and models' `clean()` check the rules (R8)."""

from django import forms

from provision.rules.budget import FinancialYear
from provision.services.budget import BUDGET_FIELDS
from senco.concurrency import version_token
from senco.models import FinancialYearStart, School, SenSpend
from senco.services.schools import FINANCIAL_YEAR_FIELDS


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
