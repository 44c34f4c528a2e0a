"""The demo's directory of services and referrals: each school's directory starts from the usual
services, and pupils on the register have referrals in every state of the referral's path, each
made through the referral services so that its history, consent and waiting times are what the
SENCO would have recorded. One referral goes ahead under a safeguarding exception and one has
its consent withdrawn. Deterministic: the pupils are taken in id order."""

from datetime import date, timedelta

from agencies.models import Agency, AgencyKind, Consent, Referral, ReferralState
from agencies.services.directory import add_usual_agencies
from agencies.services.referrals import (
    move_referral,
    record_consent,
    record_consent_exception,
    start_referral,
    withdraw_consent,
)
from pupils.models import ON_REGISTER, Pupil
from senco.demo.seed_calendar import latest_school_day
from senco.models import School, User
from senco.rules import SchoolCalendar

S = ReferralState
# The steps after consent, in order; a referral in a state has taken the steps up to it.
AFTER_CONSENT = [
    S.SUBMITTED,
    S.ACCEPTED,
    S.WAITING,
    S.IN_ASSESSMENT,
    S.REPORT_RECEIVED,
    S.ADVICE_ACTIONED,
    S.CLOSED,
]
# (state it ends in, service, days ago it started, days between steps)
REFERRALS = [
    (S.DRAFT, AgencyKind.OCCUPATIONAL_THERAPY, 3, 0),
    (S.AWAITING_CONSENT, AgencyKind.EDUCATIONAL_PSYCHOLOGY, 12, 2),
    (S.CONSENT_REFUSED, AgencyKind.CAMHS, 60, 7),
    (S.CONSENTED, AgencyKind.SPEECH_AND_LANGUAGE, 20, 6),
    (S.SUBMITTED, AgencyKind.EDUCATIONAL_PSYCHOLOGY, 40, 10),
    (S.DECLINED, AgencyKind.CAMHS, 120, 14),
    (S.ACCEPTED, AgencyKind.SPEECH_AND_LANGUAGE, 90, 20),
    (S.WAITING, AgencyKind.PAEDIATRICS, 300, 30),
    (S.IN_ASSESSMENT, AgencyKind.EDUCATIONAL_PSYCHOLOGY, 200, 25),
    (S.REPORT_RECEIVED, AgencyKind.SPEECH_AND_LANGUAGE, 260, 28),
    (S.ADVICE_ACTIONED, AgencyKind.OCCUPATIONAL_THERAPY, 330, 30),
    (S.CLOSED, AgencyKind.EDUCATIONAL_PSYCHOLOGY, 400, 35),
    (S.WITHDRAWN, AgencyKind.SPECIALIST_TEACHERS, 100, 12),
]
REASONS = {
    AgencyKind.OCCUPATIONAL_THERAPY: "Handwriting and scissor skills well behind peers despite practice.",
    AgencyKind.EDUCATIONAL_PSYCHOLOGY: "Reading still very slow after two cycles of SEN support.",
    AgencyKind.CAMHS: "Persistent anxiety in school: refusing to enter class most mornings since half-term.",
    AgencyKind.SPEECH_AND_LANGUAGE: "Speech is hard for adults outside the family to understand.",
    AgencyKind.PAEDIATRICS: "The school's evidence for the GP's referral: attention and concentration.",
    AgencyKind.SPECIALIST_TEACHERS: "Advice on supporting social communication in the classroom.",
    AgencyKind.SOCIAL_CARE: "Referral by the designated safeguarding lead after a disclosure.",
}


def _mother(pupil: Pupil, on: date) -> dict:
    return {
        "decision": "given",
        "giver_name": f"Parent of {pupil.first_name}",
        "relationship": "mother",
        "has_parental_responsibility": True,
        "covers_referral": True,
        "covers_sharing": True,
        "scope_note": "",
        "given_on": on,
        "how_given": "signed_form",
    }


def seed_referrals(*, school: School, senco: User, today: date, calendar: SchoolCalendar) -> None:
    """The usual services, and a referral in every state for pupils on the register."""
    add_usual_agencies(school=school, by=senco)
    agencies = {agency.kind: agency for agency in Agency.objects.filter(school=school)}
    pupils = list(
        Pupil.objects.filter(school=school, left_on=None, sen_status_now__in=ON_REGISTER).order_by("pk")
    )
    # Spread across the register, so that a small primary school has them all too.
    chosen = pupils[:: max(1, len(pupils) // (len(REFERRALS) + 2))]
    for (state, kind, days_ago, gap), pupil in zip(REFERRALS, chosen, strict=False):
        _referral(
            pupil, agencies[kind], state, senco=senco, today=today, calendar=calendar, start=days_ago, gap=gap
        )
    if len(chosen) > len(REFERRALS) + 1:
        _withdrawn_consent(chosen[len(REFERRALS)], agencies[AgencyKind.CAMHS], senco, today, calendar)
        _safeguarding(chosen[len(REFERRALS) + 1], agencies[AgencyKind.SOCIAL_CARE], senco, today, calendar)


def _referral(pupil, agency, state, *, senco, today, calendar, start, gap) -> Referral:
    def day(days_ago: int) -> date:
        return latest_school_day(
            calendar, today - timedelta(days=max(days_ago, 0)), not_before=pupil.admitted_on
        )

    referral = start_referral(
        pupil=pupil, agency=agency, reason=REASONS[agency.kind], by=senco, today=day(start)
    )
    if state == S.DRAFT:
        return referral
    if state == S.AWAITING_CONSENT:
        return _step(referral, S.AWAITING_CONSENT, day(start - gap), senco, today)
    consent = _mother(pupil, day(start - gap)) | (
        {"decision": "refused"} if state == S.CONSENT_REFUSED else {}
    )
    record_consent(referral=referral, version=referral.version, by=senco, today=today, **consent)
    referral.refresh_from_db()
    if state in (S.CONSENT_REFUSED, S.CONSENTED):
        return referral
    path = [S.SUBMITTED, S.WITHDRAWN] if state == S.WITHDRAWN else _path_to(state)
    for step, to in enumerate(path, start=2):
        referral = _step(referral, to, day(start - gap * step), senco, today)
    return referral


def _path_to(state: str) -> list[str]:
    if state == S.DECLINED:
        return [S.SUBMITTED, S.DECLINED]
    return AFTER_CONSENT[: AFTER_CONSENT.index(state) + 1]


def _step(referral: Referral, to: str, on: date, senco: User, today: date) -> Referral:
    last = referral.moves.order_by("-on", "-id").first()
    on = max(on, last.on) if last else on
    return move_referral(referral=referral, to=to, on=on, version=referral.version, by=senco, today=today)


def _withdrawn_consent(pupil, agency, senco, today, calendar) -> None:
    """Consent given, then withdrawn before the referral was submitted."""
    on = latest_school_day(calendar, today - timedelta(days=30), not_before=pupil.admitted_on)
    referral = start_referral(pupil=pupil, agency=agency, reason=REASONS[agency.kind], by=senco, today=on)
    consent = record_consent(
        referral=referral, version=referral.version, by=senco, today=today, **_mother(pupil, on)
    )
    withdrawn_on = latest_school_day(calendar, today - timedelta(days=10), not_before=on)
    withdraw_consent(
        consent=Consent.objects.get(pk=consent.pk),
        withdrawn_on=withdrawn_on,
        note="Mother phoned the office: she wants to talk to the GP first.",
        by=senco,
        today=today,
    )


def _safeguarding(pupil, agency, senco, today, calendar) -> None:
    """Submitted without consent under a recorded safeguarding exception."""
    on = latest_school_day(calendar, today - timedelta(days=15), not_before=pupil.admitted_on)
    referral = start_referral(pupil=pupil, agency=agency, reason=REASONS[agency.kind], by=senco, today=on)
    referral = _step(referral, S.AWAITING_CONSENT, on, senco, today)
    referral = record_consent_exception(
        referral=referral,
        version=referral.version,
        exception="safeguarding",
        reason="Asking the family could put the child at risk (the designated safeguarding lead's decision).",
        by=senco,
        today=today,
    )
    referral = _step(referral, S.CONSENTED, on, senco, today)
    _step(referral, S.SUBMITTED, on, senco, today)
