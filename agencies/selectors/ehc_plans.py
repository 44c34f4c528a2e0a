"""Reads for EHC plans: the plans a user may open, the SENCO's list with each plan's next
review, one plan's page (a version's sections, Section F's hours against the delivery log, its
reviews), and the plans' statutory dates for the school's calendar.

Who sees what (R4): the SENCO team and leadership read every plan of their school in full;
teachers and TAs open the plans of the pupils they teach or support and see Sections E and F
only (`EHC_PLAN_SUMMARY_READERS`); governors see none."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch, Q, QuerySet

from agencies.models import AnnualReview, EhcPlan, EhcPlanVersion, EhcProvision
from agencies.permissions import AGENCY_READERS, EHC_PLAN_SUMMARY_READERS
from agencies.rules import (
    HoursAgainstPlan,
    Stay,
    delivery_window,
    hours_against_plan,
    minutes_received,
    next_review_due,
    phase_transfer_due,
    teaching_weeks_in,
)
from agencies.selectors.statutory_calendar import CalendarEntry, provides_dates
from provision.models import DeliveredSession, Placement, ProvisionGroup, SessionStatus
from pupils.models import Pupil, SenStatus
from pupils.permissions import can_handle_subject_access
from pupils.selectors.records import pupils_visible_to, within_reach
from pupils.selectors.subject_access import ExportPart, ExportRecord, day, fields
from senco.deadlines import PhaseTransfer, closed_day_note, review_schedule
from senco.models import User
from senco.rules import Period, SchoolCalendar

TRANSFER_LABELS = dict(PhaseTransfer.CHOICES)


def ehc_plans_for(user: User) -> QuerySet[EhcPlan]:
    """Plans of the pupils the user reaches in the roles that open a plan (see the module)."""
    pupils = pupils_visible_to(user.acting_as(EHC_PLAN_SUMMARY_READERS))
    return EhcPlan.objects.filter(pupil__in=pupils).select_related("pupil")


def reads_whole_plan(user: User, plan: EhcPlan) -> bool:
    """Whether the user reads every section, not Sections E and F alone."""
    return within_reach(user, plan.pupil, roles=AGENCY_READERS)


def _in_force_for(user: User, *, today: date) -> QuerySet[EhcPlan]:
    pupils = pupils_visible_to(user.acting_as(AGENCY_READERS)).exclude(left_on__lte=today)
    return (
        EhcPlan.objects.filter(pupil__in=pupils, ceased_on__isnull=True)
        .select_related("pupil")
        .annotate(
            last_meeting_on=Max("reviews__meeting_on", filter=Q(reviews__closed_on__isnull=False)),
            open_meeting_on=Max("reviews__meeting_on", filter=Q(reviews__closed_on__isnull=True)),
            open_review_id=Max("reviews__id", filter=Q(reviews__closed_on__isnull=True)),
        )
    )


@dataclass(frozen=True)
class PlanRow:
    plan: EhcPlan
    review_due_on: date
    overdue: bool
    due_note: str
    transfer: tuple[str, date] | None  # (what the move is, the date the plan must be final by)

    @property
    def pupil(self) -> Pupil:
        return self.plan.pupil


def _transfer(plan: EhcPlan, today: date) -> tuple[str, date] | None:
    due = phase_transfer_due(year_group=plan.pupil.year_group, recorded_kind=plan.phase_transfer, today=today)
    return (TRANSFER_LABELS[due[0]], due[1]) if due else None


def ehc_plan_rows(user: User, *, today: date) -> list[PlanRow]:
    """Every plan in force of the pupils on roll the user reads in full, with its next annual
    review due (12 months from the plan's date or the last review meeting): overdue first, then
    the soonest due. Two queries however many plans."""
    rows = []
    for plan in _in_force_for(user, today=today):
        due = next_review_due(issued_on=plan.issued_on, last_meeting_on=plan.last_meeting_on)
        rows.append(
            PlanRow(
                plan=plan,
                review_due_on=due,
                overdue=due < today,
                due_note=closed_day_note(due),
                transfer=_transfer(plan, today),
            )
        )
    return sorted(rows, key=lambda row: (not row.overdue, row.review_due_on, row.pupil.last_name))


@dataclass(frozen=True)
class ProvisionHours:
    item: EhcProvision
    hours: HoursAgainstPlan


@dataclass(frozen=True)
class SectionFHours:
    window: Period
    teaching_weeks: int
    rows: list[ProvisionHours]


def section_f_hours(
    pupil: Pupil, items: list[EhcProvision], *, today: date, calendar: SchoolCalendar
) -> SectionFHours:
    """Each Section F item's hours specified over the teaching weeks of the last six calendar
    weeks against the hours the pupil received in its linked groups and 1:1s (delivered sessions
    while they were in the group, less those they missed). Three queries however many items,
    given `items` with their `groups` prefetched."""
    window = delivery_window(today)
    groups = {group.pk: group for item in items for group in item.groups.all()}
    stays = [
        Stay(group_id, joined_on, left_on)
        for group_id, joined_on, left_on in Placement.objects.filter(
            pupil=pupil, group_id__in=groups
        ).values_list("group_id", "joined_on", "left_on")
    ]
    sessions = DeliveredSession.objects.filter(
        group_id__in=groups, status=SessionStatus.DELIVERED, held_on__range=window
    ).values_list("group_id", "held_on")
    absent = set(
        DeliveredSession.absent.through.objects.filter(
            pupil=pupil, deliveredsession__group_id__in=groups, deliveredsession__held_on__range=window
        ).values_list("deliveredsession__group_id", "deliveredsession__held_on")
    )
    received = minutes_received(
        list(sessions),
        minutes_per_session={pk: group.minutes_per_session for pk, group in groups.items()},
        stays=stays,
        absent=absent,
        window=window,
    )
    weeks = teaching_weeks_in(calendar, window)
    rows = [
        ProvisionHours(
            item,
            hours_against_plan(
                hours_per_week=item.hours_per_week,
                teaching_weeks=weeks,
                group_ids=[group.pk for group in item.groups.all()],
                received=received,
            ),
        )
        for item in items
    ]
    return SectionFHours(window=window, teaching_weeks=weeks, rows=rows)


@dataclass(frozen=True)
class PlanPage:
    plan: EhcPlan
    version: EhcPlanVersion
    versions: list[EhcPlanVersion]
    whole: bool  # the reader sees every section, not E and F alone
    hours: SectionFHours
    reviews: list[AnnualReview]
    review_due_on: date
    due_note: str
    transfer: tuple[str, date] | None

    @property
    def is_current(self) -> bool:
        return self.version.number == self.versions[0].number

    @property
    def open_review(self) -> AnnualReview | None:
        return next((review for review in self.reviews if review.closed_on is None), None)


def plan_page(
    user: User, plan: EhcPlan, *, today: date, calendar: SchoolCalendar, number: int | None = None
) -> PlanPage | None:
    """What the plan page shows of `plan` (opened through `ehc_plans_for`) to `user`: the version
    `number` (the one in force by default; None if there is no such version), its sections (all
    of them, or E and F alone), Section F's hours, and, for whole-plan readers, the reviews. A
    fixed number of queries however long the plan."""
    versions = list(plan.versions.only("id", "plan_id", "number", "kind", "issued_on").order_by("-number"))
    chosen = versions[0].number if number is None else number
    version = (
        EhcPlanVersion.objects.filter(plan=plan, number=chosen)
        .prefetch_related(
            "needs",
            "outcomes",
            Prefetch(
                "provision",
                queryset=EhcProvision.objects.prefetch_related(
                    Prefetch("groups", queryset=ProvisionGroup.objects.order_by("name"))
                ),
            ),
        )
        .first()
    )
    if version is None:
        return None
    whole = reads_whole_plan(user, plan)
    reviews = list(plan.reviews.order_by("-meeting_on")) if whole else []
    last_meeting = max((r.meeting_on for r in reviews if r.closed_on is not None), default=None)
    due = next_review_due(issued_on=plan.issued_on, last_meeting_on=last_meeting)
    return PlanPage(
        plan=plan,
        version=version,
        versions=versions,
        whole=whole,
        hours=section_f_hours(plan.pupil, list(version.provision.all()), today=today, calendar=calendar),
        reviews=reviews,
        review_due_on=due,
        due_note=closed_day_note(due),
        transfer=_transfer(plan, today),
    )


def linkable_groups(pupil: Pupil) -> QuerySet[ProvisionGroup]:
    """The groups and 1:1s the pupil is in, or has been in: what a Section F item may be linked to."""
    return (
        ProvisionGroup.objects.filter(school_id=pupil.school_id, placements__pupil=pupil)
        .distinct()
        .order_by("name")
    )


# --- The statutory calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class StatutoryDate:
    """One dated statutory step for the school's calendar: whose, when, what, where to act."""

    pupil: Pupil
    on: date
    kind: str  # a machine name: "annual_review_due", "review_papers_by", ...
    label: str
    url: str

    @property
    def closed_day_note(self) -> str:
        return closed_day_note(self.on)


SCHEDULE_LABELS = {
    "papers_by": "Annual review: advice and papers to invitees",
    "report_by": "Annual review: the school's report to the local authority",
    "la_decision_by": "Annual review: the local authority's decision",
}


def statutory_dates_from_ehc_plans(user: User, *, today: date, pupils=None) -> list[StatutoryDate]:
    """The statutory dates of the plans in force of the pupils on roll the user reads in full
    (optionally only `pupils`, a queryset or list): each plan's next annual review due, the
    open review's meeting and its steps (papers two weeks before, the report two weeks after,
    the LA's decision four weeks after: SEND Regulations 2014 reg 20), a completed review's LA
    decision still awaited, and the phase transfer date for pupils in the year before one
    (reg 18). Past dates are included: the calendar shows what is overdue. Two queries."""
    plans = _in_force_for(user, today=today)
    if pupils is not None:
        plans = plans.filter(pupil__in=pupils)
    plans = list(plans)
    awaiting = AnnualReview.objects.filter(plan__in=plans).filter(
        Q(closed_on__isnull=True) | Q(la_decision="")
    )
    rows = []
    for plan in plans:
        url = plan.get_absolute_url()
        due = next_review_due(issued_on=plan.issued_on, last_meeting_on=plan.last_meeting_on)
        rows.append(StatutoryDate(plan.pupil, due, "annual_review_due", "Annual review due", url))
        transfer = _transfer(plan, today)
        if transfer:
            label = f"EHC plan final for the phase transfer ({transfer[0].lower()})"
            rows.append(StatutoryDate(plan.pupil, transfer[1], "phase_transfer", label, url))
    by_plan = {plan.pk: plan for plan in plans}
    for review in awaiting:
        pupil, url = by_plan[review.plan_id].pupil, review.get_absolute_url()
        steps = review_schedule(review.meeting_on)
        if review.closed_on is None:
            rows.append(
                StatutoryDate(pupil, review.meeting_on, "review_meeting", "Annual review meeting", url)
            )
            kinds = ["papers_by", "report_by", "la_decision_by"]
        else:
            kinds = ["la_decision_by"]
        rows.extend(
            StatutoryDate(pupil, steps[kind], f"review_{kind}", SCHEDULE_LABELS[kind], url) for kind in kinds
        )
    return sorted(rows, key=lambda row: (row.on, row.pupil.last_name, row.kind))


def version_in_force(plan: EhcPlan) -> EhcPlanVersion:
    """The plan's latest version with Sections B, E and F, for the edit form."""
    return (
        plan.versions.order_by("-number").prefetch_related("needs", "outcomes", "provision__groups").first()
    )


def ehc_plans_of_pupil(user: User, pupil: Pupil) -> tuple[list[EhcPlan], bool]:
    """The pupil's plans and whether the user reads them whole: for whole-plan readers every plan
    with its versions and reviews (one query when there is none, three otherwise); for teachers
    and TAs who open the plan, the plan in force of a pupil recorded with an EHC plan (one
    query); nothing for anyone else."""
    if within_reach(user, pupil, roles=AGENCY_READERS):
        versions = EhcPlanVersion.objects.select_related("recorded_by").order_by("number")
        plans = EhcPlan.objects.filter(pupil=pupil).prefetch_related(
            Prefetch("versions", queryset=versions),
            Prefetch("reviews", queryset=AnnualReview.objects.select_related("closed_by")),
        )
        return list(plans), True
    # A plan in force records the pupil's status as E (`issue_ehc_plan`): the status already on
    # the pupil's row spares the query for every other pupil a teacher opens.
    if pupil.sen_status_now == SenStatus.EHC_PLAN and within_reach(
        user, pupil, roles=EHC_PLAN_SUMMARY_READERS
    ):
        return list(EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True)), False
    return [], False


# --- Subject access ------------------------------------------------------------------------------


def _version_record(plan: EhcPlan, version: EhcPlanVersion) -> ExportRecord:
    pairs = [
        ("Local authority", plan.local_authority),
        ("Version", f"{version.number}, {version.get_kind_display()}"),
    ]
    pairs += [
        (f"Section B need {n}", need.description) for n, need in enumerate(version.needs.all(), start=1)
    ]
    pairs += [
        (f"Section E outcome {n}", f"{outcome.description}\nTo be achieved by {day(outcome.achieve_by)}")
        for n, outcome in enumerate(version.outcomes.all(), start=1)
    ]
    pairs += [
        (
            f"Section F provision {n}",
            f"{item.description}\nDelivered by {item.delivered_by}, {item.hours_per_week} hours a week",
        )
        for n, item in enumerate(version.provision.all(), start=1)
    ]
    pairs += version.text_sections
    return ExportRecord(
        kind="ehc_plan_version",
        kind_label="EHC plan version",
        record_id=version.pk,
        on=version.issued_on,
        title=f"EHC plan, version {version.number}",
        fields=fields(*pairs),
    )


def _review_record(review: AnnualReview) -> ExportRecord:
    pairs = [
        ("Meeting", day(review.meeting_on)),
        ("Invited", "; ".join(str(invitee) for invitee in review.invitees.all())),
        ("Advice and information gathered", review.advice_gathered),
        ("The parent's views", review.parent_views),
        ("The pupil's views", review.pupil_views),
        *review.pfa_rows,
        ("The school's recommendation", review.get_recommendation_display()),
        ("The local authority's decision", review.get_la_decision_display()),
        ("Decision dated", day(review.la_decision_on)),
        ("Completed on", day(review.closed_on)),
    ]
    return ExportRecord(
        kind="annual_review",
        kind_label="EHC plan annual review",
        record_id=review.pk,
        on=review.meeting_on,
        title=f"Annual review of the EHC plan, {day(review.meeting_on)}",
        fields=fields(*pairs),
    )


def ehc_plan_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """Every version of the pupil's EHC plans and every annual review, for a subject access
    export (UK GDPR Art 15): for subject access handlers only, [] for anyone else. Six queries."""
    if not can_handle_subject_access(user):
        return []
    reached = {"plan__pupil": pupil, "plan__pupil__in": pupils_visible_to(user)}
    versions = EhcPlanVersion.objects.filter(**reached).select_related("plan")
    versions = versions.prefetch_related("needs", "outcomes", "provision").order_by("issued_on", "number")
    reviews = (
        AnnualReview.objects.filter(plan__pupil=pupil).prefetch_related("invitees").order_by("meeting_on")
    )
    records = [_version_record(version.plan, version) for version in versions]
    records += [_review_record(review) for review in reviews]
    return [ExportPart(title="EHC plans and annual reviews", records=records, order=65)] if records else []


# What the statutory calendar says of each date: who must act, and the rule that sets it.
_CALENDAR_SOURCES = {
    "annual_review_due": ("School", "12 months from the plan or the last review meeting (CFA 2014 s44(1))"),
    "review_meeting": ("School", "the meeting the school arranged"),
    "review_papers_by": ("School", "2 weeks before the meeting (SEND Regulations 2014 reg 20(4))"),
    "review_report_by": ("School", "2 weeks after the meeting (SEND Regulations 2014 reg 20(7))"),
    "review_la_decision_by": ("LA", "4 weeks after the meeting (SEND Regulations 2014 reg 20(10))"),
    "phase_transfer": (
        "LA",
        "15 February or 31 March of the year of the move (SEND Regulations 2014 reg 18)",
    ),
}


@provides_dates
def ehc_plan_dates(user: User, *, pupils: QuerySet[Pupil], today: date) -> list[CalendarEntry]:
    """The plans' dates on the statutory calendar (`statutory_dates_from_ehc_plans`), for the
    pupils the calendar shows. Two queries."""
    entries = []
    for row in statutory_dates_from_ehc_plans(user, today=today, pupils=pupils):
        whose, source = _CALENDAR_SOURCES[row.kind]
        kind = "phase_transfer" if row.kind == "phase_transfer" else "annual_review"
        entries.append(
            CalendarEntry(
                due_on=row.on,
                pupil=row.pupil,
                kind=kind,
                what=row.label,
                source=source,
                url=row.url,
                whose=whose,
            )
        )
    return entries
