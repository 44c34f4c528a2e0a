"""What the agencies app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`)."""

from datetime import date

from django.urls import reverse

from agencies.models import Consent, ReferralMove
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS
from agencies.rules.referrals import FINISHED
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
