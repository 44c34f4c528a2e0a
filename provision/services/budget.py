"""Writes for the school's notional SEN budget and element 3 income, one row per financial year.

`SenBudget` has no version column, so the optimistic-concurrency check (R9) compares the
figures the editor was shown with those stored now: if someone saved in between, nothing is
written and the editor is told.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from provision.rules.budget import FinancialYear
from senco import audit
from senco.models import School, SenBudget, User

STALE_MESSAGE = (
    "Someone else saved this year's budget while you were editing. "
    "Your figures are kept below: check the saved ones, then save again."
)


class StaleBudget(Exception):
    """The budget changed (or was created) since the editor read it."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


@transaction.atomic
def set_sen_budget(
    *,
    school: School,
    financial_year: int,
    notional_sen_budget: Decimal,
    element3_income: Decimal,
    was: tuple[Decimal, Decimal] | None,
    by: User,
) -> SenBudget:
    """Record the notional SEN budget and element 3 top-up income for one financial year,
    creating the year's row or changing it. `was` is (budget, income) as the editor saw them,
    None if there was no row. Only the SENCO team and the administrator call this.

    Raises StaleBudget if the row changed since; ValidationError on a negative amount.
    Side effects: audit row `sen_budget.set` naming the fields that changed.
    """
    if element3_income < 0:
        raise ValidationError({"element3_income": "Element 3 income cannot be negative."})
    budget = (
        SenBudget.objects.select_for_update().filter(school=school, financial_year=financial_year).first()
    )
    current = (budget.notional_sen_budget, budget.element3_income) if budget else None
    if current != was:
        raise StaleBudget
    budget = budget or SenBudget(school=school, financial_year=financial_year)
    new = {"notional_sen_budget": notional_sen_budget, "element3_income": element3_income}
    changed = [name for name, value in new.items() if current is None or getattr(budget, name) != value]
    for name, value in new.items():
        setattr(budget, name, value)
    budget.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError as exc:  # created by someone else between our read and our insert
        raise StaleBudget from exc
    audit.record(
        "sen_budget.set",
        by=by,
        obj=budget,
        fields=changed,
        summary=f"Notional SEN budget {FinancialYear(financial_year)}",
    )
    return budget
