"""Demo notional SEN budgets: this financial year's and last year's for each demo school.

Plausible, not real: a notional SEN budget of about £360 a pupil at a primary (about £150,000
for 420 pupils) and £420 at a secondary (about £420,000 for 1,000), last year's 3% lower; and
element 3 top-up income of £7,000-£12,000 a year for each pupil with an EHC plan. Deterministic:
amounts come from a generator seeded by the school's URN, so the seed's own generator (and so
the rest of the demo) is untouched.
"""

import random
from datetime import date
from decimal import Decimal

from pupils.models import SenStatus
from pupils.selectors.records import with_sen_status
from senco.models import Phase, School, SenBudget
from senco.rules import financial_year_of

PER_PUPIL = {Phase.PRIMARY: 360, Phase.SECONDARY: 420}
LAST_YEAR_FACTOR = Decimal("0.97")
TOP_UP_RANGE = (7000, 12000)


def seed_costs(*, school: School, today: date) -> list[SenBudget]:
    """Set the school's SenBudget for the current and previous financial years (replacing any)."""
    rng = random.Random(f"sen-budget-{school.urn}")
    roll = school.pupils.filter(left_on__isnull=True)
    ehc_pupils = with_sen_status(roll, today=today).filter(sen_status=SenStatus.EHC_PLAN).count()
    notional = Decimal(roll.count() * PER_PUPIL.get(school.phase, PER_PUPIL[Phase.PRIMARY]))
    # A whole number of pounds in £50 steps per pupil, as LA top-up bands usually are.
    top_ups = Decimal(sum(rng.randrange(*TOP_UP_RANGE, 50) for _ in range(ehc_pupils)))
    current = financial_year_of(today)
    budgets = []
    for year, factor in ((current, Decimal(1)), (current - 1, LAST_YEAR_FACTOR)):
        budget, _ = SenBudget.objects.update_or_create(
            school=school,
            financial_year=year,
            defaults={
                "notional_sen_budget": (notional * factor).quantize(Decimal(1)),
                "element3_income": (top_ups * factor).quantize(Decimal(1)),
            },
        )
        budgets.append(budget)
    return budgets
