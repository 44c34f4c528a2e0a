"""The evidence pack for an EHC needs assessment request: one audited PDF with the pupil's whole
graduated approach, for the SENCO team only."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agencies.factories import (
    AdviceFactory,
    AgencyFactory,
    InvolvementFactory,
    ReferralFactory,
    ReportFactory,
)
from provision.factories import PlacementFactory, ProvisionGroupFactory, StaffRateFactory, SupportPlanFactory
from provision.models import PlanReview
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.models import AuditEvent


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def pupil(school):
    pupil = PupilFactory(school=school, first_name="Amira", last_name="Okafor")
    SenStatusChangeFactory(
        pupil=pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=date(2025, 9, 8),
        reason="Reading well below peers",
    )
    return pupil


@pytest.fixture
def two_cycles(pupil):
    first = SupportPlanFactory(
        pupil=pupil,
        started_on=date(2025, 9, 15),
        review_due_on=date(2025, 12, 12),
        outcomes=["Read CVC words"],
    )
    PlanReview.objects.create(
        plan=first,
        held_on=date(2025, 12, 10),
        parent_view="We see him reading signs in the street now.",
        parent_view_on=date(2025, 12, 10),
        pupil_view="I like the reading games.",
        decision="continue",
    )
    first.status = "reviewed"
    first.save(update_fields=["status"])
    second = SupportPlanFactory(
        pupil=pupil,
        cycle=2,
        previous=first,
        started_on=date(2026, 1, 5),
        review_due_on=date(2026, 3, 27),
        outcomes=["Read a Year 2 book aloud at 40 words a minute"],
    )
    return first, second


@pytest.fixture
def costly_provision(school, pupil):
    """A daily 1:1 all year long at £30 an hour: well over £6,000 in 2025-26."""
    rate = StaffRateFactory(school=school, hourly_cost=Decimal("30.00"))
    group = ProvisionGroupFactory(
        intervention__school=school,
        intervention__staff_rate=rate,
        intervention__name="Daily 1:1 reading",
        school=school,
        starts_on=date(2025, 9, 8),
        ends_on=date(2026, 7, 17),
        sessions_per_week=5,
        minutes_per_session=120,
    )
    PlacementFactory(group=group, pupil=pupil, joined_on=date(2025, 9, 8))
    return group


def test_the_senco_downloads_the_whole_graduated_approach_in_one_pdf(client, senco, pupil, two_cycles):
    client.force_login(senco)

    response = client.get(reverse("agencies:evidence_pack_pdf", args=[pupil.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Evidence for an EHC needs assessment request: Amira Okafor" in text
    assert "Reading well below peers" in text  # the SEN history
    assert "Read CVC words" in text  # both cycles' outcomes
    assert "Read a Year 2 book aloud" in text
    assert "We see him reading signs in the street now." in text  # parents' view at the review
    assert "I like the reading games." in text


def test_provision_over_six_thousand_pounds_is_marked_against_the_element_2_threshold(
    client, senco, pupil, costly_provision
):
    client.force_login(senco)

    text = pdf_text(client.get(reverse("agencies:evidence_pack_pdf", args=[pupil.pk])))

    assert "Daily 1:1 reading" in text
    assert "Over £6,000" in text


def test_each_download_is_in_the_audit_trail_against_the_pupil(client, senco, pupil):
    client.force_login(senco)

    client.get(reverse("agencies:evidence_pack_pdf", args=[pupil.pk]))
    client.get(reverse("agencies:evidence_pack_pdf", args=[pupil.pk]))

    assert AuditEvent.objects.filter(action="pupil.evidence_pack_exported", pupil_id=pupil.pk).count() == 2


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "governor", "school_admin"])
def test_nobody_outside_the_senco_team_exports_a_pupils_whole_record(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("agencies:evidence_pack_pdf", args=[taught_pupil.pk]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="pupil.evidence_pack_exported").exists()


def test_another_schools_pupil_is_not_found(client, senco, other_school_pupil):
    client.force_login(senco)

    response = client.get(reverse("agencies:evidence_pack_pdf", args=[other_school_pupil.pk]))

    assert response.status_code == 404


def test_the_query_count_does_not_grow_with_sessions_or_placements(
    client, senco, pupil, two_cycles, costly_provision, django_assert_max_num_queries
):
    client.force_login(senco)
    url = reverse("agencies:evidence_pack_pdf", args=[pupil.pk])
    client.get(url)
    for _ in range(3):
        PlacementFactory(
            group=ProvisionGroupFactory(school=pupil.school, intervention__school=pupil.school), pupil=pupil
        )

    with django_assert_max_num_queries(60):
        assert client.get(url).status_code == 200


def test_the_pupil_page_offers_the_pack_to_the_senco_team_only(client, senco, head, taught_pupil):
    url = reverse("pupils:detail", args=[taught_pupil.pk])
    pack = reverse("agencies:evidence_pack_pdf", args=[taught_pupil.pk])

    client.force_login(senco)
    seen_by_senco = client.get(url).content.decode()
    client.force_login(head)
    seen_by_head = client.get(url).content.decode()

    assert pack in seen_by_senco
    assert pack not in seen_by_head


def test_the_pack_holds_the_referrals_visits_reports_and_advice_with_what_the_school_did(
    client, senco, pupil
):
    agency = AgencyFactory(school=pupil.school, name="Oakshire educational psychology service")
    ReferralFactory(pupil=pupil, agency=agency, reason="Reading has not moved after two cycles.")
    involvement = InvolvementFactory(pupil=pupil, agency=agency, professional="Dr Ada Brook")
    report = ReportFactory(pupil=pupil, agency=agency, involvement=involvement, title="Cognitive assessment")
    AdviceFactory(report=report, text="Use precision teaching daily for sight words.")
    client.force_login(senco)

    text = pdf_text(client.get(reverse("agencies:evidence_pack_pdf", args=[pupil.pk])))

    assert "Reading has not moved after two cycles." in text
    assert "Dr Ada Brook" in text
    assert "Cognitive assessment" in text
    assert "Use precision teaching daily for sight words. Oakshire educational psychology service" in text
    assert "Not yet" in text  # the advice has not been taken up in a plan
