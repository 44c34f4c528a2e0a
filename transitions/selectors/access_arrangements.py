"""Reads of exam access arrangements (R4).

Arrangements of one candidate: whoever reaches the pupil as an arrangement reader (the SENCO
team, leadership, and teachers and TAs for the pupils they teach or support, so they use them in
class and mocks). The list of an exam series: the exams officer, the SENCO team and leadership,
for the whole school, with only what running the exams needs (name, year, registration group,
arrangement, whether it is in place, its approval reference and lapse date); never the evidence.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from agencies.models import EhcPlan
from pupils.models import Pupil
from pupils.permissions import can_handle_subject_access
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.register import form_groups
from pupils.selectors.subject_access import ExportPart, ExportRecord, day, fields
from senco.models import User
from transitions.models import AccessArrangement, Form8, NormalWayRecord
from transitions.permissions import CLASSROOM_READERS, EXAM_SERIES_READERS
from transitions.rules import (
    FIRST_CANDIDATE_YEAR,
    IN_PLACE,
    ExamSeries,
    Form8Facts,
    Readiness,
    readiness,
)


def candidates_visible_to(user: User) -> QuerySet[Pupil]:
    """The pupils whose arrangements `user` reads: `pupils_visible_to` in the arrangement
    readers' roles (the exams officer reaches nobody here)."""
    return pupils_visible_to(user.acting_as(CLASSROOM_READERS))


def arrangements_visible_to(user: User) -> QuerySet[AccessArrangement]:
    return AccessArrangement.objects.filter(pupil__in=candidates_visible_to(user)).select_related("pupil")


def form8s_of(user: User, *, pupil: Pupil) -> QuerySet[Form8]:
    """The pupil's Form 8 assessments with their scores, for those who read their arrangements."""
    return Form8.objects.filter(pupil__in=candidates_visible_to(user), pupil=pupil).prefetch_related("scores")


def _facts(form8: Form8 | None) -> Form8Facts | None:
    if form8 is None:
        return None
    scores = tuple((score.area, score.standard_score) for score in form8.scores.all())
    return Form8Facts(form8.part1_on, form8.assessed_on, form8.assessor_qualification, scores)


def readiness_of(arrangement: AccessArrangement, *, has_ehc_plan: bool, on: date) -> Readiness:
    """The arrangement's state on `on`, from its prefetched Form 8 scores and normal-way records."""
    return readiness(
        kind=arrangement.kind,
        evidence=arrangement.evidence,
        has_ehc_plan=has_ehc_plan,
        form8=_facts(arrangement.form8),
        other_evidence=arrangement.other_evidence,
        normal_way_dates=[record.observed_on for record in arrangement.normal_way.all()],
        approved_on=arrangement.approved_on,
        aao_reference=arrangement.aao_reference,
        lapses_on=arrangement.lapses_on,
        on=on,
    )


def _with_evidence(arrangements: QuerySet[AccessArrangement]) -> QuerySet[AccessArrangement]:
    return arrangements.select_related("pupil", "form8", "recorded_by").prefetch_related(
        form_groups("pupil__teaching_groups"),
        "form8__scores",
        Prefetch("normal_way", queryset=NormalWayRecord.objects.select_related("recorded_by")),
    )


def _with_ehc_plan_on(pupil_ids, on: date) -> set[int]:
    # An EHC plan in force on the day: issued by then and not ceased before it.
    plans = EhcPlan.objects.filter(pupil_id__in=pupil_ids, issued_on__lte=on).exclude(ceased_on__lt=on)
    return set(plans.values_list("pupil_id", flat=True))


@dataclass(frozen=True)
class ArrangementRow:
    arrangement: AccessArrangement
    readiness: Readiness


def arrangements_of_candidate(user: User, *, pupil: Pupil, today: date) -> list[ArrangementRow]:
    """The pupil's arrangements, each with its state today and why it is not ready; four queries."""
    arrangements = list(_with_evidence(arrangements_visible_to(user).filter(pupil=pupil)))
    if not arrangements:
        return []
    with_plan = _with_ehc_plan_on([pupil.pk], today)
    return [
        ArrangementRow(arrangement, readiness_of(arrangement, has_ehc_plan=pupil.pk in with_plan, on=today))
        for arrangement in arrangements
    ]


@dataclass(frozen=True)
class SeriesRow:
    pupil: Pupil
    arrangement: AccessArrangement
    readiness: Readiness
    lapses_during: bool


def series_list(user: User, *, series: ExamSeries, today: date) -> list[SeriesRow]:
    """The arrangements of the school's candidates (Year 9 and above, on roll when the series
    starts) for `series`, each with its state on the later of today and the series' first day,
    in place first, then by name. For EXAM_SERIES_READERS; nobody else gets a row. Five queries."""
    acting = user.acting_as(EXAM_SERIES_READERS)
    if not acting.roles:
        return []
    on = max(today, series.starts_on)
    arrangements = _with_evidence(
        AccessArrangement.objects.filter(
            pupil__school=acting.school, pupil__year_group__gte=FIRST_CANDIDATE_YEAR
        ).exclude(pupil__left_on__lt=series.starts_on)
    )
    arrangements = list(arrangements)
    with_plan = _with_ehc_plan_on({a.pupil_id for a in arrangements}, on)
    rows = [
        SeriesRow(
            pupil=a.pupil,
            arrangement=a,
            readiness=readiness_of(a, has_ehc_plan=a.pupil_id in with_plan, on=on),
            lapses_during=a.lapses_on is not None and on <= a.lapses_on < series.ends_on,
        )
        for a in arrangements
    ]
    return sorted(
        rows,
        key=lambda row: (
            row.readiness.state != IN_PLACE,
            row.pupil.last_name,
            row.pupil.first_name,
            row.pupil.pk,
            row.arrangement.label,
        ),
    )


def _form8_record(form8: Form8) -> ExportRecord:
    scores = "; ".join(
        f"{score.get_area_display()} ({score.test_name}): {score.standard_score}"
        for score in form8.scores.all()
    )
    pairs = [
        ("Part 1 written on", day(form8.part1_on)),
        ("Part 1 written by", form8.part1_by),
        ("Assessed on", day(form8.assessed_on)),
        ("Assessor", form8.assessor_name),
        ("Assessor's qualification", form8.get_assessor_qualification_display()),
        ("Scores", scores),
    ]
    return ExportRecord(
        kind="form8",
        kind_label="Form 8 assessment",
        record_id=form8.pk,
        on=form8.assessed_on,
        title=f"Assessment for exam access arrangements (Form 8), {day(form8.assessed_on)}",
        fields=fields(*pairs),
    )


def _arrangement_record(arrangement: AccessArrangement) -> ExportRecord:
    used = "; ".join(f"{day(record.observed_on)}, {record.where}" for record in arrangement.normal_way.all())
    pairs = [
        ("Arrangement", arrangement.label),
        ("Evidence", arrangement.get_evidence_display()),
        ("Other evidence", arrangement.other_evidence),
        ("Approval reference", arrangement.aao_reference),
        ("Approved on", day(arrangement.approved_on)),
        ("Lapses on", day(arrangement.lapses_on)),
        ("Used as the normal way of working", used),
        ("Notes", arrangement.notes),
    ]
    return ExportRecord(
        kind="access_arrangement",
        kind_label="Exam access arrangement",
        record_id=arrangement.pk,
        on=arrangement.recorded_at.date(),
        title=f"Exam access arrangement: {arrangement.label}",
        fields=fields(*pairs),
    )


def access_arrangement_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """The pupil's Form 8s and exam access arrangements with their normal-way records, for a
    subject access export (UK GDPR Art 15): for subject access handlers only, [] for anyone
    else. Four queries."""
    if not can_handle_subject_access(user):
        return []
    form8s = Form8.objects.filter(pupil=pupil).prefetch_related("scores").order_by("assessed_on", "pk")
    arrangements = AccessArrangement.objects.filter(pupil=pupil).prefetch_related("normal_way").order_by("pk")
    records = [_form8_record(form8) for form8 in form8s] + [_arrangement_record(a) for a in arrangements]
    return [ExportPart(title="Exam access arrangements", records=records, order=75)] if records else []
