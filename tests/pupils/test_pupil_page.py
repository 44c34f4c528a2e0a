"""The pupil page: a one-minute summary for staff, and the panels and chronology that every app
contributes through its one extension point."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.factories import (
    InterventionFactory,
    PlacementFactory,
    ProvisionGroupFactory,
    SupportPlanFactory,
)
from provision.models import Decision, PlanReview
from provision.pupil_page import provision_contribution
from pupils import pupil_page
from pupils.factories import (
    CarerFactory,
    ConcernFactory,
    ContactLogEntryFactory,
    PassportFactory,
    PupilFactory,
    SenStatusChangeFactory,
    TeachingGroupFactory,
    make_temporary_upn,
)
from pupils.models import NeedType, SenStatus
from pupils.pupil_page import (
    ChronologyEvent,
    Contribution,
    Panel,
    all_contributions,
    contributes,
    rendered_panels,
)
from pupils.selectors.records import sen_status_now_and_ahead, split_sen_history, with_sen_status
from pupils.selectors.register import register_row, register_rows, with_groups
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 11, 24)


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
    assert list(provision_contribution(governor, pupil=record, today=timezone.localdate()).panels) == []


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
    """`n` of every kind of record the page shows: contacts, passports, SEN status changes,
    carers, teaching groups, plan cycles (each but the last reviewed), provision placements and
    concerns (each decided)."""
    today = timezone.localdate()
    intervention = InterventionFactory(school=pupil.school)
    for index in range(n):
        ContactLogEntryFactory(pupil=pupil, occurred_on=today - timedelta(days=index), recorded_by=senco)
        PassportFactory(pupil=pupil, version=index + 2, written_by=senco)
        SenStatusChangeFactory(pupil=pupil, effective_from=today - timedelta(days=10 + index))
        CarerFactory(pupil=pupil)
        TeachingGroupFactory(school=pupil.school, pupils=[pupil])
        PlacementFactory(group=ProvisionGroupFactory(intervention=intervention), pupil=pupil)
        ConcernFactory(
            pupil=pupil,
            raised_by=senco,
            stage="decided",
            decision="monitor",
            decided_by=senco,
            decided_on=today,
        )
    for cycle in range(1, n + 1):
        plan = SupportPlanFactory(
            pupil=pupil, cycle=cycle, status="reviewed" if cycle < n else "active", outcomes=["A"] * n
        )
        if cycle < n:
            PlanReview.objects.create(
                plan=plan, held_on=today, decision=Decision.CONTINUE, finalised_on=today
            )


@pytest.mark.parametrize("persona", ["senco", "teacher"])
@pytest.mark.parametrize("n", [1, 3])
def test_the_page_makes_the_same_queries_whatever_the_size_of_the_record(
    client, request, senco, record, persona, n, django_assert_max_num_queries
):
    _grow(record, senco, n)
    client.force_login(request.getfixturevalue(persona))
    # 3 of them its audit row's (PostgreSQL); the rest, the apps' contributions.
    with django_assert_max_num_queries(29):
        response = client.get(reverse("pupils:detail", args=[record.pk]))
    assert response.status_code == 200
    assert len([e for e in response.context["events"] if e.kind == "contact"]) == n + 1


def test_the_page_shows_date_of_birth_age_and_upn(client, teacher, record):
    record.date_of_birth = date(2018, 4, 9)
    record.save()
    html = page(client, teacher, record).content.decode()
    age = record.age_on(timezone.localdate())
    assert (
        f'<dt class="col-sm-3">Date of birth</dt><dd class="col-sm-9">9 April 2018 (age {age})</dd>' in html
    )
    assert f'<dt class="col-sm-3">UPN</dt><dd class="col-sm-9">{record.upn}</dd>' in html


def test_a_temporary_upn_is_marked_as_such(client, senco, school):
    upn = make_temporary_upn(la_code="936", establishment="2417", year_of_issue=2026, serial=7)
    html = page(client, senco, PupilFactory(school=school, upn=upn)).content.decode()
    assert (
        f'<dd class="col-sm-9">{upn} (temporary: replace it when the MIS has the permanent UPN)</dd>' in html
    )


def test_a_pupil_with_no_sen_history_reads_no_sen(client, senco, school):
    html = page(client, senco, PupilFactory(school=school)).content.decode()
    assert ('<dd class="col-sm-9">No SEN (N)</dd>' in html, "Not on the SEN register" in html) == (
        True,
        False,
    )


def test_key_contacts_name_the_class_teacher(client, ta, record, class_3a, school):
    class_3a.teachers.add(staff_member(role=Role.TEACHER, school=school, first_name="Jo", last_name="Share"))
    summary = pupil_page.pupil_summary(ta, pupil=record, today=TODAY)
    assert (summary["home_teacher_role"], [str(t) for t in summary["home_teachers"]]) == (
        "Class teacher",
        ["Tom Evans", "Jo Share"],
    )
    html = page(client, ta, record).content.decode()
    assert '<dt class="col-sm-3">Class teacher</dt><dd class="col-sm-9">Tom Evans, Jo Share</dd>' in html


def test_a_secondary_pupils_key_contact_is_their_form_tutor(senco, school, teacher):
    pupil = PupilFactory(school=school, year_group=8)
    TeachingGroupFactory(school=school, name="8RD", kind="registration", pupils=[pupil], teachers=[teacher])
    TeachingGroupFactory(school=school, name="8 Maths set 2", kind="set", pupils=[pupil])
    summary = pupil_page.pupil_summary(senco, pupil=pupil, today=TODAY)
    assert (summary["home_teacher_role"], list(summary["home_teachers"])) == ("Form tutor", [teacher])


def test_a_pupil_in_no_class_has_no_class_teacher_recorded(client, senco, school):
    html = page(client, senco, PupilFactory(school=school)).content.decode()
    assert '<dt class="col-sm-3">Class teacher</dt><dd class="col-sm-9">None recorded</dd>' in html


def test_a_pupil_with_nothing_recorded_has_a_plain_page(client, senco, school):
    pupil = PupilFactory(school=school)
    html = page(client, senco, pupil).content.decode()
    for text in ["None recorded", "No parents or carers recorded.", "No pupil passport has been written yet.",
                 "No contact has been logged.", "Nothing has been recorded yet."]:  # fmt: skip
        assert text in html, text


# The extension point: every app's contributions of panels and chronology events


@pytest.fixture
def contributing():
    """Add contribution functions for one test only, leaving the real ones as they were."""
    added = []

    def add(function):
        if function not in pupil_page._contribution_functions:
            added.append(function)
        return contributes(function)

    yield add
    for function in added:
        pupil_page._contribution_functions.remove(function)


def titled(panels, titles):
    return [panel.title for panel in panels if panel.title in titles]


def test_panels_come_in_order_and_an_empty_contribution_adds_nothing(contributing, senco, taught_pupil):
    contributing(lambda user, *, pupil, today: Contribution(panels=[Panel("Second", "t.html", order=20)]))
    contributing(lambda user, *, pupil, today: Contribution(panels=[Panel("First", "t.html", order=5)]))
    contributing(lambda user, *, pupil, today: Contribution())
    panels = all_contributions(senco, pupil=taught_pupil, today=TODAY).panels
    assert titled(panels, {"First", "Second"}) == ["First", "Second"]


def test_a_contribution_gets_the_viewing_user_the_pupil_and_the_given_today(
    contributing, senco, teacher, taught_pupil
):
    def visits(user, *, pupil, today):
        if user != senco:
            return Contribution()
        return Contribution(
            panels=[Panel(f"Visits to {pupil.first_name}", "t.html")],
            events=[ChronologyEvent(on=today, kind="visit", title="Visit")],
        )

    contributing(visits)
    for_senco = all_contributions(senco, pupil=taught_pupil, today=TODAY)
    assert (titled(for_senco.panels, {"Visits to Ava"}), [e.on for e in for_senco.events]) == (
        ["Visits to Ava"],
        [TODAY],
    )
    for_teacher = all_contributions(teacher, pupil=taught_pupil, today=TODAY)
    assert (titled(for_teacher.panels, {"Visits to Ava"}), list(for_teacher.events)) == ([], [])


def test_contributing_the_same_function_twice_shows_it_once(contributing, senco, taught_pupil):
    def twice(user, *, pupil, today):
        return Contribution(panels=[Panel("Twice", "t.html")])

    contributing(twice)
    contributing(twice)
    assert titled(all_contributions(senco, pupil=taught_pupil, today=TODAY).panels, {"Twice"}) == ["Twice"]


def test_a_panel_is_rendered_with_its_own_context(senco, taught_pupil):
    panel = Panel(
        "Plan",
        "provision/panels/current_plan.html",
        {"pupil": taught_pupil, "plan": None, "plan_name": "SEN support plan", "can_edit": True},
    )
    [rendered] = rendered_panels([panel])
    assert (rendered.title, "There is no open SEN support plan." in rendered.html) == ("Plan", True)
    assert f"/provision/pupils/{taught_pupil.pk}/plans/" in rendered.html


def test_status_changes_appear_newest_first(senco, taught_pupil):
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.MONITORING, primary_need=None, effective_from=date(2026, 1, 5)
    )
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 3, 2))
    events = all_contributions(senco, pupil=taught_pupil, today=TODAY).events
    assert [(event.on, event.title) for event in events if event.kind == "sen_status"] == [
        (date(2026, 3, 2), "SEN status: SEN support"),
        (date(2026, 1, 5), "SEN status: Monitoring"),
    ]


def test_another_apps_events_join_the_same_timeline_in_date_order(contributing, senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 3, 2))
    contributing(
        lambda user, *, pupil, today: Contribution(
            events=[
                ChronologyEvent(on=date(2026, 2, 1), kind="visit", title="Visit"),
                ChronologyEvent(on=date(2026, 4, 1), kind="visit", title="Visit"),
            ]
        )
    )
    events = all_contributions(senco, pupil=taught_pupil, today=TODAY).events
    assert [(event.on, event.kind) for event in events] == [
        (date(2026, 4, 1), "visit"),
        (date(2026, 3, 2), "sen_status"),
        (date(2026, 2, 1), "visit"),
    ]


@pytest.mark.parametrize("persona", ["senco", "teacher"])
@pytest.mark.parametrize("n", [1, 3])
def test_every_contribution_together_makes_the_same_queries_whatever_the_size_of_the_record(
    request, senco, record, persona, n, django_assert_max_num_queries
):
    _grow(record, senco, n)
    user = request.getfixturevalue(persona)
    # For a teacher, one of them asks whether their groups reach the pupil (`within_reach`): once
    # for every capability the contributions check.
    # The agencies app's contributions add five for the SENCO (advice, involvements, reports,
    # referrals, EHC requests and plans, each read once whatever their number); the transitions
    # app's four (transition plans, transfer packs, and the packs and records that came with the
    # pupil from a previous school; arrangements are read from Year 9 only).
    with django_assert_max_num_queries(19):
        contributed = all_contributions(user, pupil=record, today=TODAY)
    # The record fixture brings one SEN status, contact and passport; the SENCO raised the concerns.
    concerns = n if user == senco else 0
    expected = {
        "sen_status": n + 1,
        "contact": n + 1,
        "passport": n + 1,
        "plan": 2 * n,
        "plan_review": n - 1,
        "provision": n,
        "concern": concerns,
        "concern_decided": concerns,
    }
    assert Counter(event.kind for event in contributed.events) == Counter(expected)


def test_no_contribution_reads_the_clock(monkeypatch, senco, record):
    _grow(record, senco, 1)

    def stopped_clock():
        raise AssertionError("a contribution read the clock instead of the `today` it was given")

    monkeypatch.setattr(timezone, "now", stopped_clock)
    events = all_contributions(senco, pupil=record, today=TODAY).events
    kinds = {"sen_status", "contact", "passport", "plan", "provision", "concern", "concern_decided"}
    assert {event.kind for event in events} == kinds


# How to support: the passport, else the current plan's strategies ------------------------------


def support_section(html: str) -> str:
    start = html.index('<h2 id="support-heading"')
    return html[start : html.index("</section>", start)]


def test_how_to_support_falls_back_to_the_current_plans_strategies(client, teacher, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    plan = SupportPlanFactory(
        pupil=taught_pupil,
        strategies="Sit him near the board.\nCheck he has understood.",
        finalised_on=date(2026, 9, 23),
    )
    html = page(client, teacher, taught_pupil).content.decode()
    section = support_section(html)
    assert "Sit him near the board.<br>Check he has understood." in section
    assert "From the SEN support plan, cycle 1, finalised 23 September 2026." in section
    assert f'<a href="{plan.get_absolute_url()}">Read the whole plan' in section
    assert "Open the pupil passport" not in html


def test_with_a_passport_how_to_support_is_the_passports_and_the_passport_is_offered(client, teacher, record):
    SupportPlanFactory(pupil=record, strategies="From the plan, not the passport.")
    html = page(client, teacher, record).content.decode()
    section = support_section(html)
    assert ("Give me one instruction at a time." in section, "From the plan" in section) == (True, False)
    assert "Open the pupil passport" in html


def test_with_neither_passport_nor_plan_the_page_says_so_and_offers_no_passport(
    client, teacher, taught_pupil
):
    html = page(client, teacher, taught_pupil).content.decode()
    assert "No pupil passport has been written yet." in support_section(html)
    assert "Open the pupil passport" not in html


def test_contributed_actions_draw_the_primary_one_as_the_main_button_and_list_the_rest(
    contributing, client, senco, taught_pupil
):
    contributing(
        lambda user, *, pupil, today: Contribution(
            actions=[
                pupil_page.Action("Book a visit", "/visits/"),
                pupil_page.Action("Send a form", "/forms/", post={"kind": "consent"}, primary=True),
            ]
        )
    )
    html = page(client, senco, taught_pupil).content.decode()
    assert (
        '<form method="post" action="/forms/" class="d-inline"><input type="hidden" name="csrfmiddleware'
        in html
    )
    assert (
        '<input type="hidden" name="kind" value="consent"><button class="btn btn-primary" type="submit">'
        in html
    )
    assert '<li><a class="btn btn-link p-0 align-baseline" href="/visits/">Book a visit</a>\n</li>' in html
    assert html.index("Send a form") < html.index("Edit the record") < html.index("Book a visit")


@pytest.mark.parametrize("seed", range(20))
def test_the_summary_finds_the_status_now_and_ahead_in_the_history_it_shares_as_the_query_did(school, seed):
    """`split_sen_history` (from the history the chronology reads too) against the one-query
    `sen_status_now_and_ahead`: random histories with same-day corrections and changes ahead."""
    chance = random.Random(seed)
    pupil = PupilFactory(school=school)
    days = [TODAY + timedelta(days=chance.randint(-400, 60)) for _ in range(chance.randint(0, 6))]
    for day in days + chance.sample(days, k=min(2, len(days))):  # some days twice: corrections
        SenStatusChangeFactory(pupil=pupil, effective_from=day, status=chance.choice(list(SenStatus)))
    history = list(pupil.sen_history.all())
    chance.shuffle(history)
    assert split_sen_history(history, today=TODAY) == sen_status_now_and_ahead(pupil, today=TODAY)


def test_the_register_links_each_row_to_the_pupils_page(school):
    PupilFactory.create_batch(3, school=school)
    pupils = list(with_groups(with_sen_status(school.pupils.all(), today=TODAY)))
    assert [row.url for row in register_rows(pupils)] == [register_row(pupil).url for pupil in pupils]
    assert register_row(pupils[0]).url == reverse("pupils:detail", args=[pupils[0].pk])
