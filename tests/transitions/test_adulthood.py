"""Preparing for adulthood: from Year 9, outcomes in the four areas of the annual review
(defined once, in agencies) for pupils with an EHC plan or on SEN support, reviewed with their
plans; the register's filter of those without them; access, audit, leavers, the pupil page."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.factories import AnnualReviewFactory, EhcPlanFactory
from agencies.models.annual_reviews import PFA_AREAS
from provision.factories import SupportPlanFactory
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.models import AuditEvent
from transitions.factories import PfaOutcomeFactory
from transitions.models import PfaOutcome, PfaReview
from transitions.models.adulthood import PFA_AREA_CHOICES

TODAY = date(2026, 11, 20)
AREAS = [area for area, _ in PFA_AREA_CHOICES]


@pytest.fixture(autouse=True)
def _today(today_is):
    today_is(TODAY)


@pytest.fixture
def year_10(school, class_3a):
    pupil = PupilFactory(school=school, first_name="Mia", last_name="Older", year_group=10)
    class_3a.pupils.add(pupil)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT)
    return pupil


def test_the_four_areas_are_the_annual_reviews_own():
    assert [label for _, label in PFA_AREA_CHOICES] == [label for _, label in PFA_AREAS]


def _token(client, pupil) -> str:
    return client.get(reverse("transitions:adulthood_edit", args=[pupil.pk])).context["form"]["token"].value()


def _outcomes(token: str = "", **changes) -> dict:
    data = {"token": token}
    for area in AREAS:
        data[f"{area}_outcome"] = f"An outcome about {area}."
        data[f"{area}_steps"] = ""
    return data | changes


def test_the_senco_sets_outcomes_in_the_four_areas_and_it_is_audited(client, senco, year_10):
    client.force_login(senco)
    response = client.post(
        reverse("transitions:adulthood_edit", args=[year_10.pk]), _outcomes(_token(client, year_10))
    )
    assert response.status_code == 302
    assert sorted(PfaOutcome.objects.filter(pupil=year_10).values_list("area", flat=True)) == sorted(AREAS)
    assert AuditEvent.objects.filter(action="pfa_outcomes.updated", pupil_id=year_10.pk).count() == 1


def test_a_year_8_pupil_is_refused_and_nothing_is_written(client, senco, school):
    pupil = PupilFactory(school=school, year_group=8)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN)
    client.force_login(senco)
    response = client.post(reverse("transitions:adulthood_edit", args=[pupil.pk]), _outcomes())
    assert response.status_code == 200
    assert "from Year 9" in response.content.decode()
    assert PfaOutcome.objects.count() == 0


def test_steps_without_an_outcome_are_refused_keeping_what_was_typed(client, senco, year_10):
    client.force_login(senco)
    data = _outcomes(
        _token(client, year_10), employment_outcome="", employment_steps="Work experience at the bakery."
    )
    response = client.post(reverse("transitions:adulthood_edit", args=[year_10.pk]), data)
    assert response.status_code == 200
    assert "employment_outcome" in response.context["form"].errors
    assert "Work experience at the bakery." in response.content.decode()
    assert PfaOutcome.objects.count() == 0


def test_a_save_over_someone_elses_is_refused_keeping_what_was_typed(client, senco, year_10):
    client.force_login(senco)
    url = reverse("transitions:adulthood_edit", args=[year_10.pk])
    token = _token(client, year_10)
    client.post(url, _outcomes(token))
    stale = client.post(url, _outcomes(token, health_outcome="To book own GP appointments."))
    assert stale.status_code == 200
    assert "To book own GP appointments." in stale.content.decode()
    assert PfaOutcome.objects.get(area="health").outcome == "An outcome about health."


def test_a_review_records_progress_in_each_area_and_shows_in_the_chronology(client, senco, year_10):
    outcome = PfaOutcomeFactory(pupil=year_10)
    client.force_login(senco)
    url = reverse("transitions:adulthood_review", args=[year_10.pk])
    data = {"reviewed_on": "2026-11-18", "occasion": "plan_review", "employment_progress": "progressing"}
    response = client.post(url, data | {"employment_note": "Placement found."})
    assert response.status_code == 302
    assert PfaReview.objects.get().outcome == outcome
    page = client.get(year_10.get_absolute_url()).content.decode()
    assert "Preparing for adulthood reviewed" in page
    assert "Making progress" in page
    assert AuditEvent.objects.filter(action="pfa_outcomes.reviewed").count() == 1


def test_a_review_in_the_future_or_without_progress_is_refused(client, senco, year_10):
    PfaOutcomeFactory(pupil=year_10)
    client.force_login(senco)
    url = reverse("transitions:adulthood_review", args=[year_10.pk])
    future = client.post(
        url, {"reviewed_on": "2026-12-01", "occasion": "other", "employment_progress": "achieved"}
    )
    missing = client.post(url, {"reviewed_on": "2026-11-18", "occasion": "other", "employment_note": "Kept"})
    assert (future.status_code, missing.status_code) == (200, 200)
    assert "reviewed_on" in future.context["form"].errors
    assert "employment_progress" in missing.context["form"].errors
    assert "Kept" in missing.content.decode()
    assert PfaReview.objects.count() == 0


def test_a_leaver_is_refused(client, senco, year_10):
    year_10.left_on = date(2026, 10, 1)
    year_10.save()
    client.force_login(senco)
    response = client.post(reverse("transitions:adulthood_edit", args=[year_10.pk]), _outcomes())
    assert "their record is kept read-only" in response.content.decode()
    assert PfaOutcome.objects.count() == 0


def test_teachers_read_their_pupils_outcomes_but_do_not_set_them(client, teacher, year_10):
    PfaOutcomeFactory(pupil=year_10)
    client.force_login(teacher)
    page = client.get(reverse("transitions:adulthood", args=[year_10.pk]))
    edit = client.get(reverse("transitions:adulthood_edit", args=[year_10.pk]))
    assert (page.status_code, page.context["can_edit"], edit.status_code) == (200, False, 403)
    assert AuditEvent.objects.filter(action="pfa_outcomes.viewed", pupil_id=year_10.pk).count() == 1


def test_another_school_gets_404_and_a_governor_403(client, other_school_senco, governor, year_10):
    url = reverse("transitions:adulthood", args=[year_10.pk])
    client.force_login(other_school_senco)
    other = client.get(url).status_code
    client.force_login(governor)
    assert (other, client.get(url).status_code) == (404, 403)


def test_the_register_finds_year_9_and_above_without_outcomes_in_all_four_areas(
    client, senco, school, year_10
):
    complete = PupilFactory(school=school, year_group=11)
    SenStatusChangeFactory(pupil=complete, status=SenStatus.EHC_PLAN)
    for area in AREAS:
        PfaOutcomeFactory(pupil=complete, area=area)
    partial = PupilFactory(school=school, year_group=9)
    SenStatusChangeFactory(pupil=partial, status=SenStatus.EHC_PLAN)
    PfaOutcomeFactory(pupil=partial)
    younger = PupilFactory(school=school, year_group=8)
    SenStatusChangeFactory(pupil=younger, status=SenStatus.SEN_SUPPORT)
    monitored = PupilFactory(school=school, year_group=10)
    SenStatusChangeFactory(pupil=monitored, status=SenStatus.MONITORING)
    client.force_login(senco)
    everyone = client.get(reverse("pupils:register"))
    response = client.get(reverse("pupils:register"), {"without_pfa": "on"})
    found = {row.pupil for row in response.context["rows"]}
    assert len(everyone.context["rows"]) == 5
    assert found == {year_10, partial}
    assert "In Year 9 or above without preparing for adulthood outcomes" in response.content.decode()


def test_the_pupil_page_shows_the_four_areas_from_year_9_only(client, senco, school, year_10):
    younger = PupilFactory(school=school, year_group=8)
    SenStatusChangeFactory(pupil=younger, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    older_page = client.get(year_10.get_absolute_url()).content.decode()
    younger_page = client.get(younger.get_absolute_url()).content.decode()
    assert "Set preparing for adulthood outcomes" in older_page
    assert "Independent living" in older_page
    assert "Independent living" not in younger_page


def test_the_support_plan_and_annual_review_pages_show_the_outcomes_they_review(client, senco, year_10):
    PfaOutcomeFactory(pupil=year_10, outcome="To travel to college alone.")
    plan = SupportPlanFactory(pupil=year_10)
    review = AnnualReviewFactory(plan=EhcPlanFactory(pupil=year_10))
    client.force_login(senco)
    pages = [
        client.get(plan.get_absolute_url()).content.decode(),
        client.get(review.get_absolute_url()).content.decode(),
        client.get(reverse("agencies:annual_reviews_edit", args=[review.pk])).content.decode(),
    ]
    assert ["To travel to college alone." in page for page in pages] == [True, True, True]


def test_a_plan_page_below_year_9_has_no_adulthood_section(client, senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    plan = SupportPlanFactory(pupil=taught_pupil)
    client.force_login(senco)
    assert "Preparing for adulthood outcomes" not in client.get(plan.get_absolute_url()).content.decode()
