"""The demo's directory and referrals: the usual services at every school, and a referral in
every state of the path, with its history, consent and waiting times made by the services."""

import pytest
from django.urls import reverse

from agencies.models import Agency, Referral, ReferralState
from agencies.rules import USUAL_SERVICES
from senco.models import School
from tests.demo.test_demo_loose_ends import PRIMARY

pytestmark = pytest.mark.django_db


def test_every_demo_school_has_the_usual_services(demo):
    counts = {school.name: Agency.objects.filter(school=school).count() for school in School.objects.all()}
    assert set(counts.values()) == {len(USUAL_SERVICES)}


def test_each_demo_school_has_a_referral_in_every_state(demo):
    for school in School.objects.all():
        states = set(Referral.objects.filter(school=school).values_list("state", flat=True))
        assert states == set(ReferralState.values), school.name


def test_the_demo_has_a_withdrawn_consent_and_a_safeguarding_exception(demo):
    assert Referral.objects.filter(consents__withdrawn_on__isnull=False).exists()
    assert Referral.objects.filter(consent_exception="safeguarding", state="submitted").exists()


def test_every_demo_referral_submitted_had_consent_or_an_exception(demo):
    submitted = Referral.objects.exclude(submitted_on=None)
    assert submitted.exists()
    assert not submitted.filter(consent_exception="", consents__isnull=True).exists()


def test_a_closed_demo_referral_has_every_waiting_time(demo):
    closed = Referral.objects.filter(state="closed").first()
    assert closed.submitted_on < closed.accepted_on < closed.first_seen_on < closed.report_received_on


def test_the_demo_sencos_referral_list_opens(demo, client):
    school = School.objects.get(name=PRIMARY)
    senco = school.memberships.filter(role="senco").first().user
    client.force_login(senco)
    response = client.get(reverse("agencies:referral_list"))
    assert response.status_code == 200
    assert len(response.context["referrals"]) >= len(ReferralState.values)
