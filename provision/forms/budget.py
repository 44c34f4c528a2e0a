"""The notional SEN budget form: one financial year's budget and element 3 income."""

from decimal import Decimal

from django import forms

from provision.costs import FinancialYear


class SenBudgetForm(forms.Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int, widget=forms.HiddenInput)
    notional_sen_budget = forms.DecimalField(
        label="Notional SEN budget (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="The indicative SEN share of the school budget for the year, from the funding statement.",
    )
    element3_income = forms.DecimalField(
        label="Element 3 top-up income (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="High-needs top-up from the local authority for the year, usually for EHC plan pupils.",
    )
    # The figures the editor was shown, blank for a year with no budget yet: the concurrency check.
    was_notional = forms.DecimalField(required=False, widget=forms.HiddenInput)
    was_element3 = forms.DecimalField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[FinancialYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(year.start_year, year.label) for year in years]

    @staticmethod
    def initial_for(row) -> dict:
        """Initial values for a `BudgetYear` row: its figures, and the same as what was shown."""
        budget = row.budget
        initial = {"financial_year": row.financial_year.start_year}
        if budget:
            initial |= {
                "notional_sen_budget": budget.notional_sen_budget,
                "element3_income": budget.element3_income,
                "was_notional": budget.notional_sen_budget,
                "was_element3": budget.element3_income,
            }
        return initial

    @staticmethod
    def with_current(data, row):
        """The posted figures with "what was shown" moved on to what is saved now, so the editor
        can save again once they have seen the warning."""
        data = data.copy()
        budget = row.budget
        data["was_notional"] = budget.notional_sen_budget if budget else ""
        data["was_element3"] = budget.element3_income if budget else ""
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        was = None
        if data.get("was_notional") is not None:
            was = (data["was_notional"], data.get("was_element3") or Decimal(0))
        return {
            "financial_year": data["financial_year"],
            "notional_sen_budget": data["notional_sen_budget"],
            "element3_income": data["element3_income"],
            "was": was,
        }
