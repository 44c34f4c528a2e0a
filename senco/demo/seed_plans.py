"""Demo plans: every pupil on roll on SEN support or with an EHC plan has the chain of
assess-plan-do-review cycles a SENCO would have kept since the school started recording them
here (the start of last school year), ending in one open cycle; the last two pupils being
monitored came off SEN support at a review this term.

Reviews fall every three months from the first cycle's start (termly review is usual practice,
and each review is one of the three meetings a year with parents that CoP 6.65 expects), on
the last school day on or before; each cycle starts on the day the last was reviewed, as
`provision.services.plans.close_review` opens it. Plans already running when the records began
were entered over its first six weeks, so reviews are spread out. The open cycle is a draft when
it began in the last week (the SENCO has not finalised it yet) and otherwise finalised and,
mostly, shared with parents. One pupil in twelve is a little behind: the review date the SENCO
set passed up to three weeks ago and the meeting has not been held, so the reviews-due page and
the SENCO's home have something to show. Outcomes not met at a review are carried into the next
cycle; a met one gives way to the next step in its area. Finalised and reviewed cycles keep the
versions the plan services would have kept, dated when they were kept.

Deterministic: pupils are taken in id order and texts from fixed lists, drawing no random
numbers. Rows are bulk-created and no audit rows are written.
"""

from collections import Counter, defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from provision.models import (
    Decision,
    OutcomeProgress,
    ParentsAtReview,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Progress,
    ReviewComment,
    SupportPlan,
)
from provision.services.plans import plan_snapshot
from pupils.models import ON_REGISTER, GroupKind, NeedType, SenStatus, SenStatusChange, TeachingGroup
from senco.demo.seed_calendar import latest_school_day, school_day_between, school_days_before
from senco.demo.words import TEACHER, about
from senco.models import Phase, School, User
from senco.rules import (
    SchoolCalendar,
    academic_year_of,
    add_months,
    add_school_days,
    is_bank_holiday,
    last_school_day_on_or_before,
)

CYCLE_MONTHS = 3
LATE_REVIEWS = 12  # one pupil in this many has a review up to three weeks overdue
LATE_AFTER = timedelta(weeks=4)  # a review date is never set sooner than this after the start
DRAFT_FOR = timedelta(days=7)
SPREAD_OVER = 30  # school days

# Outcomes by broad area of need: (outcome in the pupil's pronouns, success criteria). A met
# outcome is replaced by the next one in its list at the following cycle.
OUTCOMES = {
    "cognition": [
        ("Read a short passage at {his} level with 95% accuracy.", "Reading probe at the end of the cycle."),
        ("Spell the next 50 common exception words correctly in dictation.", "Weekly spelling check."),
        ("Solve two-step number problems using a bar model, without help.", "3 of 4 in a class assessment."),
        ("Plan a paragraph with a writing frame and write it independently.", "Work samples."),
    ],
    "communication": [
        ("Ask an adult for help using {his} help card.", "Seen in 4 of 5 lessons."),
        ("Follow a two-step instruction given to the whole class.", "4 of 5 times in a week, TA's record."),
        ("Retell a short story in order using picture prompts.", "Narrative task at the end of the cycle."),
        ("Use new topic vocabulary in a spoken sentence.", "Pre-teaching log: 8 of 10 words."),
    ],
    "semh": [
        ("Use the calm space to settle and return to learning within 10 minutes.", "TA log."),
        ("Start a task within two minutes of the instruction, with a now-and-next card.", "4 of 5 lessons."),
        ("Take part in a small-group game for 15 minutes, taking turns.", "Lunchtime observation."),
        ("Name the feeling and choose a strategy from {his} plan when upset.", "Key adult's check-ins."),
    ],
    "sensory_physical": [
        ("Record {his} ideas on the laptop for extended writing.", "Work samples."),
        (
            "Check {his} own equipment each morning and tell an adult if it is not working.",
            "Daily check sheet.",
        ),
        ("Form each letter correctly, sitting it on the line.", "Handwriting sample each half-term."),
        ("Move around the classroom safely and independently.", "Observation in class."),
    ],
    "none": [
        ("Join in with a small-group task for 15 minutes.", "Observation in class."),
        ("Complete the first part of a task without an adult's prompt.", "4 of 5 lessons."),
        ("Bring the right equipment each day using the checklist.", "Daily checklist."),
        ("Tell an adult what helps {him} learn best.", "Pupil conversation before the review."),
    ],
}
# At a secondary school, the steps that belong to a primary classroom give way to these.
SECONDARY_INSTEAD = {
    "Spell the next 50 common exception words correctly in dictation.": (
        "Spell the key words of each new topic correctly in written work.",
        "Key-word spelling check in English and science.",
    ),
    "Retell a short story in order using picture prompts.": (
        "Sum up the main point of a lesson in one sentence at its end.",
        "Exit tickets in 4 of 5 lessons.",
    ),
    "Take part in a small-group game for 15 minutes, taking turns.": (
        "Work with a partner on a group task for a whole lesson.",
        "Subject teachers' weekly notes to the form tutor.",
    ),
    "Form each letter correctly, sitting it on the line.": (
        "Touch-type at 20 words a minute for written work.",
        "Typing test each half-term.",
    ),
}
PHASE_OUTCOMES = {
    Phase.PRIMARY: OUTCOMES,
    Phase.SECONDARY: {
        area: [SECONDARY_INSTEAD.get(outcome, (outcome, criteria)) for outcome, criteria in steps]
        for area, steps in OUTCOMES.items()
    },
}
STRATEGIES = {
    "cognition": "Pre-teach key vocabulary; word mats and number lines on the table; tasks chunked "
    "with a tick list; questions read aloud.",
    "communication": "Visual timetable and now-and-next card; instructions short, one step at a time, "
    "with the pupil's name first; processing time; help card for a break.",
    "semh": "Meet and greet at the door; a job early in the lesson; calm space with a timer; repair "
    "and restart after an incident, without a public telling-off.",
    "sensory_physical": "Seated at the front, facing the teacher; printed copies of board work; laptop "
    "for longer writing; equipment checked each morning.",
    "none": "Work broken into smaller steps; a timer for focus; understanding checked quietly.",
}
ARRANGEMENTS = {
    Phase.PRIMARY: "The class teacher adapts lessons as above; a teaching assistant runs the "
    "intervention group; the SENCO checks in each half-term and meets parents at the review.",
    Phase.SECONDARY: "Subject teachers adapt lessons as above; a teaching assistant runs the "
    "intervention group; the form tutor checks in each morning; the SENCO checks in each "
    "half-term and meets parents at the review.",
}
EHC_ASSESSMENT = (
    "EHC plan issued {issued}: the outcomes in section E, broken into steps for this term, and the "
    "provision in section F as the school delivers it."
)
FIRST_ASSESSMENT = "Less than expected progress from the same baseline, despite well-targeted teaching; " \
    "parents and the pupil agree a plan is needed."  # fmt: skip

PARENT_VIEWS = [
    "Much happier coming to school this term; we have kept up the reading at home.",
    "Still finds homework hard, but tells us more about the day.",
    "We are pleased with the progress and would like the group to carry on.",
    "Mornings are still difficult; the meet and greet at the door really helps.",
]
PUPIL_VIEWS = [
    "I like the group because it is quiet and I can ask questions.",
    "My help card is good. I use it in maths.",
    "Reading is easier now. I still don't like writing long things.",
    "I want to stay with my friends for lessons.",
]
EVIDENCE = (
    "Entry and exit scores from the intervention group; teachers' assessments; work samples and "
    "the TA's notes."
)
NEXT_STEPS = {
    Decision.CONTINUE: "Continue the plan with new outcomes where the old ones were met.",
    Decision.ADAPT: "Adapt the plan: shorter steps towards the outcomes not met, and more pre-teaching.",
    Decision.ESCALATE: "Ask the educational psychologist for advice before the next review.",
    Decision.EXIT: "Good progress: SEN support ends; teachers keep the strategies going and the SENCO "
    "monitors for a term.",
}
RATINGS = [Progress.MET, Progress.PARTLY_MET, Progress.NOT_MET, Progress.PARTLY_MET, Progress.MET]
COMMENTS = [
    "Reading more confidently in class; still needs the word mat for writing.",
    "Settles well after the meet and greet; two harder afternoons this week after PE.",
    "Used the help card three times this week without a prompt.",
    "Finished the writing task on the laptop: the most {he} has written this year.",
]
# Needs for the pupils who came off SEN support, in turn.
EXIT_NEEDS = ["SLCN", "SPLD", "SEMH"]
EXITS_PER_SCHOOL = 2
EXIT_AFTER_MONTHS = 9  # how long before their monitoring began they went onto SEN support


@dataclass
class _Cycle:
    plan: SupportPlan
    previous: "_Cycle | None"
    outcomes: list[PlanOutcome] = field(default_factory=list)
    # Each outcome's place in OUTCOMES[area], so that a met outcome is followed by the next.
    keys: list[int] = field(default_factory=list)
    review: PlanReview | None = None
    ratings: list[str] = field(default_factory=list)


@dataclass
class _Pupil:
    """What a pupil's chain of cycles is built from."""

    index: int  # position in the school's list, for choosing texts and who is late
    change: SenStatusChange  # the status the chain belongs to
    areas: tuple[str, str | None]  # broad areas of the primary and secondary needs


class _Chains:
    """Builds each pupil's cycles in memory, then saves them all in a few bulk inserts."""

    def __init__(self, *, school: School, senco: User, today: date, calendar: SchoolCalendar):
        self.school, self.senco, self.today, self.calendar = school, senco, today, calendar
        self.outcomes, self.teacher = PHASE_OUTCOMES[school.phase], TEACHER[school.phase]
        # Plans are kept here from the first school day of last school year.
        self.records_from = school_day_between(calendar, date(academic_year_of(today) - 1, 9, 1), today)
        self.chains: list[list[_Cycle]] = []

    def add(self, pupil: _Pupil, *, exit_on: date | None = None) -> None:
        """Cycles from the start of the pupil's spell on the register (or of the records) up to
        an open cycle or, with `exit_on`, to the review that day which ended SEN support."""
        if pupil.change.effective_from < self.records_from:
            # Plans already running were moved onto the system over its first half-term, so
            # their reviews do not all fall on one day.
            start = add_school_days(self.calendar, self.records_from, (pupil.index * 7) % SPREAD_OVER)
        else:
            start = school_day_between(self.calendar, pupil.change.effective_from, exit_on or self.today)
        late = exit_on is None and pupil.index % LATE_REVIEWS == 4
        chain: list[_Cycle] = []
        first_start = start
        while True:
            due = self._review_date(first_start, len(chain) + 1, after=start, index=pupil.index)
            cycle = self._cycle(pupil, start=start, due=due, previous=chain[-1] if chain else None)
            chain.append(cycle)
            if exit_on is not None and due >= exit_on:
                self._review(cycle, pupil, held_on=exit_on, exit_support=True)
                break
            if exit_on is None and due >= self.today:
                if late:  # the SENCO set an earlier review date, and it has passed unmet
                    overdue = latest_school_day(
                        self.calendar, self.today - timedelta(days=5 + pupil.index % 14), not_before=start
                    )
                    if overdue >= start + LATE_AFTER:
                        cycle.plan.review_due_on = overdue
                self._open(cycle, pupil)
                break
            self._review(cycle, pupil, held_on=due, exit_support=False)
            start = due
        self.chains.append(chain)

    def _review_date(self, first_start: date, cycles: int, *, after: date, index: int) -> date:
        """Every three months from the first cycle's start (so that one review brought forward
        does not pull every later one with it), on the last school day on or before. A date that
        falls in a holiday goes to one of the last three weeks before it, spread by pupil: a
        SENCO books review meetings across the end of a term, not all on its last day."""
        target = add_months(first_start, CYCLE_MONTHS * cycles)
        due = last_school_day_on_or_before(self.calendar, target)
        if any(  # a weekday off that is not a bank holiday: the date fell in a school holiday
            (day := due + timedelta(days=n)).weekday() < 5 and not is_bank_holiday(day)
            for n in range(1, (target - due).days + 1)
        ):
            earlier = school_days_before(self.calendar, due, index % 15)
            due = earlier if earlier > after else due
        return due

    def _cycle(self, pupil: _Pupil, *, start: date, due: date, previous: _Cycle | None) -> _Cycle:
        if previous is None:
            change = pupil.change
            issued = f"{change.ehc_plan_date or change.effective_from:%-d %B %Y}"
            ehc = change.status == SenStatus.EHC_PLAN
            assessment = EHC_ASSESSMENT.format(issued=issued) if ehc else FIRST_ASSESSMENT
        else:
            review = previous.review
            assessment = (
                f"Review of cycle {previous.plan.cycle} ({review.held_on:%d/%m/%Y}): {review.next_steps}"
            )
        area = pupil.areas[0]
        plan = SupportPlan(
            school=self.school,
            pupil_id=pupil.change.pupil_id,
            cycle=previous.plan.cycle + 1 if previous else 1,
            status=PlanStatus.ACTIVE,
            started_on=start,
            review_due_on=due,
            assessment=assessment,
            strategies=STRATEGIES[area],
            arrangements=ARRANGEMENTS[self.school.phase],
            created_by=self.senco,
        )
        cycle = _Cycle(plan=plan, previous=previous)
        if previous is None:
            second = pupil.areas[1] or area
            first_key = pupil.index % 2
            areas_and_keys = [(area, first_key), (second, first_key + 2 if second == area else first_key)]
        else:  # an outcome not met is carried forward; a met one gives way to the next step
            areas_and_keys = []
            for old, key, rating in zip(previous.outcomes, previous.keys, previous.ratings, strict=True):
                if rating == Progress.MET:
                    size = len(self.outcomes[old.area])
                    others = {k for area, k in areas_and_keys if area == old.area} | {
                        k
                        for o, k in zip(previous.outcomes, previous.keys, strict=True)
                        if o is not old and o.area == old.area
                    }
                    key = next(k % size for k in range(key + 1, key + size) if k % size not in others)
                areas_and_keys.append((old.area, key))
        for position, (outcome_area, key) in enumerate(areas_and_keys):
            description, criteria = self.outcomes[outcome_area][key]
            outcome = PlanOutcome(
                plan=plan,
                area=outcome_area,
                description=about(description, pupil.change.pupil.gender),
                success_criteria=criteria,
                position=position,
            )
            if previous and previous.keys[position] == key and previous.ratings[position] != Progress.MET:
                outcome.carried_from = previous.outcomes[position]
            cycle.outcomes.append(outcome)
            cycle.keys.append(key)
        return cycle

    def _finalise(self, plan: SupportPlan) -> None:
        plan.finalised_on = min(add_school_days(self.calendar, plan.started_on, 2), self.today)
        plan.finalised_by = self.senco
        # Given to parents the same day: version 2, after version 1 kept on finalising.
        plan.shared_with_parents_on, plan.shared_version = plan.finalised_on, 2

    def _open(self, cycle: _Cycle, pupil: _Pupil) -> None:
        plan = cycle.plan
        if plan.started_on > self.today - DRAFT_FOR:
            plan.status = PlanStatus.DRAFT  # just begun: the SENCO is still writing it
            return
        self._finalise(plan)
        if pupil.index % 10 == 7:  # finalised, but giving it to parents is not yet recorded
            plan.shared_with_parents_on, plan.shared_version = None, None

    def _review(self, cycle: _Cycle, pupil: _Pupil, *, held_on: date, exit_support: bool) -> None:
        plan = cycle.plan
        self._finalise(plan)
        plan.status = PlanStatus.REVIEWED
        cycle.ratings = [
            Progress.MET if exit_support else RATINGS[(pupil.index + plan.cycle + 2 * n) % len(RATINGS)]
            for n in range(len(cycle.outcomes))
        ]
        if exit_support:
            decision = Decision.EXIT
        elif Progress.NOT_MET not in cycle.ratings:
            decision = Decision.CONTINUE
        elif pupil.index % 11 == 3 and pupil.change.status == SenStatus.SEN_SUPPORT:
            decision = Decision.ESCALATE  # not for a pupil who already has an EHC plan
        else:
            decision = Decision.ADAPT
        turn = (pupil.index + plan.cycle) % len(PARENT_VIEWS)
        # Now and then parents could not come: the review says so rather than carrying a view.
        parents_came = exit_support or (pupil.index + plan.cycle) % 7 != 5
        cycle.review = PlanReview(
            plan=plan,
            held_on=held_on,
            invited=f"Parents, {self.teacher}, SENCO",
            attended=f"Parent, {self.teacher}, SENCO"
            if parents_came
            else f"{self.teacher.capitalize()}, SENCO",
            parents_at_meeting=ParentsAtReview.CAME if parents_came else ParentsAtReview.DID_NOT_COME,
            exit_status=SenStatus.MONITORING if exit_support else "",
            status_from=held_on if exit_support else None,
            parents_told_on=held_on if exit_support else None,
            evidence=EVIDENCE,
            parent_view=PARENT_VIEWS[turn] if parents_came else "",
            parent_view_on=held_on if parents_came else None,
            pupil_view=PUPIL_VIEWS[turn],
            pupil_view_on=latest_school_day(
                self.calendar, held_on - timedelta(days=3), not_before=plan.started_on
            ),
            next_steps=NEXT_STEPS[decision],
            decision=decision,
            finalised_on=held_on,
            finalised_by=self.senco,
        )

    def save(self) -> list[_Cycle]:
        """Bulk-create the cycles one level at a time (each points to the one before), then
        the reviews, the progress against each outcome and the versions kept. Returns every
        cycle."""
        depth = max((len(chain) for chain in self.chains), default=0)
        for level in range(depth):
            cycles = [chain[level] for chain in self.chains if len(chain) > level]
            for cycle in cycles:
                cycle.plan.previous = cycle.previous.plan if cycle.previous else None
            SupportPlan.objects.bulk_create([cycle.plan for cycle in cycles])
            for cycle in cycles:
                for outcome in cycle.outcomes:
                    outcome.plan = cycle.plan
            PlanOutcome.objects.bulk_create([outcome for cycle in cycles for outcome in cycle.outcomes])
        cycles = [cycle for chain in self.chains for cycle in chain]
        reviewed = [cycle for cycle in cycles if cycle.review]
        for cycle in reviewed:
            cycle.review.plan = cycle.plan
        PlanReview.objects.bulk_create([cycle.review for cycle in reviewed])
        OutcomeProgress.objects.bulk_create(
            OutcomeProgress(review=cycle.review, outcome=outcome, rating=rating)
            for cycle in reviewed
            for outcome, rating in zip(cycle.outcomes, cycle.ratings, strict=True)
        )
        self._keep_versions(cycles)
        return cycles

    def _keep_versions(self, cycles: list[_Cycle]) -> None:
        """The versions `provision.services.plans` keeps: on finalising (before parents have the
        plan), on recording that parents have it (which becomes the shared version) and on
        closing the review, each with the plan as it stood then."""
        versions, kept_on = [], []
        for cycle in cycles:
            plan = cycle.plan
            if plan.status == PlanStatus.DRAFT:
                continue
            shared_on = plan.shared_with_parents_on
            kept = [("Finalised", plan.finalised_on, PlanStatus.ACTIVE, None)]
            if shared_on:
                kept.append((PlanVersion.SHARED, shared_on, PlanStatus.ACTIVE, shared_on))
            if cycle.review:
                kept.append(("Reviewed", cycle.review.finalised_on, PlanStatus.REVIEWED, shared_on))
            for number, (reason, on, status, shared) in enumerate(kept, start=1):
                snapshot = _snapshot(cycle, status=status, shared_on=shared)
                versions.append(
                    PlanVersion(
                        plan=plan, number=number, reason=reason, snapshot=snapshot, made_by=self.senco
                    )
                )
                kept_on.append(on)
        PlanVersion.objects.bulk_create(versions)
        _date_rows(
            PlanVersion, [(version.pk, on) for version, on in zip(versions, kept_on, strict=True)], "made_at"
        )


def _snapshot(cycle: _Cycle, *, status: str, shared_on: date | None) -> dict:
    """The plan as `provision.services.plans` keeps it in a PlanVersion, with its status and the
    date parents were given it as they were when that version was kept."""
    plan = copy(cycle.plan)
    plan.status, plan.shared_with_parents_on = status, shared_on
    if cycle.review is None or status != PlanStatus.REVIEWED:
        return plan_snapshot(plan, outcomes=cycle.outcomes, review=None, progress={})
    progress = {str(o.pk): [rating, ""] for o, rating in zip(cycle.outcomes, cycle.ratings, strict=True)}
    return plan_snapshot(plan, outcomes=cycle.outcomes, review=cycle.review, progress=progress)


def seed_plans(*, school: School, senco: User, today: date, calendar: SchoolCalendar) -> None:
    """Give every pupil on roll on SEN support or with an EHC plan their cycles, and the last
    pupils being monitored (by id) a past spell on SEN support that ended at a review."""
    needs = NeedType.objects.in_bulk()
    history = list(
        SenStatusChange.objects.filter(pupil__school=school)
        .filter(Q(pupil__left_on=None) | Q(pupil__left_on__gt=today))
        .select_related("pupil")
        .order_by("pupil_id", "-effective_from", "-id")
    )
    entries = Counter(change.pupil_id for change in history)
    # The latest entry of each pupil (the first of their rows), in pupil id order.
    current = sorted({change.pupil_id: change for change in reversed(history)}.values(), key=_pupil_id)
    chains = _Chains(school=school, senco=senco, today=today, calendar=calendar)
    on_register = [change for change in current if change.status in ON_REGISTER]
    for index, change in enumerate(on_register):
        chains.add(_Pupil(index, change, _areas(change, needs)))
    came_off = [
        change
        for change in current
        if change.status == SenStatus.MONITORING
        and entries[change.pupil_id] == 1
        and change.pupil.admitted_on <= add_months(change.effective_from, -EXIT_AFTER_MONTHS)
        and change.effective_from > chains.records_from
    ][-EXITS_PER_SCHOOL:]
    for offset, monitoring in enumerate(came_off):
        support = _earlier_sen_support(monitoring, offset, senco=senco, calendar=calendar, needs=needs)
        chains.add(
            _Pupil(len(on_register) + offset, support, _areas(support, needs)),
            exit_on=monitoring.effective_from,
        )
    cycles = chains.save()
    genders = {change.pupil_id: change.pupil.gender for change in current}
    _classroom_comments(school, cycles, genders, today=today, calendar=calendar)


def _pupil_id(change: SenStatusChange) -> int:
    return change.pupil_id


def _areas(change: SenStatusChange, needs: dict[int, NeedType]) -> tuple[str, str | None]:
    primary = needs[change.primary_need_id].area if change.primary_need_id else "none"
    secondary = needs[change.secondary_need_id].area if change.secondary_need_id else None
    return primary, secondary if secondary != primary else None


def _earlier_sen_support(
    monitoring: SenStatusChange,
    offset: int,
    *,
    senco: User,
    calendar: SchoolCalendar,
    needs: dict[int, NeedType],
) -> SenStatusChange:
    """Record the spell on SEN support that the pupil's monitoring followed, and say so."""
    started = school_day_between(
        calendar, add_months(monitoring.effective_from, -EXIT_AFTER_MONTHS), monitoring.effective_from
    )
    need = next(n for n in needs.values() if n.code == EXIT_NEEDS[offset % len(EXIT_NEEDS)])
    support = SenStatusChange.objects.create(
        pupil=monitoring.pupil,
        status=SenStatus.SEN_SUPPORT,
        primary_need=need,
        effective_from=started,
        reason="Less than expected progress despite good teaching; plan agreed with parents.",
        recorded_by=senco,
        parents_informed_on=started,
        parents_informed_how="Meeting with parents",
    )
    monitoring.reason = (
        f"Review on {monitoring.effective_from:%-d %B %Y}: outcomes met, so SEN support ended; "
        "monitoring for a term, agreed with parents."
    )
    monitoring.parents_informed_on = monitoring.effective_from
    monitoring.parents_informed_how = "Review meeting"
    monitoring.save(update_fields=["reason", "parents_informed_on", "parents_informed_how"])
    return support


def _classroom_comments(
    school: School, cycles: list[_Cycle], genders: dict[int, str], *, today: date, calendar: SchoolCalendar
) -> None:
    """Notes from the class teacher (the form tutor at a secondary) towards the first few reviews
    coming up in the next fortnight."""
    teachers = {}
    groups = TeachingGroup.objects.filter(
        school=school, kind__in=[GroupKind.CLASS, GroupKind.REGISTRATION]
    ).prefetch_related("teachers", "pupils")
    for group in groups.order_by("pk"):
        staff = list(group.teachers.all())
        teachers.update({pupil.pk: staff[0] for pupil in group.pupils.all() if staff})
    coming_up = sorted(
        (
            cycle.plan
            for cycle in cycles
            if cycle.plan.status == PlanStatus.ACTIVE
            and today <= cycle.plan.review_due_on <= today + timedelta(days=14)
            and cycle.plan.pupil_id in teachers
        ),
        key=lambda plan: (plan.review_due_on, plan.pupil_id),
    )[: len(COMMENTS)]
    comments = [
        ReviewComment(plan=plan, author=teachers[plan.pupil_id], body=about(body, genders[plan.pupil_id]))
        for plan, body in zip(coming_up, COMMENTS, strict=False)
    ]
    ReviewComment.objects.bulk_create(comments)
    written = [
        (
            comment.pk,
            latest_school_day(calendar, today - timedelta(days=4), not_before=comment.plan.started_on),
        )
        for comment in comments
    ]
    _date_rows(ReviewComment, written, "written_at")


def _date_rows(model, rows: list[tuple[int, date]], field_name: str) -> None:
    """Set a timestamp the model stamps on creation to mid-afternoon of each row's day (when it
    happened, not when the demo was built): one update per day, much faster than bulk_update."""
    by_day = defaultdict(list)
    for pk, day in rows:
        by_day[day].append(pk)
    for day, pks in sorted(by_day.items()):
        moment = timezone.make_aware(datetime.combine(day, time(15, 30)))
        model.objects.filter(pk__in=pks).update(**{field_name: moment})
