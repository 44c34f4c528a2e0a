"""The delivery log: planned weeks as a pure function of dates and the school's calendar,
delivered against planned per group and per pupil, the session form and the SENCO's delivery
overview."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from provision.factories import InterventionFactory, ProvisionGroupFactory
from provision.models import DeliveredSession, Intervention, Placement, ProvisionGroup, StaffRate
from provision.rules.delivery import (
    below_target,
    count_in_window,
    delivery_percent,
    planned_window,
)
from provision.selectors.delivery import (
    delivery_overview,
    group_deliveries,
    with_pupil_deliveries,
)
from provision.services.delivery import record_session
from provision.services.groups import add_pupil, end_placement
from pupils.factories import PupilFactory
from pupils.models import TeachingGroup
from pupils.selectors.records import pupils_visible_to
from senco.demo.seed import build_demo_trust, default_plans
from senco.models import AuditEvent, School, User
from senco.rules import SchoolCalendar
from senco.selectors import school_calendar
from tests.provision.conftest import DAYS, MONDAY, TODAY

# Typical 2026/27 dates for an English school: autumn term Thursday 3 September to Friday
# 18 December 2026 with October half term the week of Monday 26 October; spring term from
# Monday 4 January 2027.
AUTUMN_TERM = (date(2026, 9, 3), date(2026, 12, 18))
OCTOBER_HALF_TERM = (date(2026, 10, 26), date(2026, 10, 30))
SPRING_TERM = (date(2027, 1, 4), date(2027, 3, 26))
# A school with no term dates recorded: every weekday that is not a bank holiday is a school day.
NO_TERM_DATES_RECORDED = SchoolCalendar()


def term_dates(*terms, closures=()) -> SchoolCalendar:
    return SchoolCalendar(years=frozenset({2026}), terms=terms, closures=closures)


# Planned weeks: pure functions ------------------------------------------------------------------


def planned_weeks(calendar=NO_TERM_DATES_RECORDED, **dates) -> int:
    return planned_window(calendar, **dates).weeks


@pytest.mark.parametrize(
    ("today", "weeks"),
    [
        (date(2026, 9, 13), 0),  # the day before the group starts
        (date(2026, 9, 18), 0),  # Friday of the first week: its session may still happen
        (date(2026, 9, 19), 1),  # Saturday: no school day of the first week is left
        (date(2026, 9, 20), 1),
        (date(2026, 9, 21), 1),
        (date(2026, 10, 4), 3),
        (date(2026, 12, 11), 12),  # the last day: its session may still happen
        (date(2026, 12, 12), 13),  # the day after: the final week counts
        (date(2027, 2, 1), 13),  # long after the end: nothing more is planned
    ],
)
def test_planned_weeks_are_whole_weeks_from_the_start(today, weeks):
    assert planned_weeks(starts_on=date(2026, 9, 14), ends_on=date(2026, 12, 11), today=today) == weeks


def test_october_half_term_is_not_planned():
    # Mondays 12 and 19 October are term weeks; 26 October is half term; 2 November is back.
    kwargs = {"starts_on": date(2026, 10, 12), "ends_on": date(2026, 12, 11)}
    calendar = term_dates(AUTUMN_TERM, closures=(OCTOBER_HALF_TERM,))
    assert planned_weeks(calendar, today=date(2026, 11, 1), **kwargs) == 2
    assert planned_weeks(calendar, today=date(2026, 11, 8), **kwargs) == 3
    # With no term dates recorded every week counts, half term included.
    assert planned_weeks(today=date(2026, 11, 8), **kwargs) == 4


def test_the_counted_weeks_run_on_past_the_holiday_so_its_sessions_are_counted_too():
    window = planned_window(
        term_dates(AUTUMN_TERM, closures=(OCTOBER_HALF_TERM,)),
        starts_on=date(2026, 10, 12),
        ends_on=date(2026, 12, 11),
        today=date(2026, 11, 8),
    )
    assert (window.weeks, window.counted_until) == (3, date(2026, 11, 9))


def test_christmas_holidays_are_not_planned():
    kwargs = {"starts_on": date(2026, 11, 30), "ends_on": date(2027, 1, 29)}
    # Weeks of 30 Nov, 7 Dec, 14 Dec, then 4 and 11 Jan: the two holiday weeks do not count.
    calendar = term_dates(AUTUMN_TERM, SPRING_TERM)
    assert planned_weeks(calendar, today=date(2027, 1, 17), **kwargs) == 5
    assert planned_weeks(today=date(2027, 1, 17), **kwargs) == 7


def test_a_week_with_fewer_than_three_term_weekdays_is_not_planned():
    # Term starts on Thursday 3 September: the week of Monday 31 August has two term weekdays.
    kwargs = {"starts_on": date(2026, 8, 31), "ends_on": date(2026, 10, 2)}
    assert planned_weeks(term_dates(AUTUMN_TERM), today=date(2026, 9, 6), **kwargs) == 0
    assert planned_weeks(term_dates(AUTUMN_TERM), today=date(2026, 9, 13), **kwargs) == 1


def test_weeks_start_on_the_groups_first_day():
    # A Wednesday start has Wednesday-to-Tuesday weeks: the first counts once its Tuesday is over.
    kwargs = {"starts_on": date(2026, 11, 4), "ends_on": date(2026, 12, 16)}
    assert planned_weeks(today=date(2026, 11, 10), **kwargs) == 0
    assert planned_weeks(today=date(2026, 11, 11), **kwargs) == 1


def test_a_leap_year_february_counts_its_29th():
    # The first week is Wednesday 23 to Tuesday 29 February, so it counts on Wednesday 1 March.
    kwargs = {"starts_on": date(2028, 2, 23), "ends_on": date(2028, 3, 31)}
    assert planned_weeks(today=date(2028, 3, 1), **kwargs) == 1
    assert planned_weeks(today=date(2028, 2, 29), **kwargs) == 0


def test_delivered_is_counted_over_the_planned_weeks_only():
    window = planned_window(
        NO_TERM_DATES_RECORDED,
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 12, 11),
        today=date(2026, 11, 12),
    )
    days = [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 6), date(2026, 11, 9), date(2026, 11, 11)]
    assert (window.weeks, count_in_window(days, starts_on=date(2026, 11, 2), window=window)) == (1, 3)


@pytest.mark.parametrize(
    ("delivered", "planned", "percent", "flagged"),
    [(8, 10, 80, False), (7, 10, 70, True), (0, 0, None, False), (12, 9, 133, False), (23, 30, 77, True)],
)
def test_delivery_below_80_percent_is_flagged(delivered, planned, percent, flagged):
    assert (delivery_percent(delivered, planned), below_target(delivered, planned)) == (percent, flagged)


# Per group and per pupil -----------------------------------------------------------------------


def test_each_pupil_is_measured_against_the_sessions_planned_while_they_were_in_the_group(senco, ta, group):
    ava, ben, cal = (PupilFactory(school=senco.school, last_name=name) for name in ("Adams", "Brown", "Cole"))
    placements = [
        add_pupil(group=group, pupil=ava, joined_on=MONDAY, by=senco),
        add_pupil(group=group, pupil=ben, joined_on=date(2026, 11, 9), by=senco),
        add_pupil(group=group, pupil=cal, joined_on=MONDAY, by=senco),
    ]
    for day in DAYS:
        absent = [ava] if day == date(2026, 11, 4) else []
        record_session(group=group, held_on=day, status="delivered", absent=absent, by=ta, today=TODAY)
    end_placement(placement=placements[2], left_on=date(2026, 11, 9), by=senco, today=TODAY)
    placements[2].refresh_from_db()
    calendar = school_calendar(senco.school)
    group_delivery = group_deliveries([group], today=TODAY, calendar=calendar)[group.pk]
    pupils = with_pupil_deliveries(group, placements, today=TODAY, calendar=calendar)
    assert (group_delivery.planned, group_delivery.delivered) == (6, 6)
    assert [(p.delivery.planned, p.delivery.delivered) for p in pupils] == [(6, 5), (3, 3), (3, 3)]


def test_cancelled_sessions_are_not_delivered(senco, ta, group, term_dates_2026):
    for day in DAYS[:4]:
        record_session(group=group, held_on=day, status="delivered", by=ta, today=TODAY)
    record_session(
        group=group, held_on=DAYS[4], status="cancelled", cancelled_reason="Trip", by=ta, today=TODAY
    )
    delivery = group_deliveries([group], today=TODAY, calendar=school_calendar(senco.school))[group.pk]
    assert (delivery.planned, delivery.delivered) == (6, 4)
    assert (delivery.percent, delivery.below_target) == (67, True)


# Recording a session ---------------------------------------------------------------------------


def session_data(**overrides):
    return {"held_on": "2026-11-04", "status": "delivered", "cancelled_reason": "", "notes": ""} | overrides


def test_the_ta_who_runs_the_group_records_a_session_with_one_pupil_absent(
    client, ta, group, pupils, today_is
):
    today_is(TODAY)
    client.force_login(ta)
    page = client.get(reverse("provision:session_add", args=[group.pk]))
    assert list(page.context["form"].fields["absent"].queryset) == sorted(pupils, key=lambda p: p.last_name)
    response = client.post(
        reverse("provision:session_add", args=[group.pk]),
        session_data(absent=[pupils[1].pk], notes="Good focus"),
    )
    assert response["Location"] == reverse("provision:group_detail", args=[group.pk])
    session = DeliveredSession.objects.get(group=group)
    assert (session.held_on, session.status, list(session.absent.all()), session.recorded_by) == (
        date(2026, 11, 4),
        "delivered",
        [pupils[1]],
        ta,
    )
    recorded = AuditEvent.objects.get(action="provision.session_recorded")
    absent = AuditEvent.objects.get(action="provision.pupil_absent")
    assert (recorded.school, recorded.object_id, absent.pupil_id) == (
        group.school,
        str(session.pk),
        pupils[1].pk,
    )


def test_a_second_record_for_the_same_day_is_refused_with_a_link_to_correct_the_first(
    client, ta, group, pupils, today_is
):
    today_is(TODAY)
    client.force_login(ta)
    client.post(reverse("provision:session_add", args=[group.pk]), session_data())
    first = DeliveredSession.objects.get(group=group)
    response = client.post(reverse("provision:session_add", args=[group.pk]), session_data(notes="Again"))
    correct = reverse("provision:session_correct", args=[group.pk, first.pk])
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "held_on": [
            "A session on Wednesday 4 November 2026 is already recorded for this group. "
            f'<a href="{correct}">Correct that session instead</a>.'
        ]
    }
    assert response.context["form"]["notes"].value() == "Again"
    assert DeliveredSession.objects.filter(group=group).count() == 1


def test_the_link_to_the_recorded_session_is_markup_under_the_field_and_in_the_summary(
    client, ta, group, pupils, today_is
):
    today_is(TODAY)
    client.force_login(ta)
    client.post(reverse("provision:session_add", args=[group.pk]), session_data())
    first = DeliveredSession.objects.get(group=group)
    html = client.post(reverse("provision:session_add", args=[group.pk]), session_data()).content.decode()
    summary = html[html.index('<div class="alert alert-danger error-summary"') :]
    summary = summary[: summary.index("</div>")]
    link = f'<a href="{reverse("provision:session_correct", args=[group.pk, first.pk])}">Correct that session'
    # The summary's own link leads to the field; the message's link, not nested in it, to the record.
    to_field = '<a class="alert-link" href="#id_held_on">Date</a>: A session on Wednesday 4 November 2026'
    assert (to_field in summary, link in summary, html.count(link), "&lt;a href" in html) == (
        True,
        True,
        2,
        False,
    )


def test_moving_a_correction_onto_a_recorded_day_links_to_that_days_record(
    client, ta, group, pupils, today_is
):
    today_is(TODAY)
    client.force_login(ta)
    for day in ("2026-11-02", "2026-11-04"):
        client.post(reverse("provision:session_add", args=[group.pk]), session_data(held_on=day))
    monday, wednesday = DeliveredSession.objects.filter(group=group).order_by("held_on")
    url = reverse("provision:session_correct", args=[group.pk, wednesday.pk])
    page = client.get(url)
    data = session_data(held_on="2026-11-02", version=page.context["form"]["version"].value())
    html = client.post(url, data).content.decode()
    assert f'<a href="{reverse("provision:session_correct", args=[group.pk, monday.pk])}">' in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "cancelled"}, "cancelled_reason"),
        ({"held_on": "2026-11-16"}, "held_on"),  # after today
        ({"held_on": "2026-10-30"}, "held_on"),  # before the group starts
        ({"status": "bogus"}, "status"),
    ],
)
def test_bad_session_input_re_renders_with_the_error(client, ta, group, pupils, today_is, overrides, field):
    today_is(TODAY)
    client.force_login(ta)
    response = client.post(reverse("provision:session_add", args=[group.pk]), session_data(**overrides))
    assert (response.status_code, list(response.context["form"].errors)) == (200, [field])
    assert DeliveredSession.objects.count() == 0


def test_a_cancelled_session_records_no_absences(client, ta, group, pupils, today_is):
    today_is(TODAY)
    client.force_login(ta)
    response = client.post(
        reverse("provision:session_add", args=[group.pk]),
        session_data(status="cancelled", cancelled_reason="TA covering Year 5", absent=[pupils[0].pk]),
    )
    assert list(response.context["form"].errors) == ["absent"]


def test_only_pupils_in_the_group_on_the_day_can_be_absent(senco, ta, group, pupils):
    late = PupilFactory(school=senco.school)
    add_pupil(group=group, pupil=late, joined_on=date(2026, 11, 9), by=senco)
    with pytest.raises(ValidationError) as error:
        record_session(
            group=group, held_on=date(2026, 11, 4), status="delivered", absent=[late], by=ta, today=TODAY
        )
    assert list(error.value.message_dict) == ["absent"]


def test_a_pupil_outside_the_group_is_not_a_choice(client, ta, group, pupils, senco, today_is):
    today_is(TODAY)
    outsider = PupilFactory(school=senco.school)
    client.force_login(ta)
    response = client.post(
        reverse("provision:session_add", args=[group.pk]), session_data(absent=[outsider.pk])
    )
    assert list(response.context["form"].errors) == ["absent"]


def test_the_senco_may_record_for_any_group(client, senco, group):
    client.force_login(senco)
    assert client.get(reverse("provision:session_add", args=[group.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["head", "governor", "school_admin"])
def test_roles_that_do_not_deliver_get_403_on_the_session_form(client, request, persona, group):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:session_add", args=[group.pk])).status_code == 403


def test_staff_who_do_not_deliver_the_group_get_404(client, teacher, other_ta, group):
    for user in (teacher, other_ta):
        client.force_login(user)
        assert client.get(reverse("provision:session_add", args=[group.pk])).status_code == 404


# The delivery overview -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["senco", "head"])
def test_the_senco_team_and_leadership_open_the_delivery_overview(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:delivery"))
    assert (response.status_code, response.context["groups"]) == (200, [])


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_everyone_else_gets_403_on_the_delivery_overview(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:delivery")).status_code == 403


def _group_delivering(
    intervention, ta, *, name: str, delivered: int, starts_on=MONDAY, ends_on=date(2026, 12, 11)
):
    group = ProvisionGroupFactory(intervention=intervention, name=name, starts_on=starts_on, ends_on=ends_on)
    DeliveredSession.objects.bulk_create(
        DeliveredSession(group=group, held_on=day, recorded_by=ta) for day in DAYS[:delivered]
    )
    return group


def test_the_overview_lists_running_groups_below_80_percent_first(
    client, senco, ta, intervention, other_school, today_is
):
    today_is(TODAY)
    full = _group_delivering(intervention, ta, name="All delivered", delivered=6)
    low = _group_delivering(intervention, ta, name="Four of six", delivered=4)
    lower = _group_delivering(intervention, ta, name="Two of six", delivered=2)
    _group_delivering(
        intervention, ta, name="Finished", delivered=0, starts_on=date(2026, 9, 7), ends_on=date(2026, 10, 16)
    )
    _group_delivering(InterventionFactory(school=other_school), ta, name="Elsewhere", delivered=0)
    client.force_login(senco)
    groups = client.get(reverse("provision:delivery")).context["groups"]
    assert [
        (g.pk, g.delivery.planned, g.delivery.delivered, g.delivery.percent, g.delivery.below_target)
        for g in groups
    ] == [
        (lower.pk, 6, 2, 33, True),
        (low.pk, 6, 4, 67, True),
        (full.pk, 6, 6, 100, False),
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_the_overview_queries_stay_flat_in_groups_and_sessions(
    client, senco, ta, intervention, n, today_is, django_assert_max_num_queries
):
    today_is(TODAY)
    for index in range(n):
        group = _group_delivering(intervention, ta, name=f"Group {index}", delivered=2 * n)
        group.staff.add(ta)
    client.force_login(senco)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("provision:delivery"))
    assert len(response.context["groups"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_the_group_page_queries_stay_flat_in_pupils_and_sessions(
    client, senco, ta, group, n, today_is, django_assert_max_num_queries
):
    today_is(TODAY)
    pupils = PupilFactory.create_batch(n, school=senco.school)
    for pupil in pupils:
        add_pupil(group=group, pupil=pupil, joined_on=MONDAY, by=senco)
    for day in DAYS[: 2 * n]:
        record_session(group=group, held_on=day, status="delivered", absent=pupils[:1], by=ta, today=TODAY)
    client.force_login(senco)
    # Audited: the pupils shown, and their rows' chain (3 queries on PostgreSQL: lock, end, insert).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("provision:group_detail", args=[group.pk]))
    assert len(response.context["placements"]) == n


def test_the_group_page_shows_delivery_and_each_pupils_attendance(client, senco, ta, group, pupils, today_is):
    today_is(TODAY)
    for day in DAYS[:4]:
        record_session(group=group, held_on=day, status="delivered", absent=pupils[:1], by=ta, today=TODAY)
    client.force_login(senco)
    response = client.get(reverse("provision:group_detail", args=[group.pk]))
    delivery = response.context["delivery"]
    attended = {
        p.pupil_id: (p.delivery.delivered, p.delivery.planned) for p in response.context["placements"]
    }
    assert (delivery.planned, delivery.delivered, delivery.below_target) == (6, 4, True)
    assert attended == {pupils[0].pk: (0, 6), pupils[1].pk: (4, 6)}
    assert "Below 80%" in response.content.decode()


# Demo data -------------------------------------------------------------------------------------


def test_the_demo_has_a_catalogue_groups_for_the_demo_ta_and_a_group_below_target(db):
    demo_today = date(2026, 11, 24)
    build_demo_trust(seed=7, today=demo_today, plans=default_plans())
    primary = School.objects.get(name="Oakfield Primary School")
    senco, ta = User.objects.get(username="senco"), User.objects.get(username="ta")
    class_3a = set(TeachingGroup.objects.get(school=primary, name="3A").pupils.values_list("pk", flat=True))
    ta_group = ProvisionGroup.objects.get(school=primary, staff=ta)
    ta_pupils = set(ta_group.placements.values_list("pupil_id", flat=True))
    overview = delivery_overview(senco, today=demo_today, calendar=school_calendar(primary))
    finished = Placement.objects.filter(group__school=primary, group__ends_on__lt=demo_today)
    assert (
        Intervention.objects.filter(school=primary).count(),
        StaffRate.objects.filter(school=primary).count(),
    ) == (
        10,
        3,
    )
    assert (len(ta_pupils & class_3a), len(ta_pupils - class_3a)) == (2, 2)
    assert ta_pupils <= set(pupils_visible_to(ta).values_list("pk", flat=True))
    assert "Year 2 phonics catch-up" in [group.name for group in overview if group.delivery.below_target]
    assert len(overview) == 11
    assert (finished.count() > 0, finished.filter(exit_score__isnull=True).count()) == (True, 0)
    assert DeliveredSession.objects.filter(group__school=primary, status="cancelled").exists()


def test_the_home_page_counts_groups_below_80_percent_for_the_senco(
    client, senco, teacher, ta, intervention, today_is
):
    today_is(TODAY)
    _group_delivering(intervention, ta, name="Two of six", delivered=2)
    _group_delivering(intervention, ta, name="All delivered", delivered=6)
    client.force_login(senco)
    assert client.get(reverse("home")).context["below_target_count"] == 1
    client.force_login(teacher)
    assert "below_target_count" not in client.get(reverse("home")).context


# Teaching weeks from the school's calendar ------------------------------------------------------

HALF_TERM_TODAY = date(2026, 11, 7)  # a Saturday: the week of 2 November is over
NO_TERM_DATES = "No term dates are recorded for 2026/27"


def _group_over_october_half_term(intervention, ta):
    """A three-a-week group from Monday 12 October to Friday 13 November 2026 that ran every
    session of its three teaching weeks so far: Monday, Wednesday and Friday of 12 and 19
    October and of 2 November, with October half-term (26 to 30 October) between."""
    group = ProvisionGroupFactory(
        intervention=intervention,
        name="Over half-term",
        starts_on=date(2026, 10, 12),
        ends_on=date(2026, 11, 13),
        sessions_per_week=3,
        staff=[ta],
    )
    mondays = [date(2026, 10, 12), date(2026, 10, 19), date(2026, 11, 2)]
    DeliveredSession.objects.bulk_create(
        DeliveredSession(group=group, held_on=monday + timedelta(days=offset), recorded_by=ta)
        for monday in mondays
        for offset in (0, 2, 4)
    )
    return group


def test_a_fully_delivered_three_a_week_group_over_october_half_term_is_fully_delivered(
    client, senco, ta, intervention, term_dates_2026, today_is
):
    today_is(HALF_TERM_TODAY)
    group = _group_over_october_half_term(intervention, ta)
    client.force_login(senco)
    overview = client.get(reverse("provision:delivery"))
    detail = client.get(reverse("provision:group_detail", args=[group.pk]))
    for delivery in (overview.context["groups"][0].delivery, detail.context["delivery"]):
        assert (delivery.planned, delivery.delivered, delivery.percent, delivery.below_target) == (
            9,
            9,
            100,
            False,
        )
    assert NO_TERM_DATES not in overview.content.decode() + detail.content.decode()


def test_without_term_dates_every_week_counts_and_the_overview_and_group_page_say_so(
    client, senco, ta, intervention, today_is
):
    today_is(HALF_TERM_TODAY)
    group = _group_over_october_half_term(intervention, ta)
    client.force_login(senco)
    link = f'<a href="{reverse("senco:calendar")}">Record the term dates</a>'
    for url in (reverse("provision:delivery"), reverse("provision:group_detail", args=[group.pk])):
        response = client.get(url)
        delivery = response.context.get("delivery") or response.context["groups"][0].delivery
        html = response.content.decode()
        assert (delivery.planned, delivery.delivered, delivery.percent) == (12, 9, 75)
        assert (NO_TERM_DATES in html, link in html) == (True, True)


def test_the_ta_is_told_term_dates_are_missing_without_a_link_they_cannot_follow(
    client, ta, intervention, today_is
):
    today_is(HALF_TERM_TODAY)
    group = _group_over_october_half_term(intervention, ta)
    client.force_login(ta)
    html = client.get(reverse("provision:group_detail", args=[group.pk])).content.decode()
    assert (NO_TERM_DATES in html, "Record the term dates" in html) == (True, False)


# Which weeks a figure counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "counted_until", "next_week"),
    [
        (date(2026, 11, 15), date(2026, 11, 16), (date(2026, 11, 16), date(2026, 11, 20))),  # a Sunday
        (date(2026, 11, 18), date(2026, 11, 16), (date(2026, 11, 16), date(2026, 11, 20))),  # a Wednesday
        (date(2026, 11, 20), date(2026, 11, 16), (date(2026, 11, 16), date(2026, 11, 20))),  # its Friday
        (date(2026, 11, 21), date(2026, 11, 23), (date(2026, 11, 23), date(2026, 11, 27))),  # Saturday
        (date(2026, 12, 12), date(2026, 12, 14), None),  # the day after the group's last day
    ],
)
def test_the_window_says_which_week_counts_next_and_after_which_day(today, counted_until, next_week):
    window = planned_window(
        NO_TERM_DATES_RECORDED, starts_on=date(2026, 11, 2), ends_on=date(2026, 12, 11), today=today
    )
    assert (window.counted_until, window.next_week) == (counted_until, next_week)


def test_a_week_ending_in_closures_counts_once_its_last_open_day_is_over():
    # INSET days on Thursday 19 and Friday 20 November: the week's last school day is Wednesday.
    calendar = term_dates(AUTUMN_TERM, closures=((date(2026, 11, 19), date(2026, 11, 20)),))
    kwargs = {"starts_on": date(2026, 11, 16), "ends_on": date(2026, 12, 11)}
    wednesday = planned_window(calendar, today=date(2026, 11, 18), **kwargs)
    thursday = planned_window(calendar, today=date(2026, 11, 19), **kwargs)
    assert (wednesday.weeks, wednesday.next_week) == (0, (date(2026, 11, 16), date(2026, 11, 18)))
    assert (thursday.weeks, thursday.counted_until) == (1, date(2026, 11, 23))


def flat(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize(
    ("today", "says"),
    [
        (date(2026, 11, 4), "No week counted yet. This week counts once it ends, after Fri 6 Nov."),
        (
            date(2026, 11, 15),
            "Weeks counted: 2 Nov to 15 Nov 2026 (2 school weeks). "
            "The week from Mon 16 Nov counts once it ends.",
        ),
        (
            date(2026, 11, 18),
            "Weeks counted: 2 Nov to 15 Nov 2026 (2 school weeks). "
            "This week counts once it ends, after Fri 20 Nov.",
        ),
        (date(2027, 1, 10), "Weeks counted: 2 Nov to 11 Dec 2026 (6 school weeks), the group's whole run."),
    ],
)
def test_the_group_page_says_which_weeks_its_figure_counts(
    client, ta, group, term_dates_2026, today_is, today, says
):
    today_is(today)
    client.force_login(ta)
    assert says in flat(client.get(reverse("provision:group_detail", args=[group.pk])).content.decode())


def test_weeks_counted_across_new_year_give_both_years(client, senco, intervention, today_is):
    today_is(date(2027, 1, 17))
    group = ProvisionGroupFactory(
        intervention=intervention, starts_on=date(2026, 11, 30), ends_on=date(2027, 1, 29)
    )
    client.force_login(senco)
    html = flat(client.get(reverse("provision:group_detail", args=[group.pk])).content.decode())
    assert "Weeks counted: 30 Nov 2026 to 17 Jan 2027 (7 school weeks)." in html


def test_the_overview_says_which_weeks_each_group_counts(client, senco, group, pupils, today_is):
    today_is(date(2026, 11, 18))
    ProvisionGroupFactory(
        intervention=group.intervention,
        name="Started today",
        starts_on=date(2026, 11, 18),
        ends_on=date(2026, 12, 18),
    )
    client.force_login(senco)
    html = flat(client.get(reverse("provision:delivery")).content.decode())
    assert (
        "<td>2 Nov to 15 Nov (2 school weeks)</td>" in html,
        "<td>None yet: the first counts after Tue 24 Nov</td>" in html,
    ) == (True, True)
    assert "each counts once it ends, after its last school day" in html
