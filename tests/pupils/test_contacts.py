"""The contact log: meetings, calls and letters with parents and carers, and the pupil's views."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils.factories import ContactLogEntryFactory, SenStatusChangeFactory
from pupils.models import ContactLogEntry, SenStatus
from pupils.pupil_page import all_contributions
from pupils.selectors.contacts import contact_log, meetings_this_year, parent_meetings_this_year
from pupils.services.contacts import log_contact
from senco.models import AuditEvent
from senco.rules import school_year_bounds

TODAY = date(2026, 11, 24)


def entry_data(**changes):
    return {
        "kind": "meeting",
        "occurred_on": timezone.localdate().isoformat(),
        "participants": "Mother, class teacher, SENCO",
        "summary": "Reviewed how reading is going at home.",
        "agreed_actions": "Send home a reading book twice a week.",
        **changes,
    }


def test_the_senco_logs_a_meeting_and_it_is_audited(client, senco, taught_pupil):
    client.force_login(senco)
    url = reverse("pupils:contact_add", args=[taught_pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, entry_data())
    assert (response.status_code, response["Location"]) == (302, taught_pupil.get_absolute_url())
    entry = ContactLogEntry.objects.get(pupil=taught_pupil)
    assert (entry.kind, entry.recorded_by, entry.agreed_actions) == (
        "meeting",
        senco,
        "Send home a reading book twice a week.",
    )
    event = AuditEvent.objects.get(action="contact.logged")
    assert (event.pupil_id, event.object_id) == (taught_pupil.pk, str(entry.pk))


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "school_admin", "governor"])
def test_only_the_senco_team_logs_contact(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("pupils:contact_add", args=[taught_pupil.pk])
    assert (client.get(url).status_code, client.post(url, entry_data()).status_code) == (403, 403)
    assert ContactLogEntry.objects.count() == 0


def test_another_schools_pupil_is_404(client, senco, other_school_pupil):
    client.force_login(senco)
    url = reverse("pupils:contact_add", args=[other_school_pupil.pk])
    assert (client.get(url).status_code, client.post(url, entry_data()).status_code) == (404, 404)


def test_a_future_date_and_a_missing_summary_re_render_with_errors(client, senco, taught_pupil):
    client.force_login(senco)
    url = reverse("pupils:contact_add", args=[taught_pupil.pk])
    missing = client.post(url, entry_data(summary=""))
    assert (missing.status_code, list(missing.context["form"].errors)) == (200, ["summary"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post(url, entry_data(occurred_on=tomorrow))
    assert (future.status_code, future.context["form"]["participants"].value()) == (
        200,
        "Mother, class teacher, SENCO",
    )
    assert future.context["form"].errors["occurred_on"] == [
        "Log contact once it has happened: the date is in the future."
    ]
    assert ContactLogEntry.objects.count() == 0


def test_a_leavers_log_is_read_only(senco, taught_pupil):
    taught_pupil.left_on = date(2026, 7, 22)
    with pytest.raises(ValidationError, match="read-only"):
        log_contact(
            pupil=taught_pupil,
            kind="call",
            occurred_on=date(2026, 7, 1),
            participants="Mother",
            summary="Call.",
            by=senco,
            today=date(2026, 11, 24),
        )


@pytest.mark.parametrize(
    ("today", "bounds"),
    [
        (date(2026, 8, 31), (date(2025, 9, 1), date(2026, 8, 31))),
        (date(2026, 9, 1), (date(2026, 9, 1), date(2027, 8, 31))),
        (date(2028, 2, 29), (date(2027, 9, 1), date(2028, 8, 31))),
    ],
)
def test_the_school_year_runs_from_september_to_august(today, bounds):
    assert school_year_bounds(today) == bounds


def test_parent_meetings_count_this_school_year_up_to_today_and_only_meetings(senco, taught_pupil):
    for day, kind in [
        (date(2026, 8, 31), "meeting"),  # last school year
        (date(2026, 9, 1), "meeting"),
        (date(2026, 10, 8), "meeting"),
        (date(2026, 10, 9), "call"),
        (date(2026, 12, 1), "meeting"),  # after "today"
    ]:
        ContactLogEntryFactory(pupil=taught_pupil, occurred_on=day, kind=kind, recorded_by=senco)
    assert parent_meetings_this_year(senco, pupil=taught_pupil, today=date(2026, 11, 24)) == 2
    # The pupil page counts them in the log it has read already, alike.
    log = list(contact_log(senco, pupil=taught_pupil))
    assert meetings_this_year(log, today=date(2026, 11, 24)) == 2


def test_the_three_meetings_expectation_is_shown_only_for_sen_support(client, senco, taught_pupil):
    client.force_login(senco)
    url = reverse("pupils:detail", args=[taught_pupil.pk])
    assert client.get(url).context["parent_meetings_expected"] is None
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    for _ in range(3):
        ContactLogEntryFactory(pupil=taught_pupil, occurred_on=timezone.localdate(), recorded_by=senco)
    html = client.get(url).content.decode()
    assert ("3 of 3</strong>" in html, "Fewer than three so far" in html) == (True, False)


@pytest.mark.parametrize("persona", ["senco", "head", "teacher", "ta"])
def test_entries_reach_the_chronology_of_the_pupils_staff(request, persona, senco, taught_pupil):
    ContactLogEntryFactory(
        pupil=taught_pupil,
        kind="pupil_views",
        occurred_on=date(2026, 10, 1),
        agreed_actions="",
        recorded_by=senco,
    )
    events = [
        (e.on, e.title, e.detail, e.by)
        for e in all_contributions(request.getfixturevalue(persona), pupil=taught_pupil, today=TODAY).events
        if e.kind == "contact"
    ]
    assert events == [
        (
            date(2026, 10, 1),
            "The pupil's own views",
            "Talked through the reading plan and how it is going at home.",
            "Sam Patel",
        )
    ]


@pytest.mark.parametrize("persona", ["school_admin", "governor"])
def test_the_office_and_governors_get_no_contact_events(request, persona, senco, taught_pupil):
    ContactLogEntryFactory(pupil=taught_pupil, recorded_by=senco)
    assert [
        e
        for e in all_contributions(request.getfixturevalue(persona), pupil=taught_pupil, today=TODAY).events
        if e.kind == "contact"
    ] == []
