"""What the agencies app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`)."""

from datetime import date

from django.urls import reverse

from agencies.models import Consent, EhcPlan, ReferralMove, VersionKind
from agencies.permissions import ADVICE_READERS, AGENCY_READERS, AGENCY_WORKERS
from agencies.rules import FINISHED, next_review_due, phase_transfer_due
from agencies.selectors.assessments import ehc_requests_of_pupil, request_clock
from agencies.selectors.ehc_plans import TRANSFER_LABELS, ehc_plans_of_pupil
from agencies.selectors.involvement import advice_of_pupil, involvements_of_pupil, reports_of_pupil
from agencies.selectors.referrals import referrals_of_pupil
from pupils.models import Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, contributes
from pupils.selectors.records import within_reach
from senco.models import User

# --- referrals ---------------------------------------------------------------------------------


@contributes
def referrals_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The pupil's open referrals as a panel, each change of state and each consent decision in
    the chronology, and "Refer to a service" for the SENCO team; only for those who read
    referrals (AGENCY_READERS). Three queries, whatever the number of referrals."""
    if not within_reach(user, pupil, roles=AGENCY_READERS):
        return Contribution()
    referrals = {r.pk: r for r in referrals_of_pupil(user.acting_as(AGENCY_READERS), pupil=pupil)}
    moves = ReferralMove.objects.filter(referral__in=list(referrals)).select_related("by")
    consents = Consent.objects.filter(referral__in=list(referrals)).select_related(
        "recorded_by", "withdrawn_by"
    )
    events = []
    for move in moves:
        referral = referrals[move.referral_id]
        events.append(
            ChronologyEvent(
                on=move.on,
                kind="referral",
                title=f"Referral to {referral.agency.name}: {move.get_to_state_display().lower()}",
                url=referral.get_absolute_url(),
                by=str(move.by),
                recorded_at=move.recorded_at,
                sequence=(move.pk, 0),
            )
        )
    for consent in consents:
        referral = referrals[consent.referral_id]
        events.append(
            ChronologyEvent(
                on=consent.given_on,
                kind="consent",
                title=f"{consent.get_decision_display()} for the referral to {referral.agency.name}",
                url=referral.get_absolute_url(),
                by=str(consent.recorded_by),
                recorded_at=consent.recorded_at,
                sequence=(consent.pk, 0),
            )
        )
        if consent.withdrawn_on:
            events.append(
                ChronologyEvent(
                    on=consent.withdrawn_on,
                    kind="consent",
                    title=f"Consent withdrawn for the referral to {referral.agency.name}",
                    url=referral.get_absolute_url(),
                    by=str(consent.withdrawn_by or ""),
                    sequence=(consent.pk, 1),
                )
            )
    can_refer = within_reach(user, pupil, roles=AGENCY_WORKERS) and not pupil.has_left(today)
    panel = Panel(
        title="Referrals to outside services",
        template="agencies/panels/referrals.html",
        context={
            "pupil": pupil,
            "open": [r for r in referrals.values() if r.state not in FINISHED],
            "count": len(referrals),
        },
        order=40,
    )
    actions = []
    if can_refer:
        actions.append(
            Action(
                label="Refer to an outside service", url=reverse("agencies:pupil_referrals", args=[pupil.pk])
            )
        )
    return Contribution(panels=[panel], events=events, actions=actions)


# EHC plans and annual reviews ------------------------------------------------------------------


def _plan_events(plans: list[EhcPlan]) -> list[ChronologyEvent]:
    events = []
    for plan in plans:
        url = plan.get_absolute_url()
        for version in plan.versions.all():
            title = "EHC plan issued" if version.kind == VersionKind.ISSUED else "EHC plan amended"
            events.append(
                ChronologyEvent(
                    on=version.issued_on,
                    kind="ehc_plan",
                    title=title,
                    detail=f"{plan.local_authority}, version {version.number}",
                    url=url,
                    by=str(version.recorded_by or ""),
                    sequence=(plan.pk, version.number),
                )
            )
    for review in (review for plan in plans for review in plan.reviews.all()):
        url = review.get_absolute_url()
        if review.closed_on:
            events.append(
                ChronologyEvent(
                    on=review.meeting_on,
                    kind="annual_review",
                    title="EHC plan annual review held",
                    detail=f"Recommendation: {review.get_recommendation_display().lower()}",
                    url=url,
                    by=str(review.closed_by or ""),
                    sequence=(review.pk, 0),
                )
            )
        if review.la_decision:
            events.append(
                ChronologyEvent(
                    on=review.la_decision_on,
                    kind="annual_review",
                    title="Local authority decided after the annual review",
                    detail=review.get_la_decision_display(),
                    url=url,
                    by=str(review.closed_by or ""),
                    sequence=(review.pk, 1),
                )
            )
    return events


@contributes
def ehc_plans_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The EHC plan panel for those who open the pupil's plan (the SENCO team and leadership: the
        plan and its next review; teachers and TAs: a link to its outcomes and provision), the plan's
        versions and reviews in the chronology for whole-plan readers, and "Record the EHC plan" for
        the SENCO team where the pupil on roll has none. One query for a pupil with no plan, three at
    most with one."""
    plans, whole = ehc_plans_of_pupil(user, pupil)
    plan = next((plan for plan in plans if plan.ceased_on is None), None)
    events = _plan_events(plans) if whole else []
    can_record = (
        plan is None and not pupil.has_left(today) and within_reach(user, pupil, roles=AGENCY_WORKERS)
    )
    actions = (
        [
            Action(
                label="Record an EHC plan",
                url=reverse("agencies:ehc_plans_record", args=[pupil.pk]),
                order=40,
            )
        ]
        if can_record
        else []
    )
    if plan is None:
        return Contribution(events=events, actions=actions)
    context = {"pupil": pupil, "plan": plan, "whole": whole}
    if whole:
        last = max((r.meeting_on for r in plan.reviews.all() if r.closed_on), default=None)
        context["review_due_on"] = next_review_due(issued_on=plan.issued_on, last_meeting_on=last)
        context["overdue"] = context["review_due_on"] < today
        due = phase_transfer_due(year_group=pupil.year_group, recorded_kind=plan.phase_transfer, today=today)
        context["transfer"] = (TRANSFER_LABELS[due[0]], due[1]) if due else None
    panel = Panel(title="EHC plan", template="agencies/panels/ehc_plan.html", context=context, order=12)
    return Contribution(panels=[panel], events=events, actions=actions)


# Involvement --------------------------------------------------------------------------------


def _involvement_events(user: User, pupil: Pupil) -> list[ChronologyEvent]:
    """Each visit, assessment or meeting, each report received and each piece of advice taken up
    in a plan, for agency readers (health reports and their advice for health readers alone)."""
    url = reverse("agencies:pupil_involvement", args=[pupil.pk])
    events = [
        ChronologyEvent(
            on=involvement.happened_on,
            kind="involvement",
            title=f"{involvement.get_kind_display()}: {involvement.agency}",
            url=url,
            by=str(involvement.recorded_by),
            recorded_at=involvement.recorded_at,
            sequence=(involvement.pk, 0),
        )
        for involvement in involvements_of_pupil(user, pupil=pupil)
    ]
    events += [
        ChronologyEvent(
            on=report.received_on,
            kind="agency_report",
            title=f"Report received from {report.agency}",
            detail=report.title,
            url=report.get_absolute_url(),
            by=str(report.uploaded_by),
            sequence=(report.pk, 0),
        )
        for report in reports_of_pupil(user, pupil=pupil)
    ]
    return events


@contributes
def involvement_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """For the pupils one teaches or supports and for the SENCO team and leadership, a panel of
    the advice outside professionals gave (never the reports; advice from a health report only
    for the SENCO team and the head); for agency readers, involvements, reports and advice
    taken up in the chronology, and a link to the pupil's involvement page. Four queries at
    most, whatever the number of records."""
    if not within_reach(user, pupil, roles=ADVICE_READERS):
        return Contribution()
    advice = list(advice_of_pupil(user.acting_as(ADVICE_READERS), pupil=pupil))
    can_open = within_reach(user, pupil, roles=AGENCY_READERS)
    panel = Panel(
        title="Advice from outside professionals",
        template="agencies/panels/advice.html",
        context={"pupil": pupil, "advice": advice, "can_open": can_open},
        order=30,
    )
    if not can_open:
        return Contribution(panels=[panel] if advice else [])
    readers = user.acting_as(AGENCY_READERS)
    events = _involvement_events(readers, pupil)
    events += [
        ChronologyEvent(
            on=item.actioned_on,
            kind="advice",
            title=f"Advice from {item.report.agency} taken up in the plan, {item.taken_up_in_label}",
            url=item.taken_up_in.get_absolute_url(),
            by=str(item.actioned_by or ""),
            sequence=(item.pk, 1),
        )
        for item in advice
        if item.is_actioned
    ]
    return Contribution(panels=[panel], events=events)


# --- assessments: EHC needs assessment requests ------------------------------------------------


def _request_events(ehc_request) -> list[ChronologyEvent]:
    """The request and each of the LA's steps, dated as they happened."""
    url = ehc_request.get_absolute_url()
    steps = [
        (ehc_request.sent_on, "EHC needs assessment requested", ehc_request.get_requested_by_display()),
        (
            ehc_request.decided_on,
            "The LA decided on the EHC needs assessment request",
            ehc_request.get_decision_display(),
        ),
        (ehc_request.advice_requested_on, "The LA asked for advice for the EHC needs assessment", ""),
        (ehc_request.draft_sent_on, "Draft EHC plan sent", ""),
        (ehc_request.final_plan_on, "Final EHC plan issued", ""),
        (ehc_request.no_plan_notice_on, "The LA gave notice it will not issue an EHC plan", ""),
        (ehc_request.mediation_certificate_on, "Mediation certificate issued", ""),
    ]
    return [
        ChronologyEvent(
            on=on,
            kind="ehc_request",
            title=title,
            detail=detail,
            url=url,
            by=str(ehc_request.created_by or "") if step == 0 else "",
            sequence=(ehc_request.pk, step),
        )
        for step, (on, title, detail) in enumerate(steps)
        if on is not None
    ]


@contributes
def assessments_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """A panel with the pupil's EHC needs assessment requests and each one's next statutory date,
    and the requests' steps in the chronology, for the SENCO team and leadership
    (AGENCY_READERS); "Record an EHC needs assessment request" for the SENCO team while the pupil
    is on roll. Two queries, whatever the number of requests."""
    if not within_reach(user, pupil, roles=AGENCY_READERS):
        return Contribution()
    requests = ehc_requests_of_pupil(user.acting_as(AGENCY_READERS), pupil=pupil)
    can_add = within_reach(user, pupil, roles=AGENCY_WORKERS) and not pupil.has_left(today)
    actions = []
    if can_add:
        url = reverse("agencies:ehc_request_add", args=[pupil.pk])
        actions.append(Action(label="Record an EHC needs assessment request", url=url, order=60))
    if not requests:
        return Contribution(actions=actions)
    panel = Panel(
        title="EHC needs assessment requests",
        template="agencies/panels/assessments.html",
        context={"clocks": [request_clock(ehc_request, today=today) for ehc_request in requests]},
        order=45,
    )
    events = [event for ehc_request in requests for event in _request_events(ehc_request)]
    return Contribution(panels=[panel], events=events, actions=actions)


# evidence_pack


@contributes
def evidence_pack_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The SENCO team's one click to the evidence for an EHC needs assessment request. No query."""
    if not within_reach(user, pupil, roles=AGENCY_WORKERS):
        return Contribution()
    url = reverse("agencies:evidence_pack_pdf", args=[pupil.pk])
    label = "Evidence pack for an EHC needs assessment request (PDF)"
    return Contribution(actions=[Action(label=label, url=url)])
