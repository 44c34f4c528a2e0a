"""factory_boy factories: deterministic (sequences, never random Faker data), used by the
tests and by `seed_demo`. All names are invented; none is a real pupil's."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

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
