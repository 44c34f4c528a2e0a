"""Reads of EHC needs assessment requests, and each request's statutory clock.

The SENCO team and leadership (AGENCY_READERS) see every request of the school; teachers, TAs,
governors and the school administrator see none (the views refuse them, and these selectors
return nothing to them). Every date on the clock comes from `senco.deadlines` (R11); the clock
is a pure function of the request and `today`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from agencies.models import AssessmentDecision, AssessmentRequest, ClockExemption, ClockStep
from agencies.permissions import AGENCY_READERS
from agencies.selectors.statutory_calendar import CalendarEntry, provides_dates
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import (
    advice_due,
    appeal_deadline,
    closed_day_note,
    days_left,
    draft_plan_comments_by,
    ehcna_deadlines,
)
from senco.models import User

LA = "LA"
FAMILY = "Parent or young person"
PROFESSIONALS = "Professionals asked for advice"

APPEAL = "appeal"
DRAFT_COMMENTS = "draft_comments"


def ehc_requests_visible_to(user: User) -> QuerySet[AssessmentRequest]:
    """The requests of the user's school about pupils they reach as a SENCO team member or a
    leader; none for anyone else."""
    acting = user.acting_as(AGENCY_READERS)
    if acting.school is None or not acting.has_role(*AGENCY_READERS):
        return AssessmentRequest.objects.none()
    return AssessmentRequest.objects.filter(school=acting.school, pupil__in=pupils_visible_to(acting))


def ehc_request_for_page(user: User) -> QuerySet[AssessmentRequest]:
    """The requests `user` may open, with what the request's page shows in two more queries."""
    return (
        ehc_requests_visible_to(user)
        .select_related("pupil", "created_by")
        .prefetch_related(
            Prefetch("exemptions", queryset=ClockExemption.objects.select_related("recorded_by"))
        )
    )


def ehc_requests_of_pupil(user: User, *, pupil: Pupil) -> list[AssessmentRequest]:
    """One pupil's requests, newest first, with their exemptions: two queries."""
    return list(ehc_request_for_page(user).filter(pupil=pupil))


@dataclass(frozen=True)
class ClockLine:
    """One statutory date of a request: when it falls, when the step was done (if it was), and
    what that means today."""

    step: str  # a ClockStep value, "draft_comments" or "appeal"
    what: str
    source: str  # the rule and where it comes from
    whose: str  # who must act by the date
    due_on: date
    done_on: date | None
    today: date
    # A date with no duty of lateness: advice and comments end with the next step, an appeal or
    # a notice lapses without anyone being "late".
    lapses: bool = False
    finished: bool = False  # the stage is over without this step being done (advice, comments)
    exemptions: tuple[ClockExemption, ...] = field(default=())

    @property
    def closed_day(self) -> str:
        return closed_day_note(self.due_on)

    @property
    def days_left(self) -> int:
        return days_left(self.due_on, today=self.today)

    @property
    def is_open(self) -> bool:
        """Still to be done, and still worth showing in the calendar."""
        if self.done_on is not None or self.finished:
            return False
        return not (self.lapses and self.days_left < 0)

    @property
    def days_late(self) -> int:
        """How many days after the statutory date the step was done, or, if it is not done yet,
        how many have passed since; 0 when on time, or for a date that lapses."""
        if self.done_on is not None:
            return max((self.done_on - self.due_on).days, 0)
        if self.lapses or self.finished:
            return 0
        return max(-self.days_left, 0)

    @property
    def state(self) -> str:
        """ "met", "late" (done after the date), "overdue" (not done, date passed), "due",
        "passed" (a date that lapsed) or "over" (the stage ended)."""
        if self.done_on is not None:
            return "late" if self.days_late else "met"
        if self.finished:
            return "over"
        if self.days_left < 0:
            return "passed" if self.lapses else "overdue"
        return "due"


@dataclass(frozen=True)
class RequestClock:
    request: AssessmentRequest
    lines: list[ClockLine]

    @property
    def estimated(self) -> bool:
        return not self.request.received_confirmed

    @property
    def missed(self) -> list[ClockLine]:
        """The LA's deadlines it met late or has not met: the school's evidence."""
        return [line for line in self.lines if line.whose == LA and line.days_late]


def request_clock(request: AssessmentRequest, *, today: date) -> RequestClock:
    """The request's statutory dates in order, each with its state on `today`. Uses the request's
    exemptions as prefetched (`ehc_request_for_page`)."""
    exemptions: dict[str, list[ClockExemption]] = {}
    for exemption in request.exemptions.all():
        exemptions.setdefault(exemption.step, []).append(exemption)

    def line(step: str, what: str, source: str, due_on: date, done_on: date | None, **kwargs) -> ClockLine:
        return ClockLine(
            step=step,
            what=what,
            source=source,
            due_on=due_on,
            done_on=done_on,
            today=today,
            exemptions=tuple(exemptions.get(step, ())),
            **kwargs,
        )

    deadlines = ehcna_deadlines(request.received_on)
    lines = [
        line(
            ClockStep.DECISION,
            "Decision whether to assess",
            "6 weeks from receipt (SEND Regs 2014 reg 5(3); CoP 9.14)",
            deadlines["decision"],
            request.decided_on,
            whose=LA,
        )
    ]
    if request.advice_requested_on:
        lines.append(
            line(
                ClockStep.ADVICE,
                "Advice from the professionals asked",
                "6 weeks from the LA's request for it (SEND Regs 2014 reg 8)",
                advice_due(request.advice_requested_on),
                None,
                whose=PROFESSIONALS,
                lapses=True,  # the school hears of advice arriving, if at all, with the draft
                finished=request.draft_sent_on is not None or request.closed,
            )
        )
    if request.draft_sent_on:
        lines.append(
            line(
                DRAFT_COMMENTS,
                "Comments on the draft plan and the school asked for",
                "at least 15 days from the draft (SEND Regs 2014 reg 13(1); CoP 9.77)",
                draft_plan_comments_by(request.draft_sent_on),
                None,
                whose=FAMILY,
                lapses=True,
                finished=request.closed,
            )
        )
    if not request.refused and request.final_plan_on is None:
        lines.append(
            line(
                ClockStep.NO_PLAN_NOTICE,
                "Notice if the LA will not issue a plan",
                "16 weeks from receipt (SEND Regs 2014 reg 10(1))",
                deadlines["no_plan_notice"],
                request.no_plan_notice_on,
                whose=LA,
                lapses=True,
            )
        )
    if not request.refused and request.no_plan_notice_on is None:
        lines.append(
            line(
                ClockStep.FINAL_PLAN,
                "Final EHC plan",
                "20 weeks from receipt (SEND Regs 2014 reg 13(2); CoP 9.40)",
                deadlines["final_plan"],
                request.final_plan_on,
                whose=LA,
            )
        )
    appealed = _appealable(request)
    if appealed is not None:
        what, decided_on = appealed
        if request.mediation_certificate_on:
            certificate = request.mediation_certificate_on
            source = (
                f"the later of 2 months from the {what} and 1 month from the mediation certificate "
                f"of {certificate.day} {certificate:%B %Y} (CFA 2014 s55)"
            )
        else:
            source = (
                f"2 months from the {what}; a mediation adviser must be contacted first, and a "
                "mediation certificate gives at least 1 month from its date (CFA 2014 s55)"
            )
        lines.append(
            line(
                APPEAL,
                "Last day to appeal to the SEND Tribunal",
                source,
                appeal_deadline(decided_on, mediation_certificate_on=request.mediation_certificate_on),
                None,
                whose=FAMILY,
                lapses=True,
            )
        )
    return RequestClock(request=request, lines=lines)


def _appealable(request: AssessmentRequest) -> tuple[str, date] | None:
    """The decision a parent may appeal against, and its date: a refusal to assess, a notice not
    to issue a plan, or the final plan's contents."""
    if request.decision == AssessmentDecision.REFUSE:
        return "refusal to assess", request.decided_on
    if request.no_plan_notice_on:
        return "notice not to issue a plan", request.no_plan_notice_on
    if request.final_plan_on:
        return "final plan", request.final_plan_on
    return None


@provides_dates
def ehc_request_dates(user: User, *, pupils: QuerySet[Pupil], today: date) -> Iterator[CalendarEntry]:
    """The open dates of every EHC needs assessment request about `pupils` that the user may read
    (AGENCY_READERS): the LA's deadlines not yet met, advice and comments still awaited, and an
    appeal deadline still ahead after a refusal or a notice not to issue. Two queries."""
    requests = ehc_request_for_page(user).filter(pupil__in=pupils)
    for request in requests:
        clock = request_clock(request, today=today)
        for line in clock.lines:
            if not line.is_open or (line.step == APPEAL and request.final_plan_on):
                continue
            notes = []
            if clock.estimated:
                notes.append("from an estimated date of receipt")
            notes += [f"exemption: {exemption.get_kind_display()}" for exemption in line.exemptions]
            yield CalendarEntry(
                due_on=line.due_on,
                pupil=request.pupil,
                kind="ehc_request",
                what=f"EHC needs assessment: {line.what[0].lower()}{line.what[1:]}",
                source=line.source,
                url=request.get_absolute_url(),
                whose=line.whose,
                detail="; ".join(notes),
            )
