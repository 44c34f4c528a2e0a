"""Editing a pupil's record: who may, the rules, leavers, concurrent edits and the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils.factories import PupilFactory, TeachingGroupFactory, make_upn
from pupils.models import Pupil
from pupils.services.records import EDITABLE_FIELDS, create_pupil, move_pupil_to_group, update_pupil
from senco.concurrency import STALE_MESSAGE, StaleEdit, version_token
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 10, 12)


def form_data(pupil: Pupil, **overrides) -> dict:
    """What the edit form posts for `pupil` unchanged, with `overrides` typed over it."""
    data = {
        "upn": pupil.upn,
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "preferred_first_name": pupil.preferred_first_name,
        "preferred_last_name": pupil.preferred_last_name,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "gender": pupil.gender,
        "year_group": pupil.year_group,
        "admitted_on": pupil.admitted_on.isoformat() if pupil.admitted_on else "",
        "left_on": pupil.left_on.isoformat() if pupil.left_on else "",
        "designated_teacher": pupil.designated_teacher_id or "",
        "version": record_version(pupil),
    }
    flags = ["looked_after", "previously_looked_after", "pupil_premium", "free_school_meals", "eal"]
    data |= {flag: "on" for flag in [*flags, "young_carer"] if getattr(pupil, flag)}
    data |= overrides
    return {key: value for key, value in data.items() if value is not False}


def record_version(pupil: Pupil) -> str:
    return version_token(pupil, fields=EDITABLE_FIELDS)


def edit_url(pupil) -> str:
    return reverse("pupils:edit", args=[pupil.pk])


# Who may use the page


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_the_senco_and_the_school_administrator_open_the_edit_page(client, request, persona, untaught_pupil):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(edit_url(untaught_pupil))
    assert (response.status_code, response.context["form"].initial["version"]) == (
        200,
        record_version(untaught_pupil),
    )
    assert AuditEvent.objects.filter(action="pupil.viewed", pupil_id=untaught_pupil.pk).count() == 1


def test_a_deputy_senco_may_edit_too(client, school, untaught_pupil):
    client.force_login(staff_member(role=Role.DEPUTY_SENCO, school=school))
    assert client.get(edit_url(untaught_pupil)).status_code == 200


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "governor"])
def test_other_roles_get_403_even_for_a_pupil_they_can_see(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(taught_pupil)).status_code == 403
    assert client.post(edit_url(taught_pupil), form_data(taught_pupil, first_name="X")).status_code == 403
    taught_pupil.refresh_from_db()
    assert taught_pupil.first_name == "Ava"


def test_a_teacher_is_refused_a_pupil_they_do_not_teach_before_any_lookup(client, teacher, untaught_pupil):
    # The access declaration answers first, so the answer is the same whether or not the pupil
    # exists: a 403 that confirms nothing.
    client.force_login(teacher)
    assert client.get(edit_url(untaught_pupil)).status_code == 403
    assert client.get(reverse("pupils:edit", args=[999999])).status_code == 403


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_another_schools_pupil_is_404(client, request, persona, other_school_pupil):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(other_school_pupil)).status_code == 404
    assert client.post(edit_url(other_school_pupil), form_data(other_school_pupil)).status_code == 404


# Saving


def test_saving_changes_the_record_and_audits_the_field_names_only(client, school_admin, untaught_pupil):
    client.force_login(school_admin)
    response = client.post(
        edit_url(untaught_pupil),
        form_data(untaught_pupil, preferred_first_name="Nono", eal="on", year_group=6),
    )
    assert (response.status_code, response["Location"]) == (302, f"/pupils/{untaught_pupil.pk}/")
    untaught_pupil.refresh_from_db()
    assert (untaught_pupil.preferred_first_name, untaught_pupil.eal, untaught_pupil.year_group) == (
        "Nono",
        True,
        6,
    )
    event = AuditEvent.objects.get(action="pupil.updated")
    assert (event.actor, event.pupil_id, event.fields) == (
        school_admin,
        untaught_pupil.pk,
        ["eal", "preferred_first_name", "year_group"],
    )
    assert "Nono" not in f"{event.summary}{event.fields}"


def test_saving_without_a_change_writes_nothing(client, senco, untaught_pupil):
    client.force_login(senco)
    assert client.post(edit_url(untaught_pupil), form_data(untaught_pupil)).status_code == 302
    assert AuditEvent.objects.filter(action="pupil.updated").count() == 0


def test_a_upn_with_a_wrong_check_letter_is_refused_and_what_was_typed_is_kept(client, senco, untaught_pupil):
    client.force_login(senco)
    good = untaught_pupil.upn
    wrong = ("A" if good[0] != "A" else "B") + good[1:]
    response = client.post(
        edit_url(untaught_pupil), form_data(untaught_pupil, upn=wrong, last_name="Newname")
    )
    form = response.context["form"]
    assert (response.status_code, form.errors["upn"], form["last_name"].value()) == (
        200,
        ["This UPN's check letter is wrong: check it against the MIS."],
        "Newname",
    )
    untaught_pupil.refresh_from_db()
    assert (untaught_pupil.upn, untaught_pupil.last_name) == (good, "Elsewhere")


def test_a_upn_already_used_in_the_school_is_refused_on_its_field(
    client, senco, taught_pupil, untaught_pupil
):
    client.force_login(senco)
    response = client.post(edit_url(untaught_pupil), form_data(untaught_pupil, upn=taught_pupil.upn))
    assert response.context["form"].errors["upn"] == ["Another pupil at this school already has this UPN."]


def test_a_lower_case_upn_is_accepted_in_capitals(client, senco, untaught_pupil):
    client.force_login(senco)
    upn = make_upn(la_code="801", establishment="4000", year_of_issue=2021, serial=77)
    client.post(edit_url(untaught_pupil), form_data(untaught_pupil, upn=upn.lower()))
    untaught_pupil.refresh_from_db()
    assert untaught_pupil.upn == upn


def test_the_designated_teacher_is_chosen_from_the_schools_staff(
    client, senco, teacher, governor, other_school_senco, untaught_pupil
):
    client.force_login(senco)
    choices = set(client.get(edit_url(untaught_pupil)).context["form"].fields["designated_teacher"].queryset)
    assert choices == {senco, teacher}
    response = client.post(
        edit_url(untaught_pupil),
        form_data(untaught_pupil, looked_after="on", designated_teacher=other_school_senco.pk),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["designated_teacher"]
    client.post(
        edit_url(untaught_pupil), form_data(untaught_pupil, looked_after="on", designated_teacher=teacher.pk)
    )
    untaught_pupil.refresh_from_db()
    assert (untaught_pupil.looked_after, untaught_pupil.designated_teacher) == (True, teacher)


def test_a_designated_teacher_needs_a_looked_after_or_previously_looked_after_child(
    senco, teacher, untaught_pupil
):
    with pytest.raises(ValidationError) as caught:
        update_pupil(pupil=untaught_pupil, changes={"designated_teacher": teacher}, by=senco, today=TODAY)
    assert list(caught.value.message_dict) == ["designated_teacher"]


def test_a_child_cannot_be_both_looked_after_and_previously_looked_after(senco, untaught_pupil):
    with pytest.raises(ValidationError) as caught:
        update_pupil(
            pupil=untaught_pupil,
            changes={"looked_after": True, "previously_looked_after": True},
            by=senco,
            today=TODAY,
        )
    assert list(caught.value.message_dict) == ["previously_looked_after"]


def test_dates_must_be_in_a_sensible_order(senco, untaught_pupil):
    with pytest.raises(ValidationError) as caught:
        update_pupil(
            pupil=untaught_pupil,
            changes={"date_of_birth": TODAY + timedelta(days=1), "left_on": date(2000, 1, 1)},
            by=senco,
            today=TODAY,
        )
    assert sorted(caught.value.message_dict) == ["admitted_on", "date_of_birth", "left_on"]


def test_an_old_inconsistency_does_not_block_an_unrelated_correction(senco, teacher, untaught_pupil):
    Pupil.objects.filter(pk=untaught_pupil.pk).update(designated_teacher=teacher)
    saved = update_pupil(pupil=untaught_pupil, changes={"first_name": "Noa"}, by=senco, today=TODAY)
    assert saved.first_name == "Noa"


# Leavers


@pytest.fixture
def leaver(school):
    today = timezone.localdate()
    return PupilFactory(school=school, first_name="Lily", year_group=6, left_on=today - timedelta(days=30))


def test_a_leavers_record_is_read_only_for_the_administrator(client, school_admin, leaver):
    client.force_login(school_admin)
    response = client.get(edit_url(leaver))
    assert (response.status_code, response.context["form"]) == (200, None)
    assert "ask the SENCO" in response.content.decode()
    client.post(edit_url(leaver), form_data(leaver, left_on=""))
    leaver.refresh_from_db()
    assert leaver.left_on is not None


def test_the_senco_sees_only_the_leaving_date_open_for_a_leaver(client, senco, leaver):
    client.force_login(senco)
    form = client.get(edit_url(leaver)).context["form"]
    assert [name for name, field in form.fields.items() if not field.disabled] == ["left_on", "version"]
    # Disabled fields ignore what is posted: only the leaving date can change.
    client.post(edit_url(leaver), form_data(leaver, first_name="Changed", left_on=""))
    leaver.refresh_from_db()
    assert (leaver.first_name, leaver.left_on) == ("Lily", None)
    assert AuditEvent.objects.get(action="pupil.updated").fields == ["left_on"]


def test_the_service_refuses_any_other_change_to_a_leaver(senco, leaver):
    with pytest.raises(ValidationError) as caught:
        update_pupil(
            pupil=leaver, changes={"first_name": "X", "left_on": None}, by=senco, today=leaver.left_on
        )
    assert caught.value.messages == [
        f"Lily {leaver.last_name} left on {leaver.left_on:%-d %B %Y}; their record is kept read-only."
    ]


def test_the_administrator_cannot_clear_a_leaving_date(school_admin, leaver):
    with pytest.raises(ValidationError):
        update_pupil(pupil=leaver, changes={"left_on": None}, by=school_admin, today=timezone.localdate())


def test_a_pupil_leaving_in_the_future_is_still_editable(senco, untaught_pupil):
    update_pupil(pupil=untaught_pupil, changes={"left_on": TODAY + timedelta(days=5)}, by=senco, today=TODAY)
    saved = update_pupil(pupil=untaught_pupil, changes={"eal": True}, by=senco, today=TODAY)
    assert saved.eal is True


def test_recording_a_leaving_date_of_today_makes_the_record_read_only(senco, untaught_pupil):
    update_pupil(pupil=untaught_pupil, changes={"left_on": TODAY}, by=senco, today=TODAY)
    with pytest.raises(ValidationError):
        update_pupil(pupil=untaught_pupil, changes={"eal": True}, by=senco, today=TODAY)


# Concurrent edits


def test_a_second_editor_working_from_an_old_copy_is_refused_and_keeps_their_text(
    client, senco, untaught_pupil
):
    client.force_login(senco)
    stale = form_data(untaught_pupil, last_name="Second")
    update_pupil(pupil=untaught_pupil, changes={"first_name": "First"}, by=senco, today=TODAY)
    response = client.post(edit_url(untaught_pupil), stale)
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["last_name"].value()) == (
        200,
        [STALE_MESSAGE.format(what="pupil's record")],
        "Second",
    )
    untaught_pupil.refresh_from_db()
    assert (untaught_pupil.first_name, untaught_pupil.last_name) == ("First", "Elsewhere")
    # The re-drawn form carries the new version, so saving again goes through.
    client.post(
        edit_url(untaught_pupil), {**stale, "version": form["version"].value(), "first_name": "First"}
    )
    untaught_pupil.refresh_from_db()
    assert untaught_pupil.last_name == "Second"


def test_the_service_refuses_a_stale_version(senco, untaught_pupil):
    version = record_version(untaught_pupil)
    update_pupil(pupil=untaught_pupil, changes={"eal": True}, by=senco, today=TODAY)
    with pytest.raises(StaleEdit):
        update_pupil(pupil=untaught_pupil, changes={"eal": False}, by=senco, today=TODAY, version=version)


def test_the_version_ignores_changes_outside_the_form(senco, untaught_pupil):
    before = record_version(untaught_pupil)
    untaught_pupil.school.name = "Renamed"
    assert record_version(untaught_pupil) == before
    untaught_pupil.young_carer = True
    assert record_version(untaught_pupil) != before


# Services the MIS import shares


def test_create_pupil_validates_and_audits(senco, school):
    upn = make_upn(la_code="801", establishment="4000", year_of_issue=2021, serial=5)
    fields = {"upn": upn, "first_name": "Ola", "last_name": "Nowak", "date_of_birth": date(2017, 3, 2)}
    pupil = create_pupil(
        school=school, fields={**fields, "gender": "F", "year_group": 4}, by=senco, today=TODAY
    )
    event = AuditEvent.objects.get(action="pupil.created")
    assert (event.pupil_id, event.fields) == (
        pupil.pk,
        ["date_of_birth", "first_name", "gender", "last_name", "upn", "year_group"],
    )
    with pytest.raises(ValidationError) as caught:
        create_pupil(school=school, fields={**fields, "gender": "X", "year_group": 4}, by=senco, today=TODAY)
    assert sorted(caught.value.message_dict) == ["gender", "upn"]


def test_moving_a_pupil_takes_them_out_of_their_other_class_only(senco, school, taught_pupil, class_3a):
    registration = TeachingGroupFactory(
        school=school, name="Reg 3", kind="registration", pupils=[taught_pupil]
    )
    class_3b = TeachingGroupFactory(school=school, name="3B", kind="class")
    move_pupil_to_group(pupil=taught_pupil, group=class_3b, by=senco, today=TODAY)
    assert set(taught_pupil.teaching_groups.all()) == {registration, class_3b}
    move_pupil_to_group(pupil=taught_pupil, group=class_3b, by=senco, today=TODAY)
    assert AuditEvent.objects.filter(action="pupil.group_changed").count() == 1
