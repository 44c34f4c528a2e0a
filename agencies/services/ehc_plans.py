"""Writes to EHC plans: issuing one (from the local authority's final plan, or recording one
issued before the school used this app), editing the version in force, and keeping a new version
when the plan is amended after a review. Each is one business action in one transaction that
audits itself (R3); edits are refused if someone else saved first (R9)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import EhcNeed, EhcOutcome, EhcPlan, EhcPlanVersion, EhcProvision, VersionKind
from agencies.models.ehc_plans import TEXT_SECTION_NAMES
from provision.models import Placement, ProvisionGroup
from pupils.models import NeedType, Pupil, SenStatus
from pupils.selectors.records import latest_sen_entry
from pupils.services.leavers import refuses_leavers
from pupils.services.records import change_sen_status
from senco import audit
from senco.concurrency import update_if_unchanged
from senco.models import User


@dataclass(frozen=True)
class OutcomeRow:
    description: str
    achieve_by: date


@dataclass(frozen=True)
class ProvisionRow:
    description: str
    delivered_by: str
    hours_per_week: Decimal
    groups: list[ProvisionGroup] = field(default_factory=list)


@dataclass(frozen=True)
class PlanContent:
    """What a version of a plan says: the text sections by field name, and sections B, E and F."""

    sections: dict[str, str] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    provision: list[ProvisionRow] = field(default_factory=list)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_content(content: PlanContent, *, pupil: Pupil, issued_on: date) -> None:
    """Refuse outcomes dated before the plan and groups the pupil is not in, naming the row."""
    errors = []
    unknown = sorted(set(content.sections) - set(TEXT_SECTION_NAMES))
    if unknown:
        raise ValueError(f"Not a text section of an EHC plan: {unknown}")
    for number, outcome in enumerate(content.outcomes, start=1):
        if outcome.achieve_by <= issued_on:
            errors.append(
                f"Outcome {number}: the date to achieve it by must be after the plan's date "
                f"({_long(issued_on)})."
            )
    placed = set(Placement.objects.filter(pupil=pupil).values_list("group_id", flat=True))
    for number, item in enumerate(content.provision, start=1):
        outside = sorted(group.name for group in item.groups if group.pk not in placed)
        if outside:
            errors.append(
                f"Provision {number}: {pupil.full_name} is not in {', '.join(outside)}; "
                "link only the groups and 1:1s they attend."
            )
    if errors:
        raise ValidationError(errors)


def _write_content(version: EhcPlanVersion, content: PlanContent) -> None:
    """Replace the version's sections B, E and F with `content`'s (its text is set by the caller)."""
    version.needs.all().delete()
    version.outcomes.all().delete()
    version.provision.all().delete()
    for position, description in enumerate(content.needs):
        need = EhcNeed(version=version, position=position, description=description)
        need.full_clean()
        need.save()
    for position, row in enumerate(content.outcomes):
        outcome = EhcOutcome(
            version=version, position=position, description=row.description, achieve_by=row.achieve_by
        )
        outcome.full_clean()
        outcome.save()
    for position, row in enumerate(content.provision):
        item = EhcProvision(
            version=version,
            position=position,
            description=row.description,
            delivered_by=row.delivered_by,
            hours_per_week=row.hours_per_week,
        )
        item.full_clean()
        item.save()
        item.groups.set(row.groups)


def _set_status_e(*, plan: EhcPlan, primary_need: NeedType | None, by: User, today: date) -> None:
    """Record the pupil's SEN status as E from the plan's date, through the register's own service
    (its rules apply: a primary need, no entry dated before the last one). A pupil already recorded
    with an EHC plan keeps their entry. Where the history has an entry after the plan's date (a
    plan recorded late), the status is recorded from that entry's date, never rewriting history."""
    latest = latest_sen_entry(plan.pupil)
    if latest is not None and latest.status == SenStatus.EHC_PLAN:
        return
    effective_from = max(plan.issued_on, latest.effective_from) if latest else plan.issued_on
    change_sen_status(
        pupil=plan.pupil,
        status=SenStatus.EHC_PLAN,
        effective_from=effective_from,
        reason=f"EHC plan issued by {plan.local_authority}",
        by=by,
        today=today,
        primary_need=primary_need or (latest.primary_need if latest else None),
        secondary_need=latest.secondary_need if latest and not primary_need else None,
        ehc_plan_date=plan.issued_on,
    )


@refuses_leavers("pupil")
@transaction.atomic
def issue_ehc_plan(
    *,
    pupil: Pupil,
    issued_on: date,
    local_authority: str,
    by: User,
    today: date,
    content: PlanContent | None = None,
    phase_transfer: str = "",
    primary_need: NeedType | None = None,
) -> EhcPlan:
    """Create the pupil's EHC plan from the local authority's final plan dated `issued_on`, as
    version 1, and record their SEN status as E (EHC plan) through
    `pupils.services.records.change_sen_status`, with `primary_need` or the one already recorded.
    Called by the EHC needs assessment flow when the final plan arrives, and by the page that
    records a plan issued before the school used the app.
    Side effects: audit row `ehc_plan.issued`; the status change's own row."""
    content = content or PlanContent()
    if issued_on > today:
        raise ValidationError({"issued_on": "A plan cannot be dated in the future: record it once issued."})
    if EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).exists():
        raise ValidationError(f"{pupil.full_name} already has an EHC plan in force: amend that one instead.")
    _check_content(content, pupil=pupil, issued_on=issued_on)
    plan = EhcPlan(
        pupil=pupil,
        issued_on=issued_on,
        local_authority=local_authority,
        phase_transfer=phase_transfer,
        recorded_by=by,
    )
    plan.full_clean()
    plan.save()
    version = EhcPlanVersion(plan=plan, number=1, issued_on=issued_on, recorded_by=by, **content.sections)
    version.full_clean()
    version.save()
    _write_content(version, content)
    _set_status_e(plan=plan, primary_need=primary_need, by=by, today=today)
    audit.record("ehc_plan.issued", by=by, obj=plan, pupil=pupil, summary=f"Version 1, {_long(issued_on)}")
    return plan


def current_version(plan: EhcPlan) -> EhcPlanVersion:
    return plan.versions.order_by("-number").first()


@refuses_leavers("plan")
@transaction.atomic
def update_ehc_plan(
    *,
    plan: EhcPlan,
    version: int,
    local_authority: str,
    phase_transfer: str,
    content: PlanContent,
    by: User,
    today: date,
) -> EhcPlanVersion:
    """Save what the version in force says (correcting how it was typed in), if nobody else has
    saved the plan since the editor opened it (`version`), else raise `StaleEdit`.
    Side effects: audit row `ehc_plan.updated` naming the version."""
    if plan.ceased_on is not None:
        raise ValidationError("This plan has ceased: it is kept as it was.")
    in_force = current_version(plan)
    _check_content(content, pupil=plan.pupil, issued_on=in_force.issued_on)
    update_if_unchanged(
        plan, version, what="EHC plan", local_authority=local_authority, phase_transfer=phase_transfer
    )
    for name in TEXT_SECTION_NAMES:
        setattr(in_force, name, content.sections.get(name, ""))
    in_force.full_clean()
    in_force.save()
    _write_content(in_force, content)
    audit.record("ehc_plan.updated", by=by, obj=plan, pupil=plan.pupil, summary=f"Version {in_force.number}")
    return in_force


@refuses_leavers("plan")
@transaction.atomic
def amend_ehc_plan(*, plan: EhcPlan, version: int, issued_on: date, by: User, today: date) -> EhcPlanVersion:
    """Keep the version in force as it is and start a new one, dated `issued_on` (the amended
    final plan's date, after a review: SEND Regulations 2014 reg 22), as a copy for the SENCO to
    bring in line with the amended plan. Refused if someone saved the plan meanwhile (R9).
    Side effects: audit row `ehc_plan.amended`."""
    previous = current_version(plan)
    if issued_on > today:
        raise ValidationError({"issued_on": "An amended plan cannot be dated in the future."})
    if issued_on < previous.issued_on:
        raise ValidationError(
            {
                "issued_on": f"The amended plan must be dated on or after version {previous.number} "
                f"({_long(previous.issued_on)})."
            }
        )
    update_if_unchanged(plan, version, what="EHC plan")
    amended = EhcPlanVersion(
        plan=plan,
        number=previous.number + 1,
        kind=VersionKind.AMENDED,
        issued_on=issued_on,
        recorded_by=by,
        **{name: getattr(previous, name) for name in TEXT_SECTION_NAMES},
    )
    amended.full_clean()
    amended.save()
    content = PlanContent(
        needs=[need.description for need in previous.needs.all()],
        outcomes=[OutcomeRow(o.description, o.achieve_by) for o in previous.outcomes.all()],
        provision=[
            ProvisionRow(i.description, i.delivered_by, i.hours_per_week, list(i.groups.all()))
            for i in previous.provision.prefetch_related("groups")
        ],
    )
    _write_content(amended, content)
    audit.record("ehc_plan.amended", by=by, obj=plan, pupil=plan.pupil, summary=f"Version {amended.number}")
    return amended
