"""Writes for SEN support plans (APDR cycles). Each is one business action, one transaction,
and audits itself. Plans and reviews use optimistic concurrency (R9, `senco.concurrency`):
callers pass the `version` they read; a changed version raises `StaleEdit` and nothing is
written."""

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from provision.models import (
    SEN_SUPPORT_PLAN,
    Decision,
    OutcomeProgress,
    ParentsAtReview,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Progress,
    ReviewComment,
    SupportPlan,
    plan_name,
)
from pupils.models import ON_REGISTER, ContactKind, Pupil, SenStatus, SenStatusChange
from pupils.selectors.records import current_sen_status
from pupils.services.contacts import log_contact
from pupils.services.leavers import refuses_leavers
from pupils.services.records import change_sen_status
from senco import audit
from senco.concurrency import check_unchanged, update_if_unchanged
from senco.deadlines import default_review_date, latest_review_date, one_term_after
from senco.models import User
from senco.rules import outside_horizon
from senco.selectors import school_calendar

# The code of the error that asks to confirm a review date more than a term after the start.
MORE_THAN_A_TERM = "more_than_a_term"
NOT_ON_REGISTER = (
    "Only a pupil on SEN support or with an EHC plan can have a support plan. Record their SEN status first."
)


def plan_snapshot(
    plan: SupportPlan, *, outcomes: list, review: PlanReview | None, progress: dict[str, list]
) -> dict:
    """The plan as a `PlanVersion` keeps it: its fields, its outcomes and, once reviewed, the
    review with `progress` (outcome id -> [rating, note]). A pure function of what it is given,
    so the demo keeps versions exactly as this service does."""
    data = {
        "cycle": plan.cycle,
        "status": plan.status,
        "started_on": plan.started_on.isoformat(),
        "assessment": plan.assessment,
        "strategies": plan.strategies,
        "arrangements": plan.arrangements,
        "review_due_on": plan.review_due_on.isoformat(),
        "shared_with_parents_on": _iso(plan.shared_with_parents_on),
        "outcomes": [
            {"id": o.pk, "area": o.area, "description": o.description, "success_criteria": o.success_criteria}
            for o in outcomes
        ],
    }
    if review:
        data["review"] = {
            "held_on": review.held_on.isoformat(),
            "evidence": review.evidence,
            "parent_view": review.parent_view,
            "parent_view_on": _iso(review.parent_view_on),
            "pupil_view": review.pupil_view,
            "pupil_view_on": _iso(review.pupil_view_on),
            "next_steps": review.next_steps,
            "decision": review.decision,
            "invited": review.invited,
            "attended": review.attended,
            "declined": review.declined,
            "parents_at_meeting": review.parents_at_meeting,
            "exit_status": review.exit_status,
            "status_from": _iso(review.status_from),
            "parents_told_on": _iso(review.parents_told_on),
            "finalised_on": _iso(review.finalised_on),
            "progress": progress,
        }
    return data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _snapshot(plan: SupportPlan) -> dict:
    plan.refresh_from_db()
    review = PlanReview.objects.filter(plan=plan).first()
    progress = {str(p.outcome_id): [p.rating, p.note] for p in review.progress.all()} if review else {}
    return plan_snapshot(plan, outcomes=list(plan.outcomes.all()), review=review, progress=progress)


def _keep_version(plan: SupportPlan, *, reason: str, by: User) -> PlanVersion:
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, reason=reason, snapshot=_snapshot(plan), made_by=by
    )


def _sync_outcomes(plan: SupportPlan, outcomes: list[dict]) -> None:
    """Make the plan's outcomes match `outcomes` (dicts with optional `id`), in order."""
    existing = {o.pk: o for o in plan.outcomes.all()}
    kept = set()
    for position, row in enumerate(outcomes):
        outcome = existing.get(row.get("id")) or PlanOutcome(plan=plan)
        outcome.area = row["area"]
        outcome.description = row["description"]
        outcome.success_criteria = row.get("success_criteria", "")
        outcome.position = position
        outcome.full_clean()
        outcome.save()
        kept.add(outcome.pk)
    for pk, outcome in existing.items():
        if pk not in kept:
            if outcome.progress.exists():
                raise ValidationError("An outcome that has been reviewed cannot be removed.")
            outcome.delete()


@refuses_leavers("pupil")
@transaction.atomic
def start_plan(*, pupil: Pupil, started_on: date, by: User, today: date) -> SupportPlan:
    """Open cycle 1 (or the next cycle) of a plan as a draft.

    Only pupils on SEN support or with an EHC plan have one (on the day it starts, when that is
    later than today: support agreed ahead with parents), and only one open cycle at a time; it
    starts within five years of `today`, and not before the last cycle's review. Its review date
    is proposed on the school's calendar (`senco.deadlines.default_review_date`).
    Side effects: audit row `plan.started`.
    """
    if problem := outside_horizon(started_on, today=today):
        raise ValidationError({"started_on": problem})
    status = current_sen_status(pupil, today=max(today, started_on))
    if status is None or status.status not in ON_REGISTER:
        raise ValidationError(NOT_ON_REGISTER)
    latest = pupil.support_plans.select_related("review").order_by("-cycle").first()
    if latest and latest.status != PlanStatus.REVIEWED:
        raise ValidationError("This pupil already has an open plan: review it before starting another.")
    # The last cycle ran until its review; the next one starts then or later (model `clean()`
    # checks the start against the last cycle's start).
    review = getattr(latest, "review", None)
    ended_on = review.held_on if review else None
    if ended_on and started_on < ended_on:
        raise ValidationError(
            {
                "started_on": f"Cycle {latest.cycle} ran until its review on {ended_on.day} "
                f"{ended_on:%B %Y}: start the next cycle on that day or later."
            }
        )
    plan = SupportPlan(
        school=pupil.school,
        pupil=pupil,
        cycle=(latest.cycle + 1) if latest else 1,
        previous=latest,
        started_on=started_on,
        review_due_on=default_review_date(started_on, school_calendar(pupil.school)),
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    audit.record("plan.started", by=by, obj=plan)
    return plan


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_within_a_term(started_on: date, review_due_on: date, *, school) -> None:
    limit, basis = one_term_after(started_on, school_calendar(school))
    if review_due_on <= limit:
        return
    how = (
        "by the school's term dates"
        if basis == "school term dates"
        else "counting 13 weeks as the school has no term dates for then"
    )
    message = (
        f"{_long(review_due_on)} is more than a term after the plan starts on {_long(started_on)}: "
        f"a term later is {_long(limit)}, {how}. Plans are reviewed termly; tick the box to keep this date."
    )
    raise ValidationError({"review_due_on": ValidationError(message, code=MORE_THAN_A_TERM)})


@refuses_leavers("plan")
@transaction.atomic
def update_plan(
    *,
    plan: SupportPlan,
    version: int,
    assessment: str,
    strategies: str,
    arrangements: str,
    review_due_on: date,
    outcomes: list[dict],
    by: User,
    confirm_review_date: bool = False,
) -> SupportPlan:
    """Save the assess, plan and do parts and the outcomes.

    A finalised plan may be amended; the amendment is kept as a new version. A reviewed plan is
    closed. The review falls within a year of the start; a new review date more than a term
    after the start (`senco.deadlines.one_term_after`, by the school's term dates) is refused
    with the code "more_than_a_term" unless `confirm_review_date`. Raises StaleEdit if someone
    saved since `version` was read.
    Side effects: audit row `plan.edited` or `plan.amended`; a PlanVersion on amendment.
    """
    if plan.status == PlanStatus.REVIEWED:
        raise ValidationError("This cycle has been reviewed and closed; change the next cycle instead.")
    if not outcomes:
        raise ValidationError("Add at least one outcome.")
    candidate = SupportPlan(
        pk=plan.pk,
        school=plan.school,
        pupil=plan.pupil,
        cycle=plan.cycle,
        started_on=plan.started_on,
        review_due_on=review_due_on,
        shared_with_parents_on=plan.shared_with_parents_on,
        assessment=assessment,
        strategies=strategies,
        arrangements=arrangements,
    )
    candidate.clean()
    latest = latest_review_date(plan.started_on)
    if review_due_on > latest:
        message = f"Review the plan within a year of its start: by {latest:%d/%m/%Y} at the latest."
        raise ValidationError({"review_due_on": message})
    # Asked once, when the date is set: the stored date, as a model form may already have
    # copied the new one onto `plan`.
    stored = SupportPlan.objects.values_list("review_due_on", flat=True).get(pk=plan.pk)
    update_if_unchanged(
        plan,
        version,
        what="plan",
        assessment=assessment,
        strategies=strategies,
        arrangements=arrangements,
        review_due_on=review_due_on,
    )
    # After the version check, so that an editor overtaken by someone else hears that first;
    # the refusal rolls the save back.
    if review_due_on != stored and not confirm_review_date:
        _check_within_a_term(plan.started_on, review_due_on, school=plan.school)
    _sync_outcomes(plan, outcomes)
    amended = plan.status == PlanStatus.ACTIVE
    if amended:
        _keep_version(plan, reason=PlanVersion.AMENDED, by=by)
    audit.record(
        "plan.amended" if amended else "plan.edited",
        by=by,
        obj=plan,
        fields=["assessment", "strategies", "arrangements", "review_due_on", "outcomes"],
    )
    plan.refresh_from_db()
    return plan


@refuses_leavers("plan")
@transaction.atomic
def finalise_plan(*, plan: SupportPlan, version: int, by: User, today: date) -> SupportPlan:
    """Finalise a draft plan: it moves to the Do stage and its text is kept as version 1.

    Side effects: audit row `plan.finalised`; a PlanVersion.
    """
    if not plan.is_draft:
        raise ValidationError("Only a draft plan can be finalised.")
    if not plan.outcomes.exists():
        raise ValidationError("Add at least one outcome before finalising the plan.")
    update_if_unchanged(
        plan, version, what="plan", status=PlanStatus.ACTIVE, finalised_on=today, finalised_by=by
    )
    _keep_version(plan, reason="Finalised", by=by)
    audit.record("plan.finalised", by=by, obj=plan, fields=["status"])
    plan.refresh_from_db()
    return plan


@refuses_leavers("plan")
@transaction.atomic
def record_plan_shared(
    *, plan: SupportPlan, version: int, shared_on: date, by: User, today: date
) -> SupportPlan:
    """Record the date parents were given the plan (the s68 notice, CFA 2014 s68).

    A change to a finalised plan like an amendment: it takes the `version` the editor read
    (StaleEdit if someone saved since) and keeps a PlanVersion, so the history shows which
    text parents were given, and marks that version as the one shared (`shared_version`). Parents
    are given the plan as it now stands, so the date cannot be before its last amendment. A
    draft has nothing to share yet and a reviewed cycle is closed.
    Side effects: audit row `plan.shared_with_parents`; a PlanVersion.
    """
    if plan.is_draft:
        raise ValidationError("Finalise the plan before recording that parents have it.")
    if plan.status == PlanStatus.REVIEWED:
        raise ValidationError(
            "This cycle has been reviewed and closed, so its record cannot change: "
            "record the date on the current cycle instead."
        )
    if shared_on > today:
        raise ValidationError({"shared_on": "The date cannot be in the future."})
    if shared_on < plan.started_on:
        raise ValidationError(
            {"shared_on": f"The plan started on {plan.started_on:%d/%m/%Y}: choose that day or later."}
        )
    amendment = plan.versions.filter(reason=PlanVersion.AMENDED).order_by("-number").first()
    amended_on = timezone.localdate(amendment.made_at) if amendment else None
    # Recording a sharing says parents have the plan as it now stands, which did not exist
    # before its last amendment: an earlier date belongs to the version they were given then.
    if amended_on and shared_on < amended_on:
        raise ValidationError(
            {
                "shared_on": f"The plan was amended on {amended_on:%d/%m/%Y}: "
                "parents can only have been given this version on that day or later."
            }
        )
    update_if_unchanged(plan, version, what="plan", shared_with_parents_on=shared_on)
    kept = _keep_version(plan, reason=PlanVersion.SHARED, by=by)
    SupportPlan.objects.filter(pk=plan.pk).update(shared_version=kept.number)
    audit.record(
        "plan.shared_with_parents", by=by, obj=plan, fields=["shared_with_parents_on", "shared_version"]
    )
    plan.refresh_from_db()
    return plan


REVIEW_FIELDS = (
    "held_on",
    "invited",
    "attended",
    "declined",
    "parents_at_meeting",
    "evidence",
    "parent_view",
    "parent_view_on",
    "pupil_view",
    "pupil_view_on",
    "next_steps",
    "decision",
    "exit_status",
    "status_from",
    "parents_told_on",
)
EXIT_FIELDS = {"exit_status": "", "status_from": None, "parents_told_on": None}


def _refuse_exit_with_ehc_plan(pupil: Pupil, status: SenStatusChange | None) -> None:
    # A school cannot take a pupil off an EHC plan: only the local authority ceases a plan
    # (CFA 2014 s45), after an annual review. The school's decisions are the other three.
    if status is not None and status.status == SenStatus.EHC_PLAN:
        raise ValidationError(
            {
                "decision": f"{pupil.full_name} has an EHC plan, which only the local authority can "
                "cease: choose another decision."
            }
        )


@refuses_leavers("plan")
@transaction.atomic
def save_review(
    *, plan: SupportPlan, version: int, fields: dict, progress: dict[int, tuple[str, str]], by: User
) -> PlanReview:
    """Save the draft review of a finalised plan: `fields` (REVIEW_FIELDS) and progress per
    outcome id as (rating, note). `version` is 0 when no review existed when the form was read.

    The details of an exit (the status the pupil moves to, from when, when parents were told)
    are kept only with the decision to exit, which a pupil with an EHC plan on the review date
    cannot have. Side effects: audit row `plan.review_saved`.
    """
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError("Only a finalised plan that has not been reviewed can be reviewed.")
    if fields.get("decision") != Decision.EXIT:
        fields = fields | EXIT_FIELDS
    elif fields.get("held_on"):
        _refuse_exit_with_ehc_plan(plan.pupil, current_sen_status(plan.pupil, today=fields["held_on"]))
    review = PlanReview.objects.filter(plan=plan).first()
    if review is None:
        check_unchanged(None, version, what="review")
        review = PlanReview(plan=plan, **fields)
        review.full_clean()
        review.save()
    else:
        if review.is_final:
            raise ValidationError("This review is finalised and cannot be changed.")
        candidate = PlanReview(plan=plan, **fields)
        candidate.full_clean(exclude=["plan"])
        update_if_unchanged(review, version, what="review", **fields)
    outcomes = {o.pk: o for o in plan.outcomes.all()}
    for outcome_id, (rating, note) in progress.items():
        if outcome_id not in outcomes or not rating:
            continue
        OutcomeProgress.objects.update_or_create(
            review=review, outcome=outcomes[outcome_id], defaults={"rating": rating, "note": note}
        )
    audit.record("plan.review_saved", by=by, obj=plan, fields=[*list(fields), "progress"])
    review.refresh_from_db()
    return review


def _missing_for_close(review: PlanReview, plan: SupportPlan, *, exits_sen_support: bool) -> list[str]:
    missing = []
    rated = set(review.progress.values_list("outcome_id", flat=True))
    if any(o.pk not in rated for o in plan.outcomes.all()):
        missing.append("progress on every outcome")
    if not review.decision:
        missing.append("a decision")
    if not review.parents_at_meeting:
        missing.append("whether parents came to the meeting")
    # Parents who did not come have no view to record here: nobody types one in for them.
    elif review.parents_at_meeting == ParentsAtReview.CAME and not review.parent_view:
        missing.append("the parents' view")
    if not review.pupil_view:
        missing.append("the pupil's view")
    if exits_sen_support:
        for field, words in (
            ("exit_status", "the SEN status the pupil moves to"),
            ("status_from", "the date it takes effect"),
            ("parents_told_on", "the date parents were told"),
        ):
            if not getattr(review, field):
                missing.append(words)
    return missing


def _exit_sen_support(plan: SupportPlan, review: PlanReview, *, by: User, today: date) -> None:
    """The status change an exit makes, through the pupils app's one way of making it; its
    errors are put back on the review's own fields."""
    held = review.held_on
    try:
        change_sen_status(
            pupil=plan.pupil,
            status=review.exit_status,
            effective_from=review.status_from,
            reason=f"Review of the {SEN_SUPPORT_PLAN}, cycle {plan.cycle}, on {held.day} {held:%B %Y}: "
            "exit SEN support.",
            by=by,
            today=today,
            parents_informed_on=review.parents_told_on,
            parents_informed_how=f"Review of the {SEN_SUPPORT_PLAN}, cycle {plan.cycle}",
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        names = {
            "effective_from": "status_from",
            "parents_informed_on": "parents_told_on",
            "status": "exit_status",
        }
        raise ValidationError(
            {names.get(field, field): messages for field, messages in exc.message_dict.items()}
        ) from None


def _log_review_meeting(plan: SupportPlan, review: PlanReview, *, name: str, by: User, today: date) -> None:
    """A review meeting parents came to is a meeting with them (CoP 6.65 expects three a year):
    it goes into the contact log, which is the count's evidence, unless a meeting with parents
    is already logged that day."""
    if review.parents_at_meeting != ParentsAtReview.CAME:
        return
    pupil = plan.pupil
    if pupil.contact_log.filter(kind=ContactKind.MEETING, occurred_on=review.held_on).exists():
        return
    decision = review.get_decision_display()
    decision = decision[0].lower() + decision[1:]
    log_contact(
        pupil=pupil,
        kind=ContactKind.MEETING,
        occurred_on=review.held_on,
        participants=review.attended or "Parents",
        summary=f"Review of the {name}, cycle {plan.cycle}: {decision}.",
        agreed_actions=review.next_steps,
        by=by,
        today=today,
    )


def _open_next_cycle(plan: SupportPlan, review: PlanReview, *, by: User) -> SupportPlan:
    """The next cycle, pre-filled: outcomes not fully met carried forward, strategies copied,
    its review date proposed on the school's calendar."""
    started_on = review.held_on
    next_plan = SupportPlan(
        school=plan.school,
        pupil=plan.pupil,
        cycle=plan.cycle + 1,
        previous=plan,
        started_on=started_on,
        review_due_on=default_review_date(started_on, school_calendar(plan.school)),
        created_by=by,
        assessment=f"Review of cycle {plan.cycle} ({review.held_on:%d/%m/%Y}): {review.next_steps}".strip(),
        strategies=plan.strategies,
        arrangements=plan.arrangements,
    )
    next_plan.full_clean()
    next_plan.save()
    ratings = {p.outcome_id: p.rating for p in review.progress.all()}
    carried = [o for o in plan.outcomes.all() if ratings.get(o.pk) != Progress.MET]
    PlanOutcome.objects.bulk_create(
        PlanOutcome(
            plan=next_plan,
            area=o.area,
            description=o.description,
            success_criteria=o.success_criteria,
            position=position,
            carried_from=o,
        )
        for position, o in enumerate(carried)
    )
    audit.record("plan.started", by=by, obj=next_plan, summary=f"Cycle {next_plan.cycle} from review")
    return next_plan


@refuses_leavers("review")
@transaction.atomic
def close_review(*, review: PlanReview, version: int, by: User, today: date) -> SupportPlan | None:
    """Finalise the review and close the cycle; unless the decision is to exit SEN support,
    open the next cycle pre-filled from this one. Returns the new cycle, or None on exit.

    An exit of a pupil on SEN support changes their SEN status in the same action, to monitoring
    or no SEN from the date the review gives (today or later), with the date parents were told;
    a pupil already off the register keeps their status. A pupil with an EHC plan cannot exit.
    Parents need not have come, but the review says whether they did; their view is needed
    only if they came.
    Side effects: audit rows `plan.reviewed` (and `plan.started`); a PlanVersion of the closed
    cycle with its review; on exit, a SEN status change (audit row `pupil.sen_status_changed`);
    when parents came, a meeting in the contact log (audit row `contact.logged`).
    """
    plan = review.plan
    if review.is_final:
        raise ValidationError("This review is already finalised.")
    status = current_sen_status(plan.pupil, today=today)
    exits = review.decision == Decision.EXIT
    if exits:
        _refuse_exit_with_ehc_plan(plan.pupil, status)
    on_sen_support = status is not None and status.status == SenStatus.SEN_SUPPORT
    missing = _missing_for_close(review, plan, exits_sen_support=exits and on_sen_support)
    if missing:
        raise ValidationError("Before closing the review, record " + ", ".join(missing) + ".")
    if review.held_on > today:
        raise ValidationError({"held_on": "A review cannot be closed before its meeting date."})
    # A pupil taken off the register since the plan began gets no next cycle by accident.
    if not exits and status is not None and status.status not in ON_REGISTER:
        raise ValidationError(
            {
                "decision": f"{plan.pupil.full_name}'s SEN status has been "
                f"\u2018{status.get_status_display()}\u2019 since {status.effective_from:%-d %B %Y}: "
                f"choose \u2018{Decision.EXIT.label}\u2019 to close this cycle."
            }
        )
    held_status = current_sen_status(plan.pupil, today=review.held_on)
    update_if_unchanged(review, version, what="review", finalised_on=today, finalised_by=by)
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEWED, version=F("version") + 1)
    _keep_version(plan, reason="Reviewed", by=by)
    audit.record("plan.reviewed", by=by, obj=plan, fields=["review", "status"])
    review.refresh_from_db()
    name = plan_name(held_status.status if held_status else None, mid_sentence=True)
    _log_review_meeting(plan, review, name=name, by=by, today=today)
    if exits:
        if on_sen_support:
            _exit_sen_support(plan, review, by=by, today=today)
        return None
    return _open_next_cycle(plan, review, by=by)


@refuses_leavers("plan")
@transaction.atomic
def add_review_comment(*, plan: SupportPlan, body: str, by: User) -> ReviewComment:
    """A classroom note towards the plan's review. Side effects: audit row `plan.commented`."""
    if plan.status == PlanStatus.REVIEWED:
        raise ValidationError("This cycle has been reviewed; comment on the current cycle instead.")
    comment = ReviewComment(plan=plan, author=by, body=body)
    comment.full_clean()
    comment.save()
    audit.record("plan.commented", by=by, obj=plan, fields=["comment"])
    return comment


# Retention: disposing of a leaver's record ---------------------------------------------------


def remove_plans_for_disposal(pupil: Pupil) -> dict[str, int]:
    """Delete every plan of `pupil`, with its outcomes, reviews, progress ratings, comments and
    kept versions, for the disposal of their record (`pupils.services.retention`, which runs it in
    its transaction and audits the disposal). The cascade from the pupil cannot: a cycle's previous
    cycle and an outcome with a progress rating are protected, so that no edit removes them by
    accident. Returns the rows deleted by model label."""
    plans = SupportPlan.objects.filter(pupil=pupil)
    deleted = Counter(OutcomeProgress.objects.filter(review__plan__in=plans).delete()[1])
    plans.update(previous=None)
    deleted.update(plans.delete()[1])
    return dict(deleted)
