"""Writes for the school's notional SEN budget and element 3 income, one row per financial year.

`SenBudget` has no version column, so the optimistic-concurrency check (R9, `senco.concurrency`)
compares a fingerprint of the BUDGET_FIELDS the editor was shown ("" for a year with no budget
yet) with that of the row now: if someone saved in between, nothing is written and the editor is
told.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from provision.rules.budget import FinancialYear
from senco import audit
from senco.concurrency import StaleEdit, check_unchanged, version_token
from senco.models import School, SenBudget, User

BUDGET_FIELDS = ("notional_sen_budget", "element3_income")


@transaction.atomic
def set_sen_budget(
    *,
    school: School,
    financial_year: int,
    notional_sen_budget: Decimal,
    element3_income: Decimal,
    version: str,
    by: User,
) -> SenBudget:
    """Record the notional SEN budget and element 3 top-up income for one financial year,
    creating the year's row or changing it. `version` is the row's `version_token` over
    BUDGET_FIELDS as the editor saw it, "" if there was no row. Only the SENCO team and the
    administrator call this.

    Raises StaleEdit if the row changed (or appeared) since; ValidationError on a negative amount.
    Side effects: audit row `sen_budget.set` naming the fields that changed.
    """
    if element3_income < 0:
        raise ValidationError({"element3_income": "Element 3 income cannot be negative."})
    budget = (
        SenBudget.objects.select_for_update().filter(school=school, financial_year=financial_year).first()
    )
    check_unchanged(budget, version, what="year's budget", fields=BUDGET_FIELDS)
    created = budget is None
    budget = budget or SenBudget(school=school, financial_year=financial_year)
    new = {"notional_sen_budget": notional_sen_budget, "element3_income": element3_income}
    changed = [name for name, value in new.items() if created or getattr(budget, name) != value]
    for name, value in new.items():
        setattr(budget, name, value)
    budget.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError as exc:  # created by someone else between our read and our insert
        current = SenBudget.objects.get(school=school, financial_year=financial_year)
        token = version_token(current, fields=BUDGET_FIELDS)
        raise StaleEdit(current, token=token, what="year's budget") from exc
    audit.record(
        "sen_budget.set",
        by=by,
        obj=budget,
        fields=changed,
        summary=f"Notional SEN budget {FinancialYear(financial_year)}",
    )
    return budget
