"""Reading the audit trail: the SENCO and the head search it by pupil, by who, by action and
by date, page through it and download what they found as CSV; nobody else reads it, and no
one reads another school's."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from pupils.factories import PupilFactory
from senco.audit import record
from senco.factories import MembershipFactory, staff_member
from senco.models import AuditEvent, Role
from senco.services.schools import switch_school

URL = reverse("senco:audit_trail")
CSV_URL = reverse("senco:audit_trail_csv")
EXPORT = "audit.exported"


@pytest.fixture
def clock(monkeypatch):
    """Set the time the audit trail records (`timezone.now`)."""

    def set_now(moment: datetime):
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_now


def shown(response) -> list[str]:
    """The summaries of the entries on the page, newest first."""
    return [event.summary for event, _ in response.context["rows"]]


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# Who reads it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SENCO, Role.DEPUTY_SENCO, Role.HEAD, Role.SENIOR_LEADER])
def test_the_senco_team_and_leadership_read_the_trail_and_download_it(client, school, role):
    client.force_login(staff_member(role=role, school=school))
    assert (client.get(URL).status_code, client.get(CSV_URL).status_code) == (200, 200)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.TA, Role.GOVERNOR, Role.ADMIN])
def test_other_roles_get_403_for_the_trail_and_its_download(client, school, role):
    client.force_login(staff_member(role=role, school=school))
    assert (client.get(URL).status_code, client.get(CSV_URL).status_code) == (403, 403)
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_another_schools_rows_are_never_shown_whatever_the_filters(
    client, senco, other_school_senco, other_school_pupil
):
    record("pupil.viewed", by=senco, summary="ours")
    record("pupil.viewed", by=other_school_senco, obj=other_school_pupil, summary="theirs")
    client.force_login(senco)
    for filters, expected in [
        ({}, ["ours"]),
        ({"action": "viewed"}, ["ours"]),
        ({"pupil": other_school_pupil.pk}, []),
        ({"q": "Isla Away"}, []),
        ({"actor": other_school_senco.pk}, ["ours"]),  # refused as a choice, so not applied
    ]:
        # Each download adds its own row, which the next request may show: those are left out here.
        page = [
            event.summary for event, _ in client.get(URL, filters).context["rows"] if event.action != EXPORT
        ]
        rows = [row[8] for row in read_csv(client.get(CSV_URL, filters))[1:] if row[4] != EXPORT]
        assert (page, rows) == (expected, expected), filters


def test_a_pupil_of_another_school_is_neither_named_nor_offered(client, senco, other_school_pupil):
    client.force_login(senco)
    chosen = client.get(URL, {"pupil": other_school_pupil.pk})
    searched = client.get(URL, {"q": "Isla"})
    page = chosen.content.decode()
    assert (
        chosen.context["chosen_pupil"],
        "Isla" in page,
        f"pupil record {other_school_pupil.pk}" in page,
    ) == (
        None,
        False,
        True,
    )
    assert (
        searched.context["matches"],
        "No pupil at Oakfield Primary School" in searched.content.decode(),
    ) == (
        [],
        True,
    )


def test_someone_in_two_schools_reads_only_the_school_they_are_working_in(client, senco, other_school):
    MembershipFactory(user=senco, school=other_school, role=Role.HEAD)
    record("pupil.viewed", by=senco)
    switch_school(user=senco, school=other_school, by=senco)
    senco.refresh_from_db()
    client.force_login(senco)
    response = client.get(URL)
    assert [event.action for event, _ in response.context["rows"]] == ["staff.switched_school"]


# Searching ---------------------------------------------------------------------------------------


def test_by_pupil_shows_every_entry_about_that_child_and_names_them(
    client, senco, head, taught_pupil, untaught_pupil
):
    record("pupil.viewed", by=head, obj=taught_pupil, summary="head read Ava")
    record("pupil.viewed", by=senco, obj=untaught_pupil, summary="senco read Noah")
    record("passport.viewed", by=senco, pupil=taught_pupil, summary="senco read Ava's passport")
    client.force_login(senco)
    response = client.get(URL, {"pupil": taught_pupil.pk})
    assert shown(response) == ["senco read Ava's passport", "head read Ava"]
    assert "Entries about <strong>Ava Taught (UPN" in response.content.decode()


def test_by_name_or_upn_finds_the_pupils_and_offers_to_narrow_to_one(
    client, senco, taught_pupil, untaught_pupil
):
    namesake = PupilFactory(school=senco.school, first_name="Ava", last_name="Other")
    for pupil in (taught_pupil, untaught_pupil, namesake):
        record("pupil.viewed", by=senco, obj=pupil, summary=pupil.last_name)
    client.force_login(senco)
    by_name = client.get(URL, {"q": "ava"})
    by_upn = client.get(URL, {"q": untaught_pupil.upn})
    page = by_name.content.decode()
    assert (shown(by_name), by_name.context["matches"]) == (["Other", "Taught"], [namesake, taught_pupil])
    assert f'href="?pupil={taught_pupil.pk}">Ava Taught (UPN {taught_pupil.upn})</a>' in page
    assert shown(by_upn) == ["Elsewhere"]


def test_a_search_matching_many_pupils_asks_for_more_of_the_name(client, senco):
    PupilFactory.create_batch(11, school=senco.school, last_name="Smith")
    client.force_login(senco)
    response = client.get(URL, {"q": "Smith"})
    assert (len(response.context["matches"]), "More pupils match" in response.content.decode()) == (11, True)


def test_by_who(client, senco, head, teacher):
    record("pupil.viewed", by=senco, summary="senco")
    record("pupil.viewed", by=head, summary="head")
    client.force_login(senco)
    response = client.get(URL, {"actor": head.pk})
    options = [label for _, label in response.context["filter"].form.fields["actor"].choices]
    assert shown(response) == ["head"]
    assert options == ["Anyone", "Tom Evans (teacher)", "Helen Hughes (head)", "Sam Patel (senco)"]


def test_who_cannot_be_someone_from_another_school(client, senco, other_school_senco):
    record("pupil.viewed", by=senco, summary="ours")
    client.force_login(senco)
    response = client.get(URL, {"actor": other_school_senco.pk})
    assert (list(response.context["filter"].form.errors), shown(response)) == (["actor"], ["ours"])


def test_by_action(client, senco, taught_pupil):
    record("pupil.viewed", by=senco, obj=taught_pupil, summary="read")
    record("pupil.updated", by=senco, obj=taught_pupil, summary="changed")
    record("register.exported", by=senco, summary="exported")
    client.force_login(senco)
    assert shown(client.get(URL, {"action": "VIEWED"})) == ["read"]
    assert shown(client.get(URL, {"action": "pupil."})) == ["changed", "read"]


def test_by_dates_counts_whole_school_days_in_uk_time(client, senco, clock):
    # 10 June is British Summer Time: its last minutes are 22:xx in UTC.
    for moment, summary in [
        (datetime(2026, 6, 8, 23, 30, tzinfo=UTC), "9 June, 00:30"),
        (datetime(2026, 6, 8, 22, 30, tzinfo=UTC), "8 June, 23:30"),
        (datetime(2026, 6, 10, 22, 59, tzinfo=UTC), "10 June, 23:59"),
        (datetime(2026, 6, 10, 23, 1, tzinfo=UTC), "11 June, 00:01"),
    ]:
        clock(moment)
        record("pupil.viewed", by=senco, summary=summary)
    client.force_login(senco)
    response = client.get(URL, {"date_from": "2026-06-09", "date_to": "2026-06-10"})
    assert shown(response) == ["10 June, 23:59", "9 June, 00:30"]
    assert shown(client.get(URL, {"date_from": "2026-06-11"})) == ["11 June, 00:01"]
    assert shown(client.get(URL, {"date_to": "2026-06-08"})) == ["8 June, 23:30"]


def test_dates_the_wrong_way_round_are_explained_and_kept_while_from_still_applies(client, senco, clock):
    clock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    record("pupil.viewed", by=senco, summary="1 June")
    clock(datetime(2026, 6, 20, 12, tzinfo=UTC))
    record("pupil.viewed", by=senco, summary="20 June")
    client.force_login(senco)
    response = client.get(URL, {"date_from": "2026-06-10", "date_to": "2026-06-05"})
    page = response.content.decode()
    assert (
        response.status_code,
        response.context["filter"].form.errors,
        'value="2026-06-05"' in page,
        "Some filters could not be used" in page,
        shown(response),
    ) == (200, {"date_to": ["The to date cannot be before the from date."]}, True, True, ["20 June"])


def test_a_bad_pupil_is_explained_while_the_other_filters_apply(client, senco):
    record("pupil.viewed", by=senco, summary="read")
    record("staff.switched_school", by=senco, summary="switched")
    client.force_login(senco)
    response = client.get(URL, {"pupil": "abc", "action": "staff."})
    page = response.content.decode()
    assert (
        response.context["filter"].form.errors,
        "The pupil asked for is not a pupil record number" in page,
        'name="pupil"' in page,  # not carried into the next search
        shown(response),
    ) == ({"pupil": ["Enter a whole number."]}, True, False, ["switched"])


def test_a_name_typed_in_the_search_replaces_the_pupil_chosen_before(
    client, senco, taught_pupil, untaught_pupil
):
    record("pupil.viewed", by=senco, obj=taught_pupil, summary="Ava")
    record("pupil.viewed", by=senco, obj=untaught_pupil, summary="Noah")
    client.force_login(senco)
    chosen = client.get(URL, {"pupil": taught_pupil.pk})
    searched = client.get(URL, {"pupil": taught_pupil.pk, "q": "Noah"})
    assert f'<input type="hidden" name="pupil" value="{taught_pupil.pk}">' in chosen.content.decode()
    assert (
        shown(searched),
        searched.context["chosen_pupil"],
        'name="pupil"' in searched.content.decode(),
    ) == (
        ["Noah"],
        None,
        False,
    )


def test_the_trail_is_paged_in_fifties_and_the_pages_keep_the_filters(client, senco):
    for n in range(51):
        record("pupil.viewed", by=senco, summary=str(n))
    client.force_login(senco)
    first = client.get(URL, {"action": "viewed"})
    second = client.get(URL, {"action": "viewed", "page": 2})
    assert (len(shown(first)), shown(second)) == (50, ["0"])
    assert 'href="?action=viewed&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_the_trail_makes_the_same_queries_whatever_the_number_of_rows(
    client, senco, head, n, django_assert_max_num_queries
):
    for _ in range(n):
        pupil = PupilFactory(school=senco.school, last_name="Walker")
        record("pupil.viewed", by=staff_member(role=Role.TEACHER, school=senco.school), obj=pupil)
        record("passport.viewed", by=head, pupil=pupil)
    client.force_login(senco)
    # Sign-in 3, count, page, its pupils, the matching pupils, staff to choose from.
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "walker", "date_from": "2020-01-01"})
    assert len(response.context["rows"]) == 2 * n


# The CSV ---------------------------------------------------------------------------------------


def test_the_csv_holds_every_matching_entry_newest_first_with_the_pupils_name(
    client, senco, head, taught_pupil, untaught_pupil
):
    record("pupil.viewed", by=head, obj=taught_pupil, summary="first")
    record("pupil.viewed", by=senco, obj=untaught_pupil, summary="other pupil")
    record("pupil.updated", by=senco, obj=taught_pupil, fields=["gender", "eal"], summary="second")
    client.force_login(senco)
    response = client.get(CSV_URL, {"pupil": taught_pupil.pk})
    rows = read_csv(response)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="audit-trail-oakfield-primary-school-'
    )
    assert rows[0][:6] == ["Entry", "When", "Who", "Username", "Action", "Fields changed"]
    assert [(row[2], row[4], row[5], row[8], row[9], row[10], row[11]) for row in rows[1:]] == [
        (
            "Sam Patel",
            "pupil.updated",
            "eal, gender",
            "second",
            "Ava Taught",
            taught_pupil.upn,
            str(taught_pupil.pk),
        ),
        ("Helen Hughes", "pupil.viewed", "", "first", "Ava Taught", taught_pupil.upn, str(taught_pupil.pk)),
    ]


def test_the_csv_never_starts_a_cell_with_a_formula(client, senco):
    record("pupil.viewed", by=senco, summary='=HYPERLINK("http://evil")')
    client.force_login(senco)
    assert read_csv(client.get(CSV_URL))[1][8] == '\'=HYPERLINK("http://evil")'


def test_downloading_is_itself_recorded_without_the_search_words(client, senco, taught_pupil):
    record("pupil.viewed", by=senco, obj=taught_pupil)
    client.force_login(senco)
    searched = read_csv(client.get(CSV_URL, {"q": "Ava", "action": "viewed"}))
    chosen = read_csv(client.get(CSV_URL, {"pupil": taught_pupil.pk, "date_from": "2020-01-02"}))
    exports = AuditEvent.objects.filter(action=EXPORT).order_by("id")
    assert [(event.actor, event.pupil_id, event.summary) for event in exports] == [
        (senco, None, "Audit trail CSV, 1 entry (pupil name or UPN search; action contains viewed)"),
        (
            senco,
            taught_pupil.pk,
            f"Audit trail CSV, 1 entry (pupil record {taught_pupil.pk}; from 02/01/2020)",
        ),
    ]
    # Neither file holds a download: its own came after it, and the first named no pupil.
    assert ([row[4] for row in searched[1:]], [row[4] for row in chosen[1:]]) == (
        ["pupil.viewed"],
        ["pupil.viewed"],
    )


@pytest.mark.parametrize("n", [1, 3])
def test_the_csv_makes_the_same_queries_whatever_the_number_of_rows(
    client, senco, n, django_assert_max_num_queries
):
    for _ in range(n):
        record(
            "pupil.viewed",
            by=staff_member(role=Role.TEACHER, school=senco.school),
            obj=PupilFactory(school=senco.school),
        )
    client.force_login(senco)
    # Sign-in 3, count, the export's audit row 5 (4 on SQLite), entries, their pupils.
    with django_assert_max_num_queries(11):
        rows = read_csv(client.get(CSV_URL))
    assert len(rows) == n + 1


# From the pupil page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "offered"), [("senco", True), ("head", True), ("teacher", False), ("ta", False)]
)
def test_the_pupil_page_asks_who_has_looked_at_the_record_for_the_trails_readers_only(
    client, request, taught_pupil, persona, offered
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("pupils:detail", args=[taught_pupil.pk])).content.decode()
    link = f'<a href="{URL}?pupil={taught_pupil.pk}">Who has looked at this record?</a>'
    assert (link in page) is offered
