"""The pupil page's chronology: every entry says who recorded it, and a day's entries run newest
first."""

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse

from provision.factories import InterventionFactory, ProvisionGroupFactory, SupportPlanFactory
from provision.models import Decision, PlanReview
from provision.services.groups import add_pupil, end_placement
from pupils.factories import ContactLogEntryFactory, PassportFactory, SenStatusChangeFactory
from pupils.models import ConcernDecision, ContactLogEntry, NeedType, SenStatus, SenStatusChange
from pupils.pupil_page import all_contributions
from pupils.services.concerns import decide_concern, raise_concern, record_looked_again
from pupils.services.records import change_sen_status

TODAY = date(2026, 11, 24)
DAY = date(2026, 11, 10)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 10, hour, minute, tzinfo=UTC)


def events_of(user, pupil):
    return all_contributions(user, pupil=pupil, today=TODAY).events


def test_every_entry_says_who_recorded_it(client, school, senco, teacher, ta, taught_pupil):
    change_sen_status(
        pupil=taught_pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=date(2026, 9, 7),
        reason="Assessed by the SENCO.",
        primary_need=NeedType.objects.get(code="SPLD"),
        by=senco,
        today=date(2026, 9, 7),
    )
    ContactLogEntryFactory(pupil=taught_pupil, recorded_by=senco)
    PassportFactory(pupil=taught_pupil, written_by=senco)
    concern = raise_concern(
        pupil=taught_pupil,
        area="semh",
        observed="Quiet.",
        evidence="Log.",
        already_tried="A buddy.",
        by=teacher,
        today=DAY,
    )
    concern = decide_concern(
        concern=concern,
        version=concern.version,
        decision=ConcernDecision.MONITOR,
        decision_reason="Watch for half a term.",
        look_again_on=date(2026, 12, 1),
        by=senco,
        today=DAY,
        outcome_url="https://example.org/",
    )
    record_looked_again(
        concern=concern, version=concern.version, looked_again_notes="Settled.", by=senco, today=TODAY
    )
    plan = SupportPlanFactory(pupil=taught_pupil, created_by=senco, finalised_by=senco)
    PlanReview.objects.create(
        plan=plan,
        held_on=date(2026, 11, 2),
        decision=Decision.CONTINUE,
        finalised_on=date(2026, 11, 2),
        finalised_by=senco,
    )
    intervention = InterventionFactory(school=school)
    running = ProvisionGroupFactory(intervention=intervention, staff=[ta])
    placement = add_pupil(group=running, pupil=taught_pupil, joined_on=running.starts_on, by=senco)
    end_placement(placement=placement, left_on=date(2026, 10, 16), by=ta, today=TODAY)
    ended = ProvisionGroupFactory(
        intervention=intervention, starts_on=date(2026, 9, 7), ends_on=date(2026, 10, 9)
    )
    add_pupil(group=ended, pupil=taught_pupil, joined_on=date(2026, 9, 7), by=senco)

    events = events_of(senco, taught_pupil)
    said = {(event.title, event.recorded_by) for event in events}
    assert {
        ("SEN status: SEN support", "Recorded by Sam Patel"),
        ("Meeting with parents or carers", "Recorded by Sam Patel"),
        ("Pupil passport version 1 agreed", "Recorded by Sam Patel"),
        ("Concern raised", "Recorded by Tom Evans"),
        ("Concern decided: Monitor", "Recorded by Sam Patel"),
        ("Concern looked at again", "Recorded by Sam Patel"),
        ("SEN support plan cycle 1 started", "Recorded by Sam Patel"),
        ("SEN support plan cycle 1 finalised", "Recorded by Sam Patel"),
        ("SEN support plan cycle 1 reviewed", "Recorded by Sam Patel"),
        ("Provision started", "Recorded by Sam Patel"),
        ("Provision ended", "Recorded by Tara Green"),
        ("Provision ended", "Recorded automatically: the group's end date"),
    } <= said
    assert [event.title for event in events if event.recorded_by == "Recorded by: not known"] == []
    client.force_login(senco)
    html = client.get(reverse("pupils:detail", args=[taught_pupil.pk])).content.decode()
    assert html.count("Recorded by Sam Patel") == len([e for e in events if e.by == "Sam Patel"])


def test_an_entry_recorded_before_recorders_were_kept_says_so(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, recorded_by=None)
    [event] = events_of(senco, taught_pupil)
    assert event.recorded_by == "Recorded by: not known"


def test_entries_of_the_same_day_run_newest_first_by_when_they_were_recorded(senco, taught_pupil):
    morning = ContactLogEntryFactory(pupil=taught_pupil, occurred_on=DAY, kind="call", recorded_by=senco)
    status = SenStatusChangeFactory(
        pupil=taught_pupil,
        status=SenStatus.MONITORING,
        primary_need=None,
        effective_from=DAY,
        recorded_by=senco,
    )
    afternoon = ContactLogEntryFactory(pupil=taught_pupil, occurred_on=DAY, kind="meeting", recorded_by=senco)
    # Recorded at 9:00, 14:00 and 11:00: the order of the ids is not the order of the day.
    ContactLogEntry.objects.filter(pk=morning.pk).update(recorded_at=at(9))
    ContactLogEntry.objects.filter(pk=afternoon.pk).update(recorded_at=at(11))
    SenStatusChange.objects.filter(pk=status.pk).update(recorded_at=at(14))
    ContactLogEntryFactory(
        pupil=taught_pupil, occurred_on=DAY + timedelta(days=1), kind="letter", recorded_by=senco
    )
    titles = [event.title for event in events_of(senco, taught_pupil)]
    assert titles == [
        "Letter or email",
        "SEN status: Monitoring",
        "Meeting with parents or carers",
        "Phone call",
    ]


def test_a_days_entries_with_no_time_recorded_keep_the_order_they_were_made_in(senco, taught_pupil):
    first = SupportPlanFactory(
        pupil=taught_pupil, started_on=DAY, finalised_on=DAY, created_by=senco, status="reviewed"
    )
    PlanReview.objects.create(
        plan=first, held_on=DAY, decision=Decision.CONTINUE, finalised_on=DAY, finalised_by=senco
    )
    SupportPlanFactory(
        pupil=taught_pupil, cycle=2, previous=first, started_on=DAY, finalised_on=None, status="draft"
    )
    titles = [event.title for event in events_of(senco, taught_pupil)]
    assert titles == [
        "SEN support plan cycle 2 started",
        "SEN support plan cycle 1 reviewed",
        "SEN support plan cycle 1 finalised",
        "SEN support plan cycle 1 started",
    ]
