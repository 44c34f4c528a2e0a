"""Demo concerns in every school: a few open ones at each stage of the SENCO's queue and a few
decided ones whose outcome matches the pupil's SEN history. Deterministic: pupils are chosen by
position and texts come from fixed lists, so the seed's random generator (and so the rest of the
demo) is untouched. Raised by each pupil's class teacher (a form tutor at a secondary school) on
a school day; all names are invented."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from pupils.models import (
    Concern,
    ConcernDecision,
    ConcernStage,
    GroupKind,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
)
from pupils.selectors.records import with_sen_status
from senco.deadlines import look_again_suggestion
from senco.demo.seed_calendar import latest_school_day
from senco.demo.words import about
from senco.models import Phase, School, User
from senco.rules import SchoolCalendar

# (area, what was noticed, evidence, what has been tried)
CONCERNS = [
    (
        "cognition",
        "Guesses words from the first letter and loses the meaning of the sentence.",
        "Phonics check practice: 18 of 40 on 1 October; reading age about 18 months below.",
        "Daily five-minute phonics catch-up for three weeks; decodable books at home.",
    ),
    (
        "communication",
        "Rarely speaks in whole-class discussion and often does not follow two-step instructions.",
        "Observed in four lessons: followed one of six two-step instructions without a prompt.",
        "Talk partners, visual prompts on the table and instructions given one step at a time.",
    ),
    (
        "semh",
        "Refuses to start work after break and has left the classroom three times this half term.",
        "Behaviour log: nine incidents since September, all after lunch or morning break.",
        "Meet and greet after break, a job to do on return and a calm corner with a timer.",
    ),
    (
        "sensory_physical",
        "Struggles to copy from the board and often leans in close to read.",
        "Copied two of ten spellings correctly from the board, nine of ten from a sheet on the table.",
        "Moved to the front; printed copies of board work for two weeks.",
    ),
]
SECONDARY_CONCERNS = [
    (
        "cognition",
        "Reads slowly and cannot keep up with the text in history and English lessons.",
        "Reading test in September: standardised score 78; copies little from the board.",
        "Key texts given a lesson ahead; reading pen; a partner to read aloud with.",
    ),
    (
        "communication",
        "Struggles with group work and misreads jokes and sarcasm; upset by changes of room.",
        "Form tutor's log: four incidents after room changes since September.",
        "Warned of room changes the day before; a set role in group work.",
    ),
    (
        "semh",
        "Has been absent every Monday this half term and says {he} feels sick before lessons.",
        "Attendance 84% this term; the school nurse saw {him} twice for headaches.",
        "Check-in with the form tutor each morning; a quiet place to work at lunch.",
    ),
    (
        "sensory_physical",
        "Often asks for instructions to be repeated and sits turned to one side in lessons.",
        "Teachers in three subjects report the same; no hearing test on record since primary.",
        "Seated at the front; written instructions; asked parents about a hearing test.",
    ),
]
OPEN = [  # (days since raised, stage, SENCO's notes)
    (3, ConcernStage.RAISED, ""),
    (9, ConcernStage.RAISED, ""),
    (16, ConcernStage.ACKNOWLEDGED, ""),
    (
        27,
        ConcernStage.GATHERING,
        "Observing in two lessons; asked for the parents' view; reading assessment booked.",
    ),
]
REASONS = {
    ConcernDecision.NO_FURTHER_ACTION: "Progress since the catch-up is in line with peers; teachers to keep "
    "the strategies going.",
    ConcernDecision.REFER: "Referred to the speech and language therapy service for an assessment "
    "before deciding on SEN support.",
    ConcernDecision.MONITOR: "Some progress with the strategies tried; monitor for six weeks, then review.",
    ConcernDecision.SEN_SUPPORT: "Less than expected progress despite well-targeted support; plan agreed "
    "with parents.",
}


def _class_teachers(school: School) -> dict[int, User]:
    """Each pupil's class teacher, by pupil id."""
    teachers = {}
    kinds = [GroupKind.CLASS, GroupKind.REGISTRATION]
    groups = (
        TeachingGroup.objects.filter(school=school, kind__in=kinds)
        .order_by("pk")
        .prefetch_related("teachers", "pupils")
    )
    for group in groups:
        staff = list(group.teachers.all())
        teachers.update({pupil.pk: staff[0] for pupil in group.pupils.all() if staff})
    return teachers


def _concern(
    texts: list[tuple], pupil: Pupil, teacher: User, index: int, raised_on: date, **fields
) -> Concern:
    area, observed, evidence, already_tried = (
        about(text, pupil.gender) for text in texts[index % len(texts)]
    )
    return Concern(
        pupil=pupil,
        raised_by=teacher,
        raised_on=raised_on,
        area=area,
        observed=observed,
        evidence=evidence,
        already_tried=already_tried,
        **fields,
    )


def _decided(
    texts: list[tuple],
    pupil: Pupil,
    teacher: User,
    index: int,
    *,
    decision: str,
    on: date,
    senco: User,
    calendar: SchoolCalendar,
) -> Concern:
    told = timezone.make_aware(datetime.combine(on, time(16, 0)))
    return _concern(
        texts,
        pupil,
        teacher,
        index,
        latest_school_day(calendar, on - timedelta(days=21), not_before=pupil.admitted_on),
        stage=ConcernStage.DECIDED,
        senco_notes="Observed in class and spoke to parents.",
        decision=decision,
        decision_reason=REASONS[decision],
        decided_by=senco,
        decided_on=on,
        look_again_on=look_again_suggestion(on, calendar) if decision == ConcernDecision.MONITOR else None,
        teacher_told_at=told,
        version=4,
    )


def _pupils(school: School, today: date) -> list[Pupil]:
    """Pupils on roll with a class teacher, with their current status and its date."""
    latest = SenStatusChange.objects.filter(pupil=OuterRef("pk")).order_by("-effective_from", "-id")
    return list(
        with_sen_status(Pupil.objects.filter(school=school, left_on=None), today=today)
        .annotate(status_since=Subquery(latest.values("effective_from")[:1]), entries=Count("sen_history"))
        .order_by("pk")
    )


def seed_concerns(*, school: School, senco: User, today: date, calendar: SchoolCalendar) -> None:
    """Four open concerns (raised, acknowledged, gathering) and four decided ones, two of which
    led to the pupil's current monitoring or SEN support status."""
    texts = CONCERNS if school.phase == Phase.PRIMARY else SECONDARY_CONCERNS

    def school_day(days_ago: int, pupil: Pupil) -> date:
        return latest_school_day(calendar, today - timedelta(days=days_ago), not_before=pupil.admitted_on)

    teachers = _class_teachers(school)
    pupils = [pupil for pupil in _pupils(school, today) if pupil.pk in teachers]
    not_watched = [pupil for pupil in pupils if pupil.sen_status in (None, SenStatus.NO_SEN)]
    concerns = [
        _concern(
            texts, pupil, teachers[pupil.pk], index, school_day(days, pupil), stage=stage, senco_notes=notes
        )
        for index, (pupil, (days, stage, notes)) in enumerate(zip(not_watched[7::61], OPEN, strict=False))
    ]
    # Decided without a change of status: the pupils are still not on the register.
    undecided_outcomes = [ConcernDecision.NO_FURTHER_ACTION, ConcernDecision.REFER]
    for index, (pupil, decision) in enumerate(zip(not_watched[30::97], undecided_outcomes, strict=False)):
        on = school_day(40, pupil)
        concerns.append(
            _decided(
                texts,
                pupil,
                teachers[pupil.pk],
                index,
                decision=decision,
                on=on,
                senco=senco,
                calendar=calendar,
            )
        )
    # Decided with a change of status: the concern led to the pupil's current status, on its date.
    for status, decision in [
        (SenStatus.MONITORING, ConcernDecision.MONITOR),
        (SenStatus.SEN_SUPPORT, ConcernDecision.SEN_SUPPORT),
    ]:
        since = [
            pupil
            for pupil in pupils
            if pupil.sen_status == status
            and pupil.entries == 1  # not a pupil who came off SEN support at a review
            and pupil.status_since >= max(today - timedelta(days=300), pupil.admitted_on + timedelta(days=21))
        ]
        if since:
            pupil = since[len(since) // 2]
            concerns.append(
                _decided(
                    texts,
                    pupil,
                    teachers[pupil.pk],
                    len(concerns),
                    decision=decision,
                    on=pupil.status_since,
                    senco=senco,
                    calendar=calendar,
                )
            )
    Concern.objects.bulk_create(concerns)
