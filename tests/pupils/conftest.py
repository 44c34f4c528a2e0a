"""Set-up shared by the pupils tests: a concern the teacher raised about the pupil they teach,
the census need types by code, and for dates on the school's calendar its 2026/27 term dates and
a way to set the day the views take as today (as the provision tests have)."""

from datetime import date

import pytest

from pupils.factories import ConcernFactory
from pupils.models import NeedType
from senco.factories import english_school_year
from senco.services.calendar import save_school_year


@pytest.fixture
def concern(taught_pupil, teacher):
    return ConcernFactory(pupil=taught_pupil, raised_by=teacher, raised_on=date(2026, 11, 2))


def need(code: str) -> NeedType:
    """A census need type by its code; a migration fills the table from `pupils.models.NEED_TYPES`."""
    return NeedType.objects.get(code=code)


@pytest.fixture
def term_dates_2026(senco):
    """2026/27 as `english_school_year` plans it: autumn term 1 September to 18 December with
    the October half-term 26 to 30 October, spring term from Monday 4 January 2027 (INSET)."""
    return save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the views take as today (`timezone.localdate`)."""

    def set_today(day: date):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today
