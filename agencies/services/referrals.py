"""Business actions on referrals and their consents (R3). Each is one transaction, checks the
rules in `agencies.rules`, and writes its own audit row."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from agencies.models import Agency, Consent, ConsentDecision, Referral, ReferralMove, ReferralState
from agencies.rules import DATED, consent_problems, move_date_problem, move_refusal
from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import User

AGENCY_FIXED = "The service can change only while the referral is a draft: withdraw it and start another."
EDITABLE_FIELDS = ("agency", "reason", "agency_reference", "professional")
NO_CONSENT = (
    "The referral cannot be submitted without consent: record the consent of someone with "
    "parental responsibility (or of the young person, 16 or over), or a safeguarding or statutory exception."
)
CONSENT_WITHDRAWN = (
    "Consent was withdrawn on {on:%-d %B %Y}: the referral cannot be submitted unless consent is "
    "given again or a safeguarding or statutory exception is recorded."
)


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("pupil", "agency").get(pk=referral.pk)


def _consent_problem(referral: Referral) -> str | None:
    """Why the referral may not go ahead without consent, or None if consent (or an exception)
    is in place. The newest decision counts."""
    if referral.consent_exception:
        return None
    latest = referral.consents.order_by("-given_on", "-id").first()
    if latest is None or latest.decision != ConsentDecision.GIVEN:
        return NO_CONSENT
    if latest.withdrawn_on:
        return CONSENT_WITHDRAWN.format(on=latest.withdrawn_on)
    return None


def _move(referral: Referral, *, to: str, on: date, note: str, by: User) -> ReferralMove:
    move = ReferralMove(referral=referral, from_state=referral.state, to_state=to, on=on, note=note, by=by)
    move.full_clean()
    move.save()
    referral.state = to
    if to in DATED:
        setattr(referral, DATED[to], on)
    referral.version += 1
    referral.full_clean()
    referral.save()
    return move


@refuses_leavers("pupil")
@transaction.atomic
def start_referral(
    *, pupil: Pupil, agency: Agency, reason: str, by: User, today: date, professional: str = ""
) -> Referral:
    """A draft referral of `pupil` to `agency`. Side effects: the first line of its history
    (draft, today, by `by`); audit row `referral.created`."""
    referral = Referral(
        school=pupil.school,
        pupil=pupil,
        agency=agency,
        reason=reason,
        professional=professional,
        created_on=today,
        created_by=by,
    )
    referral.full_clean()
    referral.save()
    ReferralMove.objects.create(referral=referral, to_state=ReferralState.DRAFT, on=today, by=by)
    audit.record("referral.created", by=by, obj=referral, summary=f"To {agency}")
    return referral


@refuses_leavers("referral")
@transaction.atomic
def update_referral(*, referral: Referral, version: int, by: User, today: date, **values) -> Referral:
    """Change the referral's details (EDITABLE_FIELDS). The service it goes to can change only
    while it is a draft: a consent covers one service. Refuses a stale edit (R9). Side effects:
    audit row `referral.changed` naming the fields changed."""
    current = _locked(referral)
    check_unchanged(current, version, what="referral")
    if values["agency"].pk != current.agency_id and current.state != ReferralState.DRAFT:
        raise ValidationError({"agency": AGENCY_FIXED})
    changed = [name for name in EDITABLE_FIELDS if getattr(current, name) != values[name]]
    for name in EDITABLE_FIELDS:
        setattr(current, name, values[name])
    current.version += 1
    current.full_clean()
    current.save()
    audit.record("referral.changed", by=by, obj=current, fields=changed)
    return current


@refuses_leavers("referral")
@transaction.atomic
def move_referral(
    *, referral: Referral, to: str, on: date, version: int, by: User, today: date, note: str = ""
) -> Referral:
    """Move the referral to state `to` on day `on`, if the path allows it (an illegal move is
    refused, keyed `to`). A referral becomes ready to submit, and is submitted, only with consent
    in force or a recorded safeguarding or statutory exception. Refuses a stale form (R9). Side
    effects: a line of its history; the date a waiting time counts from; audit row
    `referral.moved`."""
    current = _locked(referral)
    check_unchanged(current, version, what="referral")
    if refusal := move_refusal(current.state, to):
        raise ValidationError({"to": refusal})
    last = current.moves.order_by("-on", "-id").first()
    if problem := move_date_problem(on=on, last_on=last.on if last else None, today=today):
        raise ValidationError({"on": problem})
    if to in (ReferralState.CONSENTED, ReferralState.SUBMITTED) and (problem := _consent_problem(current)):
        raise ValidationError({"to": problem})
    if (
        to == ReferralState.CONSENT_REFUSED
        and not current.consents.filter(decision=ConsentDecision.REFUSED).exists()
    ):
        raise ValidationError({"to": "Record the refusal (who refused, when and how) on the consent form."})
    from_state = current.state
    _move(current, to=to, on=on, note=note, by=by)
    audit.record("referral.moved", by=by, obj=current, summary=f"{from_state} to {to}")
    return current


@refuses_leavers("referral")
@transaction.atomic
def record_consent(*, referral: Referral, version: int, by: User, today: date, **values) -> Consent:
    """Record a decision about the referral by someone with parental responsibility, or by the
    young person aged 16 or over. A referral in draft or awaiting consent then moves on: to
    awaiting consent, and to ready to submit (given) or consent refused (refused), dated the day
    of the decision. Side effects: those lines of history; audit rows `consent.recorded` and
    `referral.moved` for each move."""
    current = _locked(referral)
    check_unchanged(current, version, what="referral")
    if current.state in (ReferralState.WITHDRAWN, ReferralState.CLOSED):
        raise ValidationError(
            f"The referral is {current.get_state_display().lower()}: nothing more can be recorded."
        )
    given_on = values["given_on"]
    problems = consent_problems(
        relationship=values["relationship"],
        has_parental_responsibility=values["has_parental_responsibility"],
        covers_referral=values["covers_referral"],
        pupil_age=current.pupil.age_on(given_on),
        given_on=given_on,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    consent = Consent(referral=current, pupil=current.pupil, recorded_by=by, **values)
    consent.full_clean()
    consent.save()
    audit.record("consent.recorded", by=by, obj=consent, summary=consent.get_decision_display())
    last = current.moves.order_by("-on", "-id").first()
    on = max(given_on, last.on) if last else given_on
    steps = {
        ReferralState.DRAFT: [ReferralState.AWAITING_CONSENT],
        ReferralState.AWAITING_CONSENT: [],
    }.get(current.state)
    if steps is not None:
        steps.append(
            ReferralState.CONSENTED
            if consent.decision == ConsentDecision.GIVEN
            else ReferralState.CONSENT_REFUSED
        )
        for to in steps:
            from_state = current.state
            _move(current, to=to, on=on, note="", by=by)
            audit.record("referral.moved", by=by, obj=current, summary=f"{from_state} to {to}")
    return consent


@refuses_leavers("consent")
@transaction.atomic
def withdraw_consent(*, consent: Consent, withdrawn_on: date, note: str, by: User, today: date) -> Consent:
    """Record that consent was withdrawn on `withdrawn_on`. The referral keeps its state and
    says so; one not yet submitted can no longer be. Side effects: audit row `consent.withdrawn`."""
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.decision != ConsentDecision.GIVEN:
        raise ValidationError("Only consent that was given can be withdrawn.")
    if current.withdrawn_on:
        raise ValidationError(f"This consent was already withdrawn on {current.withdrawn_on:%-d %B %Y}.")
    if withdrawn_on < current.given_on:
        raise ValidationError({"withdrawn_on": "Consent cannot be withdrawn before it was given."})
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": "The date cannot be in the future."})
    current.withdrawn_on, current.withdrawal_note, current.withdrawn_by = withdrawn_on, note, by
    current.full_clean()
    current.save()
    # The referral's page changes too (it says consent was withdrawn): an open form on it is stale.
    Referral.objects.filter(pk=current.referral_id).update(version=F("version") + 1)
    audit.record("consent.withdrawn", by=by, obj=current)
    return current


@refuses_leavers("referral")
@transaction.atomic
def record_consent_exception(
    *, referral: Referral, version: int, exception: str, reason: str, by: User, today: date
) -> Referral:
    """Record why the referral goes ahead without consent: a safeguarding concern or a
    statutory duty (Working Together to Safeguard Children 2023; Data Protection Act 2018,
    Schedule 1 and Schedule 8). The reason is required. Side effects: audit row
    `referral.exception_recorded`."""
    current = _locked(referral)
    check_unchanged(current, version, what="referral")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the exception applies."})
    current.consent_exception, current.exception_reason = exception, reason
    current.exception_recorded_on, current.exception_recorded_by = today, by
    current.version += 1
    current.full_clean()
    current.save()
    audit.record("referral.exception_recorded", by=by, obj=current, summary=exception)
    return current
