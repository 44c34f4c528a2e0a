"""Demo provision in practice: staff rates and an intervention catalogue for every school, and a
school year's worth of groups and 1:1s with pupils, entry scores and a delivery log: some that
finished earlier this year or last (with exit scores for every pupil), some running now and one
booked to start in a few weeks.

Groups are dated in school weeks from the week the demo is built (skipping holidays), start on
the first school day of their week and end on the last school day of their last week, and never
run past the end of the school year they start in. Sessions are logged on the group's days
only when the school was open, up to yesterday. Pupils are those who were in the group's year
group at the time and on roll, those on the SEN register with a need in the intervention's area
first. The demo `ta` delivers the Year 3 language group (two pupils of 3A, two of 3B); in each
school one running group has every third session cancelled, so the delivery overview has
something to flag. Rows are bulk-created; no audit rows are written for demo data.

Deterministic: it draws only from the demo's random generator, after every school is built, so
the rest of the demo is unchanged by it.
"""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from provision.models import (
    CostBasis,
    DeliveredSession,
    Deliverer,
    Direction,
    Intervention,
    InterventionCost,
    MeasureKind,
    Placement,
    ProvisionGroup,
    SessionStatus,
    Setting,
    StaffRate,
    StaffRateAmount,
)
from pupils.models import ON_REGISTER, GroupKind, NeedType, Pupil, TeachingGroup
from pupils.selectors.records import with_sen_status
from senco.demo.seed_calendar import school_day_between, school_week_monday
from senco.demo.seed_costs import intervention_costs, staff_rate_amounts
from senco.models import Membership, Phase, Role, School, User
from senco.rules import SchoolCalendar, academic_year_of, last_school_day_on_or_before
from senco.selectors import school_calendar

# Hourly costs including employer's National Insurance and pension (on-costs).
STAFF_RATES = {"Teaching assistant": "16.50", "Higher-level teaching assistant": "19.00", "Teacher": "45.00"}
TA, HLTA, TEACHER = STAFF_RATES


@dataclass(frozen=True)
class Entry:
    """A catalogue entry and how its measure behaves for the demo's invented scores."""

    name: str
    area: str
    delivered_by: str
    group_size: int
    per_week: int
    minutes: int
    weeks: int
    measure: str
    kind: str
    rate: str | None  # None for a bought-in programme at a fixed cost
    fixed: str | None
    resources: str
    description: str
    entry: tuple[int, int]  # entry scores are drawn from this range (months below age for a reading age)
    gain: tuple[int, int]  # and the change by the exit measure from this one
    lower_is_better: bool = False  # a difficulties score falls as the pupil improves
    phases: tuple[str, ...] = (Phase.PRIMARY, Phase.SECONDARY)
    in_use: bool = True


CATALOGUE = [
    Entry("Phonics catch-up", "cognition", Deliverer.TA, 4, 4, 20, 10, "Phonics check practice (out of 40)",
          MeasureKind.CHECKLIST, TA, None, "40", "Short daily phonics sessions revisiting the sounds the "
          "pupils have not secured, with blending and segmenting practice and decodable books.",
          (12, 26), (2, 10), phases=(Phase.PRIMARY,)),
    Entry("Speech and language programme", "communication", Deliverer.TA, 4, 3, 30, 10,
          "Language progress checklist (out of 30)", MeasureKind.CHECKLIST, TA, None, "60",
          "Structured vocabulary, listening and narrative games, following the speech and language "
          "therapist's programme.", (8, 18), (1, 6), phases=(Phase.PRIMARY,)),
    Entry("Social skills group", "semh", Deliverer.TA, 6, 1, 45, 8, "SDQ total difficulties (teacher)",
          MeasureKind.DIFFICULTIES, TA, None, "25", "Turn-taking, sharing and talking about feelings "
          "through games and role play.", (16, 24), (0, 6), lower_is_better=True, phases=(Phase.PRIMARY,)),
    Entry("Fine motor skills group", "sensory_physical", Deliverer.TA, 6, 3, 15, 8,
          "Fine motor checklist (out of 20)", MeasureKind.CHECKLIST, TA, None, "80", "Daily "
          "hand-strengthening and pencil-control activities advised by the occupational therapist.",
          (7, 13), (1, 6), phases=(Phase.PRIMARY,)),
    Entry("Precision teaching", "cognition", Deliverer.TA, 1, 5, 10, 12, "Words read correctly in one minute",
          MeasureKind.OTHER, TA, None, "0", "Ten minutes a day 1:1: a probe of target words, timed "
          "practice and a chart of progress.", (8, 20), (4, 15), phases=(Phase.PRIMARY,)),
    Entry("Bought-in reading programme", "cognition", Deliverer.TA, 3, 3, 30, 8, "Standardised reading score",
          MeasureKind.STANDARDISED, None, "750", "0", "A licensed small-group reading programme with its "
          "own books, training and assessments.", (74, 88), (-1, 9), phases=(Phase.PRIMARY,)),
    Entry("Emotional literacy support (ELSA)", "semh", Deliverer.TA, 1, 1, 45, 8,
          "Emotional literacy checklist (out of 40)", MeasureKind.CHECKLIST, HLTA, None, "15", "Weekly 1:1 "
          "sessions with a trained ELSA on recognising and managing feelings.", (14, 24), (2, 9),
          phases=(Phase.PRIMARY,)),
    Entry("Paired reading", "cognition", Deliverer.TA, 2, 3, 15, 10, "Standardised reading score",
          MeasureKind.STANDARDISED, TA, None, "0", "Older pupils read with younger ones. No longer used: "
          "replaced by the bought-in programme.", (76, 90), (-2, 5), phases=(Phase.PRIMARY,), in_use=False),
    Entry("Maths catch-up", "cognition", Deliverer.TA, 4, 3, 30, 10, "Standardised maths score",
          MeasureKind.STANDARDISED, TA, None, "30", "Three sessions a week with concrete apparatus on "
          "place value and the four operations, a step behind the class's maths lessons.", (72, 88), (-2, 8),
          phases=(Phase.PRIMARY,)),
    Entry("Structured reading intervention", "cognition", Deliverer.TA, 3, 4, 30, 12, "Reading age (months)",
          MeasureKind.READING_AGE, TA, None, "45", "Four half-hour sessions a week working through a "
          "structured phonics-based reading scheme, with a reading age test at entry and exit.", (12, 30),
          (2, 9)),
    Entry("Literacy catch-up", "cognition", Deliverer.TA, 4, 4, 50, 12, "Standardised reading score",
          MeasureKind.STANDARDISED, TA, None, "120", "A small group taught four lessons a week in place "
          "of a modern foreign language, on reading fluency and comprehension.", (70, 86), (-1, 10),
          phases=(Phase.SECONDARY,)),
    Entry("Numeracy catch-up", "cognition", Deliverer.TEACHER, 6, 2, 50, 12, "Standardised maths score",
          MeasureKind.STANDARDISED, TEACHER, None, "60", "A maths teacher re-teaches number sense and "
          "place value to a small group, twice a week.", (70, 86), (-2, 8), phases=(Phase.SECONDARY,)),
    Entry("Social communication group", "communication", Deliverer.TA, 6, 1, 50, 10,
          "Social communication checklist (out of 30)", MeasureKind.CHECKLIST, TA, None, "30", "Weekly "
          "sessions on conversation, group work and reading other people, for autistic pupils and pupils "
          "with SLCN.", (8, 16), (1, 6), phases=(Phase.SECONDARY,)),
    Entry("Anxiety management group", "semh", Deliverer.TA, 6, 1, 50, 8, "SDQ emotional symptoms (pupil)",
          MeasureKind.DIFFICULTIES, HLTA, None, "20", "Eight weekly sessions on noticing and managing "
          "worry, with the school's mental health lead.", (6, 9), (0, 3), lower_is_better=True,
          phases=(Phase.SECONDARY,)),
    Entry("Mentoring (1:1)", "semh", Deliverer.TA, 1, 1, 30, 12, "Engagement checklist (out of 40)",
          MeasureKind.CHECKLIST, HLTA, None, "0", "A weekly half hour with a trusted adult to set and "
          "review small goals.", (14, 24), (1, 8), phases=(Phase.SECONDARY,)),
    Entry("Bought-in literacy programme", "cognition", Deliverer.TA, 6, 3, 50, 20,
          "Standardised reading score", MeasureKind.STANDARDISED, None, "1800", "0", "A licensed online "
          "and small-group literacy programme for Key Stage 3, with its own placement and progress tests.",
          (70, 86), (0, 10),
          phases=(Phase.SECONDARY,)),
    Entry("Touch-typing", "sensory_physical", Deliverer.TA, 6, 2, 30, 10, "Typing speed (words a minute)",
          MeasureKind.OTHER, TA, None, "90", "Touch-typing lessons for pupils who will use a laptop "
          "in lessons and exams.", (8, 15), (4, 14), phases=(Phase.SECONDARY,)),
    Entry("Social skills group", "semh", Deliverer.TA, 6, 1, 50, 10, "SDQ peer problems (teacher)",
          MeasureKind.DIFFICULTIES, TA, None, "25", "Weekly sessions on starting and keeping up a "
          "conversation, working in a team and sorting out a falling-out, through discussion and role "
          "play.", (4, 8), (0, 3), lower_is_better=True, phases=(Phase.SECONDARY,)),
    Entry("Exam reading support", "cognition", Deliverer.TA, 4, 1, 50, 8,
          "Standardised reading comprehension score", MeasureKind.STANDARDISED, TA, None, "60", "Timed "
          "practice papers with a reader pen, or with a reader for pupils whose exam access arrangements "
          "(JCQ) give them one, so they are used to it before the mocks.", (72, 86), (0, 6),
          phases=(Phase.SECONDARY,)),
]  # fmt: skip

SCHEDULES = {1: (3,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}
CANCELLED_BECAUSE = ["TA covering a class", "School trip", "Assembly overran", "Staff training", "TA absent"]
MOST_GROUPS_AT_ONCE = 2  # a pupil in more would miss too much of their lessons


@dataclass(frozen=True)
class GroupPlan:
    intervention: str
    name: str
    years: tuple[int, ...]  # the pupils' year groups while the group runs
    pupils: int
    starts: int  # school weeks from this week (negative: it started that many school weeks ago)
    weeks: int  # school weeks it runs for
    staff: str  # "demo_ta", a class whose TA delivers it ("2A"), or "teacher:8B" for its teacher
    below_target: bool = False


PRIMARY_GROUPS = [
    # Running now.
    GroupPlan("Speech and language programme", "Year 3 language group", (3,), 4, -5, 10, "demo_ta"),
    GroupPlan("Phonics catch-up", "Year 2 phonics catch-up", (1, 2), 4, -6, 10, "2A", below_target=True),
    GroupPlan("Social skills group", "Lunchtime social skills", (4, 5), 5, -4, 8, "4A"),
    GroupPlan("Fine motor skills group", "Reception fine motor", (0, 1), 4, -3, 8, "RA"),
    GroupPlan("Precision teaching", "Precision teaching (Year 5)", (5,), 1, -4, 12, "5A"),
    GroupPlan("Emotional literacy support (ELSA)", "ELSA 1:1 (Year 6)", (6,), 1, -2, 8, "6A"),
    GroupPlan("Structured reading intervention", "Year 4 reading intervention", (4,), 3, -3, 12, "4B"),
    GroupPlan("Precision teaching", "Precision teaching (Year 2)", (2,), 1, -1, 12, "2B"),
    GroupPlan("Maths catch-up", "Year 6 maths catch-up", (6,), 4, -4, 10, "6B"),
    GroupPlan("Speech and language programme", "Year 4 language group", (4,), 4, -2, 10, "4B"),
    GroupPlan("Phonics catch-up", "Year 1 phonics group", (1,), 4, -3, 10, "1B"),
    # Finished: earlier this school year or last.
    GroupPlan("Bought-in reading programme", "Year 5 and 6 reading programme", (5, 6), 3, -14, 8, "6B"),
    GroupPlan("Phonics catch-up", "Year 1 phonics catch-up", (1,), 4, -16, 8, "1A"),
    GroupPlan("Speech and language programme", "Year 2 language group", (2,), 4, -18, 10, "2B"),
    GroupPlan("Social skills group", "Year 3 social skills", (3,), 6, -20, 8, "3B"),
    GroupPlan("Emotional literacy support (ELSA)", "ELSA 1:1 (Year 4)", (4,), 1, -22, 8, "4A"),
    GroupPlan("Structured reading intervention", "Year 5 reading intervention", (5,), 3, -24, 10, "5B"),
    GroupPlan("Fine motor skills group", "Year 1 fine motor", (1,), 5, -26, 8, "1B"),
    GroupPlan("Precision teaching", "Precision teaching (Year 4)", (4,), 1, -28, 10, "4B"),
    GroupPlan("Maths catch-up", "Year 4 maths catch-up", (4,), 4, -15, 10, "4A"),
    GroupPlan("Phonics catch-up", "Year 3 phonics catch-up", (3,), 4, -24, 10, "3B"),
    GroupPlan("Paired reading", "Paired reading (Year 3)", (3,), 2, -36, 10, "3B"),
    # Booked to start soon.
    GroupPlan("Phonics catch-up", "Year 1 phonics boost", (1,), 4, 3, 8, "1A"),
    GroupPlan("Maths catch-up", "Year 5 maths catch-up", (5,), 4, 4, 10, "5A"),
    GroupPlan("Emotional literacy support (ELSA)", "ELSA 1:1 (Year 3)", (3,), 1, 2, 8, "3B"),
    GroupPlan("Fine motor skills group", "Year 2 fine motor", (2,), 5, 3, 8, "2A"),
]
SECONDARY_GROUPS = [
    GroupPlan("Literacy catch-up", "Year 7 literacy catch-up", (7,), 4, -5, 12, "7A"),
    GroupPlan("Numeracy catch-up", "Year 7 numeracy catch-up", (7,), 6, -5, 12, "teacher:7B"),
    GroupPlan("Social communication group", "Year 8 social communication", (8,), 5, -4, 10, "8A", True),
    GroupPlan("Anxiety management group", "Year 10 anxiety group", (10,), 5, -3, 8, "10A"),
    GroupPlan("Mentoring (1:1)", "Year 11 mentoring", (11,), 1, -6, 12, "11A"),
    GroupPlan("Mentoring (1:1)", "Year 9 mentoring", (9,), 1, -2, 12, "9A"),
    GroupPlan("Touch-typing", "Year 9 touch-typing", (9,), 5, -2, 10, "9B"),
    GroupPlan("Structured reading intervention", "Year 8 reading intervention", (8,), 3, -4, 12, "8B"),
    GroupPlan("Numeracy catch-up", "Year 9 numeracy catch-up", (9,), 6, -3, 12, "teacher:9A"),
    GroupPlan("Bought-in literacy programme", "Year 7 literacy programme", (7,), 6, -6, 20, "7B"),
    GroupPlan("Exam reading support", "Year 11 exam reading support", (11,), 4, -4, 8, "11B"),
    GroupPlan("Social skills group", "Year 8 social skills", (8,), 6, -3, 10, "8B"),
    GroupPlan("Literacy catch-up", "Year 8 literacy catch-up", (8,), 4, -18, 12, "8A"),
    GroupPlan("Social communication group", "Year 7 social communication", (7,), 5, -16, 10, "7B"),
    GroupPlan("Anxiety management group", "Year 10 exam anxiety group", (10,), 6, -20, 8, "10B"),
    GroupPlan("Mentoring (1:1)", "Year 10 mentoring", (10,), 1, -22, 12, "10B"),
    GroupPlan("Structured reading intervention", "Year 7 reading intervention", (7,), 3, -30, 12, "7A"),
    GroupPlan("Numeracy catch-up", "Year 8 numeracy catch-up", (8,), 6, -26, 12, "teacher:8B"),
    GroupPlan("Touch-typing", "Year 7 touch-typing", (7,), 6, -34, 10, "7B"),
    GroupPlan("Literacy catch-up", "Year 10 literacy catch-up", (10,), 4, -28, 12, "10A"),
    GroupPlan("Social skills group", "Year 7 social skills", (7,), 6, -20, 10, "7A"),
    GroupPlan("Literacy catch-up", "Year 9 literacy catch-up", (9,), 4, 2, 12, "9A"),
    GroupPlan("Touch-typing", "Year 8 touch-typing", (8,), 6, 3, 10, "8A"),
    GroupPlan("Exam reading support", "Year 10 exam reading support", (10,), 4, 4, 8, "10A"),
]
GROUPS = {Phase.PRIMARY: PRIMARY_GROUPS, Phase.SECONDARY: SECONDARY_GROUPS}


def seed_groups(*, schools: list[School], rng: random.Random, today: date) -> None:
    """Rates, a catalogue, and groups, placements and a delivery log, for every school."""
    for school in schools:
        catalogue = _catalogue(school, today)
        _Groups(school=school, catalogue=catalogue, rng=rng, today=today).build()


def _catalogue(school: School, today: date) -> dict[str, tuple[Intervention, Entry]]:
    """The school's staff rates and catalogue, with their amounts from the days they apply from
    (`seed_costs`: this year's pay awards and fee rises)."""
    rates = {
        rate.name: rate
        for rate in StaffRate.objects.bulk_create(StaffRate(school=school, name=name) for name in STAFF_RATES)
    }
    StaffRateAmount.objects.bulk_create(
        amount
        for name, cost in STAFF_RATES.items()
        for amount in staff_rate_amounts(rates[name], Decimal(cost), teacher=name == TEACHER, today=today)
    )
    entries = [entry for entry in CATALOGUE if school.phase in entry.phases]
    interventions = Intervention.objects.bulk_create(_intervention(school, rates, entry) for entry in entries)
    InterventionCost.objects.bulk_create(
        cost
        for intervention, entry in zip(interventions, entries, strict=True)
        for cost in intervention_costs(
            intervention,
            fee=Decimal(entry.fixed) if entry.fixed else None,
            resources=Decimal(entry.resources),
            today=today,
        )
    )
    return {
        intervention.name: (intervention, entry)
        for intervention, entry in zip(interventions, entries, strict=True)
    }


def _highest_score(measure: str) -> Decimal | None:
    """A checklist "(out of 30)" scores 0 to 30: the catalogue says so, so 35 is refused."""
    found = re.search(r"\(out of (\d+)\)", measure)
    return Decimal(found.group(1)) if found else None


def _intervention(school: School, rates: dict[str, StaffRate], entry: Entry) -> Intervention:
    highest = _highest_score(entry.measure)
    return Intervention(
        school=school,
        name=entry.name,
        area=entry.area,
        delivered_by=entry.delivered_by,
        group_size=entry.group_size,
        sessions_per_week=entry.per_week,
        minutes_per_session=entry.minutes,
        typical_weeks=entry.weeks,
        measure_name=entry.measure,
        measure_kind=entry.kind,
        measure_lowest=Decimal(0) if highest is not None else None,
        measure_highest=highest,
        better_when=Direction.LOWER if entry.lower_is_better else Direction.HIGHER,
        cost_basis=CostBasis.STAFF_TIME if entry.rate else CostBasis.FIXED,
        staff_rate=rates[entry.rate] if entry.rate else None,
        description=entry.description,
        is_active=entry.in_use,
    )


class _Groups:
    def __init__(self, *, school: School, catalogue: dict, rng: random.Random, today: date):
        self.school, self.catalogue, self.rng, self.today = school, catalogue, rng, today
        self.calendar: SchoolCalendar = school_calendar(school)
        # The SENCO puts pupils in groups and takes them out, as the chronology records.
        self.senco = (
            User.objects.filter(memberships__school=school, memberships__role=Role.SENCO)
            .order_by("pk")
            .first()
        )
        self.classes = {
            group.name: group
            for group in TeachingGroup.objects.filter(
                school=school, kind__in=[GroupKind.CLASS, GroupKind.REGISTRATION]
            ).prefetch_related("teachers", "assistants")
        }
        self.placed: dict[int, list[tuple[date, date]]] = {}  # pupil id: the groups' dates they are in
        self.need_areas = dict(NeedType.objects.values_list("pk", "area"))
        self.pupils = list(
            with_sen_status(Pupil.objects.filter(school=school, left_on__isnull=True), today=today).order_by(
                "pk"
            )
        )
        self.class_of = {
            pupil_id: name
            for name, pupil_id in TeachingGroup.pupils.through.objects.filter(
                teachinggroup__school=school,
                teachinggroup__kind__in=[GroupKind.CLASS, GroupKind.REGISTRATION],
            ).values_list("teachinggroup__name", "pupil_id")
        }

    def build(self) -> None:
        sessions, absences, placements = [], [], []
        for plan in GROUPS.get(self.school.phase, []):
            starts_on, ends_on = self._dates(plan)
            staff = self._deliverer(plan.staff)
            pupils = self._choose_pupils(plan, starts_on, ends_on)
            if staff is None or not pupils:
                continue
            group = self._group(plan, staff, pupils, starts_on, ends_on)
            placements += self._placements(group, pupils)
            sessions += self._log(group, staff, pupils, plan.below_target, absences)
        Placement.objects.bulk_create(placements)
        DeliveredSession.objects.bulk_create(sessions)
        Absent = DeliveredSession.absent.through
        Absent.objects.bulk_create(
            Absent(deliveredsession=session, pupil=pupil) for session, pupil in absences
        )

    def _dates(self, plan: GroupPlan) -> tuple[date, date]:
        """From the first school day of its first week to the last school day of its last week,
        cut short at the end of the school year it starts in."""
        first_monday = school_week_monday(self.calendar, self.today, plan.starts)
        starts_on = school_day_between(self.calendar, first_monday, first_monday + timedelta(days=4))
        last_monday = school_week_monday(self.calendar, first_monday, plan.weeks - 1)
        ends_on = last_school_day_on_or_before(self.calendar, last_monday + timedelta(days=4))
        year_ends = max(
            (
                last
                for first, last in self.calendar.terms
                if academic_year_of(first) == academic_year_of(starts_on)
            ),
            default=ends_on,
        )
        return starts_on, max(starts_on, min(ends_on, year_ends))

    def _deliverer(self, staff: str) -> User | None:
        if staff == "demo_ta":
            demo_ta = User.objects.filter(
                username="ta", memberships__school=self.school, memberships__role=Role.TA
            ).first()
            return demo_ta or self._deliverer("3A")
        role, _, name = staff.rpartition(":")
        group = self.classes.get(name)
        if group is None:
            return None
        people = group.teachers.all() if role == "teacher" else group.assistants.all()
        return min(people, key=lambda user: user.pk, default=None)

    def _choose_pupils(self, plan: GroupPlan, starts_on: date, ends_on: date) -> list[Pupil]:
        """Pupils in the plan's years while it ran, those on the SEN register in the intervention's
        area of need first; the demo TA's group takes half from 3A and half from 3B."""
        area = self.catalogue[plan.intervention][0].area
        years_since = academic_year_of(self.today) - academic_year_of(starts_on)
        years = {year + years_since for year in plan.years}
        free = [
            pupil
            for pupil in self.pupils
            if pupil.year_group in years
            and pupil.admitted_on <= starts_on
            and sum(
                1 for first, last in self.placed.get(pupil.pk, []) if first <= ends_on and starts_on <= last
            )
            < MOST_GROUPS_AT_ONCE
        ]
        ranked = sorted(
            free,
            key=lambda pupil: (
                pupil.sen_status not in ON_REGISTER,
                self.need_areas.get(pupil.primary_need_id) != area,
                len(self.placed.get(pupil.pk, [])),
                self.rng.random(),
            ),
        )
        if plan.staff == "demo_ta":
            half = plan.pupils // 2
            in_3a = [pupil for pupil in ranked if self.class_of.get(pupil.pk) == "3A"]
            in_3b = [pupil for pupil in ranked if self.class_of.get(pupil.pk) == "3B"]
            chosen = in_3a[:half] + in_3b[: plan.pupils - half]
        else:
            chosen = ranked[: plan.pupils]
        for pupil in chosen:
            self.placed.setdefault(pupil.pk, []).append((starts_on, ends_on))
        return chosen

    def _group(self, plan: GroupPlan, staff: User, pupils: list[Pupil], starts_on: date, ends_on: date):
        intervention = self.catalogue[plan.intervention][0]
        teaching_group = TeachingGroup.objects.create(
            school=self.school, name=f"{plan.name} (intervention)", kind=GroupKind.INTERVENTION
        )
        group = ProvisionGroup.objects.create(
            school=self.school,
            intervention=intervention,
            name=plan.name,
            teaching_group=teaching_group,
            starts_on=starts_on,
            ends_on=ends_on,
            sessions_per_week=intervention.sessions_per_week,
            minutes_per_session=intervention.minutes_per_session,
            schedule=_schedule_text(intervention.sessions_per_week),
            setting=Setting.WITHDRAWAL,
        )
        group.staff.add(staff)
        if Membership.objects.filter(user=staff, school=self.school, role=Role.TA).exists():
            teaching_group.assistants.add(staff)
        else:
            teaching_group.teachers.add(staff)
        if group.ends_on >= self.today:  # running or booked: its staff see its pupils
            teaching_group.pupils.add(*pupils)
        return group

    def _placements(self, group: ProvisionGroup, pupils: list[Pupil]) -> list[Placement]:
        entry_kind = self.catalogue[group.intervention.name][1]
        finished = group.ends_on < self.today
        placements = []
        for pupil in pupils:
            entry = self._entry_score(entry_kind, pupil, group.starts_on)
            exit_score = self._exit_score(entry_kind, entry, group) if finished else None
            placements.append(
                Placement(
                    group=group,
                    pupil=pupil,
                    joined_on=group.starts_on,
                    left_on=group.ends_on + timedelta(days=1) if finished else None,
                    target=_target(entry_kind, entry),
                    entry_score=entry,
                    entry_measured_on=group.starts_on,
                    exit_score=exit_score,
                    exit_measured_on=group.ends_on if finished else None,
                    added_by=self.senco,
                    ended_by=self.senco if finished else None,
                )
            )
        return placements

    def _entry_score(self, entry: Entry, pupil: Pupil, on: date) -> Decimal:
        drawn = self.rng.randint(*entry.entry)
        if entry.kind == MeasureKind.READING_AGE:  # months behind their age in months
            age = (on.year - pupil.date_of_birth.year) * 12 + on.month - pupil.date_of_birth.month
            return Decimal(max(48, age - drawn))
        return Decimal(drawn)

    def _exit_score(self, entry: Entry, score: Decimal, group: ProvisionGroup) -> Decimal:
        gain = self.rng.randint(*entry.gain)
        if entry.kind == MeasureKind.READING_AGE:  # a ratio gain of about 1 to 4
            months = max(1, round((group.ends_on - group.starts_on).days / 30.4))
            gain = months * gain // 3
        return score - gain if entry.lower_is_better else score + gain

    def _log(self, group, staff, pupils, below_target: bool, absences: list) -> list[DeliveredSession]:
        """A session on each scheduled school day up to yesterday: a few cancelled and a few
        pupils absent, or every third cancelled for the group meant to be below target."""
        last = min(group.ends_on, self.today - timedelta(days=1))
        days = [
            day
            for day in (group.starts_on + timedelta(days=n) for n in range((last - group.starts_on).days + 1))
            if day.weekday() in SCHEDULES[group.sessions_per_week] and self.calendar.is_school_day(day)
        ]
        cancelled = (
            set(range(1, len(days), 3))
            if below_target
            else set(self.rng.sample(range(len(days)), len(days) // 15))
        )
        sessions = []
        for index, day in enumerate(days):
            if index in cancelled:
                reason = self.rng.choice(CANCELLED_BECAUSE)
                sessions.append(
                    DeliveredSession(
                        group=group,
                        held_on=day,
                        status=SessionStatus.CANCELLED,
                        cancelled_reason=reason,
                        recorded_by=staff,
                    )
                )
                continue
            session = DeliveredSession(group=group, held_on=day, recorded_by=staff)
            sessions.append(session)
            absences += [(session, pupil) for pupil in pupils if self.rng.random() < 0.05]
        return sessions


def _target(entry: Entry, score: Decimal) -> str:
    if entry.kind == MeasureKind.READING_AGE:
        return f"Close the gap between reading age ({score} months) and age."
    direction = "Bring down" if entry.lower_is_better else "Move on from"
    measure = entry.measure if entry.measure[:2].isupper() else entry.measure[0].lower() + entry.measure[1:]
    return f"{direction} {score} on the {measure}."  # "the SDQ ...", not "the sDQ ..."


def _schedule_text(per_week: int) -> str:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    return ", ".join(names[day] for day in SCHEDULES[per_week]) + " 9:10"
