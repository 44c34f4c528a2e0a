"""Reads for transfer packs: what goes in a leaver's pack, the packs made and sent, and for the
leavers page the date the CTF and educational record are due and whether a pack went.

Only the SENCO team and leadership reach packs (`PACK_READERS`): a pack holds the whole SEN
file, and with the SENCO's tick, the titles of health documents, which teachers and TAs never
see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from agencies.models import Advice, Consent, EhcPlan, Involvement, Report
from provision.models import Placement, SupportPlan
from pupils.models import Passport, Pupil, SenStatusChange
from pupils.selectors.leavers import LeaverColumn
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import educational_record_due
from senco.models import School, User
from senco.rules import SchoolCalendar
from senco.selectors import school_calendar
from transitions.models import PackSending, TransferPack
from transitions.permissions import PACK_READERS
from transitions.rules import SCHEMA_NAME, SCHEMA_VERSION


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _record(dated_on: date | None, title: str, *fields: tuple[str, object]) -> dict:
    """One record of the pack: empty values are left out, so the receiving school reads only
    what was written."""
    return {
        "dated_on": dated_on.isoformat() if dated_on else None,
        "title": title[:300],
        "fields": [{"label": label, "value": _text(value)} for label, value in fields if _text(value) != ""],
    }


def _profile(pupil: Pupil) -> list[dict]:
    passport = Passport.objects.filter(pupil=pupil).order_by("-version").first()
    if passport is None:
        return []
    return [
        _record(
            passport.written_on,
            f"One-page profile (version {passport.version})",
            ("My strengths", passport.strengths),
            ("What is important to me", passport.important_to_me),
            ("How best to support me", passport.how_to_support),
            ("What staff should do", passport.staff_should),
            ("In the pupil's own words", passport.pupil_voice),
            ("In the parents' or carers' own words", passport.parent_voice),
        )
    ]


def _sen_history(pupil: Pupil) -> list[dict]:
    changes = SenStatusChange.objects.filter(pupil=pupil).select_related("primary_need", "secondary_need")
    return [
        _record(
            change.effective_from,
            change.get_status_display(),
            ("Primary need", change.primary_need.code if change.primary_need else ""),
            ("Secondary need", change.secondary_need.code if change.secondary_need else ""),
            ("Reason", change.reason),
            ("Parents informed on", change.parents_informed_on),
            ("How parents were informed", change.parents_informed_how),
            ("EHC plan issued on", change.ehc_plan_date),
        )
        for change in changes.order_by("effective_from", "pk")
    ]


def _plans(pupil: Pupil) -> list[dict]:
    plans = (
        SupportPlan.objects.filter(pupil=pupil)
        .select_related("review")
        .prefetch_related("outcomes", "review__progress__outcome")
        .order_by("started_on", "cycle")
    )
    records = []
    for plan in plans:
        outcomes = [
            (
                f"Outcome {number} ({outcome.get_area_display()})",
                f"{outcome.description} — {outcome.success_criteria}".rstrip(" —"),
            )
            for number, outcome in enumerate(plan.outcomes.all(), start=1)
        ]
        records.append(
            _record(
                plan.started_on,
                f"Support plan, cycle {plan.cycle} ({plan.get_status_display()})",
                ("Assess", plan.assessment),
                ("Plan", plan.strategies),
                ("Do", plan.arrangements),
                ("Review due on", plan.review_due_on),
                ("Shared with parents on", plan.shared_with_parents_on),
                *outcomes,
            )
        )
        review = getattr(plan, "review", None)
        if review is not None:
            progress = [
                (
                    f"Progress: {item.outcome.description[:80]}",
                    f"{item.get_rating_display()}. {item.note}".strip(),
                )
                for item in review.progress.all()
            ]
            records.append(
                _record(
                    review.held_on,
                    f"Review of support plan, cycle {plan.cycle}",
                    ("Evidence of progress", review.evidence),
                    ("Parents' view", review.parent_view),
                    ("Parents' view given on", review.parent_view_on),
                    ("Pupil's view", review.pupil_view),
                    ("Pupil's view given on", review.pupil_view_on),
                    ("Next steps", review.next_steps),
                    ("Decision", review.get_decision_display() if review.decision else ""),
                    *progress,
                )
            )
    return records


def _provision(pupil: Pupil) -> list[dict]:
    placements = Placement.objects.filter(pupil=pupil).select_related("group__intervention")
    records = []
    for placement in placements.order_by("joined_on", "pk"):
        group = placement.group
        change = (
            placement.exit_score - placement.entry_score
            if placement.entry_score is not None and placement.exit_score is not None
            else None
        )
        records.append(
            _record(
                placement.joined_on,
                f"{group.intervention.name}: {group.name}",
                ("Setting", group.get_setting_display()),
                ("Sessions a week", group.sessions_per_week),
                ("Minutes a session", group.minutes_per_session),
                ("Left on", placement.left_on),
                ("Target", placement.target),
                ("Entry score", placement.entry_score),
                ("Entry measured on", placement.entry_measured_on),
                ("Exit score", placement.exit_score),
                ("Exit measured on", placement.exit_measured_on),
                ("Impact (exit score less entry score)", change),
            )
        )
    return records


def _agencies(pupil: Pupil, *, include_health: bool) -> list[dict]:
    involvements = (
        Involvement.objects.filter(pupil=pupil).select_related("agency").order_by("happened_on", "pk")
    )
    reports = Report.objects.filter(pupil=pupil).select_related("agency").order_by("received_on", "pk")
    if not include_health:
        reports = reports.filter(is_health_information=False)
    advice = Advice.objects.filter(report__in=reports).select_related("report").order_by("pk")
    records = [
        _record(
            involvement.happened_on,
            f"{involvement.agency.name}: {involvement.get_kind_display()}",
            ("Professional", involvement.professional),
            ("Notes", involvement.notes),
        )
        for involvement in involvements
    ]
    records += [
        _record(
            report.written_on,
            f"Report: {report.title}",
            ("From", report.agency.name),
            ("Received on", report.received_on),
        )
        for report in reports
        if not report.is_health_information
    ]
    records += [
        _record(
            item.report.written_on,
            f"Advice from “{item.report.title}”",
            ("Recommendation", item.text),
            ("Taken up on", item.actioned_on),
        )
        for item in advice
    ]
    return records


def _health_documents(pupil: Pupil) -> list[dict]:
    reports = Report.objects.filter(pupil=pupil, is_health_information=True).select_related("agency")
    return [
        _record(
            report.written_on,
            f"Health document: {report.title}",
            ("From", report.agency.name),
            ("Received on", report.received_on),
        )
        for report in reports.order_by("received_on", "pk")
    ]


def _ehc_plan(pupil: Pupil) -> list[dict]:
    plan = EhcPlan.objects.filter(pupil=pupil).order_by("-issued_on", "-pk").first()
    if plan is None:
        return []
    records = []
    version = plan.versions.order_by("-number").prefetch_related("needs", "outcomes", "provision").first()
    sections = []
    if version is not None:
        sections = [
            ("Section A: views, interests and aspirations", version.section_a),
            ("Section C: health needs", version.section_c),
            ("Section D: social care needs", version.section_d),
            ("Section G: health provision", version.section_g),
            ("Section I: placement", version.section_i),
            ("Section J: personal budget", version.section_j),
            ("Section K: advice and information", version.section_k),
            *((f"Need {need.position + 1}", need.description) for need in version.needs.all()),
            *(
                (
                    f"Outcome {outcome.position + 1}",
                    f"{outcome.description} (by {outcome.achieve_by:%-d %B %Y})",
                )
                for outcome in version.outcomes.all()
            ),
            *(
                (
                    f"Provision {item.position + 1}",
                    f"{item.description}: {item.delivered_by}, {item.hours_per_week} hours a week",
                )
                for item in version.provision.all()
            ),
        ]
    records.append(
        _record(
            version.issued_on if version else plan.issued_on,
            f"EHC plan maintained by {plan.local_authority}",
            ("First issued on", plan.issued_on),
            ("Phase transfer", plan.get_phase_transfer_display() if plan.phase_transfer else ""),
            ("Ceased on", plan.ceased_on),
            *sections,
        )
    )
    review = plan.reviews.order_by("-meeting_on", "-pk").first()
    if review is not None:
        records.append(
            _record(
                review.meeting_on,
                "Latest annual review of the EHC plan",
                ("Advice and information gathered", review.advice_gathered),
                ("The parent's views", review.parent_views),
                ("The pupil's views", review.pupil_views),
                ("Higher education and/or employment", review.pfa_employment),
                ("Independent living", review.pfa_independent_living),
                ("Participating in society", review.pfa_community),
                ("Being as healthy as possible", review.pfa_health),
                ("Recommendation", review.get_recommendation_display() if review.recommendation else ""),
                (
                    "Local authority's decision",
                    review.get_la_decision_display() if review.la_decision else "",
                ),
            )
        )
    return records


def _consents(pupil: Pupil) -> list[dict]:
    consents = (
        Consent.objects.filter(pupil=pupil).select_related("referral__agency").order_by("given_on", "pk")
    )
    return [
        _record(
            consent.given_on,
            f"Consent ({consent.get_decision_display()}): referral to {consent.referral.agency.name}",
            ("Given by", f"{consent.giver_name} ({consent.get_relationship_display()})"),
            ("Covers the referral", consent.covers_referral),
            ("Covers sharing information", consent.covers_sharing),
            ("Scope", consent.scope_note),
            ("How it was given", consent.get_how_given_display()),
            ("Withdrawn on", consent.withdrawn_on),
        )
        for consent in consents
    ]


# Exam access arrangements are kept by their own feature; until it offers its records, a pack
# carries the section empty, so the schema stays the same when they arrive.
ACCESS_ARRANGEMENT_RECORDS: list = []


def pack_content(user: User, *, pupil: Pupil, include_health: bool, today: date) -> dict:
    """The pack of `pupil` as schema version 1 describes it (docs/transfer-pack.md). The caller
    opened `pupil` through `pupils_visible_to(user)` acting in `PACK_WORKERS`, who see the whole
    SEN file; health documents (reports marked as health information) only when
    `include_health`."""
    school = pupil.school
    current = pupil.sen_history.order_by("-effective_from", "-pk").filter(effective_from__lte=today).first()
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "made_on": today.isoformat(),
        "from_school": {
            "name": school.name,
            "urn": school.urn or "",
            "local_authority": school.local_authority,
        },
        "pupil": {
            "upn": pupil.upn,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "preferred_first_name": pupil.preferred_first_name,
            "preferred_last_name": pupil.preferred_last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "gender": pupil.gender,
            "year_group": pupil.year_group,
            "admitted_on": pupil.admitted_on.isoformat() if pupil.admitted_on else None,
            "left_on": pupil.left_on.isoformat() if pupil.left_on else None,
            "looked_after": pupil.looked_after,
            "previously_looked_after": pupil.previously_looked_after,
            "eal": pupil.eal,
            "young_carer": pupil.young_carer,
        },
        "sen_status": {
            "status": current.status if current else "no_sen",
            "primary_need": current.primary_need.code if current and current.primary_need else None,
            "secondary_need": current.secondary_need.code if current and current.secondary_need else None,
            "since": current.effective_from.isoformat() if current else None,
        },
        "health_documents_included": include_health,
        "sections": {
            "profile": _profile(pupil),
            "sen_history": _sen_history(pupil),
            "plans": _plans(pupil),
            "provision": _provision(pupil),
            "agencies": _agencies(pupil, include_health=include_health),
            "ehc_plan": _ehc_plan(pupil),
            "access_arrangements": list(ACCESS_ARRANGEMENT_RECORDS),
            "consents": _consents(pupil),
            "health_documents": _health_documents(pupil) if include_health else [],
        },
    }


def packs_visible_to(user: User) -> QuerySet[TransferPack]:
    """Packs made at the user's school about pupils they reach, for the SENCO team and
    leadership (`PACK_READERS`); nothing for anyone else."""
    acting = user.acting_as(PACK_READERS)
    if not acting.roles:
        return TransferPack.objects.none()
    return TransferPack.objects.filter(
        school=user.school, pupil__in=pupils_visible_to(acting)
    ).select_related("pupil", "made_by", "school")


def packs_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[TransferPack]:
    """The pupil's packs, newest first, with their sendings."""
    return packs_visible_to(user).filter(pupil=pupil).prefetch_related("sendings")


def schools_to_send_to(user: User) -> QuerySet[School]:
    """The other schools of this installation, to which a pack can go directly."""
    return School.objects.exclude(pk=user.school.pk).order_by("name")


@dataclass(frozen=True)
class LeaverTransfer:
    record_due_on: date
    pack_sent: bool


def leaver_transfers(
    user: User, pupils: list[Pupil], *, calendar: SchoolCalendar
) -> dict[int, LeaverTransfer]:
    """For each leaver on a page of the leavers list, the day their CTF and educational record
    are due and whether a pack was sent, in one query; empty for a user outside `PACK_READERS`."""
    if not user.acting_as(PACK_READERS).roles:
        return {}
    sent = set(
        Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils])
        .filter(Exists(PackSending.objects.filter(pack__pupil=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    return {
        pupil.pk: LeaverTransfer(educational_record_due(pupil.left_on, calendar), pupil.pk in sent)
        for pupil in pupils
        if pupil.left_on
    }


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def leavers_transfer_column(user: User, pupils: list[Pupil], *, today: date) -> LeaverColumn | None:
    """The leavers list's column: the day each leaver's CTF and educational record are due and
    whether a transfer pack went, for `PACK_READERS` (`pupils.selectors.leavers.contribute_leaver_column`).
    Two queries: the school's calendar and the packs sent."""
    if not pupils or not user.acting_as(PACK_READERS).roles:
        return None
    transfers = leaver_transfers(user, pupils, calendar=school_calendar(user.school))
    cells = {}
    for pupil_id, transfer in transfers.items():
        due = f"Due {_long(transfer.record_due_on)}"
        overdue = not transfer.pack_sent and transfer.record_due_on < today
        cells[pupil_id] = (
            f"{due}; {'pack sent' if transfer.pack_sent else 'no pack sent'}{' (overdue)' if overdue else ''}"
        )
    return LeaverColumn("CTF and educational record", cells)
