"""Demo EHC plans: every pupil on roll recorded with an EHC plan has the plan the local
authority issued, on the date of their EHC plan status, with Sections B, E and F (Section F's
first item linked to the groups and 1:1s they are in, the second delivered from outside the
school) and the text sections; and the annual reviews a school would have held since.

Reviews are held three weeks before each due date. One plan in four has its latest review not
held, so it is overdue (or due soon, where the date has not come); one in four of the rest has
its next meeting arranged when the review falls in the next twelve weeks, as has half of the
first group. Reviews of pupils then
in Year 9 or above cover preparing for adulthood. Pupils in Year 6 and Year 11 show their phase
transfer dates from their year group alone.

Deterministic: pupils are taken in id order and texts from fixed lists, drawing no random
numbers. Rows are bulk-created and no audit rows are written.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from agencies.models import (
    AnnualReview,
    EhcNeed,
    EhcOutcome,
    EhcPlan,
    EhcPlanVersion,
    EhcProvision,
    ReviewInvitee,
)
from provision.models import Placement
from pupils.models import SenStatus, SenStatusChange
from senco.deadlines import annual_review_due, review_schedule
from senco.models import School, User

HELD_BEFORE_DUE = timedelta(weeks=3)
ARRANGED_AHEAD = timedelta(weeks=12)
NEEDS = [
    "Significant difficulty with social communication and interaction, especially in unstructured times.",
    "Speech and language: understands short instructions; expressive language well below age.",
    "Literacy well below peers from the same starting point; slow processing of written text.",
]
OUTCOMES = [
    "Take part in a small-group activity for 20 minutes with one adult prompt.",
    "Use a visual timetable to move between lessons without adult help.",
    "Read a book at their level aloud at 60 words a minute.",
]
PFA = {
    "pfa_employment": "Work experience placement planned; careers adviser met in the spring term.",
    "pfa_independent_living": "Travel training to and from school; managing money at the shop.",
    "pfa_community": "Attends a youth club on Friday evenings with a friend.",
    "pfa_health": "Manages own medication with a reminder; knows how to book a GP appointment.",
}


def _issued_on(school: School) -> dict[int, date]:
    """Each EHC pupil on roll's plan date: the date on their latest EHC plan status entry."""
    entries = SenStatusChange.objects.filter(
        pupil__school=school,
        pupil__left_on=None,
        pupil__sen_status_now=SenStatus.EHC_PLAN,
        status=SenStatus.EHC_PLAN,
    ).order_by("pupil_id", "-effective_from", "-id")
    issued = {}
    for pupil_id, plan_date, effective_from in entries.values_list(
        "pupil_id", "ehc_plan_date", "effective_from"
    ):
        issued.setdefault(pupil_id, plan_date or effective_from)
    return issued


def _reviews(plan: EhcPlan, index: int, *, year_group: int, today: date, by: User) -> list[AnnualReview]:
    reviews, anchor = [], plan.issued_on
    while (due := annual_review_due(anchor)) - HELD_BEFORE_DUE <= today:
        if index % 4 == 0 and annual_review_due(due) - HELD_BEFORE_DUE > today:
            break  # the latest review not held: overdue, or due soon
        meeting = due - HELD_BEFORE_DUE
        decided = review_schedule(meeting)["la_decision_by"] - timedelta(days=3)
        year_then = year_group - (today - meeting).days // 365
        reviews.append(
            AnnualReview(
                plan=plan,
                meeting_on=meeting,
                year_group=year_then,
                advice_gathered="Class teacher's report; speech and language therapy update.",
                parent_views="Pleased with progress; worried about lunchtimes.",
                pupil_views="Likes the small group; finds the hall noisy.",
                recommendation="maintain",
                la_decision="maintain" if decided <= today else "",
                la_decision_on=decided if decided <= today else None,
                closed_on=meeting,
                closed_by=by,
                recorded_by=by,
                **(PFA if year_then >= 9 else {}),
            )
        )
        anchor = meeting
    # Arranged: one in four of those due in the next weeks, and half of those not held in time
    # (a meeting in two weeks' time: late, but arranged).
    if (index % 4 == 1 and due - today <= ARRANGED_AHEAD) or index % 8 == 0:
        meeting = max(due - HELD_BEFORE_DUE, today + timedelta(weeks=2))
        reviews.append(AnnualReview(plan=plan, meeting_on=meeting, year_group=year_group, recorded_by=by))
    return reviews


def seed_ehc_plans(*, school: School, senco: User, today: date) -> list[EhcPlan]:
    """The plans and reviews described above, for `school`'s EHC pupils on roll."""
    issued = _issued_on(school)
    pupils = {pupil.pk: pupil for pupil in school.pupils.filter(pk__in=issued)}
    plans = EhcPlan.objects.bulk_create(
        EhcPlan(
            pupil=pupils[pk], local_authority=school.local_authority, issued_on=issued[pk], recorded_by=senco
        )
        for pk in sorted(issued)
    )
    versions = EhcPlanVersion.objects.bulk_create(
        EhcPlanVersion(
            plan=plan,
            number=1,
            issued_on=plan.issued_on,
            recorded_by=senco,
            section_a=f"{plan.pupil.first_name} enjoys drawing and football and wants to work with animals.",
            section_c="Seen by community paediatrics; no medication in school.",
            section_d="No social care needs identified.",
            section_i=f"{school.name} (mainstream).",
            section_k="Educational psychology advice; speech and language therapy advice; school report.",
        )
        for plan in plans
    )
    groups = defaultdict(list)
    for placement in Placement.objects.filter(pupil_id__in=issued, left_on=None).select_related("group"):
        groups[placement.pupil_id].append(placement.group)
    needs, outcomes, items = [], [], []
    for index, version in enumerate(versions):
        needs += [EhcNeed(version=version, position=n, description=text) for n, text in enumerate(NEEDS[:2])]
        outcomes += [
            EhcOutcome(
                version=version,
                position=n,
                description=text,
                achieve_by=date(version.issued_on.year + 2, 7, 1),
            )
            for n, text in enumerate(OUTCOMES[index % 2 : index % 2 + 2])
        ]
        items += [
            EhcProvision(
                version=version,
                position=0,
                description="Small-group intervention sessions as set out in the provision map.",
                delivered_by="Teaching assistant, planned by the class teacher",
                hours_per_week=Decimal("2.5"),
            ),
            EhcProvision(
                version=version,
                position=1,
                description="Speech and language therapy programme, reviewed termly.",
                delivered_by="NHS speech and language therapist",
                hours_per_week=Decimal("0.5"),
            ),
        ]
    EhcNeed.objects.bulk_create(needs)
    EhcOutcome.objects.bulk_create(outcomes)
    items = EhcProvision.objects.bulk_create(items)
    EhcProvision.groups.through.objects.bulk_create(
        EhcProvision.groups.through(ehcprovision_id=item.pk, provisiongroup_id=group.pk)
        for item in items[::2]
        for group in groups[item.version.plan.pupil_id]
    )
    reviews = AnnualReview.objects.bulk_create(
        review
        for index, plan in enumerate(plans)
        for review in _reviews(plan, index, year_group=plan.pupil.year_group, today=today, by=senco)
    )
    ReviewInvitee.objects.bulk_create(
        ReviewInvitee(
            review=review,
            kind=kind,
            invited_on=review_schedule(review.meeting_on)["papers_by"] - timedelta(weeks=4),
        )
        for review in reviews
        for kind in ("parent", "la", "health")
    )
    return plans
