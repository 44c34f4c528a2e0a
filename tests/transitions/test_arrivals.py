"""Arriving pupils: a transfer pack is checked whole with every problem listed, previewed, then
imported all or nothing into a new pupil or the one its UPN matches, its history marked as the
previous school's; or declined."""

import copy
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import NeedType, Pupil, SenStatus
from pupils.selectors.subject_access import export_parts
from senco.factories import SchoolFactory, staff_member
from senco.models import AuditEvent, Role
from transitions.factories import IncomingPackFactory, pack_of
from transitions.models import ArrivalState, ImportedRecord, IncomingPack
from transitions.rules import MAX_PACK_BYTES, read_pack
from transitions.selectors.arrivals import transfer_pack_parts
from transitions.selectors.transfer_packs import schools_to_send_to
from transitions.services.arrivals import decline_transfer_pack, import_transfer_pack
from transitions.services.transfer_packs import make_transfer_pack

pytestmark = pytest.mark.django_db

NEEDS = {"SPLD", "ASD", "SLCN"}
A_RECORD = {
    "dated_on": "2025-03-12",
    "title": "Support plan, cycle 1",
    "fields": [{"label": "Plan", "value": "Daily reading."}],
}


@pytest.fixture
def primary_pupil(other_school):
    return PupilFactory(school=other_school, year_group=6, first_name="Leo", last_name="Marsh")


@pytest.fixture
def good_pack(primary_pupil) -> dict:
    return pack_of(primary_pupil, records={"plans": [copy.deepcopy(A_RECORD)]})


def as_bytes(pack: dict) -> bytes:
    return json.dumps(pack).encode()


def with_wrong_check_letter(upn: str) -> str:
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return letters[(letters.index(upn[0]) + 1) % len(letters)] + upn[1:]


def test_a_pack_of_this_schema_version_reads_without_a_problem(good_pack):
    read = read_pack(as_bytes(good_pack), need_codes=NEEDS)
    assert read.problems == []
    assert read.is_valid


def test_a_file_that_is_not_json_is_refused_saying_so():
    read = read_pack(b"Name,UPN\nLeo Marsh,A123", need_codes=NEEDS)
    assert read.problems == ["The file is not JSON (line 1, column 1: Expecting value)."]


def test_json_that_is_not_a_transfer_pack_is_refused_saying_so():
    assert read_pack(b'{"pupils": []}', need_codes=NEEDS).problems == [
        "The file is JSON but not a transfer pack: it does not name the “senco-transfer-pack” schema."
    ]


def test_a_pack_of_another_schema_version_is_refused_naming_both_versions(good_pack):
    good_pack["schema_version"] = 2
    assert read_pack(as_bytes(good_pack), need_codes=NEEDS).problems == [
        "This pack is written in schema version 2; this system reads version 1. Ask the sending "
        "school for a version 1 pack."
    ]


def test_a_upn_with_a_wrong_check_letter_is_refused_with_the_letter_it_should_have(good_pack):
    right = good_pack["pupil"]["upn"]
    good_pack["pupil"]["upn"] = with_wrong_check_letter(right)
    assert read_pack(as_bytes(good_pack), need_codes=NEEDS).problems == [
        f"pupil → upn: {good_pack['pupil']['upn']} has the wrong check letter (it should start with "
        f"{right[0]}); check it with the sending school."
    ]


def test_a_file_twice_the_size_limit_is_refused_with_its_size_before_it_is_read():
    content = b" " * (2 * MAX_PACK_BYTES)
    assert read_pack(content, need_codes=NEEDS).problems == [
        "The file is 4.0 MB; a transfer pack may be at most 2 MB."
    ]


def test_every_problem_of_a_pack_is_listed_not_only_the_first(good_pack):
    good_pack["pupil"]["upn"] = with_wrong_check_letter(good_pack["pupil"]["upn"])
    good_pack["sen_status"]["primary_need"] = "XYZ"
    good_pack["sections"]["plans"][0]["dated_on"] = "2026-02-30"
    problems = read_pack(as_bytes(good_pack), need_codes=NEEDS).problems
    assert len(problems) == 3
    assert "sections → plans → item 1 → dated_on: 2026-02-30 is not a real date." in problems
    assert "sen_status → primary_need: XYZ is not a census need type." in problems


def test_every_place_a_pack_breaks_the_schema_is_listed_with_where_it_is(good_pack):
    del good_pack["pupil"]["date_of_birth"]
    good_pack["pupil"]["year_group"] = "six"
    good_pack["sections"]["plans"][0]["title"] = ""
    problems = read_pack(as_bytes(good_pack), need_codes=NEEDS).problems
    assert problems == [
        "pupil: 'date_of_birth' is a required property",
        "pupil → year_group: 'six' is not of type 'integer'",
        "sections → plans → item 1 → title: '' should be non-empty",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "The file is not JSON"),
        (b'{"schema": "senco-transfer-pack", "schema_version": 2}', "schema version 2"),
        (b" " * (2 * MAX_PACK_BYTES), "a transfer pack may be at most 2 MB"),
        (b"", "The file is not JSON"),
    ],
    ids=["not JSON", "another schema version", "twice the size limit", "empty"],
)
def test_an_uploaded_file_that_is_not_a_valid_pack_is_refused_beside_the_field_and_nothing_is_written(
    client, school, senco, content, message
):
    pupils_before = Pupil.objects.count()
    client.force_login(senco)
    response = client.post(
        reverse("transitions:arrival_upload"), {"file": SimpleUploadedFile("pack.json", content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncomingPack.objects.exists()
    assert Pupil.objects.count() == pupils_before
    assert not AuditEvent.objects.filter(action__startswith="transfer_pack.").exists()


def test_an_uploaded_pack_with_a_wrong_upn_check_letter_is_refused_and_nothing_is_written(
    client, school, senco, good_pack
):
    good_pack["pupil"]["upn"] = with_wrong_check_letter(good_pack["pupil"]["upn"])
    client.force_login(senco)
    response = client.post(
        reverse("transitions:arrival_upload"), {"file": SimpleUploadedFile("pack.json", as_bytes(good_pack))}
    )
    assert "has the wrong check letter" in response.content.decode()
    assert not IncomingPack.objects.exists()


def test_an_uploaded_pack_is_previewed_then_imported_into_a_new_pupil_marked_as_the_previous_schools(
    client, school, senco, good_pack, other_school, today_is
):
    today_is(date(2026, 9, 2))
    client.force_login(senco)
    response = client.post(
        reverse("transitions:arrival_upload"), {"file": SimpleUploadedFile("pack.json", as_bytes(good_pack))}
    )
    arrival = IncomingPack.objects.get()
    assert response.url == reverse("transitions:arrival_detail", args=[arrival.pk])
    assert not school.pupils.exists()
    response = client.post(response.url, {"admitted_on": "2026-09-02"})
    pupil = school.pupils.get()
    assert response.url == pupil.get_absolute_url()
    assert (pupil.first_name, pupil.admitted_on, pupil.upn) == (
        "Leo",
        date(2026, 9, 2),
        good_pack["pupil"]["upn"],
    )
    record = ImportedRecord.objects.get()
    assert (record.pupil, record.from_school_name, record.title) == (
        pupil,
        other_school.name,
        "Support plan, cycle 1",
    )
    change = pupil.sen_history.get()
    assert change.reason == f"Brought from {other_school.name} by their transfer pack."
    arrival.refresh_from_db()
    assert (arrival.state, arrival.pupil, arrival.matched_existing) == (ArrivalState.IMPORTED, pupil, False)
    assert AuditEvent.objects.filter(action="transfer_pack.imported", pupil_id=pupil.pk).exists()


def test_a_pack_whose_upn_matches_a_pupil_here_adds_its_records_to_them_and_keeps_their_own_details(
    school, senco, good_pack
):
    here = PupilFactory(school=school, upn=good_pack["pupil"]["upn"], first_name="Leon", year_group=7)
    SenStatusChangeFactory(pupil=here, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 9, 2))
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=here.upn)
    pupil = import_transfer_pack(
        arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3)
    )
    assert pupil == here
    assert school.pupils.count() == 1
    here.refresh_from_db()
    assert (here.first_name, here.year_group) == ("Leon", 7)
    assert here.sen_history.count() == 1  # their own status stands
    assert here.imported_records.count() == 1
    arrival.refresh_from_db()
    assert arrival.matched_existing


def test_a_pack_matching_a_pupil_who_has_left_here_is_refused_and_nothing_is_written(
    school, senco, good_pack
):
    PupilFactory(school=school, upn=good_pack["pupil"]["upn"], left_on=date(2026, 7, 20))
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    with pytest.raises(ValidationError, match="record is kept read-only"):
        import_transfer_pack(arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3))
    assert not ImportedRecord.objects.exists()


def test_an_import_that_fails_part_way_writes_nothing_at_all(client, school, senco, good_pack, today_is):
    # Valid against the schema, but an EHC plan with no need recorded: the pupil would be written
    # first, then the SEN status refused. The whole import is undone.
    broken = copy.deepcopy(good_pack)
    broken["sen_status"] = {"status": "ehc_plan", "primary_need": None, "secondary_need": None, "since": None}
    arrival = IncomingPackFactory(school=school, content=broken, upn=broken["pupil"]["upn"])
    today_is(date(2026, 9, 2))
    client.force_login(senco)
    response = client.post(
        reverse("transitions:arrival_detail", args=[arrival.pk]), {"admitted_on": "2026-09-02"}
    )
    assert response.status_code == 200
    assert "needs a primary need" in response.content.decode()
    assert not school.pupils.exists()
    assert not ImportedRecord.objects.exists()
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.AWAITING_REVIEW
    assert not AuditEvent.objects.filter(action="transfer_pack.imported").exists()


def test_a_pack_held_for_review_is_checked_again_in_full_at_import_listing_every_problem(
    school, senco, good_pack
):
    good_pack["sen_status"]["primary_need"] = "XYZ"
    good_pack["sections"]["plans"][0]["dated_on"] = "2026-02-30"
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    with pytest.raises(ValidationError) as refused:
        import_transfer_pack(arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3))
    assert len(refused.value.messages) == 2
    assert not school.pupils.exists()


def test_a_pack_is_imported_once_and_a_declined_pack_keeps_who_declined_it_but_not_its_content(
    school, senco, good_pack
):
    imported = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    import_transfer_pack(arrival=imported, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3))
    with pytest.raises(ValidationError, match="imported already"):
        import_transfer_pack(arrival=imported, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3))
    declined = decline_transfer_pack(arrival=IncomingPackFactory(school=school), by=senco)
    declined.refresh_from_db()
    assert (declined.state, declined.content, declined.decided_by) == (ArrivalState.DECLINED, None, senco)
    assert AuditEvent.objects.filter(action="transfer_pack.declined").count() == 1


@pytest.mark.parametrize("role", [Role.HEAD, Role.TEACHER, Role.TA, Role.GOVERNOR, Role.ADMIN])
def test_only_the_senco_team_receives_and_imports_packs(client, school, role):
    arrival = IncomingPackFactory(school=school)
    client.force_login(staff_member(role=role, school=school))
    assert client.get(reverse("transitions:arrival_list")).status_code == 403
    assert client.post(reverse("transitions:arrival_upload")).status_code == 403
    assert client.post(reverse("transitions:arrival_detail", args=[arrival.pk])).status_code == 403
    assert client.post(reverse("transitions:arrival_decline", args=[arrival.pk])).status_code == 403


def test_the_deputy_senco_reviews_an_arriving_pack(client, school):
    arrival = IncomingPackFactory(school=school)
    client.force_login(staff_member(role=Role.DEPUTY_SENCO, school=school))
    assert client.get(reverse("transitions:arrival_detail", args=[arrival.pk])).status_code == 200


def test_a_pack_that_arrived_at_another_school_is_not_found_and_cannot_be_declined(
    client, other_school, senco
):
    arrival = IncomingPackFactory(school=other_school)
    client.force_login(senco)
    assert client.get(reverse("transitions:arrival_detail", args=[arrival.pk])).status_code == 404
    assert client.post(reverse("transitions:arrival_decline", args=[arrival.pk])).status_code == 404
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.AWAITING_REVIEW
    assert "Leo" not in client.get(reverse("transitions:arrival_list")).content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_arrivals_list_takes_the_same_queries_at_one_and_three_rows(
    client, school, senco, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        IncomingPackFactory(school=school)
    client.force_login(senco)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("transitions:arrival_list"))
    assert response.content.decode().count("Awaiting review") == rows


def test_a_pupil_with_no_sen_in_the_pack_gets_no_sen_status_written(school, senco, good_pack):
    good_pack["sen_status"] = {
        "status": "no_sen",
        "primary_need": None,
        "secondary_need": None,
        "since": None,
    }
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    pupil = import_transfer_pack(
        arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3)
    )
    assert not pupil.sen_history.exists()
    assert NeedType.objects.exists()


def test_a_pack_can_go_directly_to_any_other_school_of_this_installation_but_not_its_own(senco, school):
    elsewhere = SchoolFactory(trust=None)
    assert list(schools_to_send_to(senco)) == [elsewhere]


def test_imported_history_is_on_the_pupil_page_for_leadership_but_never_for_teachers(
    client, school, senco, head, teacher, class_3a, good_pack
):
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    pupil = import_transfer_pack(
        arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3)
    )
    class_3a.pupils.add(pupil)
    client.force_login(head)
    page = client.get(pupil.get_absolute_url()).content.decode()
    assert "From the previous school" in page
    assert f"Transfer pack from {arrival.from_school_name} imported" in page
    client.force_login(teacher)
    page = client.get(pupil.get_absolute_url())
    assert page.status_code == 200
    assert "From the previous school" not in page.content.decode()
    assert "Daily reading." not in page.content.decode()


def test_a_subject_access_export_holds_the_pupils_packs_and_the_records_packs_brought(
    school, senco, good_pack, teacher
):
    arrival = IncomingPackFactory(school=school, content=good_pack, upn=good_pack["pupil"]["upn"])
    pupil = import_transfer_pack(
        arrival=arrival, admitted_on=date(2026, 9, 2), by=senco, today=date(2026, 9, 3)
    )
    pack = make_transfer_pack(pupil=pupil, include_health=False, by=senco, today=date(2026, 9, 4))
    parts = export_parts(senco, pupil=pupil, today=date(2026, 9, 4))
    [part] = [part for part in parts if part.title == "Transfer packs and records from previous schools"]
    assert [(record.kind, record.record_id, record.title) for record in part.records] == [
        ("transfer_pack", pack.pk, "Transfer pack made"),
        ("imported_record", ImportedRecord.objects.get().pk, "Support plan, cycle 1"),
    ]
    assert part.records[1].kind_label == f"From {arrival.from_school_name}"
    assert transfer_pack_parts(teacher, pupil=pupil, today=date(2026, 9, 4)) == []
