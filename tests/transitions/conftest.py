from datetime import date

import pytest

from agencies.factories import (
    AdviceFactory,
    AnnualReviewFactory,
    ConsentFactory,
    EhcPlanFactory,
    InvolvementFactory,
    ReportFactory,
)
from provision.factories import PlacementFactory, ProvisionGroupFactory, SupportPlanFactory
from provision.models import PlanReview
from pupils.factories import PassportFactory, PupilFactory, SenStatusChangeFactory
from pupils.models import NeedType, SenStatus


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the views take as today (`timezone.localdate`)."""

    def set_today(day: date):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.fixture
def leaver(school):
    """A Year 6 pupil with an EHC plan and a record of every kind the pack carries, leaving on
    Monday 20 July 2026."""
    pupil = PupilFactory(
        school=school, year_group=6, first_name="Amira", last_name="Okafor", left_on=date(2026, 7, 20)
    )
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2024, 9, 9))
    SenStatusChangeFactory(
        pupil=pupil,
        status=SenStatus.EHC_PLAN,
        effective_from=date(2025, 11, 3),
        primary_need=NeedType.objects.get(code="ASD"),
        secondary_need=NeedType.objects.get(code="SLCN"),
        ehc_plan_date=date(2025, 11, 3),
    )
    PassportFactory(pupil=pupil)
    plan = SupportPlanFactory(
        pupil=pupil,
        started_on=date(2024, 9, 16),
        review_due_on=date(2024, 12, 13),
        outcomes=["Read CVC words"],
    )
    PlanReview.objects.create(
        plan=plan,
        held_on=date(2024, 12, 11),
        parent_view="She reads signs in the street now.",
        pupil_view="I like the reading games.",
        decision="continue",
    )
    group = ProvisionGroupFactory(intervention__school=school)
    PlacementFactory(
        group=group,
        pupil=pupil,
        joined_on=group.starts_on,
        entry_score=78,
        entry_measured_on=group.starts_on,
        exit_score=86,
        exit_measured_on=group.ends_on,
    )
    InvolvementFactory(pupil=pupil)
    AdviceFactory(report=ReportFactory(pupil=pupil, title="Speech and language assessment"))
    ReportFactory(pupil=pupil, title="Community paediatrics letter", is_health_information=True)
    AnnualReviewFactory(
        plan=EhcPlanFactory(pupil=pupil),
        meeting_on=date(2026, 3, 4),
        pupil_views="I want to go to big school.",
    )
    ConsentFactory(referral__pupil=pupil)
    return pupil
