"""Leavers: off the register and teachers' lists, read-only, listed with their retention date."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils.factories import (
    ConcernFactory,
    ContactLogEntryFactory,
    PassportFactory,
    PupilFactory,
    SenStatusChangeFactory,
)
from pupils.models import Pupil, SenStatus, SenStatusChange
from pupils.selectors.leavers import due_for_review, leaver_row, leavers
from pupils.services.leavers import ensure_not_left, take_leaver_off_register
from pupils.services.records import change_sen_status
from senco.deadlines import disposal_cutoff
from senco.factories import staff_member
from senco.models import AuditEvent, Role

URL = reverse("pupils:leavers")
TODAY = date(2026, 11, 24)


def leaver(school, left_on, **fields):
    pupil = PupilFactory(school=school, left_on=left_on, **fields)
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2025, 9, 8))
    return pupil


@pytest.mark.parametrize(
    ("left_on", "has_left"),
    [(TODAY - timedelta(days=1), True), (TODAY, True), (TODAY + timedelta(days=1), False), (None, False)],
)
def test_a_pupil_has_left_from_their_leaving_date(school, left_on, has_left):
    pupil = PupilFactory(school=school, left_on=left_on)
    if has_left:
        with pytest.raises(ValidationError, match="their record is kept read-only"):
            ensure_not_left(pupil, TODAY)
    else:
        assert ensure_not_left(pupil, TODAY) is None


def test_the_guard_names_the_pupil_and_the_day_they_left(school):
    pupil = PupilFactory(school=school, first_name="Ava", last_name="Gone", left_on=date(2026, 7, 1))
    with pytest.raises(ValidationError) as caught:
        ensure_not_left(pupil, TODAY)
    assert caught.value.messages == ["Ava Gone left on 1 July 2026; their record is kept read-only."]


@pytest.mark.parametrize("days", [0, 1, 30])
def test_change_sen_status_refuses_a_leaver(senco, school, days):
    pupil = PupilFactory(school=school, left_on=TODAY - timedelta(days=days))
    with pytest.raises(ValidationError, match="read-only"):
        change_sen_status(
            pupil=pupil,
            status=SenStatus.MONITORING,
            effective_from=date(2026, 6, 1),
            reason="Concern",
            by=senco,
            today=TODAY,
        )
    assert SenStatusChange.objects.filter(pupil=pupil).count() == 0


def test_change_sen_status_still_works_for_a_pupil_leaving_tomorrow(senco, school):
    pupil = PupilFactory(school=school, left_on=TODAY + timedelta(days=1))
    change = change_sen_status(
        pupil=pupil,
        status=SenStatus.MONITORING,
        effective_from=TODAY,
        reason="Concern before the move",
        by=senco,
        today=TODAY,
    )
    assert list(pupil.sen_history.values_list("pk", flat=True)) == [change.pk]


def test_register_drops_pupils_who_left_today_or_before_but_keeps_tomorrows(client, senco, school):
    today = timezone.localdate()
    for name, left_on in [("Yesterday", -1), ("Today", 0), ("Tomorrow", 1)]:
        leaver(school, today + timedelta(days=left_on), last_name=name)
    leaver(school, None, last_name="Staying")
    client.force_login(senco)
    rows = client.get(reverse("pupils:register")).context["rows"]
    assert [row.pupil.last_name for row in rows] == ["Staying", "Tomorrow"]


def test_leavers_drop_off_the_teachers_home_list(client, teacher, school, class_3a):
    today = timezone.localdate()
    stays = leaver(school, None, last_name="Stays")
    gone = leaver(school, today - timedelta(days=1), last_name="Gone")
    class_3a.pupils.add(stays, gone)
    client.force_login(teacher)
    my_pupils = client.get(reverse("home")).context["my_pupils"]
    assert [pupil.last_name for pupil in my_pupils] == ["Stays"]


def test_a_teacher_can_still_open_a_leaver_they_taught(client, teacher, school, class_3a):
    gone = leaver(school, timezone.localdate() - timedelta(days=1))
    class_3a.pupils.add(gone)
    client.force_login(teacher)
    assert client.get(reverse("pupils:detail", args=[gone.pk])).status_code == 200


def test_leavers_page_lists_who_left_newest_first_with_keep_until(client, senco, school):
    today = timezone.localdate()
    leaver(school, today, last_name="Today", date_of_birth=date(2016, 3, 1))
    leaver(school, today - timedelta(days=1), last_name="Yesterday", date_of_birth=date(2016, 2, 29))
    leaver(school, today + timedelta(days=1), last_name="Tomorrow")
    PupilFactory(school=school, last_name="Staying")
    client.force_login(senco)
    response = client.get(URL)
    assert [
        (row.pupil.last_name, row.keep_until, row.status_at_leaving) for row in response.context["rows"]
    ] == [
        ("Today", date(2047, 3, 1), "SEN support"),
        ("Yesterday", date(2047, 2, 28), "SEN support"),
    ]
    assert (response.context["leaver_count"], response.context["due_count"]) == (2, 0)


def test_a_schools_sen_retention_period_defaults_to_31_years(school):
    # IRMS Toolkit for Schools: SEN files are kept until date of birth + 31 years.
    assert school.sen_retention_years == 31


def test_the_general_pupil_record_period_defaults_to_25_years():
    # IRMS Toolkit for Schools: a secondary school keeps the pupil's educational record until
    # date of birth + 25 years (a primary school passes it on to the next school).
    assert settings.PUPIL_RECORD_RETENTION_YEARS == 25


def row_of(user, pupil, today=TODAY):
    return leaver_row(leavers(user, today=today).get(pk=pupil.pk), today=today, sen_years=31, record_years=25)


def test_a_leaver_who_never_had_an_sen_record_is_kept_for_the_pupil_record_period(senco, school):
    never = PupilFactory(school=school, date_of_birth=date(2015, 5, 5), left_on=date(2026, 7, 22))
    row = row_of(senco, never)
    assert (row.keep_until, row.kept_as) == (date(2040, 5, 5), "Pupil record: date of birth + 25 years")


def test_a_leaver_only_ever_recorded_as_no_sen_has_no_sen_record(senco, school):
    pupil = PupilFactory(school=school, date_of_birth=date(2015, 5, 5), left_on=date(2026, 7, 22))
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.NO_SEN, effective_from=date(2025, 9, 8))
    assert row_of(senco, pupil).keep_until == date(2040, 5, 5)


@pytest.mark.parametrize("record", ["monitoring", "sen_support", "concern", "passport", "contact"])
def test_anything_in_the_sen_file_keeps_a_leaver_for_the_sen_period(senco, school, record):
    pupil = PupilFactory(school=school, date_of_birth=date(2015, 5, 5), left_on=date(2026, 7, 22))
    if record in ("monitoring", "sen_support"):
        SenStatusChangeFactory(pupil=pupil, status=record, effective_from=date(2024, 1, 8))
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.NO_SEN, effective_from=date(2025, 1, 6))
    elif record == "concern":
        ConcernFactory(pupil=pupil, raised_by=senco, raised_on=date(2025, 3, 3))
    elif record == "passport":
        PassportFactory(pupil=pupil, written_by=senco, written_on=date(2025, 3, 3))
    else:
        ContactLogEntryFactory(pupil=pupil, recorded_by=senco, occurred_on=date(2025, 3, 3))
    row = row_of(senco, pupil)
    assert (row.keep_until, row.kept_as) == (date(2046, 5, 5), "SEN record: date of birth + 31 years")


def test_each_leaver_is_due_for_review_when_their_own_period_ends(senco, school):
    born = date(1999, 3, 1)  # 25 years on: 1 March 2024; 31 years on: 1 March 2030
    plain = PupilFactory(school=school, last_name="Plain", date_of_birth=born, left_on=date(2016, 7, 22))
    sen = leaver(school, date(2016, 7, 22), last_name="Supported", date_of_birth=born)
    due = due_for_review(leavers(senco, today=TODAY), today=TODAY, sen_years=31, record_years=25)
    assert list(due.values_list("last_name", flat=True)) == ["Plain"]
    assert [row_of(senco, pupil).due_for_review for pupil in (plain, sen)] == [True, False]


def test_the_leavers_page_uses_the_schools_sen_period_and_the_general_setting(
    client, senco, school, settings
):
    school.sen_retention_years, settings.PUPIL_RECORD_RETENTION_YEARS = 35, 20
    school.save()
    leaver(school, date(2026, 7, 22), last_name="Supported", date_of_birth=date(2015, 5, 5))
    PupilFactory(school=school, last_name="Plain", date_of_birth=date(2015, 5, 6), left_on=date(2026, 7, 21))
    client.force_login(senco)
    response = client.get(URL)
    assert [(row.pupil.last_name, row.keep_until) for row in response.context["rows"]] == [
        ("Supported", date(2050, 5, 5)),
        ("Plain", date(2035, 5, 6)),
    ]
    html = response.content.decode()
    assert ("plus 35 years" in html, "plus 20 years" in html) == (True, True)


@pytest.mark.parametrize(
    ("today", "due"),
    [(date(2031, 2, 27), False), (date(2031, 2, 28), False), (date(2031, 3, 1), True)],
)
def test_a_29_february_birthday_is_kept_until_28_february_31_years_on(school, today, due):
    pupil = PupilFactory(school=school, date_of_birth=date(2000, 2, 29), left_on=date(2011, 7, 20))
    pupil.status_at_leaving = SenStatus.NO_SEN
    pupil.had_sen_record, pupil.on_hold = True, False
    row = leaver_row(pupil, today=today, sen_years=31, record_years=25)
    assert (row.keep_until, row.due_for_review) == (date(2031, 2, 28), due)


def test_disposal_cutoff_agrees_with_retain_until_on_every_day_around_leap_years():
    pupil = Pupil(date_of_birth=date(2000, 1, 1))
    for offset in range(0, 1500, 1):
        today = date(2030, 12, 1) + timedelta(days=offset)
        cutoff = disposal_cutoff(today=today, years=31)
        for dob in (cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1)):
            pupil.date_of_birth = dob
            assert (pupil.retain_until(31) < today) == (dob <= cutoff), (today, dob)


def test_records_past_retention_are_flagged_and_can_be_listed_alone(client, senco, school):
    today = timezone.localdate()
    old = leaver(
        school, date(2005, 7, 22), last_name="Old", date_of_birth=today.replace(year=today.year - 32)
    )
    leaver(school, date(2026, 7, 22), last_name="Recent", date_of_birth=date(2015, 5, 5))
    client.force_login(senco)
    everyone = client.get(URL)
    due_only = client.get(URL, {"due": "1"})
    assert [(row.pupil.last_name, row.due_for_review) for row in everyone.context["rows"]] == [
        ("Recent", False),
        ("Old", True),
    ]
    assert [row.pupil.pk for row in due_only.context["rows"]] == [old.pk]
    assert "Due for review for disposal" in everyone.content.decode()
    assert Pupil.objects.filter(pk=old.pk).exists()


def test_retention_years_come_from_the_schools_own_period(client, senco, school, other_school):
    school.sen_retention_years, other_school.sen_retention_years = 25, 40
    school.save()
    other_school.save()
    leaver(school, date(2026, 7, 22), date_of_birth=date(2015, 5, 5))
    client.force_login(senco)
    response = client.get(URL)
    assert (response.context["rows"][0].keep_until, "plus 25 years" in response.content.decode()) == (
        date(2040, 5, 5),
        True,
    )


def test_status_at_leaving_ignores_the_closing_entry(senco, school):
    pupil = leaver(school, date(2026, 7, 22))
    take_leaver_off_register(pupil=pupil, by=senco, today=TODAY)
    row = row_of(senco, pupil)
    assert (row.status_at_leaving, pupil.sen_history.first().status) == ("SEN support", SenStatus.NO_SEN)


def test_another_schools_leavers_are_not_listed(client, senco, other_school):
    leaver(other_school, date(2026, 7, 22))
    client.force_login(senco)
    assert list(client.get(URL).context["rows"]) == []


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_senco_team_leadership_and_administrator_open_leavers(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_others_get_403_on_leavers(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_leavers_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    for index in range(n):
        leaver(school, date(2026, 7, 22) - timedelta(days=index))
    client.force_login(senco)
    # Two of them for the transitions app's column: the school's calendar and the packs sent.
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert len(response.context["rows"]) == n


def test_senco_takes_a_leaver_off_the_register_as_at_the_leaving_date(senco, school):
    pupil = leaver(school, date(2026, 7, 22))
    change = take_leaver_off_register(pupil=pupil, by=senco, today=TODAY)
    event = AuditEvent.objects.get(action="pupil.left_register")
    assert (change.status, change.effective_from, change.recorded_by, event.pupil_id) == (
        SenStatus.NO_SEN,
        date(2026, 7, 22),
        senco,
        pupil.pk,
    )


@pytest.mark.parametrize(
    ("left_on", "status", "message"),
    [
        (TODAY + timedelta(days=1), SenStatus.SEN_SUPPORT, "Only a pupil who has left"),
        (TODAY - timedelta(days=1), SenStatus.NO_SEN, "is not on the SEN register"),
    ],
)
def test_taking_off_the_register_is_only_for_leavers_with_a_status(senco, school, left_on, status, message):
    pupil = PupilFactory(school=school, left_on=left_on)
    SenStatusChangeFactory(pupil=pupil, status=status, effective_from=date(2025, 9, 8))
    with pytest.raises(ValidationError, match=message):
        take_leaver_off_register(pupil=pupil, by=senco, today=TODAY)


def test_take_off_view_redirects_to_register_health_with_a_message(client, senco, school):
    pupil = leaver(school, timezone.localdate() - timedelta(days=3), first_name="Ava", last_name="Gone")
    client.force_login(senco)
    response = client.post(reverse("pupils:leaver_off_register", args=[pupil.pk]), follow=True)
    assert (response.redirect_chain[-1][0], pupil.sen_history.first().status) == (
        reverse("pupils:register_health"),
        SenStatus.NO_SEN,
    )
    assert "Ava Gone is off the SEN register as at their leaving date." in response.content.decode()


def test_take_off_view_shows_the_refusal_for_a_pupil_still_on_roll(client, senco, school):
    pupil = leaver(school, None, first_name="Still", last_name="Here")
    client.force_login(senco)
    response = client.post(reverse("pupils:leaver_off_register", args=[pupil.pk]), follow=True)
    assert "Only a pupil who has left can be taken off the register this way." in response.content.decode()
    assert pupil.sen_history.first().status == SenStatus.SEN_SUPPORT


@pytest.mark.parametrize("persona", ["head", "school_admin", "teacher"])
def test_only_the_senco_team_takes_leavers_off(client, request, persona, school, class_3a):
    pupil = leaver(school, date(2026, 7, 22))
    class_3a.pupils.add(pupil)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("pupils:leaver_off_register", args=[pupil.pk])).status_code == 403


def test_deputy_senco_may_take_a_leaver_off(client, school):
    pupil = leaver(school, date(2026, 7, 22))
    client.force_login(staff_member(role=Role.DEPUTY_SENCO, school=school))
    assert client.post(reverse("pupils:leaver_off_register", args=[pupil.pk])).status_code == 302


def test_another_schools_leaver_is_404(client, senco, other_school):
    pupil = leaver(other_school, date(2026, 7, 22))
    client.force_login(senco)
    assert client.post(reverse("pupils:leaver_off_register", args=[pupil.pk])).status_code == 404


def test_take_off_is_post_only(client, senco, school):
    pupil = leaver(school, date(2026, 7, 22))
    client.force_login(senco)
    assert client.get(reverse("pupils:leaver_off_register", args=[pupil.pk])).status_code == 405
