"""The transfer pack: written from a leaver's whole SEN file, valid against its published
schema, read back into an empty school with nothing lost; health documents only when ticked;
every sending logged; and the CTF and educational record's due date on the leavers list."""

import io
import json
from datetime import date

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from pupils.factories import PupilFactory
from pupils.models import SenStatus
from senco.factories import AcademicYearFactory, SchoolFactory, TermFactory, staff_member
from senco.models import AuditEvent, Closure, Role
from transitions.models import ArrivalState, ImportedRecord, IncomingPack, PackSending, TransferPack
from transitions.rules import SECTIONS, schema
from transitions.selectors.arrivals import imported_sections
from transitions.services.arrivals import import_transfer_pack, receive_uploaded_pack
from transitions.services.transfer_packs import make_transfer_pack, record_pack_sent, send_pack_directly

pytestmark = pytest.mark.django_db


def make_pack(client, pupil, *, include_health: bool) -> TransferPack:
    data = {"include_health": "on"} if include_health else {}
    response = client.post(reverse("transitions:pack_make", args=[pupil.pk]), data)
    assert response.status_code == 302
    return TransferPack.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_a_pack_written_is_valid_against_its_schema_and_reads_back_into_an_empty_school_with_nothing_lost(
    client, school, senco, leaver, today_is
):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    pack = make_pack(client, leaver, include_health=True)
    download = client.get(reverse("transitions:pack_json", args=[pack.pk]))
    written = json.loads(download.content)
    jsonschema.Draft202012Validator(schema()).validate(written)
    filled = {name for name, records in written["sections"].items() if records}
    assert filled == {name for name, _ in SECTIONS} - {"access_arrangements"}

    empty_school = SchoolFactory(name="Northfield Academy")
    receiver = staff_member(role=Role.SENCO, school=empty_school)
    arrival = receive_uploaded_pack(content=download.content, by=receiver)
    pupil = import_transfer_pack(
        arrival=arrival, admitted_on=date(2026, 9, 2), by=receiver, today=date(2026, 9, 2)
    )

    facts = ("upn", "first_name", "last_name", "date_of_birth", "gender", "year_group", "looked_after", "eal")
    assert {name: getattr(pupil, name) for name in facts} == {name: getattr(leaver, name) for name in facts}
    assert pupil.school == empty_school
    status = pupil.sen_history.get()
    assert (status.status, status.primary_need.code, status.secondary_need.code) == (
        "ehc_plan",
        "ASD",
        "SLCN",
    )
    pupil.refresh_from_db()
    assert pupil.sen_status_now == SenStatus.EHC_PLAN
    read_back = {
        section.key: [
            {
                "dated_on": record["dated_on"].isoformat() if record["dated_on"] else None,
                "title": record["title"],
                "fields": record["fields"],
            }
            for record in section.records
        ]
        for section in imported_sections(pupil)
    }
    assert read_back == written["sections"]
    assert set(ImportedRecord.objects.filter(pupil=pupil).values_list("from_school_name", flat=True)) == {
        school.name
    }


def test_the_pack_holds_each_part_of_the_sen_file_in_words_a_receiving_school_can_read(
    client, senco, leaver, today_is
):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    content = make_pack(client, leaver, include_health=False).content
    text = json.dumps(content)
    for expected in (
        "My dog Biscuit and my grandad.",  # the one-page profile
        "She reads signs in the street now.",  # the parents' view at a plan review
        "Impact (exit score less entry score)",
        "Speech and language assessment",  # a report, and its advice
        "Give instructions one step at a time",
        "Latest annual review of the EHC plan",
        "I want to go to big school.",
        "Maria Jones (Mother)",  # consent, and who gave it
    ):
        assert expected in text
    impact = next(
        field["value"]
        for record in content["sections"]["provision"]
        for field in record["fields"]
        if field["label"].startswith("Impact")
    )
    assert impact == "8.0"


def test_health_documents_are_left_out_of_a_pack_unless_the_senco_ticks_them_in(
    client, senco, leaver, today_is
):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    without = make_pack(client, leaver, include_health=False)
    with_health = make_pack(client, leaver, include_health=True)
    assert "Community paediatrics letter" not in json.dumps(without.content)
    assert without.content["health_documents_included"] is False
    assert [record["title"] for record in with_health.content["sections"]["health_documents"]] == [
        "Health document: Community paediatrics letter"
    ]


def test_the_pack_pdf_is_an_a4_document_naming_the_pupil_and_each_section(client, senco, leaver, today_is):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    pack = make_pack(client, leaver, include_health=False)
    response = client.get(reverse("transitions:pack_pdf", args=[pack.pk]))
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Amira Okafor" in text
    assert "Support plans and reviews" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_making_sending_and_downloading_a_pack_each_write_an_audit_row(client, senco, leaver, today_is):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    pack = make_pack(client, leaver, include_health=False)
    client.post(
        reverse("transitions:pack_sent", args=[pack.pk]),
        {"sent_to": "Northfield Academy, Mr Patel (SENCO)", "method": "s2s", "sent_on": "2026-07-21"},
    )
    client.get(reverse("transitions:pack_json", args=[pack.pk]))
    client.get(reverse("transitions:pack_pdf", args=[pack.pk]))
    rows = AuditEvent.objects.filter(action__startswith="transfer_pack.", pupil_id=leaver.pk)
    assert sorted(rows.values_list("action", "summary")) == [
        ("transfer_pack.downloaded", "JSON"),
        ("transfer_pack.downloaded", "PDF"),
        ("transfer_pack.made", "without health documents"),
        ("transfer_pack.sent", "School to School (S2S) secure transfer"),
    ]
    sending = PackSending.objects.get()
    assert (sending.sent_to, sending.sent_on, sending.recorded_by) == (
        "Northfield Academy, Mr Patel (SENCO)",
        date(2026, 7, 21),
        senco,
    )


def test_a_sending_dated_before_the_pack_was_made_is_refused_keeping_what_was_typed(
    client, senco, leaver, today_is
):
    today_is(date(2026, 7, 21))
    client.force_login(senco)
    pack = make_pack(client, leaver, include_health=False)
    response = client.post(
        reverse("transitions:pack_sent", args=[pack.pk]),
        {"sent_to": "Northfield Academy", "method": "s2s", "sent_on": "2020-01-06"},
    )
    assert response.status_code == 200
    assert "A pack cannot be sent before it was made." in response.content.decode()
    assert 'value="Northfield Academy"' in response.content.decode()
    assert not PackSending.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SENCO, 200), (Role.HEAD, 200), (Role.TEACHER, 403), (Role.TA, 403), (Role.GOVERNOR, 403)],
)
def test_a_pupils_packs_are_for_the_senco_team_and_leadership_only(client, school, leaver, role, status):
    client.force_login(staff_member(role=role, school=school))
    assert client.get(reverse("transitions:pupil_packs", args=[leaver.pk])).status_code == status


def test_leadership_reads_a_pack_but_only_the_senco_team_makes_or_sends_one(client, school, head, leaver):
    pack = make_transfer_pack(
        pupil=leaver,
        include_health=False,
        by=staff_member(role=Role.SENCO, school=school),
        today=date(2026, 7, 21),
    )
    client.force_login(head)
    assert client.get(reverse("transitions:pack_detail", args=[pack.pk])).status_code == 200
    assert client.post(reverse("transitions:pack_make", args=[leaver.pk])).status_code == 403
    assert client.post(reverse("transitions:pack_sent", args=[pack.pk])).status_code == 403
    assert client.post(reverse("transitions:pack_send_directly", args=[pack.pk])).status_code == 403
    assert TransferPack.objects.count() == 1


def test_another_schools_pack_and_pupil_are_not_found(client, other_school_senco, leaver, school):
    pack = make_transfer_pack(
        pupil=leaver,
        include_health=False,
        by=staff_member(role=Role.SENCO, school=school),
        today=date(2026, 7, 21),
    )
    client.force_login(other_school_senco)
    for url in (
        reverse("transitions:pupil_packs", args=[leaver.pk]),
        reverse("transitions:pack_make", args=[leaver.pk]),
        reverse("transitions:pack_detail", args=[pack.pk]),
        reverse("transitions:pack_json", args=[pack.pk]),
        reverse("transitions:pack_pdf", args=[pack.pk]),
        reverse("transitions:pack_sent", args=[pack.pk]),
    ):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="transfer_pack.downloaded").exists()


def test_a_pack_sent_directly_waits_for_the_receiving_senco_and_writes_nothing_there_until_they_import_it(
    client, school, senco, leaver, today_is
):
    today_is(date(2026, 7, 21))
    secondary = SchoolFactory(name="Northfield Academy")
    their_senco = staff_member(role=Role.SENCO, school=secondary)
    their_head = staff_member(role=Role.HEAD, school=secondary)
    client.force_login(senco)
    pack = make_pack(client, leaver, include_health=False)
    response = client.post(
        reverse("transitions:pack_send_directly", args=[pack.pk]), {"to_school": secondary.pk}
    )
    assert response.status_code == 302
    arrival = IncomingPack.objects.get()
    assert (arrival.school, arrival.state, arrival.from_school_name) == (
        secondary,
        ArrivalState.AWAITING_REVIEW,
        school.name,
    )
    assert PackSending.objects.get().method == "direct"
    # The sender cannot open it at the receiving school; their head cannot review it.
    assert client.get(reverse("transitions:arrival_detail", args=[arrival.pk])).status_code == 404
    client.force_login(their_head)
    assert client.get(reverse("transitions:arrival_detail", args=[arrival.pk])).status_code == 403
    client.force_login(their_senco)
    listing = client.get(reverse("transitions:arrival_list")).content.decode()
    assert "Amira Okafor" in listing
    assert "Awaiting review" in listing
    preview = client.get(reverse("transitions:arrival_detail", args=[arrival.pk])).content.decode()
    assert "importing adds a new pupil" in preview
    assert "She reads signs in the street now." in preview
    assert not secondary.pupils.exists()
    assert not ImportedRecord.objects.exists()

    today_is(date(2026, 9, 2))
    client.post(reverse("transitions:arrival_detail", args=[arrival.pk]), {"admitted_on": "2026-09-02"})
    pupil = secondary.pupils.get()
    assert pupil.upn == leaver.upn
    page = client.get(pupil.get_absolute_url()).content.decode()
    assert "From the previous school" in page
    assert f"From {school.name}" in page
    actions = set(
        AuditEvent.objects.filter(action__startswith="transfer_pack.").values_list("action", "school")
    )
    assert actions >= {
        ("transfer_pack.sent", school.pk),
        ("transfer_pack.received", secondary.pk),
        ("transfer_pack.reviewed", secondary.pk),
        ("transfer_pack.imported", secondary.pk),
    }


def test_a_pack_goes_to_another_school_never_back_to_its_own(school, senco, leaver):
    pack = make_transfer_pack(pupil=leaver, include_health=False, by=senco, today=date(2026, 7, 21))
    with pytest.raises(ValidationError, match="another school"):
        send_pack_directly(pack=pack, to_school=school, by=senco, today=date(2026, 7, 21))
    assert not PackSending.objects.exists()


def a_school_year_with_an_october_half_term(school):
    """2025/26: autumn term 3 September to 19 December 2025 with half-term 27 to 31 October."""
    year = AcademicYearFactory(school=school, start_year=2025)
    TermFactory(academic_year=year, season="autumn", starts_on=date(2025, 9, 3), ends_on=date(2025, 12, 19))
    TermFactory(academic_year=year, season="spring", starts_on=date(2026, 1, 5), ends_on=date(2026, 3, 27))
    TermFactory(academic_year=year, season="summer", starts_on=date(2026, 4, 13), ends_on=date(2026, 7, 21))
    Closure.objects.create(
        academic_year=year, kind="half_term", starts_on=date(2025, 10, 27), ends_on=date(2025, 10, 31)
    )


def test_the_leavers_list_shows_the_ctf_due_15_school_days_on_past_half_term_and_whether_the_pack_went(
    client, school, senco, today_is
):
    a_school_year_with_an_october_half_term(school)
    # Left on Monday 20 October 2025: five school days that week, the half-term week not
    # counted, then ten more: due Friday 14 November (Friday 7 November without the half-term).
    sent = PupilFactory(school=school, left_on=date(2025, 10, 20), last_name="Abbott")
    PupilFactory(school=school, left_on=date(2025, 10, 20), last_name="Zeller")
    pack = make_transfer_pack(pupil=sent, include_health=False, by=senco, today=date(2025, 10, 21))
    record_pack_sent(
        pack=pack, sent_to="Northfield Academy", method="s2s", sent_on=date(2025, 10, 22), by=senco
    )
    today_is(date(2025, 11, 17))
    client.force_login(senco)
    page = client.get(reverse("pupils:leavers")).content.decode()
    assert "CTF and educational record" in page
    assert "Due 14 November 2025; pack sent" in page
    assert "Due 14 November 2025; no pack sent (overdue)" in page


def test_the_leavers_list_shows_no_transfer_column_to_a_school_administrator(client, school, school_admin):
    PupilFactory(school=school, left_on=date(2025, 10, 20))
    client.force_login(school_admin)
    response = client.get(reverse("pupils:leavers"))
    assert response.status_code == 200
    assert "CTF and educational record" not in response.content.decode()


@pytest.mark.parametrize("leavers", [1, 3])
def test_the_leavers_list_with_its_transfer_column_takes_the_same_queries_at_one_and_three_rows(
    client, school, senco, leavers, django_assert_max_num_queries
):
    for _ in range(leavers):
        pupil = PupilFactory(school=school, left_on=date(2025, 10, 20))
        make_transfer_pack(pupil=pupil, include_health=False, by=senco, today=date(2025, 10, 21))
    client.force_login(senco)
    client.get(reverse("pupils:leavers"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pupils:leavers")).status_code == 200
