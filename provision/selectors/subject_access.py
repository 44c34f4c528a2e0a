"""What the provision app holds about a pupil, for a subject access export (UK GDPR Art 15):
support plans with their reviews, teachers' comments and kept versions; the groups the pupil was
in with their measures and the sessions they attended; element 3 top-ups.

`ProvisionConfig.ready()` adds `provision_parts` to the export (`pupils.selectors.subject_access`,
which may not import this app). For subject access handlers only, who reach the whole record of
every pupil at their school whatever their other roles let them read; [] for anyone else.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from provision.models import (
    DeliveredSession,
    OutcomeProgress,
    Placement,
    PlanReview,
    ReviewComment,
    SessionStatus,
    SupportPlan,
    TopUp,
)
from provision.selectors.plans import OutcomeRow, outcome_rows, past_version, with_plan_names
from pupils.models import Pupil
from pupils.permissions import can_handle_subject_access
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.subject_access import ExportPart, ExportRecord, day, fields
from senco.models import User


def _outcome_fields(outcomes: list[OutcomeRow]) -> list[tuple[str, object]]:
    pairs = []
    for number, outcome in enumerate(outcomes, start=1):
        text = outcome.description
        if outcome.success_criteria:
            text += f"\nSuccess criteria: {outcome.success_criteria}"
        if outcome.progress:
            text += f"\nProgress at the review: {outcome.progress}"
        pairs.append((f"Outcome {number} ({outcome.area})", text))
    return pairs


def _plan_fields(plan: SupportPlan, outcomes: list[OutcomeRow]) -> list[tuple[str, object]]:
    return [
        ("Cycle", plan.cycle),
        ("Status", plan.get_status_display()),
        ("Started on", day(plan.started_on)),
        ("Assess: what we know", plan.assessment),
        ("Plan: strategies and provision", plan.strategies),
        ("Do: who does what", plan.arrangements),
        ("Review date", day(plan.review_due_on)),
        ("Shared with parents on", day(plan.shared_with_parents_on)),
        *_outcome_fields(outcomes),
    ]


def _review_fields(review: PlanReview) -> list[tuple[str, object]]:
    return [
        ("Review meeting", day(review.held_on)),
        ("Who was invited", review.invited),
        ("Who came", review.attended),
        ("Who declined or sent apologies", review.declined),
        ("Parents or carers at the meeting", review.get_parents_at_meeting_display()),
        ("Evidence of progress", review.evidence),
        ("Parents' view", review.parent_view),
        ("Parents' view given on", day(review.parent_view_on)),
        ("Pupil's view", review.pupil_view),
        ("Pupil's view given on", day(review.pupil_view_on)),
        ("Next steps", review.next_steps),
        ("Decision", review.get_decision_display()),
        ("SEN status the pupil moves to", review.get_exit_status_display()),
        ("New status from", day(review.status_from)),
        ("Parents told of the change on", day(review.parents_told_on)),
    ]


def _plan_records(plan: SupportPlan) -> list[ExportRecord]:
    """The cycle's plan, its review, teachers' comments on it and every version kept of it."""
    name = f"{plan.name}, cycle {plan.cycle}"
    records = [
        ExportRecord(
            "plan",
            "Support plan",
            plan.pk,
            plan.started_on,
            name,
            fields(*_plan_fields(plan, outcome_rows(plan)), ("Finalised on", day(plan.finalised_on))),
        )
    ]
    review = getattr(plan, "review", None)
    if review is not None:
        records.append(
            ExportRecord(
                "plan_review", "Plan review", review.pk, review.held_on, name, fields(*_review_fields(review))
            )
        )
    records += [
        ExportRecord(
            "plan_comment",
            "Comment for a review",
            comment.pk,
            timezone.localdate(comment.written_at),
            f"{name}: comment by {comment.author}",
            fields(("Written by", comment.author), ("Comment", comment.body)),
        )
        for comment in plan.comments.all()
    ]
    for version in sorted(plan.versions.all(), key=lambda version: version.number):
        kept = past_version(version)
        content = _plan_fields(kept.plan, kept.outcomes) + (
            _review_fields(kept.review) if kept.review else []
        )
        records.append(
            ExportRecord(
                "plan_version",
                "Kept version of a plan",
                version.pk,
                timezone.localdate(version.made_at),
                f"{name}: version {version.number} ({version.reason})",
                fields(("Kept by", version.made_by or ""), *content),
            )
        )
    return records


def _plans_part(user: User, pupil: Pupil, today: date) -> ExportPart:
    plans = with_plan_names(
        SupportPlan.objects.filter(school=user.school, pupil=pupil, pupil__in=pupils_visible_to(user)),
        today=today,
    )
    plans = (
        plans.select_related("school", "pupil", "review")
        .prefetch_related(
            "outcomes",
            Prefetch("review__progress", queryset=OutcomeProgress.objects.select_related("outcome")),
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            "versions__made_by",
        )
        .order_by("cycle")
    )
    return ExportPart(
        "Support plans and reviews",
        [record for plan in plans for record in _plan_records(plan)],
        order=60,
    )


def _score(score, measured_on: date | None) -> str:
    return f"{score} on {day(measured_on)}" if score is not None else ""


def _attendance(
    placements: list[Placement],
) -> dict[int, tuple[list[date], list[date], list[tuple[date, str]]]]:
    """For each placement: the days its group met while the pupil was in it, the days the pupil
    was absent, and the notes of those sessions. Two queries."""
    groups = [placement.group_id for placement in placements]
    sessions = defaultdict(list)
    for session in DeliveredSession.objects.filter(group__in=groups, status=SessionStatus.DELIVERED):
        sessions[session.group_id].append(session)
    pupil_ids = {placement.pupil_id for placement in placements}
    absent = set(
        DeliveredSession.absent.through.objects.filter(
            deliveredsession__group__in=groups, pupil__in=pupil_ids
        ).values_list("deliveredsession_id", flat=True)
    )
    attendance = {}
    for placement in placements:
        # A pupil who left on a day is no longer in the group that day (as `Placement.left_on`).
        until = placement.left_on - timedelta(days=1) if placement.left_on else placement.group.ends_on
        held = sorted(
            (s for s in sessions[placement.group_id] if placement.joined_on <= s.held_on <= until),
            key=lambda s: s.held_on,
        )
        attendance[placement.pk] = (
            [s.held_on for s in held],
            [s.held_on for s in held if s.pk in absent],
            [(s.held_on, s.notes) for s in held if s.notes],
        )
    return attendance


def _groups_part(user: User, pupil: Pupil) -> ExportPart:
    placements = list(
        Placement.objects.filter(pupil=pupil, pupil__in=pupils_visible_to(user), group__school=user.school)
        .select_related("group__intervention")
        .order_by("joined_on", "id")
    )
    attendance = _attendance(placements)
    records = []
    for placement in placements:
        group, intervention = placement.group, placement.group.intervention
        title = f"{intervention} ({group})"
        records.append(
            ExportRecord(
                "placement",
                "Intervention",
                placement.pk,
                placement.joined_on,
                title,
                fields(
                    ("Intervention", intervention),
                    ("Group", group),
                    (
                        "How often",
                        f"{group.sessions_per_week} a week, {group.minutes_per_session} minutes each",
                    ),
                    ("Joined on", day(placement.joined_on)),
                    ("Left on", day(placement.left_on)),
                    ("Target", placement.target),
                    ("Measure", intervention.measure_name),
                    ("Entry score", _score(placement.entry_score, placement.entry_measured_on)),
                    ("Exit score", _score(placement.exit_score, placement.exit_measured_on)),
                ),
            )
        )
        held, absent, notes = attendance[placement.pk]
        if held:
            records.append(
                ExportRecord(
                    "sessions",
                    "Sessions attended",
                    placement.pk,
                    held[0],
                    title,
                    fields(
                        ("Sessions held while in the group", len(held)),
                        ("Attended", len(held) - len(absent)),
                        ("Absent on", ", ".join(day(on) for on in absent)),
                        *((f"Note on the session of {day(on)}", note) for on, note in notes),
                    ),
                )
            )
    return ExportPart("Interventions and sessions", records, order=70)


def _top_ups_part(user: User, pupil: Pupil) -> ExportPart:
    top_ups = TopUp.objects.filter(school=user.school, pupil=pupil, pupil__in=pupils_visible_to(user))
    records = [
        ExportRecord(
            "top_up",
            "High-needs top-up (element 3)",
            top_up.pk,
            None,
            f"Financial year {top_up.financial_year}-{(top_up.financial_year + 1) % 100:02d}",
            fields(("Top-up for the year", f"£{top_up.amount:,.2f}"), ("Note", top_up.note)),
        )
        for top_up in top_ups.order_by("financial_year")
    ]
    return ExportPart("High-needs funding", records, order=80)


def provision_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """The pupil's plans, interventions and top-ups, for subject access handlers; [] for anyone
    else. Nine queries, whatever the size of the record."""
    if not can_handle_subject_access(user):
        return []
    return [_plans_part(user, pupil, today), _groups_part(user, pupil), _top_ups_part(user, pupil)]
