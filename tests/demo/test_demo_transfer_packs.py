"""The demo trust's transfer packs: an in-year leaver whose pack went, and a Year 6 pupil's pack
from the primary waiting at the secondary for review."""

import pytest

from pupils.models import Pupil
from senco.models import Phase
from transitions.models import ArrivalState, IncomingPack, PackSending

pytestmark = pytest.mark.usefixtures("demo")


def test_the_secondary_has_an_in_year_leaver_whose_pack_was_sent_by_secure_email(db):
    sending = PackSending.objects.select_related("pack__pupil__school").get(method="secure_email")
    leaver = sending.pack.pupil
    assert leaver.school.phase == Phase.SECONDARY
    assert leaver.left_on is not None
    assert sending.sent_on >= leaver.left_on


def test_a_pack_from_the_primary_waits_at_the_secondary_for_the_sencos_review(db):
    arrival = IncomingPack.objects.select_related("school", "sending__pack__school").get()
    assert arrival.state == ArrivalState.AWAITING_REVIEW
    assert (arrival.sending.pack.school.phase, arrival.school.phase) == (Phase.PRIMARY, Phase.SECONDARY)
    assert arrival.content["sen_status"]["status"] in ("ehc_plan", "sen_support")
    assert arrival.content["pupil"]["year_group"] == 6
    assert not Pupil.objects.filter(school=arrival.school, upn=arrival.upn).exists()
