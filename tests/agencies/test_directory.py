"""The school's directory of services: who may read and change it, the usual services, stale
edits and bad input, and a flat query count."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.factories import AgencyFactory, ReferralFactory
from agencies.models import Agency
from agencies.rules import USUAL_SERVICES
from agencies.services.directory import AGENCY_FIELDS, add_usual_agencies
from senco.concurrency import STALE_MESSAGE, version_token
from senco.models import AuditEvent

FORM = {
    "name": "Riverside CAMHS",
    "kind": "camhs",
    "refers_directly": "on",
    "active": "on",
    "phone": "01632 960123",
}


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_the_senco_team_leadership_and_the_administrator_read_the_directory(client, request, persona):
    AgencyFactory(school=request.getfixturevalue("school"), name="Riverside CAMHS")
    client.force_login(request.getfixturevalue(persona))
    assert "Riverside CAMHS" in client.get(reverse("agencies:agency_list")).text


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_teachers_tas_and_governors_get_403_on_the_directory(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agencies:agency_list")).status_code == 403


def test_the_head_reads_but_does_not_change_the_directory(client, head, school):
    agency = AgencyFactory(school=school)
    client.force_login(head)
    statuses = [
        client.get(reverse("agencies:agency_add")).status_code,
        client.get(reverse("agencies:agency_edit", args=[agency.pk])).status_code,
        client.post(reverse("agencies:agencies_add_usual")).status_code,
    ]
    assert statuses == [403, 403, 403]


def test_the_administrator_adds_a_service(client, school_admin):
    client.force_login(school_admin)
    response = client.post(reverse("agencies:agency_add"), FORM)
    assert response.status_code == 302
    agency = Agency.objects.get(school=school_admin.school)
    assert (agency.name, agency.kind, agency.refers_directly) == ("Riverside CAMHS", "camhs", True)
    assert AuditEvent.objects.filter(action="agency.added", object_id=str(agency.pk)).exists()


def test_a_service_with_a_name_already_used_is_refused_with_what_was_typed_kept(client, senco, school):
    AgencyFactory(school=school, name="Riverside CAMHS")
    client.force_login(senco)
    response = client.post(reverse("agencies:agency_add"), FORM | {"how_to_refer": "Single point of access"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["The directory already has a service of that name."]
    assert "Single point of access" in response.text


def test_another_schools_service_is_404(client, senco, other_school):
    theirs = AgencyFactory(school=other_school)
    client.force_login(senco)
    assert client.get(reverse("agencies:agency_edit", args=[theirs.pk])).status_code == 404


def test_a_stale_edit_of_a_service_is_refused_with_the_text_kept(client, senco, school):
    agency = AgencyFactory(school=school, name="Riverside CAMHS", kind="camhs")
    token = version_token(agency, fields=AGENCY_FIELDS)
    Agency.objects.filter(pk=agency.pk).update(phone="01632 960999")
    client.force_login(senco)
    response = client.post(
        reverse("agencies:agency_edit", args=[agency.pk]),
        FORM | {"version": token, "contact_name": "Dr Okafor"},
    )
    assert response.status_code == 200
    assert STALE_MESSAGE.format(what="service") in response.text
    assert "Dr Okafor" in response.text
    assert Agency.objects.get(pk=agency.pk).contact_name == "Duty therapist"


def test_an_edit_is_saved(client, senco, school):
    agency = AgencyFactory(school=school, name="Riverside CAMHS", kind="camhs")
    client.force_login(senco)
    data = FORM | {"version": version_token(agency, fields=AGENCY_FIELDS), "contact_name": "Dr Okafor"}
    assert client.post(reverse("agencies:agency_edit", args=[agency.pk]), data).status_code == 302
    assert Agency.objects.get(pk=agency.pk).contact_name == "Dr Okafor"


def test_the_usual_services_are_added_once_and_keep_those_the_school_has(client, senco, school):
    AgencyFactory(school=school, name="Our SALT team", kind="salt")
    client.force_login(senco)
    client.post(reverse("agencies:agencies_add_usual"))
    client.post(reverse("agencies:agencies_add_usual"))
    kinds = list(Agency.objects.filter(school=school).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(kind for _, kind, _, _ in USUAL_SERVICES)
    assert Agency.objects.filter(school=school, kind="salt").get().name == "Our SALT team"
    assert AuditEvent.objects.filter(action="agency.usual_added").count() == 1


def test_the_usual_services_say_whether_the_school_refers_directly(school):
    add_usual_agencies(school=school, by=None)
    direct = dict(Agency.objects.filter(school=school).values_list("kind", "refers_directly"))
    assert (direct["ep"], direct["paediatrics"], direct["sendiass"]) == (True, False, False)


def test_the_senco_sees_median_waits_per_service_and_the_administrator_does_not(
    client, senco, school_admin, school
):
    agency = AgencyFactory(school=school, name="EP service")
    ReferralFactory(
        pupil__school=school, agency=agency, submitted_on=date(2026, 1, 5), accepted_on=date(2026, 1, 19)
    )
    client.force_login(senco)
    response = client.get(reverse("agencies:agency_list"))
    assert response.context["rows"][0][1].to_accepted == 14
    client.force_login(school_admin)
    response = client.get(reverse("agencies:agency_list"))
    assert (response.context["shows_waits"], response.context["rows"][0][1]) == (False, None)


@pytest.mark.parametrize("n", [1, 3])
def test_the_directory_keeps_its_queries_flat(client, senco, school, n, django_assert_max_num_queries):
    for _ in range(n):
        ReferralFactory(pupil__school=school, submitted_on=date(2026, 1, 5))
    client.force_login(senco)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agencies:agency_list"))
    assert len(response.context["rows"]) == n


def test_adding_the_usual_services_first_lists_those_the_directory_lacks(client, senco, school):
    AgencyFactory(school=school, name="Our SALT team", kind="salt")
    client.force_login(senco)
    missing = client.get(reverse("agencies:agencies_add_usual")).context["missing"]
    assert [name for name, *_ in missing] == [name for name, kind, *_ in USUAL_SERVICES if kind != "salt"]
    assert not Agency.objects.filter(school=school).exclude(kind="salt").exists()
