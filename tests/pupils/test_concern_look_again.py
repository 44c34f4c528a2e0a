"""A "Monitor" decision sets a date to look at the pupil again; that date brings the concern onto
the SENCO's Reviews due page until looking again is recorded. The decision form leaves out the
fields a decision does not use."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils.factories import ConcernFactory, PupilFactory
from pupils.models import Concern, ConcernDecision, ConcernStage, SenStatusChange
from pupils.selectors.concerns import concerns_to_look_at_again
from pupils.services.concerns import decide_concern, record_looked_again
from senco.concurrency import StaleEdit
from senco.models import AuditEvent
from tests.pupils.conftest import need

TODAY = date(2026, 11, 16)
OUTCOME_URL = "https://senco.example.org/pupils/concerns/mine/"
REASON = "Some progress with the strategies tried."


def monitor(concern, senco, **fields):
    data = {
        "decision": ConcernDecision.MONITOR,
        "decision_reason": REASON,
        "look_again_on": date(2027, 1, 11),
    }
    return decide_concern(
        concern=concern,
        version=concern.version,
        by=senco,
        today=TODAY,
        outcome_url=OUTCOME_URL,
        **data | fields,
    )


def monitored(pupil, senco, *, look_again_on, decided_on=date(2026, 10, 12), **fields):
    return ConcernFactory(
        pupil=pupil,
        raised_by=senco,
        raised_on=decided_on - timedelta(days=7),
        stage=ConcernStage.DECIDED,
        decision=ConcernDecision.MONITOR,
        decided_by=senco,
        decided_on=decided_on,
        look_again_on=look_again_on,
        **fields,
    )


# Deciding "Monitor"


def test_monitor_keeps_the_date_to_look_again_and_audits_it(senco, concern):
    decided = monitor(concern, senco)
    assert (decided.look_again_on, decided.decided_at is not None) == (date(2027, 1, 11), True)
    row = AuditEvent.objects.get(action="concern.decided")
    assert "look_again_on" in row.fields


@pytest.mark.parametrize(
    ("look_again_on", "message"),
    [
        (None, "Give the date to look at this pupil again."),
        (TODAY, "Choose a date after today (16 November 2026), the day of the decision."),
        (TODAY - timedelta(days=1), "Choose a date after today (16 November 2026), the day of the decision."),
    ],
)
def test_monitor_without_a_later_date_to_look_again_is_refused_on_that_field(
    senco, concern, look_again_on, message
):
    with pytest.raises(ValidationError) as refused:
        monitor(concern, senco, look_again_on=look_again_on)
    concern.refresh_from_db()
    assert (refused.value.message_dict, concern.stage, SenStatusChange.objects.count()) == (
        {"look_again_on": [message]},
        ConcernStage.RAISED,
        0,
    )


@pytest.mark.parametrize("decision", [ConcernDecision.NO_FURTHER_ACTION, ConcernDecision.REFER])
def test_other_decisions_ignore_the_date_to_look_again_and_the_status_fields(senco, concern, decision):
    decided = monitor(concern, senco, decision=decision, primary_need=need("SPLD"), effective_from=TODAY)
    assert (decided.decision, decided.look_again_on, SenStatusChange.objects.count()) == (decision, None, 0)


# Looking again


def test_looking_again_is_recorded_once_with_who_when_and_what_was_found(senco, taught_pupil):
    concern = monitored(taught_pupil, senco, look_again_on=date(2026, 11, 23))
    looked = record_looked_again(
        concern=concern,
        version=concern.version,
        looked_again_notes="Reading has caught up.",
        by=senco,
        today=TODAY,
    )
    assert (looked.looked_again_by, looked.looked_again_notes, looked.looked_again_at is not None) == (
        senco,
        "Reading has caught up.",
        True,
    )
    assert AuditEvent.objects.filter(action="concern.looked_again", object_id=str(concern.pk)).count() == 1
    with pytest.raises(ValidationError, match="already recorded"):
        record_looked_again(
            concern=looked, version=looked.version, looked_again_notes="Again", by=senco, today=TODAY
        )


def test_looking_again_needs_notes_a_monitor_decision_and_the_version_read(senco, taught_pupil, concern):
    watched = monitored(taught_pupil, senco, look_again_on=date(2026, 11, 23))
    with pytest.raises(ValidationError) as no_notes:
        record_looked_again(
            concern=watched, version=watched.version, looked_again_notes=" ", by=senco, today=TODAY
        )
    with pytest.raises(ValidationError, match="Only a concern decided"):
        record_looked_again(
            concern=concern, version=concern.version, looked_again_notes="x", by=senco, today=TODAY
        )
    with pytest.raises(StaleEdit):
        record_looked_again(
            concern=watched, version=watched.version - 1, looked_again_notes="x", by=senco, today=TODAY
        )
    assert no_notes.value.message_dict == {
        "looked_again_notes": ["Say what you found when you looked again."]
    }
    assert Concern.objects.filter(looked_again_at__isnull=False).count() == 0


# The decision form


def decide_url(concern):
    return reverse("pupils:concern_decide", args=[concern.pk])


def test_the_decision_form_suggests_six_school_weeks_on_across_the_half_term(
    client, senco, concern, term_dates_2026, today_is
):
    today_is(date(2026, 10, 5))
    client.force_login(senco)
    form = client.get(reverse("pupils:concern_detail", args=[concern.pk])).context["decide_form"]
    assert form["look_again_on"].value() == date(2026, 11, 23)


def test_the_decision_form_marks_which_fields_each_decision_uses(client, senco, concern):
    client.force_login(senco)
    html = client.get(reverse("pupils:concern_detail", args=[concern.pk])).content.decode()
    # static/css/app.css hides each group once a decision that does not use it is chosen.
    needs = html.split('class="decide-needs"', 1)[1].split("</div>\n", 1)[0]
    look_again = html.split('class="decide-look-again"', 1)[1]
    assert (
        'class="decide-form"' in html,
        "decide_primary_need" in needs,
        "decide_look_again_on" in look_again,
    ) == (
        True,
        True,
        True,
    )


def test_monitor_posted_without_a_date_is_shown_again_with_the_error_and_what_was_typed(
    client, senco, concern
):
    client.force_login(senco)
    response = client.post(
        decide_url(concern),
        {"version": concern.version, "decision": "monitor", "decision_reason": REASON, "look_again_on": ""},
    )
    form = response.context["decide_form"]
    assert (response.status_code, form.errors["look_again_on"], form["decision_reason"].value()) == (
        200,
        ["Give the date to look at this pupil again."],
        REASON,
    )


def test_no_further_action_ignores_whatever_the_hidden_status_fields_hold(client, senco, concern):
    client.force_login(senco)
    response = client.post(
        decide_url(concern),
        {
            "version": concern.version,
            "decision": "no_further_action",
            "decision_reason": "Typical for age.",
            "primary_need": need("SPLD").pk,
            "effective_from": "not a date",
            "look_again_on": "2027-01-11",
        },
    )
    concern.refresh_from_db()
    assert (
        response.status_code,
        concern.decision,
        concern.look_again_on,
        SenStatusChange.objects.count(),
    ) == (
        302,
        ConcernDecision.NO_FURTHER_ACTION,
        None,
        0,
    )


def test_the_senco_records_looking_again_from_the_concern_page(client, senco, taught_pupil):
    concern = monitored(taught_pupil, senco, look_again_on=date(2026, 11, 23))
    client.force_login(senco)
    page = client.get(reverse("pupils:concern_detail", args=[concern.pk]))
    assert page.context["look_again_form"] is not None
    url = reverse("pupils:concern_look_again", args=[concern.pk])
    response = client.post(url, {"version": concern.version, "looked_again_notes": "Caught up."})
    concern.refresh_from_db()
    assert (response.status_code, concern.looked_again_notes) == (302, "Caught up.")
    after = client.get(reverse("pupils:concern_detail", args=[concern.pk]))
    assert (after.context["look_again_form"], "Looked at again" in after.content.decode()) == (None, True)


def test_looking_again_without_notes_keeps_the_form_with_its_error(client, senco, taught_pupil):
    concern = monitored(taught_pupil, senco, look_again_on=date(2026, 11, 23))
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_look_again", args=[concern.pk]),
        {"version": concern.version, "looked_again_notes": ""},
    )
    assert (response.status_code, "looked_again_notes" in response.context["look_again_form"].errors) == (
        200,
        True,
    )


@pytest.mark.parametrize("persona", ["head", "teacher"])
def test_only_the_senco_team_records_looking_again(client, request, senco, taught_pupil, persona):
    concern = monitored(taught_pupil, senco, look_again_on=date(2026, 11, 23))
    client.force_login(request.getfixturevalue(persona))
    url = reverse("pupils:concern_look_again", args=[concern.pk])
    assert client.post(url, {"version": concern.version, "looked_again_notes": "x"}).status_code == 403


# "Concerns to look at again" on Reviews due


def test_concerns_to_look_at_again_are_those_due_by_the_horizon_not_yet_looked_at(
    senco, school, other_school_senco
):
    due_by = TODAY + timedelta(days=14)
    overdue = monitored(PupilFactory(school=school), senco, look_again_on=TODAY - timedelta(days=1))
    due = monitored(PupilFactory(school=school), senco, look_again_on=due_by)
    monitored(PupilFactory(school=school), senco, look_again_on=due_by + timedelta(days=1))
    monitored(
        PupilFactory(school=school),
        senco,
        look_again_on=TODAY,
        looked_again_at=timezone.now(),
        looked_again_by=senco,
    )
    monitored(PupilFactory(school=school, left_on=TODAY), senco, look_again_on=TODAY)
    monitored(PupilFactory(school=other_school_senco.school), other_school_senco, look_again_on=TODAY)
    rows = concerns_to_look_at_again(senco, today=TODAY, due_by=due_by)
    assert [(row.pk, row.overdue) for row in rows] == [(overdue.pk, True), (due.pk, False)]


def test_classroom_staff_get_no_concerns_to_look_at_again(teacher, taught_pupil):
    monitored(taught_pupil, teacher, look_again_on=TODAY)
    assert concerns_to_look_at_again(teacher, today=TODAY, due_by=TODAY) == []


@pytest.mark.parametrize(
    ("persona", "shown"), [("senco", True), ("head", True), ("teacher", False), ("ta", False)]
)
def test_reviews_due_has_a_section_of_concerns_to_look_at_again_for_the_senco_team_and_leadership(
    client, request, senco, taught_pupil, persona, shown
):
    today = timezone.localdate()
    concern = monitored(taught_pupil, senco, decided_on=today - timedelta(days=40), look_again_on=today)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("provision:reviews_due")).content.decode()
    link = f'href="{reverse("pupils:concern_detail", args=[concern.pk])}"'
    assert ("Concerns to look at again" in html, link in html) == (shown, shown)


@pytest.mark.parametrize("n", [1, 3])
def test_reviews_due_queries_stay_flat_with_concerns_to_look_at_again(
    client, senco, school, n, django_assert_max_num_queries
):
    for _ in range(n):
        today = timezone.localdate()
        monitored(
            PupilFactory(school=school), senco, decided_on=today - timedelta(days=40), look_again_on=today
        )
    client.force_login(senco)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("provision:reviews_due"))
    assert len(response.context["concerns"]) == n
