"""The pupil page: a one-minute summary for staff, other apps' panels and the chronology."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.factories import SupportPlanFactory
from provision.pupil_page import provision_panel
from pupils.factories import (
    CarerFactory,
    ContactLogEntryFactory,
    PassportFactory,
    PupilFactory,
    SenStatusChangeFactory,
    TeachingGroupFactory,
)
from pupils.models import NeedType, SenStatus
from senco.factories import staff_member
from senco.models import AuditEvent, Role


@pytest.fixture
def record(school, senco, taught_pupil):
    """A pupil with a full record: preferred name, flags, SEN support, passport, carer, contact."""
    taught_pupil.preferred_first_name = "Avie"
    taught_pupil.looked_after = True
    taught_pupil.designated_teacher = staff_member(
        role=Role.TEACHER, school=school, first_name="Dee", last_name="Signated"
    )
    taught_pupil.pupil_premium = True
    taught_pupil.eal = True
    taught_pupil.save()
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, primary_need=NeedType.objects.get(code="SPLD")
    )
    PassportFactory(
        pupil=taught_pupil,
        how_to_support="Give me one instruction at a time.",
        staff_should="Seat near the front; use a visual timetable.",
        written_by=senco,
    )
    CarerFactory(
        pupil=taught_pupil,
        name="Mrs Rosa Taught",
        relationship="Mother",
        phone="07700 900123",
        email="rosa@example.org",
        address="1 Acacia Avenue",
    )
    ContactLogEntryFactory(
        pupil=taught_pupil,
        occurred_on=timezone.localdate(),
        participants="Mother and the SENCO",
        summary="Talked about reading at home.",
        agreed_actions="Read together each evening.",
        recorded_by=senco,
    )
    return taught_pupil


def page(client, user, pupil):
    client.force_login(user)
    return client.get(reverse("pupils:detail", args=[pupil.pk]))


def plan_panels(response):
    return [panel.title for panel in response.context["panels"] if panel.title == "Current SEN support plan"]


def test_a_teacher_reads_the_summary_in_one_page(client, teacher, record):
    response = page(client, teacher, record)
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        '<h1 class="h2">Avie Taught</h1>',
        "Ava Taught",  # the legal name, shown because it differs
        "Year 3",
        "3A",
        "SEN support since",
        "Specific learning difficulty (SPLD): cognition and learning",
        "Looked after (LAC)",
        "Designated teacher: Dee Signated",
        "Pupil premium (PP)",
        "English as an additional language (EAL)",
        "Give me one instruction at a time.",
        "Seat near the front; use a visual timetable.",
        "Sam Patel",  # the SENCO
        "Mrs Rosa Taught",
        "Mother",
    ]:
        assert text in html, text
    assert "Free school meals" not in html


def test_teachers_and_tas_never_see_carers_contact_details(client, teacher, ta, head, record):
    for user in (teacher, ta, head):
        html = page(client, user, record).content.decode()
        assert ("Mrs Rosa Taught" in html, "07700 900123" in html, "rosa@example.org" in html) == (
            True,
            False,
            False,
        )
        assert "1 Acacia Avenue" not in html


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_the_senco_team_and_the_office_see_carers_contact_details(client, request, persona, record):
    html = page(client, request.getfixturevalue(persona), record).content.decode()
    assert ("07700 900123" in html, "rosa@example.org" in html, "1 Acacia Avenue" in html) == (
        True,
        True,
        True,
    )


def test_the_registration_group_is_named_as_such_and_other_groups_listed(client, senco, school, taught_pupil):
    TeachingGroupFactory(school=school, name="Reg 3", kind="registration", pupils=[taught_pupil])
    response = page(client, senco, taught_pupil)
    assert (
        response.context["registration_group"].name,
        [g.name for g in response.context["other_groups"]],
    ) == (
        "Reg 3",
        ["3A"],
    )


def test_the_page_is_audited(client, teacher, record):
    page(client, teacher, record)
    assert list(AuditEvent.objects.filter(action="pupil.viewed").values_list("actor", "pupil_id")) == [
        (teacher.pk, record.pk)
    ]


def test_a_governor_is_refused_and_an_untaught_pupil_is_not_found(client, governor, teacher, untaught_pupil):
    assert page(client, governor, untaught_pupil).status_code == 403
    assert page(client, teacher, untaught_pupil).status_code == 404


def test_the_actions_list_offers_the_senco_every_write(client, senco, record):
    html = page(client, senco, record).content.decode()
    for url in ["edit", "passport_edit", "carer_add", "contact_add"]:
        assert reverse(f"pupils:{url}", args=[record.pk]) in html, url
    assert "Edit the record" in html
    assert reverse("provision:pupil_provision", args=[record.pk]) in html


def test_a_teacher_is_offered_the_passport_but_no_writes(client, teacher, record):
    html = page(client, teacher, record).content.decode()
    assert reverse("pupils:passport", args=[record.pk]) in html
    for url in ["edit", "passport_edit", "carer_add", "contact_add"]:
        assert reverse(f"pupils:{url}", args=[record.pk]) not in html, url
    assert "Edit the record" not in html


def test_the_office_may_edit_the_record_but_not_a_leavers(client, school_admin, record):
    edit_url = reverse("pupils:edit", args=[record.pk])
    assert edit_url in page(client, school_admin, record).content.decode()
    record.left_on = date(2026, 7, 22)
    record.save()
    assert edit_url not in page(client, school_admin, record).content.decode()


def test_the_senco_may_still_open_a_leavers_record_to_correct_the_leaving_date(client, senco, record):
    record.left_on = date(2026, 7, 22)
    record.save()
    assert reverse("pupils:edit", args=[record.pk]) in page(client, senco, record).content.decode()


def test_the_provision_panel_links_to_the_pupils_provision_for_staff_only(client, teacher, governor, record):
    url = reverse("provision:pupil_provision", args=[record.pk])
    assert url in page(client, teacher, record).content.decode()
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    assert provision_panel(record, governor) is None


def test_a_leaver_shows_a_read_only_banner_and_offers_no_writes(client, senco, record):
    record.left_on = date(2026, 7, 22)
    record.save()
    html = page(client, senco, record).content.decode()
    assert "Left on 22 July 2026 — read-only." in html
    for url in ["passport_edit", "carer_add", "contact_add"]:
        assert reverse(f"pupils:{url}", args=[record.pk]) not in html, url


def test_a_pupil_still_on_roll_has_no_leaver_banner(client, senco, record):
    record.left_on = timezone.localdate() + timedelta(days=30)
    record.save()
    assert "read-only" not in page(client, senco, record).content.decode()


def test_the_senco_and_head_see_the_contact_log_and_parent_meetings_against_the_code(
    client, senco, head, record
):
    ContactLogEntryFactory(pupil=record, occurred_on=timezone.localdate(), kind="call", recorded_by=senco)
    for user in (senco, head):
        response = page(client, user, record)
        html = response.content.decode()
        assert (response.context["parent_meetings"], response.context["parent_meetings_expected"]) == (1, 3)
        assert "1 of 3</strong> meetings with parents or carers this school year" in html
        assert "Fewer than three so far" in html
        assert "Mother and the SENCO" in html


def test_teachers_see_contact_in_the_chronology_with_agreed_actions_but_not_who_took_part(
    client, teacher, record
):
    response = page(client, teacher, record)
    html = response.content.decode()
    contact = [event for event in response.context["events"] if event.kind == "contact"]
    assert [(event.title, event.detail) for event in contact] == [
        (
            "Meeting with parents or carers",
            "Talked about reading at home.\nAgreed actions: Read together each evening.",
        )
    ]
    assert ("Mother and the SENCO" in html, response.context["reads_contact_log"]) == (False, False)


def test_the_office_sees_neither_contact_log_nor_passport(client, school_admin, record):
    response = page(client, school_admin, record)
    kinds = {event.kind for event in response.context["events"]}
    html = response.content.decode()
    assert (kinds & {"contact", "passport"}, "Give me one instruction" in html) == (set(), False)


def test_the_current_plan_panel_shows_cycle_status_review_date_and_outcomes(client, teacher, record):
    plan = SupportPlanFactory(pupil=record, outcomes=["Read sixty words a minute aloud."])
    response = page(client, teacher, record)
    html = response.content.decode()
    assert plan_panels(response) == ["Current SEN support plan"]
    for text in [
        "Cycle 1",
        "Finalised (in the Do stage)",
        "14 December 2026",
        "Read sixty words a minute aloud.",
    ]:
        assert text in html, text
    assert plan.get_absolute_url() in html


def test_plan_panel_is_not_offered_to_the_office(client, school_admin, record):
    SupportPlanFactory(pupil=record)
    assert plan_panels(page(client, school_admin, record)) == []


def test_a_pupil_on_the_register_without_an_open_plan_gets_a_panel_saying_so(client, senco, record):
    html = page(client, senco, record).content.decode()
    assert "There is no open SEN support plan." in html


def test_a_pupil_not_on_the_register_gets_no_plan_panel(client, senco, taught_pupil):
    assert plan_panels(page(client, senco, taught_pupil)) == []


def _grow(pupil, senco, n):
    """`n` of every kind of chronology event, plus carers, groups and plan cycles."""
    today = timezone.localdate()
    for index in range(n):
        ContactLogEntryFactory(pupil=pupil, occurred_on=today - timedelta(days=index), recorded_by=senco)
        PassportFactory(pupil=pupil, version=index + 2, written_by=senco)
        SenStatusChangeFactory(pupil=pupil, effective_from=today - timedelta(days=10 + index))
        CarerFactory(pupil=pupil)
        TeachingGroupFactory(school=pupil.school, pupils=[pupil])
    for cycle in range(1, n + 1):
        SupportPlanFactory(
            pupil=pupil, cycle=cycle, status="reviewed" if cycle < n else "active", outcomes=["A"] * n
        )


@pytest.mark.parametrize("persona", ["senco", "teacher"])
@pytest.mark.parametrize("n", [1, 3])
def test_the_page_makes_the_same_queries_whatever_the_size_of_the_record(
    client, request, senco, record, persona, n, django_assert_max_num_queries
):
    _grow(record, senco, n)
    client.force_login(request.getfixturevalue(persona))
    with django_assert_max_num_queries(24):
        response = client.get(reverse("pupils:detail", args=[record.pk]))
    assert response.status_code == 200
    assert len([e for e in response.context["events"] if e.kind == "contact"]) == n + 1


def test_a_pupil_with_nothing_recorded_has_a_plain_page(client, senco, school):
    pupil = PupilFactory(school=school)
    html = page(client, senco, pupil).content.decode()
    for text in ["None recorded", "No parents or carers recorded.", "No pupil passport has been written yet.",
                 "No contact has been logged.", "Nothing has been recorded yet."]:  # fmt: skip
        assert text in html, text
