"""Concerns: the services that raise and triage them, who reads them, and their chronology."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from pupils.factories import ConcernFactory, PupilFactory, SenStatusChangeFactory
from pupils.models import Concern, ConcernDecision, ConcernStage, SenStatus, SenStatusChange
from pupils.pupil_page import all_contributions, concerns_contribution
from pupils.selectors.concerns import (
    concern_stage_counts,
    concerns_visible_to,
    decided_concerns,
    my_concerns,
    my_open_concerns_count,
    open_concerns,
    open_concerns_count,
)
from pupils.selectors.records import current_sen_status
from pupils.services.concerns import (
    ALREADY_DECIDED,
    acknowledge_concern,
    decide_concern,
    gather_information,
    raise_concern,
)
from senco.concurrency import StaleEdit
from senco.demo.seed import SchoolPlan, build_demo_trust
from senco.factories import english_school_year
from senco.models import AuditEvent, Phase, Role
from senco.rules import CLOSURE_KINDS, TERM_SEASONS, SchoolCalendar
from tests.pupils.conftest import need

TODAY = date(2026, 11, 16)  # a Monday
NO_TERM_DATES = SchoolCalendar()
# 2026/27 as `english_school_year` plans it, with the October half-term 26 to 30 October.
CALENDAR_2026 = SchoolCalendar(
    years=frozenset({2026}),
    terms=tuple(
        (row.starts_on, row.ends_on) for row in english_school_year(2026) if row.kind in TERM_SEASONS
    ),
    closures=tuple(
        (row.starts_on, row.ends_on) for row in english_school_year(2026) if row.kind in CLOSURE_KINDS
    ),
)
OUTCOME_URL = "https://senco.example.org/pupils/concerns/mine/"


# A date to look again after a "Monitor" decision on TODAY (any date after it will do).
LOOK_AGAIN = date(2027, 1, 11)


def decide(concern, by, **fields):
    defaults = {"decision": ConcernDecision.NO_FURTHER_ACTION, "decision_reason": "Typical for age."}
    if fields.get("decision") == ConcernDecision.MONITOR:
        defaults["look_again_on"] = LOOK_AGAIN
    return decide_concern(
        concern=concern,
        version=concern.version,
        by=by,
        today=TODAY,
        outcome_url=OUTCOME_URL,
        **defaults | fields,
    )


def sen_support(concern, senco, **fields):
    defaults = {
        "decision": ConcernDecision.SEN_SUPPORT,
        "decision_reason": "Less than expected progress after three weeks of catch-up.",
        "primary_need": need("SPLD"),
        "effective_from": TODAY,
        "parents_informed_on": TODAY,
        "parents_informed_how": "Meeting with mother",
    }
    return decide(concern, senco, **defaults | fields)


# Raising


def test_raising_a_concern_queues_it_as_raised_today_and_audits_it(teacher, taught_pupil):
    concern = raise_concern(
        pupil=taught_pupil,
        area="communication",
        observed="Rarely answers in whole-class discussion.",
        evidence="Speech and language screener, 3 November.",
        already_tried="Talk partners for two weeks.",
        by=teacher,
        today=TODAY,
    )
    assert (concern.stage, concern.raised_on, concern.raised_by, concern.version) == (
        ConcernStage.RAISED,
        TODAY,
        teacher,
        1,
    )
    event = AuditEvent.objects.get(action="concern.raised")
    assert (event.actor, event.pupil_id, event.object_id, event.summary) == (
        teacher,
        taught_pupil.pk,
        str(concern.pk),
        "",
    )


def test_a_concern_needs_what_was_noticed(teacher, taught_pupil):
    with pytest.raises(ValidationError) as error:
        raise_concern(
            pupil=taught_pupil,
            area="semh",
            observed="",
            evidence="e",
            already_tried="t",
            by=teacher,
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["observed"]


def test_no_concern_can_be_raised_about_a_pupil_who_has_left(teacher, taught_pupil):
    taught_pupil.left_on = date(2026, 10, 23)
    taught_pupil.save()
    with pytest.raises(ValidationError, match="left on 23 October 2026"):
        raise_concern(
            pupil=taught_pupil,
            area="semh",
            observed="o",
            evidence="e",
            already_tried="t",
            by=teacher,
            today=TODAY,
        )


# Acknowledging and gathering information


def test_acknowledging_moves_the_concern_on_and_bumps_its_version(concern, senco):
    acknowledged = acknowledge_concern(concern=concern, version=1, by=senco, today=TODAY)
    assert (acknowledged.stage, acknowledged.version) == (ConcernStage.ACKNOWLEDGED, 2)
    assert AuditEvent.objects.filter(action="concern.acknowledged", actor=senco).count() == 1


def test_only_a_newly_raised_concern_can_be_acknowledged(concern, senco):
    acknowledge_concern(concern=concern, version=1, by=senco, today=TODAY)
    with pytest.raises(ValidationError, match="Only a newly raised concern"):
        acknowledge_concern(concern=concern, version=2, by=senco, today=TODAY)


def test_a_stale_acknowledgement_is_refused_and_changes_nothing(concern, senco):
    # A colleague moved it on after this SENCO's page was loaded with version 1.
    gather_information(concern=concern, version=1, senco_notes="Observe in maths.", by=senco, today=TODAY)
    concern.refresh_from_db()
    with pytest.raises(StaleEdit):
        acknowledge_concern(concern=concern, version=1, by=senco, today=TODAY)
    concern.refresh_from_db()
    assert (concern.stage, concern.version) == (ConcernStage.GATHERING, 2)
    assert AuditEvent.objects.filter(action="concern.acknowledged").count() == 0


def test_the_version_is_checked_in_the_write_as_well(concern, senco):
    # Another SENCO saves between this SENCO's read and write: the guarded update finds no row.
    type(concern).objects.filter(pk=concern.pk).update(version=2)
    with pytest.raises(StaleEdit):
        acknowledge_concern(concern=concern, version=1, by=senco, today=TODAY)


def test_gathering_information_saves_the_notes(concern, senco):
    gathered = gather_information(
        concern=concern, version=1, senco_notes="Ask parents; observe.", by=senco, today=TODAY
    )
    assert (gathered.stage, gathered.senco_notes) == (ConcernStage.GATHERING, "Ask parents; observe.")
    again = gather_information(
        concern=gathered, version=2, senco_notes="Parents agree.", by=senco, today=TODAY
    )
    assert (again.stage, again.senco_notes, again.version) == (ConcernStage.GATHERING, "Parents agree.", 3)
    assert AuditEvent.objects.filter(action="concern.gathering").count() == 2


def test_gathering_information_needs_notes(concern, senco):
    with pytest.raises(ValidationError) as error:
        gather_information(concern=concern, version=1, senco_notes="  ", by=senco, today=TODAY)
    assert error.value.message_dict == {"senco_notes": ["Say what information you are gathering."]}


# Deciding


def test_a_decision_closes_the_concern_and_tells_the_teacher_with_only_a_first_name_and_a_link(
    concern, senco, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(concern, senco, decision=ConcernDecision.REFER, decision_reason="Refer to the SALT.")
    assert (decided.stage, decided.decision, decided.decided_by, decided.decided_on, decided.version) == (
        ConcernStage.DECIDED,
        ConcernDecision.REFER,
        senco,
        TODAY,
        2,
    )
    assert decided.teacher_told_at is not None
    [message] = mail.outbox
    assert (message.to, message.subject) == ([teacher.email], "A concern you raised has been decided")
    assert message.body == (
        "The SENCO has decided the concern you raised about Ava on 2 November 2026.\n\n"
        f"Sign in to read the outcome: {OUTCOME_URL}\n"
    )
    event = AuditEvent.objects.get(action="concern.decided")
    assert (event.summary, event.fields) == (
        "Decision: Refer to an external agency",
        ["decision", "decision_reason", "stage"],
    )


def test_the_email_uses_the_preferred_first_name(concern, senco, django_capture_on_commit_callbacks):
    concern.pupil.preferred_first_name = "Avie"
    concern.pupil.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide(concern, senco)
    assert "about Avie on" in mail.outbox[0].body
    assert "Taught" not in mail.outbox[0].body


def test_a_teacher_without_an_email_address_is_not_marked_as_told(concern, senco, teacher):
    teacher.email = ""
    teacher.save()
    assert decide(concern, senco).teacher_told_at is None


def test_a_senco_deciding_their_own_concern_gets_no_email(
    taught_pupil, senco, django_capture_on_commit_callbacks
):
    own = ConcernFactory(pupil=taught_pupil, raised_by=senco)
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(own, senco)
    assert (mail.outbox, decided.teacher_told_at is not None) == ([], True)


def test_a_decision_needs_a_reason(concern, senco):
    with pytest.raises(ValidationError) as error:
        decide(concern, senco, decision_reason=" ")
    assert list(error.value.message_dict) == ["decision_reason"]


LEAVER_MESSAGE = (
    "Ava Taught left on 13 November 2026; their record is kept read-only. "
    "Close the concern with “No further action”."
)


@pytest.fixture
def leavers_concern(concern):
    concern.pupil.left_on = date(2026, 11, 13)
    concern.pupil.save()
    return concern


def test_a_leavers_concern_cannot_be_acknowledged_or_worked_on(leavers_concern, senco):
    with pytest.raises(ValidationError) as acknowledging:
        acknowledge_concern(concern=leavers_concern, version=1, by=senco, today=TODAY)
    with pytest.raises(ValidationError) as gathering:
        gather_information(concern=leavers_concern, version=1, senco_notes="Observe.", by=senco, today=TODAY)
    assert (acknowledging.value.messages, gathering.value.messages) == ([LEAVER_MESSAGE], [LEAVER_MESSAGE])
    leavers_concern.refresh_from_db()
    assert (leavers_concern.stage, AuditEvent.objects.filter(action__startswith="concern.").count()) == (
        ConcernStage.RAISED,
        0,
    )


@pytest.mark.parametrize(
    "decision", [ConcernDecision.MONITOR, ConcernDecision.SEN_SUPPORT, ConcernDecision.REFER]
)
def test_a_leavers_concern_may_only_be_closed_with_no_further_action(leavers_concern, senco, decision):
    with pytest.raises(ValidationError) as error:
        sen_support(leavers_concern, senco, decision=decision)
    assert error.value.message_dict == {"decision": [LEAVER_MESSAGE]}
    closed = decide(leavers_concern, senco, decision_reason="Left the school.")
    assert (closed.stage, closed.decision, SenStatusChange.objects.count()) == (
        ConcernStage.DECIDED,
        ConcernDecision.NO_FURTHER_ACTION,
        0,
    )


def test_a_decided_concern_cannot_be_decided_again(concern, senco):
    decided = decide(concern, senco)
    with pytest.raises(ValidationError, match=ALREADY_DECIDED):
        decide(decided, senco)
    with pytest.raises(ValidationError, match=ALREADY_DECIDED):
        gather_information(
            concern=decided, version=decided.version, senco_notes="More.", by=senco, today=TODAY
        )


def test_adding_to_sen_support_changes_the_status_in_the_same_step(concern, senco):
    decided = sen_support(concern, senco, secondary_need=need("SLCN"))
    status = current_sen_status(concern.pupil, today=TODAY)
    assert (status.status, status.primary_need.code, status.secondary_need.code, status.effective_from) == (
        SenStatus.SEN_SUPPORT,
        "SPLD",
        "SLCN",
        TODAY,
    )
    assert (status.reason, status.parents_informed_on, status.parents_informed_how, status.recorded_by) == (
        decided.decision_reason,
        TODAY,
        "Meeting with mother",
        senco,
    )
    actions = sorted(AuditEvent.objects.filter(pupil_id=concern.pupil.pk).values_list("action", flat=True))
    assert actions == ["concern.decided", "pupil.sen_status_changed"]


@pytest.mark.parametrize(
    ("status", "label"), [(SenStatus.SEN_SUPPORT, "SEN support"), (SenStatus.EHC_PLAN, "EHC plan")]
)
def test_a_pupil_already_on_the_register_cannot_be_added_to_sen_support(concern, senco, status, label):
    SenStatusChangeFactory(pupil=concern.pupil, status=status, effective_from=date(2026, 9, 14))
    with pytest.raises(ValidationError) as error:
        sen_support(concern, senco)
    assert error.value.message_dict["decision"] == [
        f"Ava Taught is already recorded as “{label}”, so they cannot be added to SEN support. "
        "Choose another decision, and change their SEN status on their record if it needs to change."
    ]
    concern.refresh_from_db()
    assert (concern.stage, concern.version, SenStatusChange.objects.count()) == (ConcernStage.RAISED, 1, 1)


def test_a_refused_status_change_leaves_the_concern_open_and_sends_nothing(
    concern, senco, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        sen_support(concern, senco, primary_need=None)
    assert list(error.value.message_dict) == ["primary_need"]
    concern.refresh_from_db()
    assert (concern.stage, concern.teacher_told_at, mail.outbox, SenStatusChange.objects.count()) == (
        ConcernStage.RAISED,
        None,
        [],
        0,
    )
    assert AuditEvent.objects.filter(action="concern.decided").count() == 0


def test_sen_support_needs_a_start_date(concern, senco):
    with pytest.raises(ValidationError) as error:
        decide(concern, senco, decision=ConcernDecision.SEN_SUPPORT, primary_need=need("MLD"))
    assert error.value.message_dict == {"effective_from": ["Give the date SEN support starts."]}


def test_monitor_records_a_monitoring_status_for_a_pupil_not_yet_watched(concern, senco):
    decide(concern, senco, decision=ConcernDecision.MONITOR, primary_need=need("MLD"))
    status = current_sen_status(concern.pupil, today=TODAY)
    assert (status.status, status.primary_need, status.effective_from) == (SenStatus.MONITORING, None, TODAY)


@pytest.mark.parametrize("status", [SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN])
def test_monitor_leaves_a_watched_or_registered_pupil_as_they_are(concern, senco, status):
    SenStatusChangeFactory(pupil=concern.pupil, status=status, effective_from=date(2026, 9, 14))
    decided = decide(concern, senco, decision=ConcernDecision.MONITOR)
    assert (
        decided.decision,
        SenStatusChange.objects.count(),
        current_sen_status(concern.pupil, today=TODAY).status,
    ) == (
        ConcernDecision.MONITOR,
        1,
        status,
    )


def test_a_stale_decision_writes_nothing_and_sends_nothing(
    concern, senco, django_capture_on_commit_callbacks
):
    acknowledge_concern(concern=concern, version=1, by=senco, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StaleEdit):
        decide_concern(
            concern=concern,
            version=1,
            decision=ConcernDecision.SEN_SUPPORT,
            decision_reason="r",
            primary_need=need("SPLD"),
            effective_from=TODAY,
            by=senco,
            today=TODAY,
            outcome_url=OUTCOME_URL,
        )
    assert (mail.outbox, SenStatusChange.objects.count()) == ([], 0)


# Who reads which concerns


@pytest.fixture
def spread(school, teacher, ta, senco, taught_pupil, untaught_pupil, other_school_pupil, other_school_senco):
    """One concern each: the teacher's, the TA's (same pupil), the SENCO's about a pupil the
    teacher does not teach, and one at another school."""
    return {
        "teacher": ConcernFactory(pupil=taught_pupil, raised_by=teacher, raised_on=date(2026, 11, 2)),
        "ta": ConcernFactory(pupil=taught_pupil, raised_by=ta, raised_on=date(2026, 10, 20)),
        "senco": ConcernFactory(pupil=untaught_pupil, raised_by=senco, raised_on=date(2026, 11, 9)),
        "other": ConcernFactory(pupil=other_school_pupil, raised_by=other_school_senco),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("senco", ["senco", "teacher", "ta"]),
        ("head", ["senco", "teacher", "ta"]),
        ("teacher", ["teacher"]),
        ("ta", ["ta"]),
        ("governor", []),
        ("school_admin", []),
    ],
)
def test_each_role_reads_exactly_the_concerns_it_should(request, spread, persona, expected):
    user = request.getfixturevalue(persona)
    visible = list(concerns_visible_to(user).order_by("-raised_on"))
    assert visible == [spread[key] for key in expected]


def test_a_teacher_loses_sight_of_their_concern_when_they_stop_teaching_the_pupil(spread, teacher, class_3a):
    class_3a.teachers.remove(teacher)
    assert list(my_concerns(teacher)) == []


def test_the_queue_lists_open_concerns_oldest_first_with_school_days_waiting(spread, senco):
    decide(spread["teacher"], senco)
    queue = open_concerns(senco, today=TODAY, calendar=NO_TERM_DATES)
    # With no term dates, weekdays count: 19 since Tuesday 20 October, 5 since Monday 9 November.
    assert [(c, c.days_waiting, c.waiting_too_long) for c in queue] == [
        (spread["ta"], 19, True),
        (spread["senco"], 5, False),
    ]


def test_the_queue_filters_by_stage_and_ignores_an_unknown_one(spread, senco):
    acknowledge_concern(concern=spread["ta"], version=1, by=senco, today=TODAY)
    assert open_concerns(senco, today=TODAY, calendar=NO_TERM_DATES, stage="acknowledged") == [spread["ta"]]
    assert open_concerns(senco, today=TODAY, calendar=NO_TERM_DATES, stage="raised") == [
        spread["teacher"],
        spread["senco"],
    ]
    assert len(open_concerns(senco, today=TODAY, calendar=NO_TERM_DATES, stage="nonsense")) == 3


@pytest.mark.parametrize(
    ("calendar", "waited", "too_long"),
    [
        # Raised on Friday 16 October 2026 and still open on Friday 6 November: the October
        # half-term (26 to 30 October) is no school days, so it has waited ten, not fifteen.
        (CALENDAR_2026, 10, False),
        (NO_TERM_DATES, 15, True),
    ],
)
def test_a_half_term_does_not_count_towards_waiting(senco, school, calendar, waited, too_long):
    ConcernFactory(pupil=PupilFactory(school=school), raised_by=senco, raised_on=date(2026, 10, 16))
    [concern] = open_concerns(senco, today=date(2026, 11, 6), calendar=calendar)
    assert (concern.days_waiting, concern.waiting_too_long) == (waited, too_long)


def test_eleven_school_days_is_too_long_and_ten_is_not(senco, school):
    for raised_on in (date(2026, 10, 30), date(2026, 11, 2)):  # a Friday and the Monday after
        ConcernFactory(pupil=PupilFactory(school=school), raised_by=senco, raised_on=raised_on)
    queue = open_concerns(senco, today=date(2026, 11, 16), calendar=NO_TERM_DATES)
    assert [(c.days_waiting, c.waiting_too_long) for c in queue] == [(11, True), (10, False)]


def test_counts_by_stage_and_the_decided_list(spread, senco, teacher, head):
    decided = decide(spread["teacher"], senco)
    gather_information(concern=spread["ta"], version=1, senco_notes="Observe.", by=senco, today=TODAY)
    assert concern_stage_counts(senco) == {
        "open": 2,
        "raised": 1,
        "acknowledged": 0,
        "gathering": 1,
        "decided": 1,
    }
    assert list(decided_concerns(head)) == [decided]
    assert (open_concerns_count(senco), open_concerns_count(teacher), my_open_concerns_count(teacher)) == (
        2,
        0,
        0,
    )


def test_classroom_staff_have_no_queue(spread, teacher):
    assert (open_concerns(teacher, today=TODAY, calendar=NO_TERM_DATES), list(decided_concerns(teacher))) == (
        [],
        [],
    )
    assert concern_stage_counts(teacher)["open"] == 0


def test_my_open_concerns_count_counts_only_open_ones_i_raised(spread, teacher, taught_pupil):
    ConcernFactory(pupil=taught_pupil, raised_by=teacher, stage="decided", decision="monitor")
    assert my_open_concerns_count(teacher) == 1


# Chronology and the pupil page's panel


def test_concerns_appear_in_the_chronology_without_their_text(concern, senco):
    decide(concern, senco, decision=ConcernDecision.MONITOR)
    events = [
        (e.on, e.title, e.detail, e.by)
        for e in all_contributions(senco, pupil=concern.pupil, today=TODAY).events
        if "concern" in e.kind
    ]
    assert events == [
        (TODAY, "Concern decided: Monitor", "Look again on 11 January 2027", "Sam Patel"),
        (date(2026, 11, 2), "Concern raised", "Cognition and learning", "Tom Evans"),
    ]


def test_a_teacher_sees_only_their_own_concerns_in_the_chronology(
    spread, teacher, ta, governor, taught_pupil
):
    def raised(user):
        return [
            e.on
            for e in all_contributions(user, pupil=taught_pupil, today=TODAY).events
            if e.kind == "concern"
        ]

    assert (raised(teacher), raised(ta), raised(governor)) == ([date(2026, 11, 2)], [date(2026, 10, 20)], [])


def test_the_panel_offers_log_a_concern_to_those_who_may_raise_one(
    spread, teacher, head, governor, school_admin
):
    pupil = spread["teacher"].pupil

    def panels(user):
        return list(concerns_contribution(user, pupil=pupil, today=TODAY).panels)

    [teacher_panel], [head_panel] = panels(teacher), panels(head)
    assert (teacher_panel.context["can_raise"], teacher_panel.context["concerns"]) == (
        True,
        [spread["teacher"]],
    )
    assert (head_panel.context["can_raise"], len(head_panel.context["concerns"])) == (False, 2)
    assert (panels(governor), panels(school_admin)) == ([], [])


def test_a_concern_raised_today_has_waited_no_days(senco, school):
    ConcernFactory(pupil=PupilFactory(school=school), raised_by=senco, raised_on=TODAY)
    assert [c.days_waiting for c in open_concerns(senco, today=TODAY, calendar=NO_TERM_DATES)] == [0]


# Demo data


def test_the_demo_primary_has_open_concerns_at_each_stage_and_decisions_matching_the_history(db):
    build_demo_trust(
        seed=2026, today=TODAY, plans=[SchoolPlan("Oakfield", Phase.PRIMARY, range(0, 7), 2, 420)]
    )
    concerns = list(Concern.objects.select_related("pupil").order_by("pk"))
    assert [c.stage for c in concerns].count(ConcernStage.DECIDED) == 4
    assert {c.stage for c in concerns} == set(ConcernStage.values)
    assert all(c.raised_on <= TODAY and c.raised_by.has_role(Role.TEACHER) for c in concerns)
    for concern in concerns:
        status = current_sen_status(concern.pupil, today=TODAY)
        expected = {
            ConcernDecision.SEN_SUPPORT: SenStatus.SEN_SUPPORT,
            ConcernDecision.MONITOR: SenStatus.MONITORING,
        }
        if concern.decision in expected:
            assert (status.status, status.effective_from) == (expected[concern.decision], concern.decided_on)
        else:
            assert status is None or status.status == SenStatus.NO_SEN
