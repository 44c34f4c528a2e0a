"""Writes for the school's notional SEN budget, one row per financial year; the year's other
spend from it (in-class support, SENCO time, bought-in services, training); each pupil's
element 3 top-up for a year; and what prices provision, from the dates it applies from: staff
rates' hourly costs, the rate each member of staff is costed at, and interventions' fees and
resources.

A new hourly cost, fee or resources applies from a day: provision is re-priced from that day on,
never before it, and never in a financial year that has ended, whose cost is final
(`provision.rules.budget.ended_year_problem`). One row a day: a second change on the same day
replaces the first, and a change back to what applied before it removes it. Audit rows name the
rate, entry or member of staff and the day, never the pay.

`SenBudget` has no version column, so the optimistic-concurrency check (R9, `senco.concurrency`)
compares a fingerprint of the BUDGET_FIELDS the editor was shown ("" for a year with no budget
yet) with that of the row now: if someone saved in between, nothing is written and the editor is
told. Lines of other spend and top-ups carry a version column and are changed and removed
through `update_if_unchanged` and a version-matched delete.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from provision.models import (
    Intervention,
    InterventionCost,
    StaffMemberRate,
    StaffRate,
    StaffRateAmount,
    TopUp,
)
from provision.rules.budget import FROM_THE_START, FinancialYear, ended_year_problem
from provision.selectors.budget import staff_member_rate_on
from provision.selectors.groups import deliverers
from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import StaleEdit, check_unchanged, update_if_unchanged, version_token
from senco.models import School, SenBudget, SenSpend, User

BUDGET_FIELDS = ("notional_sen_budget",)


@transaction.atomic
def set_sen_budget(
    *,
    school: School,
    financial_year: int,
    notional_sen_budget: Decimal,
    version: str,
    by: User,
) -> SenBudget:
    """Record the notional SEN budget for one financial year, creating the year's row or
    changing it. `version` is the row's `version_token` over BUDGET_FIELDS as the editor saw it,
    "" if there was no row. Only the SENCO team and the administrator call this.

    Raises StaleEdit if the row changed (or appeared) since; ValidationError on a negative amount.
    Side effects: audit row `sen_budget.set` naming the fields that changed.
    """
    if notional_sen_budget < 0:
        raise ValidationError({"notional_sen_budget": "The notional SEN budget cannot be negative."})
    budget = (
        SenBudget.objects.select_for_update().filter(school=school, financial_year=financial_year).first()
    )
    check_unchanged(budget, version, what="year's budget", fields=BUDGET_FIELDS)
    created = budget is None
    budget = budget or SenBudget(school=school, financial_year=financial_year)
    new = {"notional_sen_budget": notional_sen_budget}
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


SPEND_FIELDS = ("kind", "description", "hours", "hourly_cost", "amount")


@transaction.atomic
def add_sen_spend(
    *,
    school: School,
    financial_year: int,
    kind: str,
    description: str,
    hours: Decimal | None = None,
    hourly_cost: Decimal | None = None,
    amount: Decimal | None = None,
    by: User,
) -> SenSpend:
    """Enter one line of a financial year's other spend from the notional SEN budget: hours at
    an hourly cost, or an amount. Only the SENCO team and the administrator call this. Raises
    ValidationError keyed by field.

    Side effects: audit row `sen_spend.added`.
    """
    spend = SenSpend(
        school=school,
        financial_year=financial_year,
        kind=kind,
        description=description.strip(),
        hours=hours,
        hourly_cost=hourly_cost,
        amount=amount,
    )
    spend.full_clean()
    spend.save()
    audit.record(
        "sen_spend.added",
        by=by,
        obj=spend,
        fields=[name for name in SPEND_FIELDS if getattr(spend, name) not in (None, "")],
        summary=f"{spend.get_kind_display()} {FinancialYear(financial_year)}",
    )
    return spend


@transaction.atomic
def update_sen_spend(*, spend: SenSpend, version: int, by: User, **fields) -> SenSpend:
    """Change a line of other spend; `fields` are some of SPEND_FIELDS and `version` the line's
    version as the editor saw it.

    Raises StaleEdit if someone changed or removed it since; ValidationError keyed by field.
    Side effects: audit row `sen_spend.changed` naming the fields that changed.
    """
    unknown = set(fields) - set(SPEND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown spending line fields: {sorted(unknown)}")
    if "description" in fields:
        fields["description"] = fields["description"].strip()
    # Against the stored row: an edit form may already have set its values on `spend`.
    stored = SenSpend.objects.filter(pk=spend.pk).first()
    changed = [name for name, value in fields.items() if stored is None or getattr(stored, name) != value]
    for name, value in fields.items():
        setattr(spend, name, value)
    spend.full_clean()
    update_if_unchanged(
        spend, version, what="spending line", **{name: getattr(spend, name) for name in SPEND_FIELDS}
    )
    spend.version = version + 1
    audit.record(
        "sen_spend.changed",
        by=by,
        obj=spend,
        fields=changed,
        summary=f"{spend.get_kind_display()} {FinancialYear(spend.financial_year)}",
    )
    return spend


@transaction.atomic
def remove_sen_spend(*, spend: SenSpend, version: int | None, by: User) -> None:
    """Remove a line of other spend entered in error, unless someone changed it since the remover
    saw it (StaleEdit). Side effects: audit row `sen_spend.removed`."""
    audit.record(
        "sen_spend.removed",
        by=by,
        obj=spend,
        summary=f"{spend.get_kind_display()} {FinancialYear(spend.financial_year)}",
    )
    removed, _ = SenSpend.objects.filter(pk=spend.pk, version=version).delete()
    if not removed:
        current = SenSpend.objects.filter(pk=spend.pk).first()
        raise StaleEdit(current, token=version_token(current), what="spending line")


@refuses_leavers("pupil")
@transaction.atomic
def record_top_up(*, pupil: Pupil, financial_year: int, amount: Decimal, note: str = "", by: User) -> TopUp:
    """Record the element 3 top-up the local authority pays for `pupil` for one financial year.
    Only the SENCO team and the administrator call this. Raises ValidationError keyed by field,
    also when the pupil already has one for the year (change that one instead).

    Side effects: audit row `top_up.recorded`, naming the pupil.
    """
    year = FinancialYear(financial_year)
    if TopUp.objects.filter(pupil=pupil, financial_year=financial_year).exists():
        raise ValidationError(
            {"pupil": f"{pupil.full_name} already has a top-up for {year}: change that one."}
        )
    top_up = TopUp(
        school=pupil.school, pupil=pupil, financial_year=financial_year, amount=amount, note=note.strip()
    )
    top_up.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            top_up.save()
    except IntegrityError as exc:  # recorded by someone else between our check and our insert
        raise ValidationError(
            {"pupil": f"{pupil.full_name} already has a top-up for {year}: change that one."}
        ) from exc
    audit.record("top_up.recorded", by=by, obj=top_up, fields=["amount", "note"], summary=f"Top-up {year}")
    return top_up


@refuses_leavers("top_up")
@transaction.atomic
def update_top_up(*, top_up: TopUp, version: int, amount: Decimal, note: str, by: User) -> TopUp:
    """Change a pupil's top-up for its year. Raises StaleEdit if someone changed or removed it
    since the editor saw `version`; ValidationError keyed by field.

    Side effects: audit row `top_up.changed` naming the fields that changed and the pupil.
    """
    stored = TopUp.objects.filter(pk=top_up.pk).first()
    new = {"amount": amount, "note": note.strip()}
    changed = [name for name, value in new.items() if stored is None or getattr(stored, name) != value]
    for name, value in new.items():
        setattr(top_up, name, value)
    top_up.full_clean(validate_unique=False)
    update_if_unchanged(top_up, version, what="top-up", **new)
    top_up.version = version + 1
    audit.record(
        "top_up.changed",
        by=by,
        obj=top_up,
        fields=changed,
        summary=f"Top-up {FinancialYear(top_up.financial_year)}",
    )
    return top_up


@refuses_leavers("top_up")
@transaction.atomic
def remove_top_up(*, top_up: TopUp, version: int | None, by: User) -> None:
    """Remove a top-up recorded in error, unless someone changed it since the remover saw it
    (StaleEdit). Side effects: audit row `top_up.removed`, naming the pupil."""
    audit.record(
        "top_up.removed", by=by, obj=top_up, summary=f"Top-up {FinancialYear(top_up.financial_year)}"
    )
    removed, _ = TopUp.objects.filter(pk=top_up.pk, version=version).delete()
    if not removed:
        current = TopUp.objects.filter(pk=top_up.pk).first()
        raise StaleEdit(current, token=version_token(current), what="top-up")


def _check_rate_name_free(*, school: School, name: str, exclude_pk: int | None = None) -> None:
    """Also refuses a name that differs only in capitals, which the database would allow."""
    others = StaffRate.objects.filter(school=school, name__iexact=name.strip()).exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": f"There is already a staff rate called “{name.strip()}”."})


@transaction.atomic
def create_staff_rate(*, school: School, name: str, hourly_cost: Decimal, by: User) -> StaffRate:
    """Add a kind of staff with its hourly cost, which applies from the start (so it prices any
    group it is given to, however early) until a change from a later day.

    Side effects: audit row `provision.staff_rate_created`.
    """
    _check_rate_name_free(school=school, name=name)
    rate = StaffRate(school=school, name=name.strip())
    rate.full_clean()
    amount = StaffRateAmount(applies_from=FROM_THE_START, hourly_cost=hourly_cost)
    amount.full_clean(exclude=["staff_rate"])
    rate.save()
    amount.staff_rate = rate
    amount.save()
    audit.record("provision.staff_rate_created", by=by, obj=rate, fields=["name", "hourly_cost"])
    return rate


def _record_from(
    rows: models.QuerySet,
    new: models.Model,
    *,
    values: dict,
    applies_from: date | None,
    school: School,
    today: date,
    nothing: dict | None = None,
) -> list[str]:
    """Give a history (`rows`, of one rate, entry or member of staff) `values` from
    `applies_from`; `new` is an unsaved row of it with its owner set, and `nothing` the values
    before any row applies (None when a history always has one). Returns the names of the
    values that change: none when they are those already in force that day (`today` when no day
    is given), and then nothing is checked or written.

    Raises ValidationError keyed by field: no day, a day in a financial year that has ended, or
    an amount the model refuses.
    """
    history = list(rows.order_by("applies_from"))

    def values_of(row) -> dict | None:
        return nothing if row is None else {name: getattr(row, name) for name in values}

    day = applies_from or today
    in_force = next((row for row in reversed(history) if row.applies_from <= day), None)
    current = values_of(in_force)
    changed = [name for name, value in values.items() if current is None or current[name] != value]
    if not changed:
        return []
    if applies_from is None:
        raise ValidationError({"applies_from": "Give the day the change applies from."})
    if problem := ended_year_problem(applies_from, today=today, starts_in_month=school.financial_year_starts):
        raise ValidationError({"applies_from": problem})
    before = values_of(next((row for row in reversed(history) if row.applies_from < applies_from), None))
    same_day = in_force if in_force is not None and in_force.applies_from == applies_from else None
    if same_day is not None and before == values:
        same_day.delete()  # back to what it was before: the change is undone
        return changed
    row = same_day or new
    for name, value in values.items():
        setattr(row, name, value)
    row.applies_from = applies_from
    row.full_clean(validate_unique=False)
    row.save()
    return changed


def _on(day: date) -> str:
    return "from the start" if day == FROM_THE_START else f"from {day.day} {day:%B %Y}"


@transaction.atomic
def change_staff_rate(
    *, rate: StaffRate, name: str, hourly_cost: Decimal, applies_from: date | None, today: date, by: User
) -> StaffRate:
    """Rename a staff rate, and give it a new hourly cost from `applies_from`: the groups it
    prices are re-priced from that day on, and no earlier (a pay award from 1 September). The
    day may be in the past, back to the start of the current financial year, or in the future.
    Only the SENCO team and the administrator call this.

    Raises ValidationError keyed by field: another rate's name, a negative cost, or a new cost
    with no day or from a day in a financial year that has ended (its costs are final).
    Side effects: audit row `provision.staff_rate_changed` naming the fields that changed and,
    for a new cost, the day it applies from (never the pay).
    """
    _check_rate_name_free(school=rate.school, name=name, exclude_pk=rate.pk)
    stored = StaffRate.objects.select_for_update().get(pk=rate.pk)
    changed = ["name"] if stored.name != name.strip() else []
    rate.name = name.strip()
    rate.full_clean()
    rate.save()
    changed += _record_from(
        StaffRateAmount.objects.filter(staff_rate=rate),
        StaffRateAmount(staff_rate=rate),
        values={"hourly_cost": hourly_cost},
        applies_from=applies_from,
        school=rate.school,
        today=today,
    )
    summary = f"{rate.name}: hourly cost {_on(applies_from)}" if "hourly_cost" in changed else rate.name
    audit.record("provision.staff_rate_changed", by=by, obj=rate, fields=changed, summary=summary)
    return rate


@transaction.atomic
def change_intervention_costs(
    *,
    intervention: Intervention,
    fixed_cost: Decimal | None,
    resources_cost: Decimal,
    applies_from: date | None,
    today: date,
    by: User,
) -> list[str]:
    """Give a catalogue entry a new programme fee and resources per group from `applies_from`:
    groups starting from that day are priced with them (a group pays those in force on its first
    day), groups started before keep theirs. Returns the names of the amounts that changed;
    none, and nothing is written, when they are those in force that day.

    Raises ValidationError keyed by field: a negative amount, or new amounts with no day or from
    a day in a financial year that has ended (its costs are final). Side effects: audit row
    `provision.intervention_costs_changed` naming the amounts and the day, when any changed.
    """
    Intervention.objects.select_for_update().filter(pk=intervention.pk).first()
    changed = _record_from(
        InterventionCost.objects.filter(intervention=intervention),
        InterventionCost(intervention=intervention),
        values={"fixed_cost": fixed_cost, "resources_cost": resources_cost},
        applies_from=applies_from,
        school=intervention.school,
        today=today,
    )
    if changed:
        audit.record(
            "provision.intervention_costs_changed",
            by=by,
            obj=intervention,
            fields=changed,
            summary=f"{intervention.name}: costs {_on(applies_from)}",
        )
    return changed


STAFF_MEMBER_RATE_FIELDS = ("staff_rate",)


@transaction.atomic
def set_staff_member_rate(
    *,
    school: School,
    staff: User,
    staff_rate: StaffRate | None,
    applies_from: date | None,
    today: date,
    version: str,
    by: User,
) -> StaffMemberRate | None:
    """Cost a member of staff who may deliver groups at one of the school's staff rates from
    `applies_from` (moved to the higher-level rate from 1 January), or, with `staff_rate` None,
    at each intervention's own rate from that day: their groups are re-priced from that day on,
    never before it, and never in a financial year that has ended. `version` is the fingerprint
    of the rate in force for them `today` as the editor saw it
    (`version_token(row, fields=STAFF_MEMBER_RATE_FIELDS)`), "" if they had none.

    Raises ValidationError for staff who do not deliver groups here or another school's rate,
    keyed by field for a day in an ended year; StaleEdit if someone else set their rate since.
    Side effects: audit row `provision.staff_member_rate_set` (the rate's name and the day,
    never the pay). Returns their row in force from that day, if any.
    """
    if not deliverers(school).filter(pk=staff.pk).exists():
        raise ValidationError("Only staff who may deliver groups at this school are costed here.")
    if staff_rate is not None and staff_rate.school_id != school.pk:
        raise ValidationError({"staff_rate": "Choose one of this school's staff rates."})
    rows = StaffMemberRate.objects.filter(school=school, staff=staff)
    list(rows.select_for_update())
    shown = staff_member_rate_on(school=school, staff=staff, day=today)
    check_unchanged(shown, version, what="member of staff's rate", fields=STAFF_MEMBER_RATE_FIELDS)
    try:
        with transaction.atomic():
            _record_from(
                rows,
                StaffMemberRate(school=school, staff=staff),
                values={"staff_rate_id": None if staff_rate is None else staff_rate.pk},
                applies_from=applies_from,
                school=school,
                today=today,
                nothing={"staff_rate_id": None},
            )
    except IntegrityError as exc:  # set by someone else for the same day meanwhile
        token = version_token(shown, fields=STAFF_MEMBER_RATE_FIELDS)
        raise StaleEdit(shown, token=token, what="member of staff's rate") from exc
    what = staff_rate.name if staff_rate else "no own rate"
    audit.record(
        "provision.staff_member_rate_set",
        by=by,
        obj=staff,
        school=school,
        fields=list(STAFF_MEMBER_RATE_FIELDS),
        summary=f"{staff}: {what} {_on(applies_from or today)}",
    )
    return staff_member_rate_on(school=school, staff=staff, day=applies_from or today)
