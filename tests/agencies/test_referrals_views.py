"""Referral pages: who may open them, what they show, the audit of every read, bad input and
query counts."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.factories import AgencyFactory, ConsentFactory, ReferralFactory, ReportFactory
from agencies.models import Referral
from pupils.factories import PupilFactory
from senco.concurrency import STALE_MESSAGE
from senco.models import AuditEvent


@pytest.fixture
def referral(taught_pupil):
    return ReferralFactory(pupil=taught_pupil, agency__name="Speech and language therapy")


READ_URLS = ["agencies:referral_detail"]
WORK_URLS = ["agencies:referral_edit", "agencies:consent_add", "agencies:referral_exception"]


@pytest.mark.parametrize("persona", ["senco", "head"])
def test_the_senco_and_the_head_open_the_referral_and_its_lists(client, request, referral, persona):
    client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("agencies:referral_detail", args=[referral.pk]),
        reverse("agencies:pupil_referrals", args=[referral.pupil_id]),
        reverse("agencies:referral_list"),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_teachers_tas_governors_and_administrators_get_403_on_referrals(client, request, referral, persona):
    client.force_login(request.getfixturevalue(persona))
    urls = [reverse("agencies:referral_detail", args=[referral.pk]), reverse("agencies:referral_list")]
    assert [client.get(url).status_code for url in urls] == [403, 403]


@pytest.mark.parametrize("name", WORK_URLS)
def test_the_head_reads_but_does_not_change_a_referral(client, head, referral, name):
    client.force_login(head)
    assert client.get(reverse(name, args=[referral.pk])).status_code == 403


@pytest.mark.parametrize("name", READ_URLS + WORK_URLS)
def test_another_schools_referral_is_404(client, senco, other_school_pupil, name):
    theirs = ReferralFactory(pupil=other_school_pupil)
    client.force_login(senco)
    assert client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_reading_a_referral_is_audited_naming_the_pupil(client, senco, referral):
    client.force_login(senco)
    client.get(reverse("agencies:referral_detail", args=[referral.pk]))
    assert AuditEvent.objects.filter(
        action="referral.viewed", pupil_id=referral.pupil_id, object_id=str(referral.pk)
    ).exists()


def test_a_teacher_sees_no_referral_or_consent_on_the_pupil_page(client, senco, teacher, referral):
    ConsentFactory(referral=referral, giver_name="Maria Jones")
    client.force_login(senco)
    assert (
        "Referrals to outside services" in client.get(reverse("pupils:detail", args=[referral.pupil_id])).text
    )
    client.force_login(teacher)
    page = client.get(reverse("pupils:detail", args=[referral.pupil_id])).text
    assert ("Referrals to outside services" in page, "Maria Jones" in page, "Consent given" in page) == (
        False,
        False,
        False,
    )


def test_the_pupil_pages_chronology_has_each_change_and_decision(client, senco, referral):
    ConsentFactory(referral=referral, giver_name="Maria Jones", given_on=date(2026, 9, 16))
    client.force_login(senco)
    page = client.get(reverse("pupils:detail", args=[referral.pupil_id])).text
    assert "Referral to Speech and language therapy: draft" in page
    assert "Consent given for the referral to Speech and language therapy" in page


def test_the_senco_starts_a_referral_from_the_pupils_referrals(client, senco, taught_pupil):
    agency = AgencyFactory(school=senco.school)
    client.force_login(senco)
    data = {"agency": agency.pk, "reason": "Stammer worsening.", "professional": ""}
    response = client.post(reverse("agencies:referral_add", args=[taught_pupil.pk]), data)
    referral = Referral.objects.get(pupil=taught_pupil)
    assert (response.status_code, response["Location"], referral.state) == (
        302,
        referral.get_absolute_url(),
        "draft",
    )


def test_a_referral_without_a_service_is_shown_again_with_the_reason_kept(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:referral_add", args=[taught_pupil.pk]), {"reason": "Stammer worsening."}
    )
    assert response.status_code == 200
    assert "Stammer worsening." in response.text
    assert response.context["form"].errors["agency"]


def test_an_illegal_move_is_refused_with_a_clear_message_beside_the_state(client, senco, referral):
    client.force_login(senco)
    data = {
        "to": "submitted",
        "on": timezone.localdate().isoformat(),
        "note": "Sent today",
        "version": referral.version,
    }
    response = client.post(reverse("agencies:referral_move", args=[referral.pk]), data)
    assert response.status_code == 200
    assert response.context["move_form"].errors["to"] == [
        "A referral that is draft cannot become submitted: it can next become awaiting consent or withdrawn."
    ]
    assert "Sent today" in response.text
    assert Referral.objects.get(pk=referral.pk).state == "draft"


def test_a_legal_move_is_saved_and_shown_in_the_history(client, senco, referral):
    client.force_login(senco)
    data = {"to": "awaiting_consent", "on": timezone.localdate().isoformat(), "version": referral.version}
    response = client.post(reverse("agencies:referral_move", args=[referral.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("agencies:referral_detail", args=[referral.pk])).text
    assert "Draft to <strong>Awaiting consent</strong>, recorded by Sam Patel" in page


def test_consent_from_someone_without_parental_responsibility_keeps_what_was_typed(client, senco, referral):
    client.force_login(senco)
    data = {
        "decision": "given",
        "giver_name": "Gran Jones",
        "relationship": "grandparent",
        "covers_referral": "on",
        "covers_sharing": "on",
        "scope_note": "Not school reports from before 2025",
        "given_on": "2026-10-01",
        "how_given": "signed_form",
        "version": referral.version,
    }
    response = client.post(reverse("agencies:consent_add", args=[referral.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["has_parental_responsibility"]
    assert "Gran Jones" in response.text
    assert "Not school reports from before 2025" in response.text
    assert referral.consents.count() == 0


def test_a_stale_edit_of_the_referral_is_refused_with_the_text_kept(client, senco, referral):
    client.force_login(senco)
    url = reverse("agencies:referral_edit", args=[referral.pk])
    Referral.objects.filter(pk=referral.pk).update(version=referral.version + 1, reason="Someone else's")
    data = {"agency": referral.agency_id, "reason": "My new reason", "version": referral.version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert STALE_MESSAGE.format(what="referral") in response.text
    assert "My new reason" in response.text
    assert Referral.objects.get(pk=referral.pk).reason == "Someone else's"


def test_withdrawn_consent_is_shown_on_the_referral(client, senco, referral):
    consent = ConsentFactory(referral=referral)
    client.force_login(senco)
    client.post(
        reverse("agencies:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat(), "note": "Father emailed the office."},
    )
    page = client.get(reverse("agencies:referral_detail", args=[referral.pk])).text
    assert "Consent was withdrawn on" in page
    assert "Father emailed the office." in page


def test_the_list_filters_by_state_and_service(client, senco, school):
    salt, ep = AgencyFactory(school=school, name="SALT"), AgencyFactory(school=school, name="EP")
    wanted = ReferralFactory(pupil__school=school, agency=salt, state="waiting")
    ReferralFactory(pupil__school=school, agency=salt, state="closed")
    ReferralFactory(pupil__school=school, agency=ep, state="waiting")
    client.force_login(senco)
    response = client.get(reverse("agencies:referral_list"), {"state": "waiting", "agency": salt.pk})
    assert list(response.context["referrals"]) == [wanted]
    still_open = client.get(reverse("agencies:referral_list"), {"state": "open"}).context["referrals"]
    assert len(still_open) == 2


def test_the_list_never_shows_another_schools_referrals(client, senco, other_school_pupil, referral):
    ReferralFactory(pupil=other_school_pupil)
    client.force_login(senco)
    assert list(client.get(reverse("agencies:referral_list")).context["referrals"]) == [referral]


@pytest.mark.parametrize("n", [1, 3])
def test_the_referrals_list_keeps_its_queries_flat(client, senco, school, n, django_assert_max_num_queries):
    for _ in range(n):
        ReferralFactory(pupil=PupilFactory(school=school))
    client.force_login(senco)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agencies:referral_list"), {"state": "open"})
    assert len(response.context["referrals"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_a_pupils_referrals_keep_their_queries_flat(
    client, senco, taught_pupil, n, django_assert_max_num_queries
):
    for _ in range(n):
        ReferralFactory(pupil=taught_pupil)
    client.force_login(senco)
    with django_assert_max_num_queries(13):  # one more on PostgreSQL: the audit chain's lock
        response = client.get(reverse("agencies:pupil_referrals", args=[taught_pupil.pk]))
    assert len(response.context["referrals"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_the_referral_page_keeps_its_queries_flat_whatever_its_history(
    client, senco, referral, n, django_assert_max_num_queries
):
    for day in range(n):
        referral.moves.create(to_state="withdrawn", on=date(2026, 9, 20 + day), by=senco)
        ConsentFactory(referral=referral)
        ReportFactory(pupil=referral.pupil, agency=referral.agency, referral=referral)
    client.force_login(senco)
    # The reports received for the referral are one query. One more on PostgreSQL: the audit
    # chain's lock.
    with django_assert_max_num_queries(14):
        assert client.get(reverse("agencies:referral_detail", args=[referral.pk])).status_code == 200


def test_a_referral_whose_report_has_come_leads_to_uploading_it_for_its_service(
    client, senco, head, referral
):
    referral.state = "report_received"
    referral.save()
    upload = (
        f"{reverse('agencies:report_upload', args=[referral.pupil_id])}"
        f"?agency={referral.agency_id}&amp;referral={referral.pk}"
    )
    client.force_login(senco)
    assert upload in client.get(reverse("agencies:referral_detail", args=[referral.pk])).text
    client.force_login(head)
    assert upload not in client.get(reverse("agencies:referral_detail", args=[referral.pk])).text


def test_a_referral_still_waiting_for_its_report_offers_no_upload(client, senco, referral):
    client.force_login(senco)
    page = client.get(reverse("agencies:referral_detail", args=[referral.pk])).text
    assert reverse("agencies:report_upload", args=[referral.pupil_id]) not in page


def test_the_upload_page_opened_from_a_referral_has_its_service_and_the_referral_chosen(
    client, senco, referral
):
    client.force_login(senco)
    url = reverse("agencies:report_upload", args=[referral.pupil_id])

    form = client.get(f"{url}?agency={referral.agency_id}&referral={referral.pk}").context["form"]

    assert (str(form["agency"].value()), str(form["referral"].value())) == (
        str(referral.agency_id),
        str(referral.pk),
    )
