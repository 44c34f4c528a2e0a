"""Writes for teachers' concerns and the SENCO's triage of them.

A concern moves raised -> acknowledged -> gathering information -> decided (the SENCO may decide
at any open stage). Every triage action uses optimistic concurrency (R9, `senco.concurrency`):
the caller passes the `version` it read; a changed version raises `StaleEdit` and nothing is
written. Each action
audits itself as `concern.<verb>`.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pupils.models import ON_REGISTER, Concern, ConcernDecision, ConcernStage, NeedType, Pupil, SenStatus
from pupils.selectors.concerns import OPEN_STAGES
from pupils.selectors.records import current_sen_status
from pupils.services.leavers import ensure_not_left, refuses_leavers
from pupils.services.records import change_sen_status
from senco import audit
from senco.concurrency import check_unchanged, update_if_unchanged
from senco.models import User
from senco.services.schools import email_staff

ALREADY_DECIDED = "This concern has already been decided; it is closed."


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _bump(concern: Concern, version: int, **fields) -> None:
    """Write `fields` only if nobody has triaged the concern since `version` was read."""
    update_if_unchanged(concern, version, what="concern", updated_at=timezone.now(), **fields)


# A leaver's record is read-only, so their open concern may only be closed with "No further
# action": any other step would plan support for a pupil the school no longer teaches.
LEAVERS_CONCERN = f"Close the concern with “{ConcernDecision.NO_FURTHER_ACTION.label}”."


def _check_version(concern: Concern, version: int) -> None:
    # Checked before the stage rules, so a SENCO overtaken by a colleague is told that, not
    # that the concern is now closed; `_bump` still guards the race between check and write.
    check_unchanged(concern, version, what="concern")


@refuses_leavers("pupil")
@transaction.atomic
def raise_concern(
    *, pupil: Pupil, area: str, observed: str, evidence: str, already_tried: str, by: User, today: date
) -> Concern:
    """Log a member of staff's concern about a pupil they can see; it joins the SENCO's queue.

    Side effects: audit row `concern.raised`.
    """
    concern = Concern(
        pupil=pupil,
        raised_by=by,
        raised_on=today,
        area=area,
        observed=observed,
        evidence=evidence,
        already_tried=already_tried,
    )
    concern.full_clean()
    concern.save()
    audit.record(
        "concern.raised", by=by, obj=concern, fields=["area", "observed", "evidence", "already_tried"]
    )
    return concern


@refuses_leavers("concern", then=LEAVERS_CONCERN)
@transaction.atomic
def acknowledge_concern(*, concern: Concern, version: int, by: User, today: date) -> Concern:
    """Tell the queue the SENCO team has seen a newly raised concern. Refused for a leaver.

    Raises StaleEdit if it changed since `version`. Side effects: audit row `concern.acknowledged`.
    """
    _check_version(concern, version)
    if concern.stage != ConcernStage.RAISED:
        raise ValidationError(
            f"Only a newly raised concern can be acknowledged; this one is at "
            f"“{concern.get_stage_display()}”."
        )
    _bump(concern, version, stage=ConcernStage.ACKNOWLEDGED)
    audit.record("concern.acknowledged", by=by, obj=concern, fields=["stage"])
    concern.refresh_from_db()
    return concern


@refuses_leavers("concern", then=LEAVERS_CONCERN)
@transaction.atomic
def gather_information(*, concern: Concern, version: int, senco_notes: str, by: User, today: date) -> Concern:
    """Move an open concern to "gathering information", saving the SENCO's notes on what is
    being gathered (observations, parents' views, assessments). Calling it again while gathering
    updates the notes. Refused for a leaver.

    Raises StaleEdit if it changed since `version`. Side effects: audit row `concern.gathering`.
    """
    _check_version(concern, version)
    if concern.stage not in OPEN_STAGES:
        raise ValidationError(ALREADY_DECIDED)
    if not senco_notes.strip():
        raise ValidationError({"senco_notes": "Say what information you are gathering."})
    _bump(concern, version, stage=ConcernStage.GATHERING, senco_notes=senco_notes)
    audit.record("concern.gathering", by=by, obj=concern, fields=["stage", "senco_notes"])
    concern.refresh_from_db()
    return concern


def _record_status_change(
    concern: Concern,
    *,
    decision: str,
    reason: str,
    by: User,
    today: date,
    primary_need: NeedType | None,
    secondary_need: NeedType | None,
    effective_from: date | None,
    parents_informed_on: date | None,
    parents_informed_how: str,
) -> None:
    """The SEN status change a decision opens: SEN support, or monitoring for a pupil not yet
    watched. Refuses SEN support for a pupil already on the register."""
    pupil = concern.pupil
    current = current_sen_status(pupil, today=today)
    status = current.status if current else SenStatus.NO_SEN
    if decision == ConcernDecision.SEN_SUPPORT:
        if status in ON_REGISTER:
            raise ValidationError(
                {
                    "decision": f"{pupil.full_name} is already recorded as “{SenStatus(status).label}”, "
                    "so they cannot be added to SEN support. Choose another decision, and change "
                    "their SEN status on their record if it needs to change."
                }
            )
        if effective_from is None:
            raise ValidationError({"effective_from": "Give the date SEN support starts."})
        new_status = SenStatus.SEN_SUPPORT
    elif decision == ConcernDecision.MONITOR and status == SenStatus.NO_SEN:
        primary_need = secondary_need = None  # need types are recorded only with SEN support
        new_status = SenStatus.MONITORING
    else:
        return  # already monitored or on the register: the decision is recorded on the concern only
    change_sen_status(
        pupil=pupil,
        status=new_status,
        effective_from=effective_from or today,
        reason=reason,
        by=by,
        today=today,
        primary_need=primary_need,
        secondary_need=secondary_need,
        parents_informed_on=parents_informed_on,
        parents_informed_how=parents_informed_how,
    )


def _look_again_date(decision: str, look_again_on: date | None, *, today: date) -> date | None:
    """The date to look at a monitored pupil again: required for "Monitor" and after the day of
    the decision; no other decision keeps one."""
    if decision != ConcernDecision.MONITOR:
        return None
    if look_again_on is None:
        raise ValidationError({"look_again_on": "Give the date to look at this pupil again."})
    if look_again_on <= today:
        raise ValidationError(
            {"look_again_on": f"Choose a date after today ({_long_date(today)}), the day of the decision."}
        )
    return look_again_on


def _tell_teacher(concern: Concern, *, by: User, outcome_url: str) -> datetime | None:
    """E-mail the member of staff who raised the concern; returns when they were told, if at all.

    The message holds only the pupil's first name and a link: e-mail leaves our systems, so the
    decision and the reason stay behind the sign-in.
    """
    teacher = concern.raised_by
    if teacher == by:
        return timezone.now()  # they made the decision themselves
    if not teacher.email:
        return None
    pupil = concern.pupil
    first_name = pupil.preferred_first_name or pupil.first_name
    email_staff(
        to=teacher,
        subject="A concern you raised has been decided",
        body=(
            f"The SENCO has decided the concern you raised about {first_name} "
            f"on {_long_date(concern.raised_on)}.\n\n"
            f"Sign in to read the outcome: {outcome_url}\n"
        ),
    )
    return timezone.now()


@transaction.atomic
def decide_concern(
    *,
    concern: Concern,
    version: int,
    decision: str,
    decision_reason: str,
    by: User,
    today: date,
    outcome_url: str,
    primary_need: NeedType | None = None,
    secondary_need: NeedType | None = None,
    effective_from: date | None = None,
    parents_informed_on: date | None = None,
    parents_informed_how: str = "",
    look_again_on: date | None = None,
) -> Concern:
    """Record the SENCO's decision on an open concern, with the reason, and close it.

    "Add to SEN support" also puts the pupil on SEN support (needs and dates as given) and
    "Monitor" records a monitoring status for a pupil not yet watched, both through
    `change_sen_status` in this transaction: if that is refused, nothing is written. "Monitor"
    needs `look_again_on`, a day after the decision; the other decisions ignore it, and every
    decision but those two ignores the needs and dates of a status change.
    A leaver's concern may only be decided "No further action".
    Raises StaleEdit if the concern changed since `version`.
    Side effects: audit row `concern.decided` (and `pupil.sen_status_changed`); the member of staff
    who raised it is e-mailed on commit and `teacher_told_at` set.
    """
    _check_version(concern, version)
    if concern.stage not in OPEN_STAGES:
        raise ValidationError(ALREADY_DECIDED)
    if decision != ConcernDecision.NO_FURTHER_ACTION:
        ensure_not_left(concern.pupil, today, field="decision", then=LEAVERS_CONCERN)
    if not decision_reason.strip():
        raise ValidationError({"decision_reason": "Give the reason for the decision."})
    look_again_on = _look_again_date(decision, look_again_on, today=today)
    concern.stage, concern.decision, concern.decision_reason = ConcernStage.DECIDED, decision, decision_reason
    concern.decided_by, concern.decided_on, concern.look_again_on = by, today, look_again_on
    concern.full_clean()
    _record_status_change(
        concern,
        decision=decision,
        reason=decision_reason,
        by=by,
        today=today,
        primary_need=primary_need,
        secondary_need=secondary_need,
        effective_from=effective_from,
        parents_informed_on=parents_informed_on,
        parents_informed_how=parents_informed_how,
    )
    told_at = _tell_teacher(concern, by=by, outcome_url=outcome_url)  # sent only if this commits
    _bump(
        concern,
        version,
        stage=ConcernStage.DECIDED,
        decision=decision,
        decision_reason=decision_reason,
        decided_by=by,
        decided_on=today,
        decided_at=timezone.now(),
        look_again_on=look_again_on,
        teacher_told_at=told_at,
    )
    audit.record(
        "concern.decided",
        by=by,
        obj=concern,
        fields=["stage", "decision", "decision_reason", *(["look_again_on"] if look_again_on else [])],
        summary=f"Decision: {ConcernDecision(decision).label}",
    )
    concern.refresh_from_db()
    return concern


@refuses_leavers("concern", then=LEAVERS_CONCERN)
@transaction.atomic
def record_looked_again(
    *, concern: Concern, version: int, looked_again_notes: str, by: User, today: date
) -> Concern:
    """Record that the SENCO team looked at a monitored pupil again, and what they found; the
    concern leaves "Concerns to look at again". Whatever follows (SEN support, a new concern,
    nothing) is its own action. Allowed once, for a concern decided "Monitor" with a date to look
    again, at any time (looking early is fine); refused for a leaver.

    Raises StaleEdit if it changed since `version`. Side effects: audit row `concern.looked_again`.
    """
    _check_version(concern, version)
    if concern.decision != ConcernDecision.MONITOR or concern.look_again_on is None:
        raise ValidationError(
            "Only a concern decided “Monitor” with a date to look again can be looked at again."
        )
    if concern.looked_again_at is not None:
        raise ValidationError("Looking at this pupil again is already recorded.")
    if not looked_again_notes.strip():
        raise ValidationError({"looked_again_notes": "Say what you found when you looked again."})
    _bump(
        concern,
        version,
        looked_again_at=timezone.now(),
        looked_again_by=by,
        looked_again_notes=looked_again_notes,
    )
    audit.record("concern.looked_again", by=by, obj=concern, fields=["looked_again_notes"])
    concern.refresh_from_db()
    return concern
