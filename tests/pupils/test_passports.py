"""Pupil passports: versions never overwritten, concurrent edits caught, read by the pupil's staff,
printed for a supply teacher, every view, edit and download audited."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pupils.factories import PassportFactory
from pupils.models import Passport
from pupils.pupil_page import all_contributions
from pupils.services.passports import save_passport
from senco.concurrency import STALE_MESSAGE, StaleEdit
from senco.models import AuditEvent

TODAY = date(2026, 11, 24)

TEXT = {
    "strengths": "Builds brilliant Lego models; kind to younger children.",
    "important_to_me": "My dog Biscuit.",
    "how_to_support": "Tell me what is happening next.",
    "staff_should": "Give one instruction at a time; seat near the front.",
    "pupil_voice": "I like knowing what is coming.",
    "parent_voice": "He worries in the mornings.",
}


def form_data(version: int, **changes) -> dict:
    return {**TEXT, "written_on": timezone.localdate().isoformat(), "version": version, **changes}


@pytest.fixture
def passport(taught_pupil, senco):
    return PassportFactory(pupil=taught_pupil, written_by=senco, strengths="Version one strengths.")


def test_the_senco_writes_a_first_passport(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(reverse("pupils:passport_edit", args=[taught_pupil.pk]), form_data(0))
    assert response.status_code == 302
    saved = Passport.objects.get(pupil=taught_pupil)
    assert (saved.version, saved.strengths, saved.written_by) == (1, TEXT["strengths"], senco)
    event = AuditEvent.objects.get(action="passport.saved")
    assert (event.pupil_id, event.fields) == (taught_pupil.pk, sorted([*TEXT, "written_on"]))


def test_each_save_is_a_new_version_and_the_old_one_is_kept(client, senco, taught_pupil, passport):
    client.force_login(senco)
    client.post(reverse("pupils:passport_edit", args=[taught_pupil.pk]), form_data(1))
    rows = list(
        Passport.objects.filter(pupil=taught_pupil).order_by("version").values_list("version", "strengths")
    )
    assert rows == [(1, "Version one strengths."), (2, TEXT["strengths"])]
    assert AuditEvent.objects.get(action="passport.saved").summary == "Version 2"


def test_a_save_based_on_an_older_version_is_refused_and_the_typed_text_kept(
    client, senco, taught_pupil, passport
):
    client.force_login(senco)
    PassportFactory(pupil=taught_pupil, version=2, written_by=senco, strengths="Someone else's version.")
    typed = form_data(1, strengths="My careful new wording.")
    response = client.post(reverse("pupils:passport_edit", args=[taught_pupil.pk]), typed)
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["strengths"].value()) == (
        200,
        [STALE_MESSAGE.format(what="passport")],
        "My careful new wording.",
    )
    assert Passport.objects.filter(pupil=taught_pupil).count() == 2
    # The form now carries the newest version, so saving again after reading it goes through.
    again = client.post(reverse("pupils:passport_edit", args=[taught_pupil.pk]), form.data)
    assert (again.status_code, Passport.objects.get(pupil=taught_pupil, version=3).strengths) == (
        302,
        "My careful new wording.",
    )


def test_the_service_refuses_a_stale_save(senco, taught_pupil, passport):
    fields = {**TEXT, "written_on": date(2026, 11, 2)}
    with pytest.raises(StaleEdit):
        save_passport(pupil=taught_pupil, based_on=0, by=senco, today=date(2026, 11, 24), **fields)


def test_a_save_that_changes_nothing_is_refused(senco, taught_pupil):
    fields = {**TEXT, "written_on": date(2026, 11, 2)}
    save_passport(pupil=taught_pupil, based_on=0, by=senco, today=date(2026, 11, 24), **fields)
    with pytest.raises(ValidationError, match="Nothing has changed since version 1"):
        save_passport(pupil=taught_pupil, based_on=1, by=senco, today=date(2026, 11, 24), **fields)


def test_a_leavers_passport_cannot_be_changed(senco, taught_pupil):
    taught_pupil.left_on = date(2026, 7, 22)
    with pytest.raises(ValidationError, match="left on 22 July 2026"):
        save_passport(
            pupil=taught_pupil,
            based_on=0,
            by=senco,
            today=date(2026, 11, 24),
            **TEXT,
            written_on=date(2026, 7, 1),
        )


def test_a_future_agreed_date_is_an_error_on_its_field(client, senco, taught_pupil):
    client.force_login(senco)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("pupils:passport_edit", args=[taught_pupil.pk]), form_data(0, written_on=tomorrow)
    )
    assert (response.status_code, response.context["form"].errors["written_on"]) == (
        200,
        ["The date it was agreed cannot be in the future."],
    )
    assert Passport.objects.count() == 0


def test_missing_text_re_renders_with_errors_and_keeps_what_was_typed(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:passport_edit", args=[taught_pupil.pk]), form_data(0, strengths="")
    )
    form = response.context["form"]
    assert (response.status_code, list(form.errors), form["how_to_support"].value()) == (
        200,
        ["strengths"],
        TEXT["how_to_support"],
    )


def test_the_edit_form_starts_from_the_latest_version(client, senco, taught_pupil, passport):
    client.force_login(senco)
    form = client.get(reverse("pupils:passport_edit", args=[taught_pupil.pk])).context["form"]
    assert (form["strengths"].value(), form["version"].value()) == ("Version one strengths.", 1)


def test_opening_the_edit_form_is_audited_as_a_read_of_the_passport(client, senco, taught_pupil, passport):
    # The form shows the whole latest version, so opening it is a read like the passport page.
    client.force_login(senco)
    client.get(reverse("pupils:passport_edit", args=[taught_pupil.pk]))
    # The read names the pupil whose passport it is (`open_record`); the latest version is read.
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.pupil_id, event.object_type, event.object_id) == (
        "passport.viewed",
        senco,
        taught_pupil.pk,
        "pupils.pupil",
        str(taught_pupil.pk),
    )


def test_the_voices_are_labelled_as_the_pupils_and_the_parents_own_words(
    client, teacher, taught_pupil, passport
):
    client.force_login(teacher)
    html = client.get(reverse("pupils:passport", args=[taught_pupil.pk])).content.decode()
    assert ("In Ava&#x27;s own words" in html, "Parents&#x27; and carers&#x27; words" in html) == (True, True)


@pytest.mark.parametrize("persona", ["senco", "head", "teacher", "ta"])
def test_the_pupils_staff_read_the_passport_and_the_read_is_audited(
    client, request, persona, taught_pupil, passport
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("pupils:passport", args=[taught_pupil.pk]))
    assert (response.status_code, response.context["passport"]) == (200, passport)
    event = AuditEvent.objects.get(action="passport.viewed")
    assert (event.actor, event.pupil_id, event.object_type, event.object_id) == (
        user,
        taught_pupil.pk,
        "pupils.pupil",
        str(taught_pupil.pk),
    )


@pytest.mark.parametrize("persona", ["governor", "school_admin"])
def test_governors_and_the_office_do_not_read_passports(client, request, persona, taught_pupil, passport):
    client.force_login(request.getfixturevalue(persona))
    for name in ["pupils:passport", "pupils:passport_pdf", "pupils:passport_edit"]:
        assert client.get(reverse(name, args=[taught_pupil.pk])).status_code == 403, name


@pytest.mark.parametrize("persona", ["head", "teacher", "ta"])
def test_only_the_senco_team_writes_passports(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("pupils:passport_edit", args=[taught_pupil.pk])
    assert (client.get(url).status_code, client.post(url, form_data(0)).status_code) == (403, 403)
    assert Passport.objects.count() == 0


@pytest.mark.parametrize("name", ["pupils:passport", "pupils:passport_pdf"])
def test_a_teacher_gets_404_for_the_passport_of_a_pupil_they_do_not_teach(
    client, teacher, untaught_pupil, name
):
    PassportFactory(pupil=untaught_pupil)
    client.force_login(teacher)
    assert client.get(reverse(name, args=[untaught_pupil.pk])).status_code == 404


@pytest.mark.parametrize("name", ["pupils:passport", "pupils:passport_pdf", "pupils:passport_edit"])
def test_another_schools_passport_is_404(client, senco, other_school_pupil, name):
    PassportFactory(pupil=other_school_pupil)
    client.force_login(senco)
    assert client.get(reverse(name, args=[other_school_pupil.pk])).status_code == 404
    assert (
        client.post(reverse("pupils:passport_edit", args=[other_school_pupil.pk]), form_data(1)).status_code
        == 404
    )


def test_staff_open_an_earlier_version_from_the_history(client, senco, taught_pupil, passport):
    PassportFactory(pupil=taught_pupil, version=2, written_by=senco, strengths="Version two strengths.")
    client.force_login(senco)
    latest = client.get(reverse("pupils:passport", args=[taught_pupil.pk]))
    html = latest.content.decode()
    assert [v.version for v in latest.context["versions"]] == [2, 1]
    assert reverse("pupils:passport_version", args=[taught_pupil.pk, 1]) in html
    assert "Sam Patel" in html  # who wrote each version
    earlier = client.get(reverse("pupils:passport_version", args=[taught_pupil.pk, 1]))
    text = earlier.content.decode()
    assert (
        earlier.context["is_latest"],
        "Version one strengths." in text,
        "This is an earlier version" in text,
    ) == (
        False,
        True,
        True,
    )


def test_an_unknown_version_is_404(client, senco, taught_pupil, passport):
    client.force_login(senco)
    assert client.get(reverse("pupils:passport_version", args=[taught_pupil.pk, 9])).status_code == 404


def test_a_pupil_without_a_passport_has_a_page_offering_to_write_one(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.get(reverse("pupils:passport", args=[taught_pupil.pk]))
    assert (response.status_code, "Write a pupil passport" in response.content.decode()) == (200, True)
    assert client.get(reverse("pupils:passport_pdf", args=[taught_pupil.pk])).status_code == 404


def test_the_pdf_is_a4_portrait_with_the_name_and_strengths_and_its_download_is_audited(
    client, teacher, taught_pupil, passport
):
    client.force_login(teacher)
    response = client.get(reverse("pupils:passport_pdf", args=[taught_pupil.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert ("Ava Taught" in text, "Version one strengths." in text) == (True, True)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    event = AuditEvent.objects.get(action="passport.downloaded")
    assert (event.actor, event.object_type, event.object_id) == (
        teacher,
        "pupils.pupil",
        str(passport.pupil_id),
    )


def test_the_pdf_asks_the_reader_to_return_or_shred_it(client, teacher, taught_pupil, passport):
    client.force_login(teacher)
    response = client.get(reverse("pupils:passport_pdf", args=[taught_pupil.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert (
        "Confidential: return to the SENCO or shred after use." in text,
        response["Content-Disposition"],
    ) == (
        True,
        f'inline; filename="pupil-passport-{taught_pupil.pk}-v1.pdf"',
    )


def test_an_earlier_version_downloads_as_that_version(client, senco, taught_pupil, passport):
    PassportFactory(pupil=taught_pupil, version=2, written_by=senco, strengths="Version two strengths.")
    client.force_login(senco)
    response = client.get(reverse("pupils:passport_version_pdf", args=[taught_pupil.pk, 1]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert ("Version one strengths." in text, "Version two strengths." in text) == (True, False)


def test_passport_versions_join_the_chronology_for_its_readers_only(
    senco, school_admin, taught_pupil, passport
):
    events = [
        (e.on, e.title, e.url)
        for e in all_contributions(senco, pupil=taught_pupil, today=TODAY).events
        if e.kind == "passport"
    ]
    assert events == [
        (passport.written_on, "Pupil passport version 1 agreed", f"/pupils/{taught_pupil.pk}/passport/v1/")
    ]
    assert [
        e
        for e in all_contributions(school_admin, pupil=taught_pupil, today=TODAY).events
        if e.kind == "passport"
    ] == []


@pytest.mark.parametrize("n", [1, 3])
def test_the_passport_page_queries_stay_flat_with_versions(
    client, senco, taught_pupil, n, django_assert_max_num_queries
):
    for version in range(1, n + 1):
        PassportFactory(pupil=taught_pupil, version=version)
    client.force_login(senco)
    with django_assert_max_num_queries(8):  # 3 of them its audit row's (PostgreSQL)
        assert client.get(reverse("pupils:passport", args=[taught_pupil.pk])).status_code == 200
