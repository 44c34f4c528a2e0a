"""Business actions on exam access arrangements (R3): recording a Form 8, an arrangement and its
changes, and a teacher's record of it as the normal way of working."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import StaleEdit
from senco.models import User
from transitions.models import AccessArrangement, Form8, Form8Score, NormalWayRecord
from transitions.rules import FIRST_CANDIDATE_YEAR, approval_lapses_on

ARRANGEMENT_FIELDS = (
    "kind",
    "other_kind",
    "evidence",
    "form8",
    "other_evidence",
    "aao_reference",
    "approved_on",
    "lapses_on",
    "notes",
)


def _ensure_candidate(pupil: Pupil) -> None:
    # Assessment for access arrangements starts in Year 9 (AARA 2025/26, chapter 7).
    if pupil.year_group < FIRST_CANDIDATE_YEAR:
        raise ValidationError(
            f"Access arrangements are recorded from Year 9: {pupil.full_name} is in "
            f"{pupil.get_year_group_display()}."
        )


@transaction.atomic
@refuses_leavers("pupil")
def record_form8(
    *, pupil: Pupil, scores: list[tuple[str, str, int]], by: User, today: date, **values
) -> Form8:
    """Record a Form 8 and its scores (area, test, standard score). Refuses a pupil below Year 9,
    Parts 2 and 3 dated before Part 1, and a date after today. Side effects: audit row
    `form8.recorded`."""
    _ensure_candidate(pupil)
    form8 = Form8(pupil=pupil, recorded_by=by, **values)
    form8.full_clean()
    if form8.assessed_on > today:
        raise ValidationError({"assessed_on": "The assessment cannot be dated after today."})
    form8.save()
    for area, test_name, score in scores:
        row = Form8Score(form8=form8, area=area, test_name=test_name, standard_score=score)
        row.full_clean()
        row.save()
    audit.record("form8.recorded", by=by, obj=form8, pupil=pupil, summary=f"{len(scores)} scores")
    return form8


def _fill_lapse(values: dict) -> dict:
    # Left blank, an approved arrangement lapses when its approval does (AARA 2025/26, chapter 8).
    if values.get("approved_on") and not values.get("lapses_on"):
        values = {**values, "lapses_on": approval_lapses_on(values["approved_on"])}
    return values


@transaction.atomic
@refuses_leavers("pupil")
def record_arrangement(*, pupil: Pupil, by: User, today: date, **values) -> AccessArrangement:
    """Record an arrangement for a candidate (Year 9 and above). Whether it is ready is worked
    out when it is read, never stored. Side effects: audit row `access_arrangement.recorded`."""
    _ensure_candidate(pupil)
    arrangement = AccessArrangement(pupil=pupil, recorded_by=by, **_fill_lapse(values))
    arrangement.full_clean()
    arrangement.save()
    audit.record(
        "access_arrangement.recorded", by=by, obj=arrangement, summary=arrangement.get_kind_display()
    )
    return arrangement


@transaction.atomic
@refuses_leavers("arrangement")
def update_arrangement(
    *, arrangement: AccessArrangement, version: int, by: User, today: date, **values
) -> AccessArrangement:
    """Change an arrangement (its evidence, approval, lapse) if nobody has since the form was
    opened (R9), else raise `StaleEdit`. Side effects: audit row `access_arrangement.changed`
    naming the fields changed."""
    current = AccessArrangement.objects.select_for_update().get(pk=arrangement.pk)
    if current.version != version:
        raise StaleEdit(current, token=current.version, what="arrangement")
    values = _fill_lapse(values)
    changed = [name for name in ARRANGEMENT_FIELDS if getattr(current, name) != values[name]]
    for name in ARRANGEMENT_FIELDS:
        setattr(current, name, values[name])
    current.version += 1
    current.full_clean()
    current.save()
    audit.record("access_arrangement.changed", by=by, obj=current, fields=changed)
    return current


@transaction.atomic
@refuses_leavers("arrangement")
def record_normal_way(
    *, arrangement: AccessArrangement, observed_on: date, where: str, note: str, by: User, today: date
) -> NormalWayRecord:
    """Record that the pupil used the arrangement in a lesson, test or mock on `observed_on` (not
    after today). Side effects: audit row `access_arrangement.normal_way_recorded`."""
    if observed_on > today:
        raise ValidationError({"observed_on": "Record what has happened: the date cannot be after today."})
    record = NormalWayRecord(
        arrangement=arrangement, observed_on=observed_on, where=where, note=note, recorded_by=by
    )
    record.full_clean()
    record.save()
    audit.record(
        "access_arrangement.normal_way_recorded", by=by, obj=arrangement, summary=f"{observed_on:%d/%m/%Y}"
    )
    return record


def record_series_exported(*, by: User, series: str, rows: int, columns: list[str]) -> None:
    """Audit one download of an exam series' list: one row however many candidates it holds, as
    the SEN register's export does. Side effects: audit row `exam_series.exported`."""
    audit.record(
        "exam_series.exported",
        by=by,
        school=by.school,
        summary=f"{series}: {rows} arrangement{'' if rows == 1 else 's'}",
        fields=columns,
    )
