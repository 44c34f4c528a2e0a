"""Writes for EHC needs assessment requests: the request itself, then each of the LA's steps as
the school hears of it, and exemptions from the time limits.

Every step is one service with keyword-only arguments and the acting user as `by=` (R3). It sets
the step's date, checks the whole request with `full_clean()` (steps out of order are refused
with the message beside the date at fault), and writes only if the request is still at the
`version` the editor read (R9: `StaleEdit` otherwise). Each audits itself as `ehc_request.<verb>`
and refuses a leaver's record.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import AssessmentRequest, ClockExemption, EhcPlan
from agencies.services.ehc_plans import issue_ehc_plan
from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import check_unchanged, update_if_unchanged
from senco.models import User

WHAT = "request"


def _record_step(
    request: AssessmentRequest, version: int, *, action: str, by: User, **values
) -> AssessmentRequest:
    """Check the request with `values` applied, then write them if nobody changed it since
    `version`; audit `action` naming the fields written."""
    # Read afresh and locked: the caller's copy may be older than a colleague's change.
    request = AssessmentRequest.objects.select_for_update().get(pk=request.pk)
    check_unchanged(request, version, what=WHAT)
    for name, value in values.items():
        setattr(request, name, value)
    request.full_clean()
    update_if_unchanged(request, version, what=WHAT, **values)
    audit.record(action, by=by, obj=request, fields=sorted(values))
    request.refresh_from_db()
    return request


@refuses_leavers("pupil")
@transaction.atomic
def make_ehc_request(
    *,
    pupil: Pupil,
    requested_by: str,
    sent_on: date,
    received_on: date,
    received_confirmed: bool,
    evidence: str,
    by: User,
    today: date,
) -> AssessmentRequest:
    """Record a request for an EHC needs assessment of `pupil`, sent to the LA on `sent_on`
    by the school, a parent or the young person. Its clock starts on `received_on`, an estimate
    until `received_confirmed`.

    Side effects: audit row `ehc_request.made`.
    """
    request = AssessmentRequest(
        school=pupil.school,
        pupil=pupil,
        requested_by=requested_by,
        sent_on=sent_on,
        received_on=received_on,
        received_confirmed=received_confirmed,
        evidence=evidence,
        created_by=by,
    )
    request.full_clean()
    request.save()
    audit.record(
        "ehc_request.made", by=by, obj=request, fields=["requested_by", "sent_on", "received_on", "evidence"]
    )
    return request


@refuses_leavers("request")
@transaction.atomic
def confirm_receipt(
    *, request: AssessmentRequest, version: int, received_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the day the LA says it received the request: the clock runs from it, no longer an
    estimate. Side effects: audit row `ehc_request.receipt_confirmed`."""
    return _record_step(
        request,
        version,
        action="ehc_request.receipt_confirmed",
        by=by,
        received_on=received_on,
        received_confirmed=True,
    )


@refuses_leavers("request")
@transaction.atomic
def record_assessment_decision(
    *, request: AssessmentRequest, version: int, decision: str, decided_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the LA's decision to assess or its refusal, and its date. A refusal ends the LA's
    clock and opens the appeal. Side effects: audit row `ehc_request.decided`."""
    return _record_step(
        request, version, action="ehc_request.decided", by=by, decision=decision, decided_on=decided_on
    )


@refuses_leavers("request")
@transaction.atomic
def record_advice_requested(
    *, request: AssessmentRequest, version: int, advice_requested_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the day the LA asked professionals for advice (their six weeks run from it).
    Side effects: audit row `ehc_request.advice_requested`."""
    return _record_step(
        request,
        version,
        action="ehc_request.advice_requested",
        by=by,
        advice_requested_on=advice_requested_on,
    )


@refuses_leavers("request")
@transaction.atomic
def record_draft_plan(
    *, request: AssessmentRequest, version: int, draft_sent_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the day the LA sent the draft EHC plan: the 15-day comment window runs from it.
    Side effects: audit row `ehc_request.draft_plan`."""
    return _record_step(request, version, action="ehc_request.draft_plan", by=by, draft_sent_on=draft_sent_on)


@refuses_leavers("request")
@transaction.atomic
def record_final_plan(
    *, request: AssessmentRequest, version: int, final_plan_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the day the LA issued the final EHC plan; the LA's clock stops, and the pupil's EHC
    plan is made from it (`issue_ehc_plan`: version 1, SEN status E from that day), unless a plan
    is already recorded for them (one the SENCO entered by hand before the step), which the
    SENCO then amends instead. Anything `issue_ehc_plan` refuses undoes the step too.

    Side effects: audit rows `ehc_request.final_plan`, `ehc_plan.issued` and the status change's."""
    request = _record_step(
        request, version, action="ehc_request.final_plan", by=by, final_plan_on=final_plan_on
    )
    if not EhcPlan.objects.filter(pupil=request.pupil, ceased_on__isnull=True).exists():
        try:
            issue_ehc_plan(
                pupil=request.pupil,
                issued_on=final_plan_on,
                local_authority=request.school.local_authority,
                by=by,
                today=today,
            )
        except ValidationError as refusal:
            # The step's form has the date alone: say there why the plan could not be made.
            raise ValidationError(
                {
                    "final_plan_on": [
                        f"The EHC plan could not be recorded: {message}" for message in refusal.messages
                    ]
                }
            ) from refusal
    return request


@refuses_leavers("request")
@transaction.atomic
def record_no_plan_notice(
    *, request: AssessmentRequest, version: int, no_plan_notice_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the LA's notice that it will not issue a plan after assessing; the appeal opens.
    Side effects: audit row `ehc_request.no_plan_notice`."""
    return _record_step(
        request, version, action="ehc_request.no_plan_notice", by=by, no_plan_notice_on=no_plan_notice_on
    )


@refuses_leavers("request")
@transaction.atomic
def record_mediation_certificate(
    *, request: AssessmentRequest, version: int, mediation_certificate_on: date, by: User, today: date
) -> AssessmentRequest:
    """Record the date of the mediation certificate, which may extend the appeal deadline (CFA
    2014 s55). Side effects: audit row `ehc_request.mediation_certificate`."""
    return _record_step(
        request,
        version,
        action="ehc_request.mediation_certificate",
        by=by,
        mediation_certificate_on=mediation_certificate_on,
    )


@refuses_leavers("request")
@transaction.atomic
def record_clock_exemption(
    *,
    request: AssessmentRequest,
    step: str,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    evidence: str,
    la_revised_on: date | None,
    by: User,
    today: date,
) -> ClockExemption:
    """Record an exemption the LA relies on for one of its deadlines. The statutory date is kept
    and shown; the exemption and any date the LA gives are shown beside it.

    Side effects: audit row `ehc_request.exemption_recorded`."""
    exemption = ClockExemption(
        request=request,
        step=step,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        evidence=evidence,
        la_revised_on=la_revised_on,
        recorded_by=by,
    )
    exemption.full_clean()
    exemption.save()
    audit.record(
        "ehc_request.exemption_recorded",
        by=by,
        obj=request,
        fields=["step", "kind", "starts_on", "ends_on", "evidence", "la_revised_on"],
    )
    return exemption
