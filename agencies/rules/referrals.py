"""The rules of a referral, as pure functions: which state may follow which, who may consent,
and the waiting times. No clock is read here (R11): callers pass `today`."""

from dataclasses import dataclass
from datetime import date
from statistics import median

from agencies.models.referrals import ReferralState as S
from agencies.models.referrals import Relationship

# The path a referral takes (draft → awaiting consent → consent refused, or consented →
# submitted → declined, or accepted → waiting → being assessed → report received → advice
# actioned → closed). Any state but withdrawn itself may move to withdrawn.
NEXT: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.AWAITING_CONSENT,),
    S.AWAITING_CONSENT: (S.CONSENT_REFUSED, S.CONSENTED),
    S.CONSENT_REFUSED: (),
    S.CONSENTED: (S.SUBMITTED,),
    S.SUBMITTED: (S.DECLINED, S.ACCEPTED),
    S.DECLINED: (),
    S.ACCEPTED: (S.WAITING,),
    S.WAITING: (S.IN_ASSESSMENT,),
    S.IN_ASSESSMENT: (S.REPORT_RECEIVED,),
    S.REPORT_RECEIVED: (S.ADVICE_ACTIONED,),
    S.ADVICE_ACTIONED: (S.CLOSED,),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
# States in which the referral is still live (the pupil page's panel, the list's default).
FINISHED = frozenset({S.CONSENT_REFUSED, S.DECLINED, S.CLOSED, S.WITHDRAWN})
# The date a state sets on the referral, for the waiting times. Being assessed is when the
# professional first saw the pupil.
DATED = {
    S.SUBMITTED: "submitted_on",
    S.ACCEPTED: "accepted_on",
    S.IN_ASSESSMENT: "first_seen_on",
    S.REPORT_RECEIVED: "report_received_on",
}
YOUNG_PERSON_AGE = 16


def next_states(state: str) -> tuple[str, ...]:
    """The states `state` may move to, withdrawal last."""
    if state == S.WITHDRAWN:
        return ()
    return (*NEXT[state], S.WITHDRAWN)


def move_refusal(state: str, to: str) -> str | None:
    """Why a referral in `state` cannot move to `to`, in words for the SENCO; None if it can."""
    if to not in S.values:
        return "Choose a state from the list."
    if to in next_states(state):
        return None
    now, then = S(state).label.lower(), S(to).label.lower()
    if state == to:
        return f"The referral is already {now}."
    if state == S.WITHDRAWN:
        return "The referral was withdrawn: it cannot move on. Start a new referral instead."
    allowed = next_states(state)
    options = " or ".join(S(s).label.lower() for s in allowed)
    return f"A referral that is {now} cannot become {then}: it can next become {options}."


def consent_problems(
    *,
    relationship: str,
    has_parental_responsibility: bool,
    covers_referral: bool,
    pupil_age: int,
    given_on: date,
    today: date,
) -> dict[str, str]:
    """What is wrong with a consent decision, keyed by field. A young person of 16 or over
    decides for themselves (Mental Capacity Act 2005, s1; SEND Code of Practice 8.9–8.15);
    for a younger pupil only someone with parental responsibility may (Children Act 1989, s3)."""
    problems = {}
    if relationship == Relationship.YOUNG_PERSON:
        if pupil_age < YOUNG_PERSON_AGE:
            problems["relationship"] = (
                f"The pupil was {pupil_age} on that date: a young person decides for themselves "
                f"only from {YOUNG_PERSON_AGE}. Record the decision of someone with parental responsibility."
            )
    elif not has_parental_responsibility:
        problems["has_parental_responsibility"] = (
            "Only someone with parental responsibility can decide for a pupil under 16 "
            "(or the young person themselves from 16). Record the decision of a parent or carer who has it."
        )
    if not covers_referral:
        problems["covers_referral"] = "A consent to this referral must cover the referral itself."
    if given_on > today:
        problems["given_on"] = "The date of the decision cannot be in the future."
    return problems


def move_date_problem(*, on: date, last_on: date | None, today: date) -> str | None:
    if on > today:
        return "The date cannot be in the future."
    if last_on is not None and on < last_on:
        return f"The date cannot be before the last change, on {last_on:%-d %B %Y}."
    return None


@dataclass(frozen=True)
class Waits:
    """Days from submission to acceptance, from acceptance to the pupil first being seen, from
    first seen to the report, and from submission to the report. None where not reached yet;
    `so_far` counts the days since the last date reached for a referral still waiting."""

    to_accepted: int | None
    to_first_seen: int | None
    to_report: int | None
    submitted_to_report: int | None
    so_far: int | None = None


def _days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def waits(
    *,
    submitted_on: date | None,
    accepted_on: date | None,
    first_seen_on: date | None,
    report_received_on: date | None,
    state: str,
    today: date,
) -> Waits:
    last = report_received_on or first_seen_on or accepted_on or submitted_on
    waiting = last is not None and report_received_on is None and state not in FINISHED
    return Waits(
        to_accepted=_days(submitted_on, accepted_on),
        to_first_seen=_days(accepted_on, first_seen_on),
        to_report=_days(first_seen_on, report_received_on),
        submitted_to_report=_days(submitted_on, report_received_on),
        so_far=(today - last).days if waiting else None,
    )


def median_days(values: list[int | None]) -> float | None:
    """The median of the known values, or None if there are none."""
    known = [value for value in values if value is not None]
    return median(known) if known else None
