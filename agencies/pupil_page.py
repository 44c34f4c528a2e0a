"""What the agencies app adds to the pupil page, through its one extension point
(`pupils.pupil_page.contributes`)."""

from datetime import date

from django.urls import reverse

from agencies.permissions import AGENCY_WORKERS
from pupils.models import Pupil
from pupils.pupil_page import Action, Contribution, contributes
from pupils.selectors.records import within_reach
from senco.models import User

# evidence_pack


@contributes
def evidence_pack_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The SENCO team's one click to the evidence for an EHC needs assessment request. No query."""
    if not within_reach(user, pupil, roles=AGENCY_WORKERS):
        return Contribution()
    url = reverse("agencies:evidence_pack_pdf", args=[pupil.pk])
    label = "Evidence pack for an EHC needs assessment request (PDF)"
    return Contribution(actions=[Action(label=label, url=url)])
