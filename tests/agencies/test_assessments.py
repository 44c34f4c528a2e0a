"""EHC needs assessment requests: recording one, the LA's steps in order, the statutory clock with
days left and days late, exemptions beside the statutory date, refusals with their appeal date,
and who may see and do what."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.factories import AssessmentRequestFactory, ClockExemptionFactory
from agencies.models import (
    AssessmentDecision,
    AssessmentRequest,
    ClockStep,
    EhcPlan,
    ExemptionKind,
    Requester,
)
from agencies.selectors.assessments import ehc_request_for_page, ehc_requests_visible_to, request_clock
from agencies.services import assessments as services
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.audit import AuditEvent
from senco.concurrency import StaleEdit

TODAY = date(2025, 3, 3)


def _make(pupil, by, **overrides):
    values = {
        "requested_by": Requester.PARENT,
        "sent_on": date(2025, 1, 3),
        "received_on": date(2025, 1, 6),
        "received_confirmed": False,
        "evidence": "SEN support plans, cycles 1 and 2",
    }
    return services.make_ehc_request(pupil=pupil, by=by, today=TODAY, **(values | overrides))


def _clock(ehc_request, today=TODAY):
    fresh = ehc_request_for_page_any(ehc_request)
    return request_clock(fresh, today=today)


def ehc_request_for_page_any(ehc_request):
    return AssessmentRequest.objects.prefetch_related("exemptions").get(pk=ehc_request.pk)


def _line(clock, step):
    return next(line for line in clock.lines if line.step == step)


def _decide(ehc_request, by, decision=AssessmentDecision.ASSESS, decided_on=date(2025, 2, 10)):
    return services.record_assessment_decision(
        request=ehc_request,
        version=ehc_request.version,
        decision=decision,
        decided_on=decided_on,
        by=by,
        today=TODAY,
    )


# --- Recording a request -----------------------------------------------------------------------


def test_a_request_is_recorded_with_who_asked_and_an_estimated_receipt_and_audited(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    assert (ehc_request.requested_by, ehc_request.received_confirmed, ehc_request.created_by) == (
        Requester.PARENT,
        False,
        senco,
    )
    assert AuditEvent.objects.filter(action="ehc_request.made", pupil_id=taught_pupil.pk).count() == 1
    assert request_clock(ehc_request, today=TODAY).estimated


def test_a_request_received_before_it_was_sent_is_refused_beside_the_received_date(senco, taught_pupil):
    with pytest.raises(ValidationError) as error:
        _make(taught_pupil, senco, sent_on=date(2025, 1, 10), received_on=date(2025, 1, 6))
    assert error.value.message_dict == {
        "received_on": ["The LA cannot have received the request before it was sent."]
    }
    assert not AssessmentRequest.objects.exists()


def test_confirming_receipt_moves_the_clock_to_the_las_date_and_drops_the_estimate(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    services.confirm_receipt(
        request=ehc_request, version=ehc_request.version, received_on=date(2025, 1, 8), by=senco, today=TODAY
    )
    clock = _clock(ehc_request)
    assert not clock.estimated
    assert _line(clock, ClockStep.DECISION).due_on == date(2025, 2, 19)


# --- The clock ---------------------------------------------------------------------------------


def test_the_clock_of_the_worked_example_shows_each_deadline_with_days_left(senco, taught_pupil):
    clock = _clock(_make(taught_pupil, senco), today=date(2025, 2, 10))
    assert [(line.step, line.due_on, line.days_left, line.state) for line in clock.lines] == [
        (ClockStep.DECISION, date(2025, 2, 17), 7, "due"),
        (ClockStep.NO_PLAN_NOTICE, date(2025, 4, 28), 77, "due"),
        (ClockStep.FINAL_PLAN, date(2025, 5, 26), 105, "due"),
    ]
    assert _line(clock, ClockStep.FINAL_PLAN).closed_day == "a bank holiday: Spring Bank Holiday"


def test_a_decision_not_made_by_its_date_shows_how_many_days_the_la_is_overdue(senco, taught_pupil):
    clock = _clock(_make(taught_pupil, senco), today=date(2025, 3, 3))
    decision = _line(clock, ClockStep.DECISION)
    assert (decision.state, decision.days_late) == ("overdue", 14)
    assert clock.missed == [decision]


def test_a_decision_made_late_keeps_how_many_days_late_it_was(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco, decided_on=date(2025, 2, 24))
    decision = _line(_clock(ehc_request, today=date(2025, 6, 1)), ClockStep.DECISION)
    assert (decision.state, decision.days_late, decision.done_on) == ("late", 7, date(2025, 2, 24))


def test_a_final_plan_on_time_stops_the_clock_and_opens_the_appeal_against_its_contents(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2024, 9, 9))
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    ehc_request = services.record_draft_plan(
        request=ehc_request,
        version=ehc_request.version,
        draft_sent_on=date(2025, 4, 14),
        by=senco,
        today=TODAY,
    )
    ehc_request = services.record_final_plan(
        request=ehc_request,
        version=ehc_request.version,
        final_plan_on=date(2025, 5, 20),
        by=senco,
        today=date(2025, 5, 21),
    )
    clock = _clock(ehc_request, today=date(2025, 5, 21))
    assert [(line.step, line.state) for line in clock.lines] == [
        (ClockStep.DECISION, "met"),
        ("draft_comments", "over"),
        (ClockStep.FINAL_PLAN, "met"),
        ("appeal", "due"),
    ]
    assert _line(clock, "appeal").due_on == date(2025, 7, 20)
    assert clock.missed == []


def test_a_draft_plan_gives_the_family_fifteen_days_to_comment(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    ehc_request = services.record_draft_plan(
        request=ehc_request,
        version=ehc_request.version,
        draft_sent_on=date(2025, 4, 14),
        by=senco,
        today=TODAY,
    )
    comments = _line(_clock(ehc_request, today=date(2025, 4, 20)), "draft_comments")
    assert (comments.due_on, comments.days_left, comments.whose) == (
        date(2025, 4, 29),
        9,
        "Parent or young person",
    )


def test_advice_asked_for_is_due_six_weeks_later_until_the_draft_ends_that_stage(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    ehc_request = services.record_advice_requested(
        request=ehc_request,
        version=ehc_request.version,
        advice_requested_on=date(2025, 2, 12),
        by=senco,
        today=TODAY,
    )
    advice = _line(_clock(ehc_request), ClockStep.ADVICE)
    assert (advice.due_on, advice.is_open) == (date(2025, 3, 26), True)
    ehc_request = services.record_draft_plan(
        request=ehc_request,
        version=ehc_request.version,
        draft_sent_on=date(2025, 4, 14),
        by=senco,
        today=TODAY,
    )
    assert _line(_clock(ehc_request), ClockStep.ADVICE).state == "over"


def test_a_refusal_ends_the_las_clock_and_shows_the_appeal_date_two_months_on(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco, decision=AssessmentDecision.REFUSE)
    clock = _clock(ehc_request, today=date(2025, 2, 11))
    assert [line.step for line in clock.lines] == [ClockStep.DECISION, "appeal"]
    appeal = _line(clock, "appeal")
    assert (appeal.due_on, appeal.whose) == (date(2025, 4, 10), "Parent or young person")
    assert "mediation adviser must be contacted first" in appeal.source


def test_a_later_mediation_certificate_gives_a_month_from_its_date_to_appeal(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco, decision=AssessmentDecision.REFUSE)
    ehc_request = services.record_mediation_certificate(
        request=ehc_request,
        version=ehc_request.version,
        mediation_certificate_on=date(2025, 3, 31),
        by=senco,
        today=TODAY,
    )
    appeal = _line(_clock(ehc_request), "appeal")
    assert appeal.due_on == date(2025, 4, 30)
    assert "mediation certificate of 31 March 2025" in appeal.source


def test_a_notice_not_to_issue_a_plan_closes_the_final_plan_date_and_opens_the_appeal(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    ehc_request = services.record_no_plan_notice(
        request=ehc_request,
        version=ehc_request.version,
        no_plan_notice_on=date(2025, 5, 5),
        by=senco,
        today=TODAY,
    )
    clock = _clock(ehc_request)
    assert [(line.step, line.state) for line in clock.lines] == [
        (ClockStep.DECISION, "met"),
        (ClockStep.NO_PLAN_NOTICE, "late"),
        ("appeal", "due"),
    ]
    assert _line(clock, ClockStep.NO_PLAN_NOTICE).days_late == 7
    assert _line(clock, "appeal").due_on == date(2025, 7, 5)


def test_no_notice_by_sixteen_weeks_is_not_counted_against_the_la_as_a_missed_deadline(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    notice = _line(_clock(ehc_request, today=date(2025, 5, 1)), ClockStep.NO_PLAN_NOTICE)
    assert (notice.state, notice.days_late, notice.is_open) == ("passed", 0, False)


# --- Steps out of order ------------------------------------------------------------------------


def test_a_decision_before_the_request_was_received_is_refused_beside_its_date(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    with pytest.raises(ValidationError) as error:
        _decide(ehc_request, senco, decided_on=date(2025, 1, 2))
    assert list(error.value.message_dict) == ["decided_on"]
    ehc_request.refresh_from_db()
    assert (ehc_request.decision, ehc_request.version) == ("", 1)


def test_a_draft_plan_before_any_decision_is_refused_with_what_comes_first(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    with pytest.raises(ValidationError) as error:
        services.record_draft_plan(
            request=ehc_request, version=1, draft_sent_on=date(2025, 4, 14), by=senco, today=TODAY
        )
    assert error.value.message_dict == {
        "draft_sent_on": ["Record the LA's decision to assess before a draft plan."]
    }


def test_a_final_plan_without_a_draft_is_refused(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco)
    with pytest.raises(ValidationError) as error:
        services.record_final_plan(
            request=ehc_request,
            version=ehc_request.version,
            final_plan_on=date(2025, 5, 20),
            by=senco,
            today=TODAY,
        )
    assert error.value.message_dict == {
        "final_plan_on": ["Record the draft plan first: a final plan follows a draft."]
    }


def test_advice_after_a_refusal_is_refused(senco, taught_pupil):
    ehc_request = _decide(_make(taught_pupil, senco), senco, decision=AssessmentDecision.REFUSE)
    with pytest.raises(ValidationError) as error:
        services.record_advice_requested(
            request=ehc_request,
            version=ehc_request.version,
            advice_requested_on=date(2025, 3, 1),
            by=senco,
            today=TODAY,
        )
    assert error.value.message_dict == {
        "advice_requested_on": ["The LA refused to assess, so there is no advice requested."]
    }


def test_a_step_saved_over_a_colleagues_change_is_refused_as_stale(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    _decide(AssessmentRequest.objects.get(pk=ehc_request.pk), senco)
    with pytest.raises(StaleEdit):
        services.record_advice_requested(
            request=ehc_request, version=1, advice_requested_on=date(2025, 2, 12), by=senco, today=TODAY
        )


def test_a_leavers_request_takes_no_more_steps(senco, school):
    pupil = PupilFactory(school=school, left_on=date(2025, 2, 1))
    ehc_request = AssessmentRequestFactory(pupil=pupil)
    with pytest.raises(ValidationError, match="read-only"):
        _decide(ehc_request, senco)


# --- Exemptions --------------------------------------------------------------------------------


def test_an_exemption_is_shown_beside_the_statutory_date_which_stays_the_same(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    services.record_clock_exemption(
        request=ehc_request,
        step=ClockStep.FINAL_PLAN,
        kind=ExemptionKind.AWAY_FROM_AREA,
        starts_on=date(2025, 3, 3),
        ends_on=date(2025, 4, 4),
        evidence="The LA's letter of 7 April",
        la_revised_on=date(2025, 6, 30),
        by=senco,
        today=TODAY,
    )
    final_plan = _line(_clock(ehc_request, today=date(2025, 6, 2)), ClockStep.FINAL_PLAN)
    assert (final_plan.due_on, final_plan.state, final_plan.days_late) == (date(2025, 5, 26), "overdue", 7)
    assert [(exemption.kind, exemption.la_revised_on) for exemption in final_plan.exemptions] == [
        (ExemptionKind.AWAY_FROM_AREA, date(2025, 6, 30))
    ]


def test_missed_appointments_excuse_only_the_advice_deadline(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    with pytest.raises(ValidationError) as error:
        services.record_clock_exemption(
            request=ehc_request,
            step=ClockStep.FINAL_PLAN,
            kind=ExemptionKind.MISSED_APPOINTMENTS,
            starts_on=date(2025, 3, 3),
            ends_on=None,
            evidence="Letter",
            la_revised_on=None,
            by=senco,
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["kind"]


def test_an_exemption_ending_before_it_starts_is_refused_beside_its_end(senco, taught_pupil):
    ehc_request = _make(taught_pupil, senco)
    with pytest.raises(ValidationError) as error:
        services.record_clock_exemption(
            request=ehc_request,
            step=ClockStep.DECISION,
            kind=ExemptionKind.SCHOOL_CLOSED,
            starts_on=date(2025, 3, 3),
            ends_on=date(2025, 3, 1),
            evidence="Letter",
            la_revised_on=None,
            by=senco,
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["ends_on"]


# --- Who sees what -----------------------------------------------------------------------------


def test_the_senco_team_and_leadership_see_requests_and_teachers_governors_and_admin_see_none(
    senco, head, teacher, ta, governor, school_admin, taught_pupil
):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    seen = {
        user.username: list(ehc_requests_visible_to(user))
        for user in (senco, head, teacher, ta, governor, school_admin)
    }
    assert seen == {
        "senco": [ehc_request],
        "head": [ehc_request],
        "teacher": [],
        "ta": [],
        "governor": [],
        "admin": [],
    }


def test_the_senco_records_a_request_from_the_form_and_lands_on_its_clock(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_add", args=[taught_pupil.pk]),
        {
            "requested_by": Requester.SCHOOL,
            "sent_on": "2025-01-03",
            "received_on": "2025-01-06",
            "evidence": "Plans",
        },
    )
    ehc_request = AssessmentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ehc_request.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Estimated" in page
    assert "Monday 17 February 2025" in page
    assert "Falls on a bank holiday: Spring Bank Holiday. The date does not move" in page


def test_received_before_sent_on_the_form_is_shown_beside_the_field_keeping_what_was_typed(
    client, senco, taught_pupil
):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_add", args=[taught_pupil.pk]),
        {
            "requested_by": Requester.PARENT,
            "sent_on": "2025-01-10",
            "received_on": "2025-01-06",
            "evidence": "Plans",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"received_on": ["The LA cannot have received the request before it was sent."]}
    assert form["evidence"].value() == "Plans"
    assert not AssessmentRequest.objects.exists()


def test_a_step_out_of_order_is_shown_beside_its_date_on_the_request_page(client, senco, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_step", args=[ehc_request.pk, "decision"]),
        {"version": 1, "decision": AssessmentDecision.ASSESS, "decided_on": "2025-01-01"},
    )
    assert response.status_code == 200
    bound = {name: form for name, _step, form in response.context["step_forms"]}["decision"]
    assert list(bound.errors) == ["decided_on"]
    assert bound["decided_on"].value() == "2025-01-01"


def test_recording_the_las_decision_from_the_page_saves_it(client, senco, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_step", args=[ehc_request.pk, "decision"]),
        {"version": 1, "decision": AssessmentDecision.REFUSE, "decided_on": "2025-02-14"},
    )
    assert response.status_code == 302
    ehc_request.refresh_from_db()
    assert (ehc_request.decision, ehc_request.decided_on) == (AssessmentDecision.REFUSE, date(2025, 2, 14))
    page = client.get(ehc_request.get_absolute_url()).content.decode()
    assert "Last day to appeal to the SEND Tribunal" in page
    assert "mediation adviser" in page


def test_an_unknown_step_is_not_found(client, senco, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    assert (
        client.post(reverse("agencies:ehc_request_step", args=[ehc_request.pk, "teleport"])).status_code
        == 404
    )


def test_the_head_reads_a_request_without_forms_and_may_not_record_steps(client, head, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(head)
    response = client.get(ehc_request.get_absolute_url())
    assert (response.status_code, response.context["step_forms"]) == (200, [])
    step = reverse("agencies:ehc_request_step", args=[ehc_request.pk, "decision"])
    assert (
        client.post(step, {"version": 1, "decision": "assess", "decided_on": "2025-02-10"}).status_code == 403
    )
    assert client.get(reverse("agencies:ehc_request_add", args=[taught_pupil.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_teachers_tas_governors_and_the_administrator_may_not_open_a_request(
    client, request, persona, taught_pupil
):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ehc_request.get_absolute_url()).status_code == 403


def test_a_request_of_another_school_is_not_found(client, senco, other_school_pupil):
    ehc_request = AssessmentRequestFactory(pupil=other_school_pupil)
    client.force_login(senco)
    assert client.get(ehc_request.get_absolute_url()).status_code == 404
    assert not ehc_request_for_page(senco).filter(pk=ehc_request.pk).exists()


def test_reading_a_request_is_audited(client, senco, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    client.get(ehc_request.get_absolute_url())
    assert AuditEvent.objects.filter(action="ehc_request.viewed", pupil_id=taught_pupil.pk).count() == 1


def test_the_senco_records_an_exemption_from_its_page(client, senco, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_exemption", args=[ehc_request.pk]),
        {
            "step": ClockStep.DECISION,
            "kind": ExemptionKind.PERSONAL_CIRCUMSTANCES,
            "starts_on": "2025-01-20",
            "evidence": "Email from the LA caseworker",
        },
    )
    assert response.status_code == 302
    page = client.get(ehc_request.get_absolute_url()).content.decode()
    assert "Exemption recorded: Exceptional personal circumstances" in page
    assert "Monday 17 February 2025" in page


# --- The pupil page ----------------------------------------------------------------------------


def test_the_pupil_page_shows_the_requests_panel_and_steps_in_the_chronology_to_the_senco(
    client, senco, taught_pupil
):
    ehc_request = AssessmentRequestFactory(
        pupil=taught_pupil, decision="assess", decided_on=date(2025, 2, 10)
    )
    ClockExemptionFactory(request=ehc_request)
    client.force_login(senco)
    page = client.get(taught_pupil.get_absolute_url()).content.decode()
    assert "EHC needs assessment requests" in page
    assert "EHC needs assessment requested" in page
    assert "The LA decided on the EHC needs assessment request" in page
    assert "Record an EHC needs assessment request" in page


def test_the_pupil_page_shows_teachers_nothing_of_requests(client, teacher, taught_pupil):
    AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(teacher)
    page = client.get(taught_pupil.get_absolute_url()).content.decode()
    assert "EHC needs assessment" not in page


def test_the_head_may_not_record_an_exemption(client, head, taught_pupil):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(head)
    assert client.get(reverse("agencies:ehc_request_exemption", args=[ehc_request.pk])).status_code == 403


def test_a_step_posted_over_a_colleagues_change_keeps_what_was_typed_and_says_why(
    client, senco, taught_pupil
):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    _decide(ehc_request, senco)  # a colleague records the decision first: version 2
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_step", args=[ehc_request.pk, "receipt"]),
        {"version": 1, "received_on": "2025-01-07"},
    )
    assert response.status_code == 200
    bound = {name: form for name, _step, form in response.context["step_forms"]}["receipt"]
    assert "Someone else changed this request" in bound.non_field_errors()[0]
    assert (bound["received_on"].value(), bound["version"].value()) == ("2025-01-07", 2)
    ehc_request.refresh_from_db()
    assert (ehc_request.received_on, ehc_request.received_confirmed) == (date(2025, 1, 6), False)


def test_an_exemption_ending_before_it_starts_is_shown_beside_its_end_on_the_form(
    client, senco, taught_pupil
):
    ehc_request = AssessmentRequestFactory(pupil=taught_pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_request_exemption", args=[ehc_request.pk]),
        {
            "step": ClockStep.DECISION,
            "kind": ExemptionKind.SCHOOL_CLOSED,
            "starts_on": "2025-02-03",
            "ends_on": "2025-01-20",
            "evidence": "Letter",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ends_on"]
    assert response.context["form"]["evidence"].value() == "Letter"


def _draft(ehc_request, senco):
    return services.record_draft_plan(
        request=ehc_request,
        version=ehc_request.version,
        draft_sent_on=date(2025, 4, 14),
        by=senco,
        today=TODAY,
    )


def test_the_final_plan_makes_the_pupils_ehc_plan_and_records_status_e_from_its_date(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2024, 9, 9))
    ehc_request = _draft(_decide(_make(taught_pupil, senco), senco), senco)

    services.record_final_plan(
        request=ehc_request,
        version=ehc_request.version,
        final_plan_on=date(2025, 5, 20),
        by=senco,
        today=date(2025, 5, 21),
    )

    plan = EhcPlan.objects.get(pupil=taught_pupil)
    assert plan.issued_on == date(2025, 5, 20)
    latest = taught_pupil.sen_history.order_by("-effective_from", "-pk").first()
    assert (latest.status, latest.effective_from) == (SenStatus.EHC_PLAN, date(2025, 5, 20))


def test_a_final_plan_for_a_pupil_without_a_recorded_need_is_refused_beside_its_date_and_nothing_is_kept(
    senco, taught_pupil
):
    ehc_request = _draft(_decide(_make(taught_pupil, senco), senco), senco)

    with pytest.raises(ValidationError) as refusal:
        services.record_final_plan(
            request=ehc_request,
            version=ehc_request.version,
            final_plan_on=date(2025, 5, 20),
            by=senco,
            today=date(2025, 5, 21),
        )

    assert "The EHC plan could not be recorded" in refusal.value.message_dict["final_plan_on"][0]
    assert not EhcPlan.objects.filter(pupil=taught_pupil).exists()
    ehc_request.refresh_from_db()
    assert ehc_request.final_plan_on is None


def test_once_the_final_plan_is_recorded_the_request_page_leads_to_the_pupils_ehc_plan(
    client, senco, taught_pupil
):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2024, 9, 9))
    ehc_request = _draft(_decide(_make(taught_pupil, senco), senco), senco)
    client.force_login(senco)
    url = reverse("agencies:ehc_request_detail", args=[ehc_request.pk])
    assert "Open the EHC plan" not in client.get(url).text

    services.record_final_plan(
        request=ehc_request,
        version=ehc_request.version,
        final_plan_on=date(2025, 5, 20),
        by=senco,
        today=date(2025, 5, 21),
    )

    plan = EhcPlan.objects.get(pupil=taught_pupil)
    page = client.get(url).text
    assert f'<a href="{plan.get_absolute_url()}">Open the EHC plan' in page
    assert "Issued 20 May 2025" in page
