"""What the transitions app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`)."""

from datetime import date

from django.urls import reverse

from pupils.models import Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, contributes
from pupils.selectors.records import within_reach
from senco.models import User
from transitions.models import ArrivalState, IncomingPack, PackSending, TransferPack
from transitions.permissions import PACK_READERS
from transitions.selectors.arrivals import imported_sections

# --- transfer_packs and arrivals ----------------------------------------------------------------


@contributes
def transfer_packs_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Packs made and sent, and packs imported, in the chronology; the history packs brought,
    marked with the school that wrote it, as a panel; and "Transfer packs" as an action. For the
    SENCO team and leadership only (`PACK_READERS`): a pack is the whole SEN file. Three queries."""
    if not within_reach(user, pupil, roles=PACK_READERS):
        return Contribution()
    events = []
    for pack in TransferPack.objects.filter(pupil=pupil).select_related("made_by"):
        events.append(
            ChronologyEvent(
                on=pack.made_on,
                kind="transfer_pack",
                title="Transfer pack made",
                url=reverse("transitions:pack_detail", args=[pack.pk]),
                by=str(pack.made_by),
                recorded_at=pack.made_at,
                sequence=(pack.pk, 0),
            )
        )
    for sending in PackSending.objects.filter(pack__pupil=pupil).select_related("recorded_by"):
        events.append(
            ChronologyEvent(
                on=sending.sent_on,
                kind="transfer_pack",
                title=f"Transfer pack sent to {sending.sent_to} ({sending.get_method_display().lower()})",
                url=reverse("transitions:pack_detail", args=[sending.pack_id]),
                by=str(sending.recorded_by),
                recorded_at=sending.recorded_at,
                sequence=(sending.pk, 1),
            )
        )
    arrivals = list(
        IncomingPack.objects.filter(pupil=pupil, state=ArrivalState.IMPORTED).select_related("decided_by")
    )
    for arrival in arrivals:
        events.append(
            ChronologyEvent(
                on=arrival.decided_at.date(),
                kind="transfer_pack",
                title=f"Transfer pack from {arrival.from_school_name} imported",
                by=str(arrival.decided_by or ""),
                recorded_at=arrival.decided_at,
                sequence=(arrival.pk, 2),
            )
        )
    panels = []
    if arrivals:
        panels.append(
            Panel(
                title="From the previous school",
                template="transitions/panels/imported_history.html",
                context={"pupil": pupil, "arrivals": arrivals, "sections": imported_sections(pupil)},
                order=60,
            )
        )
    actions = [Action("Transfer packs", reverse("transitions:pupil_packs", args=[pupil.pk]), order=80)]
    return Contribution(panels=panels, events=events, actions=actions)
