"""Demo provision in practice: staff rates and an intervention catalogue for every school, and in
each primary a set of running groups and 1:1s with pupils, entry (and, for a finished group,
exit) scores and a delivery log.

Deterministic: it draws only from the demo's random generator, after every school is built, so
the rest of the demo is unchanged. Dates are relative to `today`, and the log only has sessions
on term days, so delivery figures are plausible whatever day the demo is built. The demo `ta`
delivers the Year 3 language group (two pupils of 3A, two of 3B). One group is deliberately
below 80% delivered (every third session cancelled), so the delivery overview has something
to flag. Rows are bulk-created; no audit rows are written for demo data.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from provision.models import (
    CostBasis,
    DeliveredSession,
    Deliverer,
    Intervention,
    MeasureKind,
    Placement,
    ProvisionGroup,
    SessionStatus,
    Setting,
    StaffRate,
)
from pupils.models import ON_REGISTER, GroupKind, NeedType, Pupil, TeachingGroup
from pupils.selectors.records import with_sen_status
from senco.models import Membership, Phase, Role, School, Term, User

# Hourly costs including employer's National Insurance and pension (on-costs).
STAFF_RATES = {"Teaching assistant": "16.50", "Higher-level teaching assistant": "19.00", "Teacher": "45.00"}

# name, area, delivered by, group size, sessions a week, minutes, weeks, measure, measure kind,
# rate (None for a bought-in programme), fixed cost, resources, description.
CATALOGUE = [
    ("Phonics catch-up", "cognition", Deliverer.TA, 4, 4, 20, 10,
     "Phonics check practice (out of 40)", MeasureKind.CHECKLIST, "Teaching assistant", None, "40",
     "Short daily phonics sessions revisiting the sounds the pupils have not secured, with blending "
     "and segmenting practice and decodable books."),
    ("Speech and language programme", "communication", Deliverer.TA, 4, 3, 30, 10,
     "Language progress checklist (out of 30)", MeasureKind.CHECKLIST, "Teaching assistant", None, "60",
     "Structured vocabulary, listening and narrative games, following the speech and language "
     "therapist's programme."),
    ("Social skills group", "semh", Deliverer.TA, 6, 1, 45, 8,
     "SDQ total difficulties (teacher)", MeasureKind.CHECKLIST, "Teaching assistant", None, "25",
     "Turn-taking, sharing and talking about feelings through games and role play."),
    ("Fine motor skills group", "sensory_physical", Deliverer.TA, 6, 3, 15, 8,
     "Fine motor checklist (out of 20)", MeasureKind.CHECKLIST, "Teaching assistant", None, "80",
     "Daily hand-strengthening and pencil-control activities advised by the occupational therapist."),
    ("Precision teaching", "cognition", Deliverer.TA, 1, 5, 10, 12,
     "Words read correctly in one minute", MeasureKind.OTHER, "Teaching assistant", None, "0",
     "Ten minutes a day 1:1: a probe of target words, timed practice and a chart of progress."),
    ("Bought-in reading programme", "cognition", Deliverer.TA, 3, 3, 30, 8,
     "Standardised reading score", MeasureKind.STANDARDISED, None, "750", "0",
     "A licensed small-group reading programme with its own books, training and assessments."),
    ("Emotional literacy support (ELSA)", "semh", Deliverer.TA, 1, 1, 45, 8,
     "Emotional literacy checklist (out of 40)", MeasureKind.CHECKLIST, "Higher-level teaching assistant",
     None, "15", "Weekly 1:1 sessions with a trained ELSA on recognising and managing feelings."),
    ("Paired reading", "cognition", Deliverer.TA, 2, 3, 15, 10,
     "Standardised reading score", MeasureKind.STANDARDISED, "Teaching assistant", None, "0",
     "Older pupils read with younger ones. No longer used: replaced by the bought-in programme."),
]  # fmt: skip

SCHEDULES = {1: (3,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 2, 3), 5: (0, 1, 2, 3, 4)}
CANCELLED_BECAUSE = ["TA covering a class", "School trip", "Assembly overran", "Staff training", "TA absent"]


@dataclass(frozen=True)
class GroupPlan:
    intervention: str
    name: str
    years: tuple[int, ...]
    pupils: int
    weeks_ago: int  # Monday it started, counted back from this week's Monday
    weeks: int
    staff: str  # "demo_ta" or the class whose TA delivers it, e.g. "2A"
    below_target: bool = False


PRIMARY_GROUPS = [
    GroupPlan("Speech and language programme", "Year 3 language group", (3,), 4, 5, 10, "demo_ta"),
    GroupPlan("Phonics catch-up", "Year 2 phonics catch-up", (1, 2), 4, 6, 10, "2A", below_target=True),
    GroupPlan("Social skills group", "Lunchtime social skills", (4, 5), 5, 4, 8, "4A"),
    GroupPlan("Fine motor skills group", "Reception fine motor", (0, 1), 4, 3, 8, "RA"),
    GroupPlan("Precision teaching", "Precision teaching (Year 5)", (5,), 1, 4, 12, "5A"),
    GroupPlan("Emotional literacy support (ELSA)", "ELSA 1:1 (Year 6)", (6,), 1, 2, 8, "6A"),
    GroupPlan("Bought-in reading programme", "Year 5 and 6 reading programme", (5, 6), 3, 10, 8, "6B"),
]


def seed_groups(*, schools: list[School], rng: random.Random, today: date) -> None:
    """Rates and a catalogue for every school; groups, placements and a delivery log for primaries."""
    for school in schools:
        catalogue = _catalogue(school)
        if school.phase == Phase.PRIMARY:
            _PrimaryGroups(school=school, catalogue=catalogue, rng=rng, today=today).build()


def _catalogue(school: School) -> dict[str, Intervention]:
    rates = {
        rate.name: rate
        for rate in StaffRate.objects.bulk_create(
            StaffRate(school=school, name=name, hourly_cost=Decimal(cost))
            for name, cost in STAFF_RATES.items()
        )
    }
    interventions = Intervention.objects.bulk_create(_intervention(school, rates, row) for row in CATALOGUE)
    return {intervention.name: intervention for intervention in interventions}


def _intervention(school: School, rates: dict[str, StaffRate], row: tuple) -> Intervention:
    name, area, by, size, per_week, minutes, weeks, measure, kind, rate, fixed, resources, description = row
    return Intervention(
        school=school,
        name=name,
        area=area,
        delivered_by=by,
        group_size=size,
        sessions_per_week=per_week,
        minutes_per_session=minutes,
        typical_weeks=weeks,
        measure_name=measure,
        measure_kind=kind,
        cost_basis=CostBasis.STAFF_TIME if rate else CostBasis.FIXED,
        staff_rate=rates[rate] if rate else None,
        fixed_cost=Decimal(fixed) if fixed else None,
        resources_cost=Decimal(resources),
        description=description,
        is_active=name != "Paired reading",
    )


class _PrimaryGroups:
    def __init__(
        self, *, school: School, catalogue: dict[str, Intervention], rng: random.Random, today: date
    ):
        self.school, self.catalogue, self.rng, self.today = school, catalogue, rng, today
        self.this_monday = today - timedelta(days=today.weekday())
        self.terms = list(
            Term.objects.filter(academic_year__school=school).values_list("starts_on", "ends_on")
        )
        self.classes = {
            group.name: group for group in TeachingGroup.objects.filter(school=school, kind=GroupKind.CLASS)
        }
        self.times_placed: dict[int, int] = {}
        self.need_areas = dict(NeedType.objects.values_list("pk", "area"))

    def build(self) -> None:
        sessions, absences, placements = [], [], []
        for plan in PRIMARY_GROUPS:
            staff = self._deliverer(plan.staff)
            pupils = self._choose_pupils(plan)
            if staff is None or not pupils:
                continue
            group = self._group(plan, staff, pupils)
            placements += self._placements(group, pupils)
            sessions += self._log(group, staff, pupils, plan.below_target, absences)
        Placement.objects.bulk_create(placements)
        DeliveredSession.objects.bulk_create(sessions)
        Absent = DeliveredSession.absent.through
        Absent.objects.bulk_create(
            Absent(deliveredsession=session, pupil=pupil) for session, pupil in absences
        )

    def _deliverer(self, staff: str) -> User | None:
        if staff == "demo_ta":
            demo_ta = User.objects.filter(
                username="ta", memberships__school=self.school, memberships__role=Role.TA
            ).first()
            return demo_ta or self._deliverer("3A")
        group = self.classes.get(staff)
        return group.assistants.order_by("pk").first() if group else None

    def _choose_pupils(self, plan: GroupPlan) -> list[Pupil]:
        """Pupils of the plan's years, those on the SEN register in the intervention's area of need
        first; the demo TA's group takes half from 3A and half from 3B."""
        area = self.catalogue[plan.intervention].area
        if plan.staff == "demo_ta":
            half = plan.pupils // 2
            return (
                self._candidates(area, classes=["3A"])[:half]
                + self._candidates(area, classes=["3B"])[: plan.pupils - half]
            )
        return self._candidates(area, years=plan.years)[: plan.pupils]

    def _candidates(self, area: str, *, years=(), classes=()) -> list[Pupil]:
        pupils = with_sen_status(
            Pupil.objects.filter(school=self.school, left_on__isnull=True), today=self.today
        )
        pupils = (
            pupils.filter(teaching_groups__name__in=classes)
            if classes
            else pupils.filter(year_group__in=years)
        )
        ranked = sorted(
            pupils.order_by("pk"),
            key=lambda pupil: (
                self.times_placed.get(pupil.pk, 0),
                pupil.sen_status not in ON_REGISTER,
                self.need_areas.get(pupil.primary_need_id) != area,
                self.rng.random(),
            ),
        )
        return [pupil for pupil in ranked if self.times_placed.get(pupil.pk, 0) < 2]

    def _group(self, plan: GroupPlan, staff: User, pupils: list[Pupil]) -> ProvisionGroup:
        intervention = self.catalogue[plan.intervention]
        starts_on = self.this_monday - timedelta(weeks=plan.weeks_ago)
        teaching_group = TeachingGroup.objects.create(
            school=self.school, name=f"{plan.name} (intervention)", kind=GroupKind.INTERVENTION
        )
        group = ProvisionGroup.objects.create(
            school=self.school,
            intervention=intervention,
            name=plan.name,
            teaching_group=teaching_group,
            starts_on=starts_on,
            ends_on=self._end(starts_on, plan.weeks),
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
        if group.ends_on >= self.today:
            teaching_group.pupils.add(*pupils)
        return group

    def _end(self, starts_on: date, weeks: int) -> date:
        """The Friday of the last week, or the end of the term the group starts in if sooner."""
        ends_on = starts_on + timedelta(weeks=weeks) - timedelta(days=3)
        term_end = next((last for first, last in self.terms if first <= starts_on <= last), ends_on)
        return min(ends_on, term_end)

    def _placements(self, group: ProvisionGroup, pupils: list[Pupil]) -> list[Placement]:
        kind = group.intervention.measure_kind
        finished = group.ends_on < self.today
        placements = []
        for pupil in pupils:
            self.times_placed[pupil.pk] = self.times_placed.get(pupil.pk, 0) + 1
            entry = self._entry_score(kind)
            placements.append(
                Placement(
                    group=group,
                    pupil=pupil,
                    joined_on=group.starts_on,
                    left_on=group.ends_on + timedelta(days=1) if finished else None,
                    target=f"Move on from {entry} on the {group.intervention.measure_name.lower()}.",
                    entry_score=entry,
                    entry_measured_on=group.starts_on,
                    exit_score=entry + self._gain(kind) if finished else None,
                    exit_measured_on=group.ends_on if finished else None,
                )
            )
        return placements

    def _entry_score(self, kind: str) -> Decimal:
        if kind == MeasureKind.STANDARDISED:
            return Decimal(self.rng.randint(74, 88))
        return Decimal(self.rng.randint(8, 18))

    def _gain(self, kind: str) -> Decimal:
        return Decimal(self.rng.randint(2, 9) if kind == MeasureKind.STANDARDISED else self.rng.randint(1, 6))

    def _log(self, group, staff, pupils, below_target: bool, absences: list) -> list[DeliveredSession]:
        """A session on each scheduled term-time day up to yesterday: a few cancelled and a few
        pupils absent, or every third cancelled for the group meant to be below target."""
        days = [
            day
            for day in _days(group.starts_on, min(group.ends_on, self.today - timedelta(days=1)))
            if day.weekday() in SCHEDULES[group.sessions_per_week] and self._in_term(day)
        ]
        cancelled = (
            set(range(1, len(days), 3))
            if below_target
            else set(self.rng.sample(range(len(days)), len(days) // 12))
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

    def _in_term(self, day: date) -> bool:
        return not self.terms or any(first <= day <= last for first, last in self.terms)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _schedule_text(per_week: int) -> str:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    return ", ".join(names[day] for day in SCHEDULES[per_week]) + " 9:10"
