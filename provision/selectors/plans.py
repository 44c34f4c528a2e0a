"""Reads of SEN support plans, scoped by user through `pupils_visible_to` (R4).

The SENCO team and leadership see every pupil's plans in their school; teachers and TAs the
plans of the pupils in their groups; governors and anyone else nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, DateField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from provision.models import (
    DeliveredSession,
    OutcomeProgress,
    Placement,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Progress,
    ReviewComment,
    SessionStatus,
    SupportPlan,
)
from provision.permissions import PLAN_READERS, can_edit_plans, can_read_plans
from pupils.models import NSA, ON_REGISTER, NeedArea, NeedType, Pupil, SenStatusChange
from pupils.selectors.contacts import senco_team_of
from pupils.selectors.records import current_sen_status, pupils_visible_to
from pupils.selectors.register import on_roll
from pupils.selectors.register_health import Check
from senco.deadlines import due_soon_cutoff, meet_by, review_state
from senco.models import Role, User
from senco.rules import SchoolCalendar


def plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    """The plans `user` reads, within the reach of their roles that read plans (PLAN_READERS):
    a school administrator who is also a TA reads the TA's pupils' plans only."""
    readers = pupils_visible_to(user.acting_as(PLAN_READERS))
    return SupportPlan.objects.filter(school=user.school, pupil__in=readers)


def with_plan_names(plans: QuerySet[SupportPlan], *, today: date) -> QuerySet[SupportPlan]:
    """Annotate `pupil_status_then`, which `SupportPlan.name` reads: the pupil's SEN status on
    the review date of a reviewed cycle, else on `today`. A cycle reviewed while the pupil was
    on SEN support stays a SEN support plan after an EHC plan is issued."""
    as_of = Case(
        When(status=PlanStatus.REVIEWED, then=F("review__held_on")),
        default=Value(today),
        output_field=DateField(),
    )
    in_force = SenStatusChange.objects.filter(
        pupil=OuterRef("pupil_id"), effective_from__lte=OuterRef("status_as_of")
    ).order_by("-effective_from", "-id")
    return plans.annotate(status_as_of=as_of).annotate(
        pupil_status_then=Subquery(in_force.values("status")[:1])
    )


def plans_of_pupil(user: User, *, pupil: Pupil, today: date) -> QuerySet[SupportPlan]:
    """The pupil's cycles, newest first, with their reviews and names."""
    return with_plan_names(
        plans_visible_to(user).filter(pupil=pupil).select_related("review").order_by("-cycle"), today=today
    )


def plan_for_page(user: User, *, today: date) -> QuerySet[SupportPlan]:
    """Plans with everything the plan page and PDF show, named as on `today`; open one with
    `senco.access.open_record`."""
    return (
        with_plan_names(plans_visible_to(user), today=today)
        .select_related("pupil", "review", "finalised_by", "previous")
        .prefetch_related(
            "outcomes",
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            Prefetch("review__progress", queryset=OutcomeProgress.objects.select_related("outcome")),
            "versions__made_by",
        )
    )


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome as the plan page and PDF show it, with its progress at the review if rated."""

    area: str
    description: str
    success_criteria: str
    progress: str = ""


def _progress_text(rating: str, note: str) -> str:
    label = Progress(rating).label
    return f"{label}: {note}" if note else label


def outcome_rows(plan: SupportPlan) -> list[OutcomeRow]:
    """The plan's outcomes in order, from what `plan_for_page` prefetched."""
    review = getattr(plan, "review", None)
    progress = (
        {p.outcome_id: _progress_text(p.rating, p.note) for p in review.progress.all()} if review else {}
    )
    return [
        OutcomeRow(o.get_area_display(), o.description, o.success_criteria, progress.get(o.pk, ""))
        for o in plan.outcomes.all()
    ]


@dataclass(frozen=True)
class PastVersion:
    """A `PlanVersion` read back: the plan and review as unsaved records, for the same templates
    as the live plan. Nothing here can be saved: it is what the snapshot holds, read only."""

    version: PlanVersion
    plan: SupportPlan
    review: PlanReview | None
    outcomes: list[OutcomeRow]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def past_version(version: PlanVersion) -> PastVersion:
    """The plan as it stood when `version` was kept. The caller fetched the plan through
    `plan_for_page` (so the user may read it) and the version from `plan.versions`."""
    data = version.snapshot
    plan = SupportPlan(
        school=version.plan.school,
        pupil=version.plan.pupil,
        cycle=data["cycle"],
        status=data["status"],
        started_on=_day(data["started_on"]),
        assessment=data["assessment"],
        strategies=data["strategies"],
        arrangements=data["arrangements"],
        review_due_on=_day(data["review_due_on"]),
        shared_with_parents_on=_day(data["shared_with_parents_on"]),
    )
    # Named as the live plan is (`with_plan_names`): a version is the same cycle's plan.
    plan.pupil_status_then = getattr(version.plan, "pupil_status_then", None)
    review, progress = None, {}
    if held := data.get("review"):
        progress = held["progress"]
        review = PlanReview(
            held_on=_day(held["held_on"]),
            evidence=held["evidence"],
            parent_view=held["parent_view"],
            parent_view_on=_day(held["parent_view_on"]),
            pupil_view=held["pupil_view"],
            pupil_view_on=_day(held["pupil_view_on"]),
            next_steps=held["next_steps"],
            decision=held["decision"],
            invited=held.get("invited", ""),
            attended=held.get("attended", ""),
            declined=held.get("declined", ""),
            parents_at_meeting=held.get("parents_at_meeting", ""),
            exit_status=held.get("exit_status", ""),
            status_from=_day(held.get("status_from")),
            parents_told_on=_day(held.get("parents_told_on")),
            finalised_on=_day(held.get("finalised_on")),
        )
    outcomes = [
        OutcomeRow(
            NeedArea(o["area"]).label,
            o["description"],
            o["success_criteria"],
            _progress_text(*progress[str(o["id"])]) if str(o["id"]) in progress else "",
        )
        for o in data["outcomes"]
    ]
    return PastVersion(version=version, plan=plan, review=review, outcomes=outcomes)


@dataclass(frozen=True)
class ForParents:
    """What the PDF for parents adds to the plan: the pupil's needs in plain words and who at
    school to talk to about it."""

    primary_need: str  # "" when none is recorded
    secondary_need: str
    contacts: list[User]  # the SENCO (or SENCOs); the deputies only when there is no SENCO


def _need_in_words(need: NeedType | None) -> str:
    """The census need type as parents would say it: its name, not its code ("Speech, language
    and communication needs", not "SLCN"); NSA is a recording code, not a need."""
    if need is None:
        return ""
    return "not yet identified by a specialist assessment" if need.code == NSA else need.name


def for_parents(user: User, *, pupil: Pupil, on: date) -> ForParents:
    """The pupil's needs as recorded on `on` (the day the PDF is printed, or the day a past
    version was kept) and the school's SENCO, for the PDF for parents. The caller fetched the
    plan through `plan_for_page(user)`, so `pupil` is within the user's reach; the SENCO team is
    the user's school's. Two queries."""
    status = current_sen_status(pupil, today=on)
    team = senco_team_of(user)
    sencos = [person for role, person in team if role == Role.SENCO.label]
    return ForParents(
        primary_need=_need_in_words(status.primary_need if status else None),
        secondary_need=_need_in_words(status.secondary_need if status else None),
        contacts=sencos or [person for _, person in team],
    )


def _amendments(plan: SupportPlan) -> list[PlanVersion]:
    # From the versions `plan_for_page` prefetched, so the plan page spends no query on this.
    return [v for v in plan.versions.all() if v.reason == PlanVersion.AMENDED]


def amended_after_sharing(plan: SupportPlan) -> PlanVersion | None:
    """The latest amendment made after the plan was last shared with parents, who have an older
    text and must be given the plan as it now stands. None if it was never shared, or if
    parents have the current text: so a plan with a sharing date and no such amendment has been
    shared as it stands. Only amendments change the text; sharing and the review do not."""
    if plan.shared_with_parents_on is None:
        return None
    shared = plan.shared_version or 0
    later = [v for v in _amendments(plan) if v.number > shared]
    return max(later, key=lambda v: v.number, default=None)


def version_was_shared(plan: SupportPlan, *, number: int) -> bool:
    """Whether version `number` holds the text parents were last given: no amendment lies
    between it and the version kept when the sharing was recorded, in either direction."""
    if plan.shared_with_parents_on is None:
        return False
    low, high = sorted((number, plan.shared_version or 0))
    return not any(low < v.number <= high for v in _amendments(plan))


def _due(user: User, *, today: date) -> QuerySet[SupportPlan]:
    """Finalised plans due within two weeks or overdue, and drafts whose review date has passed
    (never finalised, so never reviewed), of pupils on roll as the register defines it: a
    pupil who has left needs no review."""
    return plans_visible_to(user).filter(
        Q(status=PlanStatus.ACTIVE, review_due_on__lte=due_soon_cutoff(today))
        | Q(status=PlanStatus.DRAFT, review_due_on__lt=today),
        pupil__in=on_roll(pupils_visible_to(user), today=today),
    )


def reviews_due(user: User, *, today: date, calendar: SchoolCalendar) -> list[SupportPlan]:
    """The plans `_due` finds, soonest first.

    Each plan gets `state` ("overdue" or "due") and `meet_by` (the school day to meet by, on
    the school's `calendar`).
    """
    plans = list(
        with_plan_names(_due(user, today=today), today=today)
        .select_related("pupil")
        .order_by("review_due_on", "pupil__last_name")
    )
    for plan in plans:
        plan.state = review_state(plan.review_due_on, today=today)
        plan.meet_by = meet_by(plan.review_due_on, calendar)
    return plans


def reviews_due_count(user: User, *, today: date) -> int:
    return _due(user, today=today).count()


# Register health's check on plans, which `ProvisionConfig.ready()` adds to the page.
NO_PLAN = Check(
    "no_plan",
    "SEN support or EHC plan with no plan",
    "Every pupil on SEN support should have a plan agreed with their parents and reviewed in "
    "the graduated approach's cycle of assess, plan, do and review (SEND Code of Practice "
    "6.44-6.56); a pupil with an EHC plan needs the school's plan for making the provision it "
    "sets out. A pupil whose last plan was reviewed with no next cycle has none.",
    fix="link",
    may_fix=can_edit_plans,
    fix_url="provision:plan_list",
    fix_text="Start a plan for",
)


def pupils_without_a_plan(user: User, pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil] | None:
    """Of `pupils` (register health's pupils on roll, annotated with their current status), those
    on SEN support or with an EHC plan and no open plan: no draft and no finalised cycle.

    For plan readers (the SENCO team and leadership here); None for anyone else, who is not
    told about plans they may not read. One query.
    """
    if not can_read_plans(user):
        return None
    open_plans = plans_visible_to(user).exclude(status=PlanStatus.REVIEWED)
    return pupils.filter(sen_status__in=ON_REGISTER).exclude(pk__in=open_plans.values("pupil_id"))


@dataclass(frozen=True)
class EvidenceRow:
    """One intervention the pupil was in during a cycle, as the review page shows it."""

    intervention: str
    group: str
    joined_on: date
    left_on: date | None
    sessions_held: int  # delivered while the pupil was in the group, within the cycle
    sessions_attended: int  # of those, the ones the pupil was not absent from
    measure: str
    entry_score: Decimal | None
    entry_measured_on: date | None
    exit_score: Decimal | None
    exit_measured_on: date | None


def cycle_evidence(user: User, *, plan: SupportPlan, today: date) -> list[EvidenceRow]:
    """The evidence a review weighs (CoP 6.52-6.54): each intervention the pupil was in during
    the cycle, from its start to the review date (or `today` before a review is written), with
    the sessions held and attended in that time and the entry and exit scores.

    For whoever may see the pupil (`pupils_visible_to`); the review page is the SENCO team's.
    Three queries, whatever the number of groups and sessions.
    """
    review = getattr(plan, "review", None)
    first, last = plan.started_on, review.held_on if review else today
    placements = list(
        Placement.objects.filter(
            pupil=plan.pupil,
            pupil__in=pupils_visible_to(user),
            group__school=user.school,
            joined_on__lte=last,
            group__starts_on__lte=last,
            group__ends_on__gte=first,
        )
        .exclude(left_on__lte=first)
        .select_related("group__intervention")
        .order_by("joined_on", "group__name")
    )
    groups = [placement.group_id for placement in placements]
    held = defaultdict(list)
    sessions = DeliveredSession.objects.filter(
        group__in=groups, status=SessionStatus.DELIVERED, held_on__range=(first, last)
    )
    for group_id, held_on in sessions.values_list("group_id", "held_on"):
        held[group_id].append(held_on)
    missed = set(
        DeliveredSession.absent.through.objects.filter(
            deliveredsession__group__in=groups,
            deliveredsession__held_on__range=(first, last),
            pupil=plan.pupil,
        ).values_list("deliveredsession__group_id", "deliveredsession__held_on")
    )
    rows = []
    for placement in placements:
        # A pupil who left on a day is no longer in the group that day (as `Placement.left_on`).
        until = placement.left_on - timedelta(days=1) if placement.left_on else last
        days = [day for day in held[placement.group_id] if placement.joined_on <= day <= until]
        intervention = placement.group.intervention
        rows.append(
            EvidenceRow(
                intervention=intervention.name,
                group=placement.group.name,
                joined_on=placement.joined_on,
                left_on=placement.left_on,
                sessions_held=len(days),
                sessions_attended=sum(1 for day in days if (placement.group_id, day) not in missed),
                measure=intervention.measure_name,
                entry_score=placement.entry_score,
                entry_measured_on=placement.entry_measured_on,
                exit_score=placement.exit_score,
                exit_measured_on=placement.exit_measured_on,
            )
        )
    return rows
