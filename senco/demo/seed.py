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
    Gender,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
    install_need_types,
)
from senco import audit
from senco.demo.seed_calendar import seed_calendar
from senco.demo.seed_concerns import seed_concerns
from senco.demo.seed_costs import seed_costs
from senco.demo.seed_groups import seed_groups
from senco.demo.seed_plans import seed_plans
from senco.demo.seed_register import build_register_examples
from senco.demo.seed_summary import seed_summary
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

EHC_NEEDS = {"ASD": 33.6, "SLCN": 18, "SEMH": 15, "SLD": 9, "MLD": 6, "PD": 4, "SPLD": 3,
             "HI": 2, "VI": 1.5, "PMLD": 1.5, "MSI": 0.5, "DS": 1.5, "OTH": 4.4}  # fmt: skip
SUPPORT_NEEDS = {"SLCN": 25.7, "SEMH": 19, "MLD": 15, "SPLD": 13, "ASD": 9, "OTH": 5, "NSA": 5,
                 "PD": 3, "HI": 2.5, "VI": 1.5, "SLD": 1, "MSI": 0.3}  # fmt: skip
REASONS = {
    SenStatus.MONITORING: "Class teacher's concern about progress; SENCO gathering information.",
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
]


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


class _SchoolBuilder:
    def __init__(self, *, plan: SchoolPlan, index: int, trust, rng: random.Random, today: date, needs: dict):
        self.plan, self.index, self.trust, self.rng, self.today, self.needs = (
            plan,
            index,
            trust,
            rng,
            today,
            needs,
        )
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
        self.staff = {role: self._staff(role) for role in (Role.SENCO, Role.HEAD, Role.GOVERNOR, Role.ADMIN)}
        if not primary:
            self.staff[Role.DEPUTY_SENCO] = self._staff(Role.DEPUTY_SENCO)
        groups = self._groups()
        pupils = self._pupils(groups)
        self._sen_history(pupils)
        senco, calendar = self.staff[Role.SENCO], self.calendar
        build_register_examples(school=school, today=self.today, senco=senco, calendar=calendar)
        seed_plans(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_summary(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_concerns(school=school, senco=senco, today=self.today, calendar=calendar)
        seed_costs(school=school, today=self.today)
        return school

    def _staff(self, role: str) -> User:
        return _staff_member(school=self.school, role=role, rng=self.rng)

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
                group.teachers.add(self._staff(Role.TEACHER))
                if self.plan.phase == Phase.PRIMARY or letter in "AB":
                    group.assistants.add(self._staff(Role.TA))
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

    def _sen_history(self, pupils: list[Pupil]) -> None:
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
                    reason=REASONS[status],
                    recorded_by=senco,
                    parents_informed_on=effective if informed else None,
                    parents_informed_how="Meeting with parents" if informed else "",
                )
            )
        SenStatusChange.objects.bulk_create(changes)

    def _need(self, weights: dict[str, float]) -> NeedType:
        return self.needs[_weighted(self.rng, weights)]


def _staff_member(*, school: School, role: str, rng: random.Random) -> User:
    # Only the named demo logins can sign in; the other staff have unusable passwords.
    user = StaffWithoutLoginFactory(
        current_school=school, username=f"{role}.{school.urn}.{rng.randrange(10**6):06d}"
    )
    Membership.objects.create(user=user, school=school, role=role)
    return user


def _cover_every_role(*, schools: list[School], rng: random.Random) -> None:
    """Give each school a member of staff in every role it lacks (a senior leader, and the
    primary's deputy SENCO), so every role's pages can be tried in the demo; and the trust one
    trust administrator, who holds the role at every school of the trust, as the app keeps it."""
    for school in schools:
        held = set(Membership.objects.filter(school=school).values_list("role", flat=True))
        for role in Role.values:
            if role not in held and role != Role.TRUST_ADMIN:
                _staff_member(school=school, role=role, rng=rng)
    trust_admin = _staff_member(school=schools[0], role=Role.TRUST_ADMIN, rng=rng)
    Membership.objects.bulk_create(
        Membership(user=trust_admin, school=school, role=Role.TRUST_ADMIN) for school in schools[1:]
    )


def _demo_logins(schools: list[School]) -> None:
    """Give the named demo logins their roles: five at the primary, `senco2` at the secondary."""
    # They share the published demo password, so one hash serves them all: hashing is slow on
    # purpose, and doing it once instead of six times takes seconds off `make run`'s first start.
    password = make_password(DEMO_PASSWORD)
    primary = next(school for school in schools if school.phase == Phase.PRIMARY)
    year3 = TeachingGroup.objects.get(school=primary, name="3A")
    for username, role in [("senco", Role.SENCO), ("head", Role.HEAD), ("governor", Role.GOVERNOR)]:
        _login(username, role, primary, password)
    year3.teachers.add(_login("teacher", Role.TEACHER, primary, password))
    year3.assistants.add(_login("ta", Role.TA, primary, password))
    secondary = next((school for school in schools if school.phase == Phase.SECONDARY), None)
    if secondary:
        _login("senco2", Role.SENCO, secondary, password)


def _login(username: str, role: str, school: School, password: str) -> User:
    user = StaffWithoutLoginFactory(username=username, current_school=school, email=f"{username}@example.org")
    user.password = password
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, school=school, role=role)
    return user


@transaction.atomic
def build_demo_trust(*, seed: int, today: date, plans: list[SchoolPlan]) -> list[School]:
    """Create a trust with one school per plan, staff in every role, groups, pupils and SEN
    history, plus the demo logins. Side effects: one audit row `demo.seeded`."""
    rng = random.Random(seed)
    install_need_types(NeedType)  # a flushed test database has lost the migration's rows
    needs = {need.code: need for need in NeedType.objects.all()}
    trust = TrustFactory(name="Northshire Learning Trust")
    schools = [
        _SchoolBuilder(plan=plan, index=index, trust=trust, rng=rng, today=today, needs=needs).build()
        for index, plan in enumerate(plans)
    ]
    _demo_logins(schools)
    # After the logins, so the demo TA can deliver a group; late, so the rest of the demo is unchanged.
    seed_groups(schools=schools, rng=rng, today=today)
    _cover_every_role(schools=schools, rng=rng)  # last, for the same reason
    audit.record("demo.seeded", by=None, school=schools[0], summary=f"{len(schools)} schools, seed {seed}")
    return schools
