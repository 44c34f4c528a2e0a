"""Set-up shared by the pupils tests: a concern the teacher raised about the pupil they teach,
and the census need types by code."""

from datetime import date

import pytest

from pupils.factories import ConcernFactory
from pupils.models import NeedType


@pytest.fixture
def concern(taught_pupil, teacher):
    return ConcernFactory(pupil=taught_pupil, raised_by=teacher, raised_on=date(2026, 11, 2))


def need(code: str) -> NeedType:
    """A census need type by its code; a migration fills the table from `pupils.models.NEED_TYPES`."""
    return NeedType.objects.get(code=code)
