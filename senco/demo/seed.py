"""Build the demo trust: generated, deterministic from a seed, plausible, never real.

SEN prevalence follows the January 2025 national figures (DfE, "Special educational needs in
England", academic year 2024/25): 14.2% SEN support, EHC plans below the national 5.3% because
these are mainstream schools, about 61% of pupils with SEN boys (71% of EHC plans), ASD the top
primary need for EHC plans and SLCN for SEN support. Monitoring, a school-internal status, is
given to a further 2.5%.
"""

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from pupils.factories import PupilFactory, make_upn
from pupils.models import (
    ON_REGISTER,
    Gender,
    GroupKind,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
    install_need_types,
)
from pupils.services.register import sync_current_sen_status
from senco import audit
from senco.demo.seed_access_arrangements import seed_access_arrangements
from senco.demo.seed_assessments import seed_assessments
from senco.demo.seed_calendar import seed_calendar
from senco.demo.seed_concerns import seed_concerns
from senco.demo.seed_costs import seed_costs
from senco.demo.seed_ehc_plans import seed_ehc_plans
from senco.demo.seed_groups import seed_groups
from senco.demo.seed_involvement import seed_involvement
from senco.demo.seed_plans import seed_plans
from senco.demo.seed_referrals import seed_referrals
from senco.demo.seed_register import build_register_examples
from senco.demo.seed_summary import seed_summary
from senco.demo.seed_transfer_packs import seed_transfer_packs
from senco.demo.seed_transitions import seed_transitions
from senco.demo.words import TEACHER
from senco.factories import (
    BOYS,
    DEMO_PASSWORD,
    GIRLS,
    SURNAMES,
    SchoolFactory,
    SenBudgetFactory,
    StaffWithoutLoginFactory,
    TrustFactory,
)
from senco.models import Membership, Phase, Role, School, User
from senco.rules import academic_year_of, financial_year_of

EHC_RATE, SUPPORT_RATE, MONITORING_RATE = 0.030, 0.142, 0.025
BOY_SHARE_SEN, BOY_SHARE_EHC = 0.61, 0.71
# A secondary school sets pupils by attainment for English and maths ("7En1" is Year 7's top
# English set).
SET_SUBJECTS, SET_SIZE = ("En", "Ma"), 25

EHC_NEEDS = {"ASD": 33.6, "SLCN": 18, "SEMH": 15, "SLD": 9, "MLD": 6, "PD": 4, "SPLD": 3,
             "HI": 2, "VI": 1.5, "PMLD": 1.5, "MSI": 0.5, "DS": 1.5, "OTH": 4.4}  # fmt: skip
SUPPORT_NEEDS = {"SLCN": 25.7, "SEMH": 19, "MLD": 15, "SPLD": 13, "ASD": 9, "OTH": 5, "NSA": 5,
                 "PD": 3, "HI": 2.5, "VI": 1.5, "SLD": 1, "MSI": 0.3}  # fmt: skip
REASONS = {
    SenStatus.MONITORING: "{Teacher}'s concern about progress; SENCO gathering information.",
    SenStatus.SEN_SUPPORT: "Less than expected progress despite good teaching; plan agreed with parents.",
    SenStatus.EHC_PLAN: "EHC plan issued by the local authority.",
}

DEMO_LOGINS = [
    ("senco", "SENCO", "primary"),
    ("teacher", "class teacher (Year 3)", "primary"),
    ("ta", "teaching assistant (Year 3)", "primary"),
    ("head", "headteacher", "primary"),
    ("governor", "governor", "primary"),
    ("senco2", "SENCO", "secondary"),
    ("exams", "exams officer", "secondary"),
]
# The logins are the first school of each phase's own staff in these roles, so what the demo
# records as done by the SENCO was done by the person signed in as the SENCO, and no demo school
# has a second SENCO or headteacher. The class teacher and TA are 3A's.
LOGIN_ROLES = {
    Phase.PRIMARY: {Role.SENCO: "senco", Role.HEAD: "head", Role.GOVERNOR: "governor"},
    Phase.SECONDARY: {Role.SENCO: "senco2", Role.EXAMS_OFFICER: "exams"},
}
LOGIN_CLASS, LOGIN_TEACHER, LOGIN_TA = "3A", "teacher", "ta"
# Adults' first names that no pupil (senco.factories.GIRLS and BOYS) or carer (seed_summary)
# has, so no member of staff shares a name with a pupil anywhere in the trust.
STAFF_FIRST_NAMES = [
    "Helen", "Andrew", "Fiona", "Gareth", "Nadia", "Simon", "Katherine", "Jonathan", "Bethan",
    "Hassan", "Louise", "Martin", "Rebecca", "Neil", "Anita", "Graham", "Sinead", "Peter", "Yvonne",
    "Dominic", "Farah", "Ian", "Jasmine", "Richard", "Olena", "Matthew", "Harpreet", "Steven",
    "Abigail", "Colin", "Deborah", "Femi", "Nicola", "Rajesh", "Elaine", "Owen",
]  # fmt: skip


@dataclass(frozen=True)
class SchoolPlan:
    name: str
    phase: str
    years: range
    groups_per_year: int
    pupils: int


def default_plans() -> list[SchoolPlan]:
    return [
        SchoolPlan("Oakfield Primary School", Phase.PRIMARY, range(0, 7), 2, 420),
        SchoolPlan("Riverside Academy", Phase.SECONDARY, range(7, 12), 8, 1000),
    ]


def scaled_plans(schools: int, pupils_per_school: int) -> list[SchoolPlan]:
    """Alternate primary and secondary schools of the given size, for benchmarks."""
    plans = []
    for index in range(schools):
        if index % 2 == 0:
            plans.append(
                SchoolPlan(
                    f"Demo Primary School {index + 1}", Phase.PRIMARY, range(0, 7), 2, pupils_per_school
                )
            )
        else:
            plans.append(
                SchoolPlan(
                    f"Demo Secondary School {index + 1}", Phase.SECONDARY, range(7, 12), 8, pupils_per_school
                )
            )
    return plans


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _People:
    """Makes the trust's staff, each with a name of their own; the demo logins get the published
    password, the rest an unusable one. Names and usernames follow the order staff are made in,
    drawing no random numbers, so adding staff to a feature's seed leaves the rest unchanged."""

    def __init__(self):
        self.made, self.password = 0, ""

    def member(self, *, school: School, role: str, username: str | None = None) -> User:
        first_name, last_name = _staff_name(self.made)
        self.made += 1
        if username is None:
            user = StaffWithoutLoginFactory(
                current_school=school,
                username=f"{role}.{school.urn}.{self.made:04d}",
                first_name=first_name,
                last_name=last_name,
            )
        else:
            # The logins share the published password, so one hash serves them all: hashing is
            # slow on purpose, and doing it once takes seconds off `make run`'s first start.
            self.password = self.password or make_password(DEMO_PASSWORD)
            user = StaffWithoutLoginFactory(
                username=username,
                current_school=school,
                email=f"{username}@example.org",
                first_name=first_name,
                last_name=last_name,
                password=self.password,
            )
        Membership.objects.create(user=user, school=school, role=role)
        return user


def _staff_name(n: int) -> tuple[str, str]:
    """The name of the `n`th member of staff made: every staff first name with every surname
    once before any pair comes round again."""
    firsts, lasts = STAFF_FIRST_NAMES, SURNAMES
    n %= len(firsts) * len(lasts)
    return firsts[n % len(firsts)], lasts[(n // len(firsts) + 7 * (n % len(firsts))) % len(lasts)]


class _SchoolBuilder:
    def __init__(
        self,
        *,
        plan: SchoolPlan,
        index: int,
        trust,
        rng: random.Random,
        today: date,
        needs: dict,
        people: _People,
        logins: bool,
    ):
        self.plan, self.index, self.trust, self.rng, self.today, self.needs = (
            plan,
            index,
            trust,
            rng,
            today,
            needs,
        )
        self.people = people
        self.logins = LOGIN_ROLES[plan.phase] if logins else {}
        self.login_class = LOGIN_CLASS if logins and plan.phase == Phase.PRIMARY else None
        self.academic_year = academic_year_of(today)

    def build(self) -> School:
        school = SchoolFactory(
            trust=self.trust, name=self.plan.name, phase=self.plan.phase, urn=f"{150001 + self.index:06d}"
        )
        self.calendar = seed_calendar(school=school, today=self.today)
        primary = self.plan.phase == Phase.PRIMARY
        SenBudgetFactory(
            school=school,
            financial_year=financial_year_of(self.today),
            notional_sen_budget=self.plan.pupils * (380 if primary else 420),
            element3_income=self.plan.pupils * (90 if primary else 110),
        )
        self.school = school
        self.staff = {
            role: self._staff(role, username=self.logins.get(role))
            for role in (Role.SENCO, Role.HEAD, Role.GOVERNOR, Role.ADMIN)
        }
        if not primary:
            self.staff[Role.DEPUTY_SENCO] = self._staff(Role.DEPUTY_SENCO)
        groups = self._groups()
        pupils = self._pupils(groups)
        history = self._sen_history(pupils)
        if not primary:
            self._sets(pupils, history)
        senco, calendar = self.staff[Role.SENCO], self.calendar
        # The history is written in bulk beside the services, as an import writes it, so each
        # step that writes it copies the status in force onto the pupils, as the services do.
        self._copy_current_status()
        build_register_examples(school=school, today=self.today, senco=senco, calendar=calendar)
        seed_plans(school=school, senco=senco, today=self.today, calendar=calendar)
        self._copy_current_status()
        seed_summary(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_concerns(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_costs(school=school, today=self.today)
        seed_referrals(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_involvement(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_assessments(school=school, senco=senco, today=self.today)
        return school

    def _copy_current_status(self) -> None:
        sync_current_sen_status(pupil_ids=self.school.pupils.values("pk"), today=self.today)

    def _staff(self, role: str, *, username: str | None = None) -> User:
        return self.people.member(school=self.school, role=role, username=username)

    def _groups(self) -> list[TeachingGroup]:
        groups = []
        for year in self.plan.years:
            for letter in "ABCDEFGH"[: self.plan.groups_per_year]:
                label = "R" if year == 0 else str(year)
                group = TeachingGroup.objects.create(
                    school=self.school,
                    name=f"{label}{letter}",
                    kind="class" if self.plan.phase == Phase.PRIMARY else "registration",
                )
                login = group.name == self.login_class
                group.teachers.add(self._staff(Role.TEACHER, username=LOGIN_TEACHER if login else None))
                if self.plan.phase == Phase.PRIMARY or letter in "AB":
                    group.assistants.add(self._staff(Role.TA, username=LOGIN_TA if login else None))
                groups.append(group)
        return groups

    def _pupils(self, groups: list[TeachingGroup]) -> list[Pupil]:
        per_group = -(-self.plan.pupils // len(groups))
        built, memberships = [], []
        for serial in range(self.plan.pupils):
            group = groups[serial // per_group]
            year_group = self.plan.years[0] + serial // (per_group * self.plan.groups_per_year)
            gender = Gender.MALE if self.rng.random() < 0.5 else Gender.FEMALE
            born = date(self.academic_year - year_group - 5, 9, 1) + timedelta(days=self.rng.randrange(365))
            built.append(
                PupilFactory.build(
                    school=self.school,
                    gender=gender,
                    first_name=self.rng.choice(BOYS if gender == Gender.MALE else GIRLS),
                    last_name=self.rng.choice(SURNAMES),
                    year_group=year_group,
                    date_of_birth=born,
                    upn=make_upn(
                        la_code=self.school.la_code,
                        establishment=self.school.urn[-4:],
                        year_of_issue=born.year + 4,
                        serial=serial,
                    ),
                    admitted_on=date(
                        born.year + 4
                        if self.plan.phase == Phase.PRIMARY
                        else self.academic_year - year_group + 7,
                        9,
                        1,
                    ),
                )
            )
            memberships.append(group)
        pupils = Pupil.objects.bulk_create(built)
        Through = TeachingGroup.pupils.through
        Through.objects.bulk_create(
            Through(teachinggroup=group, pupil=pupil)
            for group, pupil in zip(memberships, pupils, strict=True)
        )
        return pupils

    def _status_for(self, pupil: Pupil) -> str:
        boy = pupil.gender == Gender.MALE
        ehc = EHC_RATE * (2 * BOY_SHARE_EHC if boy else 2 * (1 - BOY_SHARE_EHC))
        sen = SUPPORT_RATE * (2 * BOY_SHARE_SEN if boy else 2 * (1 - BOY_SHARE_SEN))
        draw = self.rng.random()
        if draw < ehc:
            return SenStatus.EHC_PLAN
        if draw < ehc + sen:
            return SenStatus.SEN_SUPPORT
        if draw < ehc + sen + MONITORING_RATE:
            return SenStatus.MONITORING
        return SenStatus.NO_SEN

    def _sen_history(self, pupils: list[Pupil]) -> list[SenStatusChange]:
        senco = self.staff[Role.SENCO]
        changes = []
        first_day = self.today - timedelta(days=3 * 365)
        school_days = [
            day
            for day in (first_day + timedelta(days=n) for n in range((self.today - first_day).days + 1))
            if self.calendar.is_school_day(day)
        ]
        for pupil in pupils:
            status = self._status_for(pupil)
            if status == SenStatus.NO_SEN:
                continue
            primary = secondary = None
            if status != SenStatus.MONITORING:
                primary = self._need(EHC_NEEDS if status == SenStatus.EHC_PLAN else SUPPORT_NEEDS)
                if self.rng.random() < 0.3:
                    secondary = self._need(SUPPORT_NEEDS)
                    if secondary.code in (primary.code, "NSA") or primary.code == "NSA":
                        secondary = None
                if status == SenStatus.EHC_PLAN and primary.code == "NSA":
                    primary = self.needs["SLCN"]
            # Decided at a meeting in school, so on a school day in the last three years.
            earliest = bisect_left(school_days, max(pupil.admitted_on, self.today - timedelta(days=3 * 365)))
            effective = (
                school_days[earliest + self.rng.randrange(len(school_days) - earliest)]
                if earliest < len(school_days)
                else self.today
            )
            informed = self.rng.random() < 0.93  # a few gaps for the register-health page to find
            changes.append(
                SenStatusChange(
                    pupil=pupil,
                    status=status,
                    primary_need=primary,
                    secondary_need=secondary,
                    effective_from=effective,
                    reason=REASONS[status].format(Teacher=TEACHER[self.plan.phase].capitalize()),
                    recorded_by=senco,
                    parents_informed_on=effective if informed else None,
                    parents_informed_how="Meeting with parents" if informed else "",
                )
            )
        return SenStatusChange.objects.bulk_create(changes)

    def _sets(self, pupils: list[Pupil], history: list[SenStatusChange]) -> None:
        """English and maths sets of about 25 in each year, set 1 the highest attaining, each
        taught by a teacher of the subject who has that set in every year (so subject teachers
        see the pupils they teach). Pupils on the SEN register, most of all those with a
        cognition and learning need, are more often in the lower sets. Pupils are placed with a
        generator of the school's own."""
        rng = random.Random(f"sets-{self.school.urn}")
        weight = {
            change.pupil_id: 0.6 if change.primary_need and change.primary_need.area == "cognition" else 0.3
            for change in history
            if change.status in ON_REGISTER
        }
        years: dict[int, list[Pupil]] = {}
        for pupil in pupils:
            years.setdefault(pupil.year_group, []).append(pupil)
        sets_in_year = {year: max(1, round(len(in_year) / SET_SIZE)) for year, in_year in years.items()}
        sets, pupils_in, teachers_of = [], [], []
        for subject in SET_SUBJECTS:
            teachers = [self._staff(Role.TEACHER) for _ in range(max(sets_in_year.values()))]
            for year, in_year in sorted(years.items()):
                ranked = sorted(in_year, key=lambda pupil: rng.random() + weight.get(pupil.pk, 0))
                count = sets_in_year[year]
                for number in range(count):
                    group = TeachingGroup(
                        school=self.school, name=f"{year}{subject}{number + 1}", kind=GroupKind.SET
                    )
                    sets.append(group)
                    teachers_of.append(teachers[number])
                    pupils_in.append(
                        ranked[number * len(ranked) // count : (number + 1) * len(ranked) // count]
                    )
        TeachingGroup.objects.bulk_create(sets)
        Taught, Members = TeachingGroup.teachers.through, TeachingGroup.pupils.through
        Taught.objects.bulk_create(
            Taught(teachinggroup=group, user=teacher)
            for group, teacher in zip(sets, teachers_of, strict=True)
        )
        Members.objects.bulk_create(
            Members(teachinggroup=group, pupil=pupil)
            for group, members in zip(sets, pupils_in, strict=True)
            for pupil in members
        )

    def _need(self, weights: dict[str, float]) -> NeedType:
        return self.needs[_weighted(self.rng, weights)]


def _cover_every_role(*, schools: list[School], people: _People, first_of_phase: dict[str, str]) -> None:
    """Give each school a member of staff in every role it lacks (a senior leader, the
    primary's deputy SENCO, the exams officer), so every role's pages can be tried in the demo,
    the first school of each phase (`first_of_phase`, its name by phase) with its demo logins;
    and the trust one trust administrator, who holds the role at every school of the trust, as
    the app keeps it."""
    for school in schools:
        held = set(Membership.objects.filter(school=school).values_list("role", flat=True))
        login = LOGIN_ROLES[school.phase] if school.name == first_of_phase.get(school.phase) else {}
        for role in Role.values:
            if role not in held and role != Role.TRUST_ADMIN:
                people.member(school=school, role=role, username=login.get(role))
    trust_admin = people.member(school=schools[0], role=Role.TRUST_ADMIN)
    Membership.objects.bulk_create(
        Membership(user=trust_admin, school=school, role=Role.TRUST_ADMIN) for school in schools[1:]
    )


@transaction.atomic
def build_demo_trust(*, seed: int, today: date, plans: list[SchoolPlan]) -> list[School]:
    """Create a trust with one school per plan, staff in every role (the demo logins among
    them, in the first school of each phase), groups, pupils and SEN history. Side effects: one
    audit row `demo.seeded`."""
    rng = random.Random(seed)
    install_need_types(NeedType)  # a flushed test database has lost the migration's rows
    needs = {need.code: need for need in NeedType.objects.all()}
    trust = TrustFactory(name="Northshire Learning Trust")
    people = _People()
    first_of_phase = {}
    for index, plan in enumerate(plans):
        first_of_phase.setdefault(plan.phase, index)
    schools = [
        _SchoolBuilder(
            plan=plan,
            index=index,
            trust=trust,
            rng=rng,
            today=today,
            needs=needs,
            people=people,
            logins=first_of_phase[plan.phase] == index,
        ).build()
        for index, plan in enumerate(plans)
    ]
    seed_groups(schools=schools, rng=rng, today=today)
    for school in schools:  # after the groups, which Section F links to
        senco = (
            User.objects.filter(memberships__school=school, memberships__role=Role.SENCO)
            .order_by("pk")
            .first()
        )
        seed_ehc_plans(school=school, senco=senco, today=today)
        secondary = next((s.name for s in schools if s.phase == Phase.SECONDARY), "Riverside Academy")
        seed_transitions(school=school, senco=senco, today=today, secondary=secondary)
        seed_access_arrangements(school=school, senco=senco, today=today)  # after the EHC plans
    first_names = {plans[index].phase: plans[index].name for index in first_of_phase.values()}
    _cover_every_role(
        schools=schools, people=people, first_of_phase=first_names
    )  # last, so the rest of the demo is unchanged
    # transfer_packs: pupils of their own, after everything else, so nothing above changes.
    seed_transfer_packs(schools=schools, today=today)
    audit.record("demo.seeded", by=None, school=schools[0], summary=f"{len(schools)} schools, seed {seed}")
    return schools
