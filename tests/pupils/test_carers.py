"""Parents and carers: the SENCO team and the school office keep them; every change is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pupils.factories import CarerFactory
from pupils.models import Carer
from pupils.services.contacts import CARER_FIELDS, add_carer, remove_carer
from senco.concurrency import STALE_MESSAGE, version_token
from senco.models import AuditEvent

NEW_CARER = {
    "name": "Mr Dev Taught",
    "relationship": "Father",
    "parental_responsibility": "on",
    "phone": "07700 900456",
    "email": "dev@example.org",
    "address": "2 Acacia Avenue",
    "preferred_contact": "email",
    "notes": "Works shifts: call after 4pm.",
}


@pytest.fixture
def carer(taught_pupil):
    return CarerFactory(pupil=taught_pupil, name="Mrs Rosa Taught", phone="07700 900123")


def edit_data(carer, **changes):
    return {
        "name": carer.name,
        "relationship": carer.relationship,
        "parental_responsibility": "on" if carer.parental_responsibility else "",
        "phone": carer.phone,
        "email": carer.email,
        "address": carer.address,
        "preferred_contact": carer.preferred_contact,
        "notes": carer.notes,
        "version": version_token(carer, fields=CARER_FIELDS),
        **changes,
    }


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_the_senco_team_and_the_office_add_a_carer(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("pupils:carer_add", args=[taught_pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, NEW_CARER)
    assert (response.status_code, response["Location"]) == (302, taught_pupil.get_absolute_url())
    carer = Carer.objects.get(pupil=taught_pupil)
    assert (carer.name, carer.email, carer.parental_responsibility) == (
        "Mr Dev Taught",
        "dev@example.org",
        True,
    )
    event = AuditEvent.objects.get(action="carer.added")
    assert (event.pupil_id, event.summary, "Mr Dev Taught" in str(event.fields)) == (
        taught_pupil.pk,
        "",
        False,
    )


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "governor"])
def test_other_roles_may_not_add_change_or_remove_carers(client, request, persona, taught_pupil, carer):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pupils:carer_add", args=[taught_pupil.pk])).status_code == 403
    assert client.post(reverse("pupils:carer_add", args=[taught_pupil.pk]), NEW_CARER).status_code == 403
    assert client.get(reverse("pupils:carer_edit", args=[carer.pk])).status_code == 403
    assert client.post(reverse("pupils:carer_delete", args=[carer.pk])).status_code == 403
    assert list(Carer.objects.values_list("name", flat=True)) == ["Mrs Rosa Taught"]


def test_another_schools_pupil_and_carer_are_404(client, senco, other_school_pupil):
    carer = CarerFactory(pupil=other_school_pupil)
    client.force_login(senco)
    assert client.get(reverse("pupils:carer_add", args=[other_school_pupil.pk])).status_code == 404
    assert client.get(reverse("pupils:carer_edit", args=[carer.pk])).status_code == 404
    assert (
        client.post(reverse("pupils:carer_edit", args=[carer.pk]), edit_data(carer, name="X")).status_code
        == 404
    )
    assert client.post(reverse("pupils:carer_delete", args=[carer.pk])).status_code == 404
    assert Carer.objects.get(pk=carer.pk).name == carer.name


def test_a_preferred_method_without_its_details_is_an_error_on_that_field(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(reverse("pupils:carer_add", args=[taught_pupil.pk]), {**NEW_CARER, "email": ""})
    form = response.context["form"]
    assert (response.status_code, form.errors["email"], form["name"].value()) == (
        200,
        ["Give an email address: it is the preferred contact method."],
        "Mr Dev Taught",
    )
    assert Carer.objects.count() == 0


def test_a_malformed_email_and_missing_name_re_render_with_errors(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:carer_add", args=[taught_pupil.pk]),
        {**NEW_CARER, "name": "", "email": "not-an-email"},
    )
    assert (response.status_code, sorted(response.context["form"].errors)) == (200, ["email", "name"])


def test_the_office_changes_a_carers_details_and_the_changed_fields_are_audited(client, school_admin, carer):
    client.force_login(school_admin)
    url = reverse("pupils:carer_edit", args=[carer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(carer, phone="07700 900999", notes="Prefers mornings."))
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.phone, carer.notes) == ("07700 900999", "Prefers mornings.")
    assert AuditEvent.objects.get(action="carer.changed").fields == ["notes", "phone"]


def test_opening_a_carers_details_to_edit_them_is_audited(client, senco, carer, taught_pupil):
    # The form shows the phone, e-mail, address and notes: a read of the pupil's record.
    client.force_login(senco)
    client.get(reverse("pupils:carer_edit", args=[carer.pk]))
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.pupil_id, event.object_id) == (
        "carer.viewed",
        senco,
        taught_pupil.pk,
        str(carer.pk),
    )


def test_an_edit_over_someone_elses_change_is_refused_and_the_typed_text_kept(client, senco, carer):
    client.force_login(senco)
    stale = edit_data(carer, phone="07700 900111")
    Carer.objects.filter(pk=carer.pk).update(phone="07700 900222")  # the office saved meanwhile
    response = client.post(reverse("pupils:carer_edit", args=[carer.pk]), stale)
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["phone"].value()) == (
        200,
        [STALE_MESSAGE.format(what="carer's details")],
        "07700 900111",
    )
    assert Carer.objects.get(pk=carer.pk).phone == "07700 900222"
    again = client.post(reverse("pupils:carer_edit", args=[carer.pk]), form.data)
    assert (again.status_code, Carer.objects.get(pk=carer.pk).phone) == (302, "07700 900111")


def test_a_carer_is_removed_by_post_only_and_the_removal_audited(client, senco, carer):
    client.force_login(senco)
    url = reverse("pupils:carer_delete", args=[carer.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Carer.objects.count() == 0
    event = AuditEvent.objects.get(action="carer.removed")
    assert (event.object_id, event.pupil_id) == (str(carer.pk), carer.pupil_id)


def test_a_teacher_cannot_reach_the_carers_of_a_pupil_they_do_not_teach(client, teacher, untaught_pupil):
    carer = CarerFactory(pupil=untaught_pupil)
    client.force_login(teacher)
    assert client.get(reverse("pupils:carer_edit", args=[carer.pk])).status_code == 403


def test_a_leavers_carers_are_read_only(senco, taught_pupil, carer):
    taught_pupil.left_on = date(2026, 7, 22)
    taught_pupil.save()
    carer.refresh_from_db()
    fields = {k: v for k, v in NEW_CARER.items() if k != "parental_responsibility"}
    with pytest.raises(ValidationError, match="read-only"):
        add_carer(
            pupil=taught_pupil, by=senco, today=date(2026, 11, 24), parental_responsibility=True, **fields
        )
    with pytest.raises(ValidationError, match="read-only"):
        remove_carer(carer=carer, by=senco, today=date(2026, 11, 24))
    assert Carer.objects.count() == 1
