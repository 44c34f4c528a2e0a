"""factory_boy factories: deterministic (sequences, never random Faker data), used by the
tests and by `seed_demo`. All names are invented; none is a real pupil's."""

from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from senco.models import AcademicYear, Membership, Phase, School, SenBudget, Term, Trust, User
from senco.rules import DatedRow

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


def _weekday_on_or_after(day: date, weekday: int = 0) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _friday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7)


def _weekday_on_or_before(day: date) -> date:
    return day if day.weekday() < 5 else _friday_on_or_before(day)


def _half_term(week_containing: date) -> tuple[date, date]:
    monday = week_containing - timedelta(days=week_containing.weekday())
    return monday, monday + timedelta(days=4)


def english_school_year(start_year: int) -> list[DatedRow]:
    """A plausible school year in England: terms from early September, early January and
    mid-April, a week's half-term in each, two INSET days to open the year and one in January.
    Deterministic, for tests and the demo; real schools enter or import their own dates."""
    first_of_september = date(start_year, 9, 1)
    autumn_starts = (
        first_of_september if first_of_september.weekday() < 5 else _weekday_on_or_after(first_of_september)
    )
    spring_starts = _weekday_on_or_after(date(start_year + 1, 1, 4))
    summer_starts = _weekday_on_or_after(date(start_year + 1, 4, 12))
    october = _half_term(_weekday_on_or_after(date(start_year, 10, 25)))
    february = _half_term(_weekday_on_or_after(date(start_year + 1, 2, 15)))
    may = _half_term(_weekday_on_or_after(date(start_year + 1, 5, 25)))
    second_day = autumn_starts + timedelta(days=3 if autumn_starts.weekday() == 4 else 1)
    return [
        DatedRow("autumn", autumn_starts, _friday_on_or_before(date(start_year, 12, 20))),
        DatedRow("spring", spring_starts, _friday_on_or_before(date(start_year + 1, 3, 31))),
        DatedRow("summer", summer_starts, _weekday_on_or_before(date(start_year + 1, 7, 21))),
        DatedRow("inset", autumn_starts, second_day, "Training days"),
        DatedRow("inset", spring_starts, spring_starts, "Training day"),
        DatedRow("half_term", *october, "October half-term"),
        DatedRow("half_term", *february, "February half-term"),
        DatedRow("half_term", *may, "May half-term"),
    ]
