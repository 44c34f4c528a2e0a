"""The demo's EHC plans: one for every pupil on roll with an EHC plan, Section F linked to their
groups, reviews overdue, held and arranged, preparing for adulthood from Year 9."""

import pytest

from agencies.models import AnnualReview, EhcPlan, EhcProvision
from agencies.selectors.ehc_plans import ehc_plan_rows
from pupils.models import Pupil, SenStatus
from senco.models import User
from tests.demo.conftest import DAY


@pytest.mark.django_db
def test_every_pupil_on_roll_with_an_ehc_plan_has_one(demo):
    with_status = set(
        Pupil.objects.filter(sen_status_now=SenStatus.EHC_PLAN, left_on=None).values_list("pk", flat=True)
    )
    assert set(EhcPlan.objects.values_list("pupil_id", flat=True)) == with_status
    assert len(with_status) > 10


@pytest.mark.django_db
def test_section_f_is_linked_to_groups_and_reviews_are_overdue_held_and_arranged(demo):
    senco = User.objects.get(username="senco")
    rows = ehc_plan_rows(senco, today=DAY)
    assert any(row.overdue for row in rows)
    assert not all(row.overdue for row in rows)
    assert EhcProvision.groups.through.objects.exists()
    assert AnnualReview.objects.filter(closed_on=None).exists()
    assert (
        AnnualReview.objects.filter(closed_on__isnull=False, year_group__gte=9)
        .exclude(pfa_health="")
        .exists()
    )
    assert any(row.transfer for row in ehc_plan_rows(User.objects.get(username="senco2"), today=DAY))
