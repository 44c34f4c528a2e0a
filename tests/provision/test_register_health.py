"""What the provision app adds to register health: pupils on SEN support or with an EHC plan who
have no plan (no open cycle: a draft or a finalised plan)."""

from datetime import date

import pytest
from django.urls import reverse

from provision.factories import SupportPlanFactory
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from pupils.selectors.register_health import register_health, register_health_count

TODAY = date(2026, 11, 24)
URL = reverse("pupils:register_health")


def on(school, status, last_name, **fields):
    pupil = PupilFactory(school=school, last_name=last_name, **fields)
    SenStatusChangeFactory(
        pupil=pupil,
        status=status,
        ehc_plan_date=date(2026, 9, 14) if status == SenStatus.EHC_PLAN else None,
    )
    return pupil


def without_a_plan(user, today=TODAY):
    sections = {section.check.key: section for section in register_health(user, today=today)}
    return (
        [(p.pupil.last_name, p.detail) for p in sections["no_plan"].problems]
        if "no_plan" in sections
        else None
    )


def test_pupils_on_sen_support_or_with_an_ehc_plan_and_no_open_plan_are_listed(senco, school):
    on(school, SenStatus.SEN_SUPPORT, "Planless")
    on(school, SenStatus.EHC_PLAN, "Unplanned", year_group=5)
    SupportPlanFactory(pupil=on(school, SenStatus.SEN_SUPPORT, "Active"))
    SupportPlanFactory(pupil=on(school, SenStatus.SEN_SUPPORT, "Drafting"), status="draft", finalised_on=None)
    SupportPlanFactory(pupil=on(school, SenStatus.SEN_SUPPORT, "Lapsed"), status="reviewed")
    on(school, SenStatus.MONITORING, "Watched")
    on(school, SenStatus.SEN_SUPPORT, "Gone", left_on=date(2026, 7, 22))
    assert without_a_plan(senco) == [
        ("Lapsed", "SEN support since 14 Sep 2026"),
        ("Planless", "SEN support since 14 Sep 2026"),
        ("Unplanned", "EHC plan since 14 Sep 2026"),
    ]


def test_another_schools_pupils_are_not_listed(senco, other_school):
    on(other_school, SenStatus.SEN_SUPPORT, "Elsewhere")
    assert without_a_plan(senco) == []


def test_leadership_see_the_check_and_the_office_who_cannot_read_plans_do_not(head, school_admin, school):
    on(school, SenStatus.SEN_SUPPORT, "Planless")
    assert (without_a_plan(head), without_a_plan(school_admin)) == (
        [("Planless", "SEN support since 14 Sep 2026")],
        None,
    )
    assert (register_health_count(head, today=TODAY), register_health_count(school_admin, today=TODAY)) == (
        1,
        0,
    )


def test_the_senco_is_offered_the_pupils_plans_page_to_start_one(client, senco, head, school):
    pupil = on(school, SenStatus.SEN_SUPPORT, "Planless", first_name="Pia")
    link = f'href="{reverse("provision:plan_list", args=[pupil.pk])}">Start a plan for Pia Planless</a>'
    shown = []
    for user in (senco, head):
        client.force_login(user)
        shown.append(link in client.get(URL).content.decode())
    assert shown == [True, False]


def test_the_home_page_counts_pupils_with_no_plan(client, senco, school):
    on(school, SenStatus.SEN_SUPPORT, "Planless")
    client.force_login(senco)
    assert client.get(reverse("home")).context["register_problems"] == 1


@pytest.mark.parametrize("n", [1, 3])
def test_the_home_page_count_is_one_query_for_every_check_whatever_the_school_size(
    senco, school, n, django_assert_num_queries
):
    for _ in range(n):
        on(school, SenStatus.SEN_SUPPORT, "Planless")
        on(school, SenStatus.MONITORING, "Watched")
    # The user's roles; the day's one check that every pupil's status copy is in force; one
    # aggregate counting every check of the pupils app and the one added here; the monitored
    # pupils and the school's calendar (terms and closures, one query), on which their due
    # dates depend.
    with django_assert_num_queries(5):
        assert register_health_count(senco, today=TODAY) == n
