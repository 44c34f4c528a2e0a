"""Demo money: for each demo school, this financial year's and last year's notional SEN budget,
the other spend it pays for, and an element 3 top-up for pupils with an EHC plan.

Plausible, not real:

- a notional SEN budget of about £360 a pupil at a primary (about £150,000 for 420 pupils) and
  £420 at a secondary (about £420,000 for 1,000), last year's 3% lower;
- other spend sized from the budget as a SENCO's would be: SENCO release time at a SENCO's
  hourly cost, an educational psychologist's days at £600 a day, speech and language therapy,
  training and assessment licences, and teaching assistants in class at a level 2 TA's hourly
  cost, the hours a week
  chosen so that, with the intervention groups, about 95% of a primary's budget and 93% of a
  secondary's is planned: the budget panel shows a little left, as most schools' would;
- top-ups of £7,000-£12,000 a year for each pupil with an EHC plan, in £50 steps as local
  authorities' bands usually are, except the newest plan where a school has three or more,
  whose banding is still awaited, so the budget page has one to chase.

Deterministic: amounts come from a generator seeded by the school's URN, so the seed's own
generator (and so the rest of the demo) is untouched. Running it again replaces the same rows.
It runs while each school is built, before the demo's intervention groups exist, so the groups'
cost is allowed for as a share of the budget rather than measured.

The staff rates and catalogue (`seed_groups.py`) take their dated amounts from here: each rate's
hourly cost now is this year's, after the pay award, which applies from 1 April for support
staff (as the NJC's does) and from 1 September for teachers (as the STRB's does), 3.2% and 4%
on the year before's, which applies from the start; a bought-in programme's fee rose 5% from
1 September. So the staff rates page and the catalogue have a history to show, and groups
before each change cost a little less.
"""

import random
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from provision.models import InterventionCost, StaffRateAmount, TopUp
from provision.rules.budget import FROM_THE_START
from pupils.models import SenStatus
from pupils.selectors.records import with_sen_status
from senco.models import Phase, School, SenBudget, SenSpend, SpendKind
from senco.rules import academic_year_of, financial_year_of

PER_PUPIL = {Phase.PRIMARY: 360, Phase.SECONDARY: 420}
LAST_YEAR_FACTOR = Decimal("0.97")
TOP_UP_RANGE = (7000, 12000)

# Hourly costs with on-costs (employer's National Insurance and pension).
SENCO_HOURLY, IN_CLASS_HOURLY = Decimal("52.00"), Decimal("15.40")
TEACHING_WEEKS, SCHOOL_DAY_HOURS, EP_DAY = 38, Decimal("6.5"), Decimal(600)
TRAINING = {
    True: "Training: precision teaching, ELSA supervision, autism awareness",
    False: "Training: autism awareness, exam access arrangements, literacy across the curriculum",
}
# The share of the budget other spend takes; a primary's groups take about another 5%.
OTHER_SPEND_SHARE = {Phase.PRIMARY: Decimal("0.90"), Phase.SECONDARY: Decimal("0.93")}


# This year's pay awards (plausible, not real): support staff's from 1 April, teachers' from 1 September.
SUPPORT_STAFF_AWARD, TEACHERS_AWARD, FEE_RISE = Decimal("0.032"), Decimal("0.04"), Decimal("0.05")


def _before(amount: Decimal, rise: Decimal) -> Decimal:
    """The amount before a rise of `rise` that gave `amount`, to the penny."""
    return (amount / (1 + rise)).quantize(Decimal("0.01"))


def staff_rate_amounts(rate, hourly_cost: Decimal, *, teacher: bool, today: date) -> list[StaffRateAmount]:
    """A demo staff rate's hourly costs: `hourly_cost` from this year's pay award, the year
    before's from the start."""
    if teacher:
        award, rise = date(academic_year_of(today), 9, 1), TEACHERS_AWARD
    else:
        award, rise = date(financial_year_of(today, starts_in_month=4), 4, 1), SUPPORT_STAFF_AWARD
    return [
        StaffRateAmount(staff_rate=rate, applies_from=FROM_THE_START, hourly_cost=_before(hourly_cost, rise)),
        StaffRateAmount(staff_rate=rate, applies_from=award, hourly_cost=hourly_cost),
    ]


def intervention_costs(
    intervention, *, fee: Decimal | None, resources: Decimal, today: date
) -> list[InterventionCost]:
    """A demo catalogue entry's costs per group: a bought-in programme's `fee` from 1 September
    of this school year, 5% less before; others' (no fee) from the start."""
    if fee is None:
        return [
            InterventionCost(intervention=intervention, applies_from=FROM_THE_START, resources_cost=resources)
        ]
    return [
        InterventionCost(
            intervention=intervention,
            applies_from=FROM_THE_START,
            fixed_cost=_before(fee, FEE_RISE),
            resources_cost=resources,
        ),
        InterventionCost(
            intervention=intervention,
            applies_from=date(academic_year_of(today), 9, 1),
            fixed_cost=fee,
            resources_cost=resources,
        ),
    ]


def seed_costs(*, school: School, today: date) -> None:
    """Budgets, other spend and top-ups for the school's current and previous financial years."""
    rng = random.Random(f"sen-budget-{school.urn}")
    roll = school.pupils.filter(left_on__isnull=True)
    ehc_plans = list(with_sen_status(roll, today=today).filter(sen_status=SenStatus.EHC_PLAN).order_by("pk"))
    # A whole number of pounds in £50 steps per pupil, as LA top-up bands usually are.
    top_ups = [Decimal(rng.randrange(*TOP_UP_RANGE, 50)) for _ in ehc_plans]
    notional = Decimal(roll.count() * PER_PUPIL.get(school.phase, PER_PUPIL[Phase.PRIMARY]))
    current = financial_year_of(today, starts_in_month=school.financial_year_starts)
    for year, factor in ((current, Decimal(1)), (current - 1, LAST_YEAR_FACTOR)):
        budget = (notional * factor).quantize(Decimal(1))
        SenBudget.objects.update_or_create(
            school=school, financial_year=year, defaults={"notional_sen_budget": budget}
        )
        SenSpend.objects.filter(school=school, financial_year=year).delete()
        SenSpend.objects.bulk_create(_other_spend(school, year, budget))
        TopUp.objects.filter(school=school, financial_year=year).delete()
        awaited = ehc_plans[-1:] if year == current and len(ehc_plans) >= 3 else []
        TopUp.objects.bulk_create(
            TopUp(
                school=school,
                pupil=pupil,
                financial_year=year,
                amount=_pounds(amount * factor, step=50),
                note="From the local authority's funding letter",
            )
            for pupil, amount in zip(ehc_plans, top_ups, strict=True)
            if pupil not in awaited
        )


def _pounds(amount: Decimal, *, step: int = 1) -> Decimal:
    return (amount / step).quantize(Decimal(1)) * step


def _counted(number: Decimal, noun: str) -> str:
    """ "1 day", "0.5 days", "2 days": the noun is singular only for exactly one."""
    return f"{number:f} {noun}{'' if number == 1 else 's'}"


def _other_spend(school: School, year: int, budget: Decimal) -> list[SenSpend]:
    """The year's other spend as lines of (kind, description, hours, hourly cost, amount)."""
    primary = school.phase == Phase.PRIMARY
    senco_days = _pounds(budget * Decimal("0.17") / (SENCO_HOURLY * SCHOOL_DAY_HOURS * 39) * 2) / 2
    ep_days = _pounds(budget * Decimal("0.025") / EP_DAY)
    lines = []
    if senco_days:
        who = "SENCO" if primary else "SENCO and deputy SENCO"
        description = f"{who} release time: {_counted(senco_days.normalize(), 'day')} a week for 39 weeks"
        lines.append(
            (SpendKind.SENCO_TIME, description, senco_days * SCHOOL_DAY_HOURS * 39, SENCO_HOURLY, None)
        )
    if ep_days:
        description = f"Educational psychologist (traded service): {_counted(ep_days, 'day')}"
        lines.append((SpendKind.BOUGHT_IN_SERVICE, description, None, None, ep_days * EP_DAY))
    for kind, description, share in (
        (SpendKind.BOUGHT_IN_SERVICE, "Speech and language therapy: termly visits and programmes", "0.028"),
        (SpendKind.TRAINING, TRAINING[primary], "0.008"),
        (SpendKind.OTHER, "Reading and spelling assessments and licences", "0.005"),
    ):
        if amount := _pounds(budget * Decimal(share), step=50):
            lines.append((kind, description, None, None, amount))
    planned = sum((hours * hourly if hours else amount for _, _, hours, hourly, amount in lines), Decimal(0))
    share = OTHER_SPEND_SHARE.get(school.phase, OTHER_SPEND_SHARE[Phase.PRIMARY])
    weekly = ((budget * share - planned) / (IN_CLASS_HOURLY * TEACHING_WEEKS)).to_integral_value(
        rounding=ROUND_FLOOR
    )
    if weekly > 0:
        description = (
            f"Teaching assistants in class: {_counted(weekly, 'hour')} a week for {TEACHING_WEEKS} weeks"
        )
        lines.append(
            (SpendKind.IN_CLASS_SUPPORT, description, weekly * TEACHING_WEEKS, IN_CLASS_HOURLY, None)
        )
    return [
        SenSpend(
            school=school,
            financial_year=year,
            kind=kind,
            description=description,
            hours=hours,
            hourly_cost=hourly,
            amount=amount,
        )
        for kind, description, hours, hourly, amount in lines
    ]
