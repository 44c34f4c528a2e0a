"""Personas shared by every test (style guide R15).

Two schools; in the first, a SENCO, a head, a teacher and a TA who share one class with one
pupil (the taught pupil), a second pupil they do not teach, a governor and an administrator.
"""

import pytest
from django.core.cache import cache

from pupils.factories import PupilFactory, TeachingGroupFactory
from pupils.selectors.records import settled_day
from senco.factories import SchoolFactory, staff_member
from senco.models import Role


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache holds rate-limit counters: each test starts with none counted. And each test
    starts as a new process's first request of the day, which checks once that every pupil's
    copy of their SEN status is in force (`pupils.selectors.records.settled_day`), so that a
    query count does not depend on the tests run before it."""
    cache.clear()
    settled_day.forget()


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own(settings, tmp_path):
    """Stored files (prepared subject access exports) go to the test's own temporary folder,
    never the working copy's media/, and no test sees another's."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(db):
    return SchoolFactory(name="Oakfield Primary School")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Hillside Primary School")


@pytest.fixture
def senco(school):
    return staff_member(role=Role.SENCO, school=school, username="senco", first_name="Sam", last_name="Patel")


@pytest.fixture
def head(school):
    return staff_member(
        role=Role.HEAD, school=school, username="head", first_name="Helen", last_name="Hughes"
    )


@pytest.fixture
def teacher(school):
    return staff_member(
        role=Role.TEACHER, school=school, username="teacher", first_name="Tom", last_name="Evans"
    )


@pytest.fixture
def ta(school):
    return staff_member(role=Role.TA, school=school, username="ta", first_name="Tara", last_name="Green")


@pytest.fixture
def governor(school):
    return staff_member(
        role=Role.GOVERNOR, school=school, username="governor", first_name="Gil", last_name="Hall"
    )


@pytest.fixture
def school_admin(school):
    return staff_member(role=Role.ADMIN, school=school, username="admin", first_name="Ada", last_name="Lewis")


@pytest.fixture
def other_school_senco(other_school):
    return staff_member(role=Role.SENCO, school=other_school, username="senco-other")


@pytest.fixture
def class_3a(school, teacher, ta):
    return TeachingGroupFactory(school=school, name="3A", teachers=[teacher], assistants=[ta])


@pytest.fixture
def taught_pupil(school, class_3a):
    pupil = PupilFactory(school=school, first_name="Ava", last_name="Taught", year_group=3)
    class_3a.pupils.add(pupil)
    return pupil


@pytest.fixture
def untaught_pupil(school):
    pupil = PupilFactory(school=school, first_name="Noah", last_name="Elsewhere", year_group=5)
    TeachingGroupFactory(school=school, name="5B", pupils=[pupil])
    return pupil


@pytest.fixture
def other_school_pupil(other_school):
    return PupilFactory(school=other_school, first_name="Isla", last_name="Away")
