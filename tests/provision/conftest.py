"""Set-up shared by the provision tests.

The delivery fortnight: a precision-teaching group the TA runs from Monday 2 November 2026 with
the taught and the untaught pupil in it, looked at on Sunday 15 November, two whole weeks in.
A finalised SEN support plan for the taught pupil, and `amend` to change it. Modules about other
groups or plans (groups, provision map, interventions, reviews) define their own `intervention`,
`group` or `plan`, which pytest uses there in place of these.
"""

from datetime import date, timedelta

import pytest

from provision.factories import InterventionFactory, SupportPlanFactory
from provision.services.groups import add_pupil, create_group
from provision.services.plans import update_plan
from pupils.factories import SenStatusChangeFactory
from pupils.models import SenStatus
from senco.factories import english_school_year, staff_member
from senco.models import Role
from senco.services.calendar import save_school_year

MONDAY = date(2026, 11, 2)
TODAY = date(2026, 11, 15)  # a Sunday: two whole weeks over
DAYS = [MONDAY + timedelta(days=offset) for offset in (0, 2, 4, 7, 9, 11)]  # Mon, Wed, Fri x2


@pytest.fixture
def intervention(school):
    return InterventionFactory(school=school, name="Precision teaching", group_size=4, sessions_per_week=3)


@pytest.fixture
def group(senco, ta, intervention):
    """A group the TA delivers, built by the service."""
    return create_group(
        intervention=intervention,
        name="Year 3 precision teaching",
        starts_on=MONDAY,
        ends_on=date(2026, 12, 11),
        staff=[ta],
        by=senco,
        today=TODAY,
    )


@pytest.fixture
def pupils(senco, group, taught_pupil, untaught_pupil):
    """The taught and the untaught pupil, both in the group from its first day."""
    for pupil in (taught_pupil, untaught_pupil):
        add_pupil(group=group, pupil=pupil, joined_on=MONDAY, by=senco)
    return [taught_pupil, untaught_pupil]


@pytest.fixture
def term_dates_2026(senco):
    """The school's term dates for 2026/27, as `english_school_year` plans them: autumn term
    from Tuesday 1 September (INSET on the 1st and 2nd) to Friday 18 December, October half-term
    26 to 30 October, spring term from Monday 4 January 2027 (INSET that day)."""
    return save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)


@pytest.fixture
def other_ta(school):
    """A TA at the school who delivers none of the groups above."""
    return staff_member(role=Role.TA, school=school, username="ta2", first_name="Omar", last_name="Khan")


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the views take as today (`timezone.localdate`)."""

    def set_today(day: date):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.fixture
def plan(taught_pupil):
    """A finalised plan with one outcome for the taught pupil, who is on SEN support."""
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    return SupportPlanFactory(pupil=taught_pupil, outcomes=["Read sixty words a minute aloud."])


def amend(plan, by, strategies="Amended strategies"):
    """Amend a finalised plan's strategies, keeping everything else as it is."""
    plan.refresh_from_db()
    outcome = plan.outcomes.get()
    row = {"id": outcome.pk, "area": "cognition", "description": outcome.description, "success_criteria": ""}
    update_plan(
        plan=plan,
        version=plan.version,
        assessment=plan.assessment,
        strategies=strategies,
        arrangements=plan.arrangements,
        review_due_on=plan.review_due_on,
        outcomes=[row],
        by=by,
    )
