"""factory_boy factories: deterministic (sequences, never random Faker data), used by the
tests and by `seed_demo`. All names are invented; none is a real pupil's."""

from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from pupils.models import (
    Gender,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
    upn_check_letter,
)
from senco.models import AcademicYear, Membership, Phase, School, SenBudget, Term, Trust, User

GIRLS = [
    "Amelia", "Isla", "Ava", "Freya", "Ivy", "Florence", "Willow", "Poppy", "Sophia", "Aisha",
    "Maryam", "Zara", "Evie", "Grace", "Ruby", "Harper", "Layla", "Nia", "Priya", "Chloe",
]  # fmt: skip
BOYS = [
    "Oliver", "George", "Noah", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Jack",
    "Theo", "Freddie", "Alfie", "Yusuf", "Kai", "Reuben", "Tomasz", "Ethan", "Samuel", "Jayden",
]  # fmt: skip
SURNAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Edwards",
    "Hughes", "Clarke", "Lewis", "Ahmed", "Begum", "Nowak", "Okafor", "Murphy", "Kaur", "Campbell",
]  # fmt: skip
DEMO_PASSWORD = "senco-demo"


def make_upn(*, la_code: str, establishment: str, year_of_issue: int, serial: int) -> str:
    """A valid permanent UPN built from its parts, check letter first (domain.md §1)."""
    body = f"{la_code}{establishment}{year_of_issue % 100:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body


class TrustFactory(DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Demo Learning Trust {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Oakfield Primary School {n}")
    urn = factory.Sequence(lambda n: f"{140000 + n:06d}")
    phase = Phase.PRIMARY
    local_authority = "Northshire"
    la_code = "801"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: (GIRLS + BOYS)[n % 40])
    last_name = factory.Sequence(lambda n: SURNAMES[(n * 7) % len(SURNAMES)])
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(DEMO_PASSWORD)


class StaffWithoutLoginFactory(UserFactory):
    """Staff who exist for the data but cannot sign in (demo and benchmark schools)."""

    password = factory.LazyFunction(lambda: make_password(None))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "teacher"


def staff_member(*, role: str, school: School, **user_fields) -> User:
    """A user holding `role` at `school`, working there now."""
    user = UserFactory(current_school=school, **user_fields)
    MembershipFactory(user=user, school=school, role=role)
    return user


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    start_year = 2026


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    academic_year = factory.SubFactory(AcademicYearFactory)
    season = "autumn"
    starts_on = factory.LazyAttribute(lambda term: date(term.academic_year.start_year, 9, 3))
    ends_on = factory.LazyAttribute(lambda term: date(term.academic_year.start_year, 12, 18))


class SenBudgetFactory(DjangoModelFactory):
    class Meta:
        model = SenBudget

    school = factory.SubFactory(SchoolFactory)
    financial_year = 2026
    notional_sen_budget = 150000
    element3_income = 40000


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    gender = factory.Sequence(lambda n: Gender.MALE if n % 2 else Gender.FEMALE)
    first_name = factory.LazyAttributeSequence(
        lambda pupil, n: (BOYS if pupil.gender == Gender.MALE else GIRLS)[(n // 2) % 20]
    )
    last_name = factory.Sequence(lambda n: SURNAMES[(n * 11 + 3) % len(SURNAMES)])
    year_group = 3
    # Born in the right school year for their NC year in 2026/27 (domain.md §1).
    date_of_birth = factory.LazyAttributeSequence(
        lambda pupil, n: date(2026 - pupil.year_group - 5, 9, 1) + timedelta(days=(n * 37) % 365)
    )
    upn = factory.LazyAttributeSequence(
        lambda pupil, n: make_upn(
            la_code=pupil.school.la_code,
            establishment=pupil.school.urn[-4:],
            year_of_issue=pupil.date_of_birth.year + 4,
            serial=n,
        )
    )
    admitted_on = factory.LazyAttribute(lambda pupil: date(pupil.date_of_birth.year + 4, 9, 1))


class TeachingGroupFactory(DjangoModelFactory):
    class Meta:
        model = TeachingGroup
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")

    @factory.post_generation
    def pupils(self, create, extracted, **kwargs):
        if create and extracted:
            self.pupils.add(*extracted)

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.add(*extracted)

    @factory.post_generation
    def assistants(self, create, extracted, **kwargs):
        if create and extracted:
            self.assistants.add(*extracted)


class SenStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = SenStatusChange

    pupil = factory.SubFactory(PupilFactory)
    status = SenStatus.SEN_SUPPORT
    primary_need = factory.LazyAttribute(
        lambda change: (
            NeedType.objects.get(code="SLCN") if change.status in ("sen_support", "ehc_plan") else None
        )
    )
    effective_from = date(2026, 9, 14)
    reason = "Assessed by the SENCO after a teacher's concern; agreed with parents."
    parents_informed_on = factory.LazyAttribute(lambda change: change.effective_from)
    parents_informed_how = "Meeting with parents"


class SupportPlanFactory(DjangoModelFactory):
    """A finalised SEN support plan (cycle 1) with one outcome; the pupil needs SEN support."""

    class Meta:
        model = "provision.SupportPlan"
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda plan: plan.pupil.school)
    cycle = 1
    status = "active"
    started_on = date(2026, 9, 21)
    review_due_on = date(2026, 12, 14)
    finalised_on = factory.LazyAttribute(lambda plan: plan.started_on)
    assessment = "Reading fluency well below peers from the same starting point."
    strategies = "Pre-teach key vocabulary; visual timetable."
    arrangements = "Class teacher plans; TA runs reading sessions three times a week."

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if not create:
            return
        from provision.models import PlanOutcome

        for position, text in enumerate(extracted or ["Read 60 words a minute aloud from a Year 3 book."]):
            PlanOutcome.objects.create(
                plan=self,
                area="cognition",
                description=text,
                success_criteria="Measured termly.",
                position=position,
            )


class CarerFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Carer"

    pupil = factory.SubFactory(PupilFactory)
    name = factory.LazyAttribute(lambda carer: f"Ms {carer.pupil.last_name}")
    relationship = "Mother"
    phone = factory.Sequence(lambda n: f"07700 900{n % 1000:03d}")  # Ofcom's drama range
    email = factory.Sequence(lambda n: f"carer{n}@example.org")


class ContactLogEntryFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.ContactLogEntry"

    pupil = factory.SubFactory(PupilFactory)
    kind = "meeting"
    occurred_on = date(2026, 10, 8)
    participants = "Mother, class teacher, SENCO"
    summary = "Talked through the reading plan and how it is going at home."
    agreed_actions = "Read together for ten minutes each evening."
    recorded_by = factory.SubFactory(UserFactory)


class PassportFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Passport"

    pupil = factory.SubFactory(PupilFactory)
    version = 1
    strengths = "Kind to younger children; brilliant at Lego models."
    important_to_me = "My dog Biscuit and my grandad."
    how_to_support = "Tell me what is happening next; give me one instruction at a time."
    staff_should = "Seat near the front; check understanding quietly; give a movement break."
    pupil_voice = "I like it when I know what is coming."
    parent_voice = "He worries at the start of the day."
    written_on = date(2026, 9, 24)
    written_by = factory.SubFactory(UserFactory)


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Concern"

    pupil = factory.SubFactory(PupilFactory)
    raised_by = factory.SubFactory(UserFactory)
    raised_on = date(2026, 10, 5)
    area = "cognition"
    observed = "Struggles to blend sounds; guesses words from the first letter."
    evidence = "Phonics screening practice: 18/40 on 1 October."
    already_tried = "Daily five-minute phonics catch-up at the start of the lesson for three weeks."


class StaffRateFactory(DjangoModelFactory):
    class Meta:
        model = "provision.StaffRate"
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = "Teaching assistant"
    hourly_cost = 18


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = "provision.Intervention"

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Phonics catch-up {n}")
    area = "cognition"
    group_size = 4
    sessions_per_week = 3
    minutes_per_session = 30
    typical_weeks = 10
    measure_name = "Standardised reading score"
    cost_basis = "staff_time"
    staff_rate = factory.LazyAttribute(lambda intervention: StaffRateFactory(school=intervention.school))


class ProvisionGroupFactory(DjangoModelFactory):
    """A running group, with its intervention-kind teaching group kept in step."""

    class Meta:
        model = "provision.ProvisionGroup"
        skip_postgeneration_save = True

    intervention = factory.SubFactory(InterventionFactory)
    school = factory.LazyAttribute(lambda group: group.intervention.school)
    name = factory.Sequence(lambda n: f"Intervention group {n}")
    teaching_group = factory.LazyAttribute(
        lambda group: TeachingGroup.objects.create(school=group.school, name=group.name, kind="intervention")
    )
    starts_on = date(2026, 9, 14)
    ends_on = date(2026, 12, 11)
    sessions_per_week = factory.LazyAttribute(lambda group: group.intervention.sessions_per_week)
    minutes_per_session = factory.LazyAttribute(lambda group: group.intervention.minutes_per_session)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)
            self.teaching_group.assistants.add(*extracted)


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = "provision.Placement"
        skip_postgeneration_save = True

    group = factory.SubFactory(ProvisionGroupFactory)
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..group.school"))
    joined_on = factory.LazyAttribute(lambda placement: placement.group.starts_on)

    @factory.post_generation
    def in_teaching_group(self, create, extracted, **kwargs):
        if create:
            self.group.teaching_group.pupils.add(self.pupil)
