"""Demo exam access arrangements at each secondary school: Year 10 and 11 candidates on SEN
support (and one with an EHC plan) with arrangements in every state: in place on a Form 8's
scores, on an EHC plan and on the centre's own evidence; not ready because the scores miss the
25% extra time rule, because no teacher has seen it as the normal way of working, or because the
assessor's qualification is missing; awaiting approval; and lapsed. Written through the services,
so each has its audit row. Deterministic: pupils by id, dates counted back from `today`."""

from datetime import date, timedelta

from agencies.models import EhcPlan
from pupils.models import Pupil, SenStatus
from senco.models import Phase, Role, School, User
from transitions.services.access_arrangements import record_arrangement, record_form8, record_normal_way

ASSESSOR = {"assessor_name": "Ms J Kaur, specialist assessor", "part1_by": "SENCO with the form tutor"}
# (arrangement, scores on its Form 8 or None, evidence text, approved how many days ago or None,
#  normal way of working seen, assessor's qualification)
EXAMPLES = [
    ("extra_time_25", (82, 87), "", 60, True, "level_7"),  # in place
    ("extra_time_25", (86, 91), "", None, True, "level_7"),  # not ready: scores miss the rule
    ("reader", (80,), "", 40, False, "apc"),  # not ready: never seen in class
    ("scribe", (78,), "", None, True, "level_7"),  # awaiting approval
    ("rest_breaks", None, "Anxiety in timed work, seen in lessons and mocks.", None, True, ""),  # in place
    ("separate_room", (90,), "", None, True, ""),  # not ready: assessor's qualification missing
    ("coloured_overlay", None, "Visual stress: reads faster with a blue overlay.", None, True, ""),
    (
        "word_processor",
        None,
        "Handwriting illegible at speed; types in every lesson.",
        820,
        True,
        "",
    ),  # lapsed
]


def _candidates(school: School, today: date) -> list[Pupil]:
    pupils = Pupil.objects.filter(
        school=school, year_group__in=[10, 11], sen_status_now=SenStatus.SEN_SUPPORT
    )
    return list(pupils.exclude(left_on__lte=today).order_by("pk")[: len(EXAMPLES)])


def _teacher_of(pupil: Pupil, school: School) -> User:
    teachers = User.objects.filter(groups_taught__pupils=pupil).order_by("pk")
    return (
        teachers.first()
        or User.objects.filter(memberships__school=school, memberships__role=Role.TEACHER)
        .order_by("pk")
        .first()
    )


def _form8(pupil: Pupil, scores, qualification: str, senco: User, today: date):
    areas = ("processing_speed", "writing_speed", "reading_speed")
    rows = [(areas[n % 3], f"Standardised test {n + 1}", score) for n, score in enumerate(scores)]
    return record_form8(
        pupil=pupil,
        scores=rows,
        by=senco,
        today=today,
        part1_on=today - timedelta(days=120),
        assessed_on=today - timedelta(days=100),
        assessor_qualification=qualification,
        **ASSESSOR,
    )


def _arrangement(pupil, example, *, senco: User, today: date):
    kind, scores, evidence_text, approved_days, seen, qualification = example
    form8 = _form8(pupil, scores, qualification, senco, today) if scores else None
    approved_on = today - timedelta(days=approved_days) if approved_days else None
    arrangement = record_arrangement(
        pupil=pupil,
        by=senco,
        today=today,
        kind=kind,
        other_kind="",
        evidence="form_8" if form8 else "other",
        form8=form8,
        other_evidence=evidence_text,
        aao_reference=f"AAO-{pupil.pk:06d}" if approved_on else "",
        approved_on=approved_on,
        lapses_on=None,
        notes="",
    )
    if seen:
        observed_on = min(today, (approved_on or today) - timedelta(days=7))
        record_normal_way(
            arrangement=arrangement,
            observed_on=observed_on,
            where="Year 10 mock examinations" if pupil.year_group == 10 else "Year 11 mock examinations",
            note="Used it throughout and finished the paper.",
            by=_teacher_of(pupil, pupil.school) or senco,
            today=today,
        )
    return arrangement


def seed_access_arrangements(*, school: School, senco: User, today: date) -> None:
    if school.phase != Phase.SECONDARY:
        return
    for pupil, example in zip(_candidates(school, today), EXAMPLES, strict=False):
        _arrangement(pupil, example, senco=senco, today=today)
    plan = (
        EhcPlan.objects.filter(pupil__school=school, pupil__year_group__in=[10, 11], ceased_on__isnull=True)
        .exclude(pupil__left_on__lte=today)
        .order_by("pk")
        .first()
    )
    if plan is not None:  # 25% extra time on an EHC plan in force
        arrangement = record_arrangement(
            pupil=plan.pupil,
            by=senco,
            today=today,
            kind="extra_time_25",
            other_kind="",
            evidence="ehc_plan",
            form8=None,
            other_evidence="",
            aao_reference=f"AAO-{plan.pupil_id:06d}",
            approved_on=today - timedelta(days=30),
            lapses_on=None,
            notes="Section F: extra time in assessments.",
        )
        record_normal_way(
            arrangement=arrangement,
            observed_on=today - timedelta(days=40),
            where="Year 11 mock examinations",
            note="",
            by=_teacher_of(plan.pupil, school) or senco,
            today=today,
        )
