"""The MIS import: reading every row of the file, the preview, and applying all or nothing."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pupils.factories import PupilFactory, SenStatusChangeFactory, TeachingGroupFactory, make_upn
from pupils.models import NEED_TYPES, ImportRun, Pupil, SenStatus, SenStatusChange, TeachingGroup
from pupils.rules import COLUMNS, MAX_BYTES, MAX_ROWS, Problem, parse_mis_file
from pupils.selectors.records import current_sen_status
from pupils.services.imports import CHANGED_SINCE_PREVIEW, ImportRefused, apply_import, plan_import
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 11, 24)
EXAMPLE = Path(settings.BASE_DIR) / "docs" / "mis-import-example.csv"
HEADINGS = list(COLUMNS)
CODES = {code for code, _, _ in NEED_TYPES}


def upn(serial: int) -> str:
    return make_upn(la_code="936", establishment="2417", year_of_issue=2022, serial=serial)


def row(serial: int = 1, **cells) -> dict:
    base = {
        "upn": upn(serial),
        "legal_first_name": "Ava",
        "legal_last_name": f"Pupil{serial}",
        "preferred_first_name": "",
        "preferred_last_name": "",
        "date_of_birth": "2018-10-01",
        "gender": "F",
        "nc_year": "3",
        "registration_group": "3A",
        "admission_date": "2023-09-06",
        "sen_status": "N",
        "sen_status_from": "",
        "primary_need": "",
        "secondary_need": "",
    }
    return base | cells


def csv_bytes(rows: list[dict], headings: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings or HEADINGS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def parse(content: bytes):
    return parse_mis_file(content, need_codes=CODES, today=TODAY)


def where(problems: list[Problem]) -> list[tuple]:
    return [(problem.row, problem.column) for problem in problems]


# Reading the file (pure: no database)


def test_the_example_file_reads_without_a_problem():
    parsed = parse(EXAMPLE.read_bytes())
    assert (len(parsed.rows), parsed.problems) == (10, [])
    first = parsed.rows[0]
    assert (first.fields["preferred_first_name"], first.fields["year_group"], first.sen_status) == (
        "Millie",
        0,
        SenStatus.NO_SEN,
    )
    assert parsed.rows[1].fields["date_of_birth"] == date(2020, 5, 17)  # DD/MM/YYYY
    assert "admitted_on" not in parsed.rows[4].fields  # a blank admission date is left alone


def in_digits_of(zero: str, text: str) -> str:
    """`text` with its ASCII digits written in another script's digits, from that script's zero."""
    return "".join(chr(ord(zero) + int(char)) if char.isdigit() else char for char in text)


def test_digits_of_other_scripts_are_refused_in_upns_and_dates():
    # int() reads them at face value, so only the pattern stops a UPN the ASCII one never matches.
    rows = [
        row(1, upn=in_digits_of("\u0660", upn(1))),  # Arabic-Indic
        row(2, upn=in_digits_of("\uff10", upn(2))),  # full-width
        row(3, date_of_birth=in_digits_of("\uff10", "2018-10-01")),
    ]
    assert where(parse(csv_bytes(rows)).problems) == [(2, "upn"), (3, "upn"), (4, "date_of_birth")]


def test_a_file_full_of_errors_reports_every_one_with_its_row_and_column():
    wrong_letter = "A" + upn(1)[1:] if upn(1)[0] != "A" else "B" + upn(1)[1:]
    rows = [
        row(1, upn=wrong_letter, legal_first_name=""),
        row(2, date_of_birth="31/02/2018", gender="X", nc_year="Y3"),
        row(3, sen_status="K", primary_need="XYZ"),
        row(4, sen_status="E", primary_need="NSA"),
        row(5, sen_status="N", primary_need="SLCN"),
        row(6, sen_status="K", primary_need="ASD", secondary_need="ASD"),
        row(7, sen_status="Q", admission_date="2010-01-01", registration_group=""),
        row(2),
        row(8, sen_status="M", secondary_need="SEMH", date_of_birth="2030-01-01", admission_date=""),
        row(9, sen_status="K"),
    ]
    parsed = parse(csv_bytes(rows))
    assert where(parsed.problems) == [
        (2, "upn"),
        (2, "legal_first_name"),
        (3, "date_of_birth"),
        (3, "gender"),
        (3, "nc_year"),
        (4, "primary_need"),
        (5, "primary_need"),
        (6, "primary_need"),
        (7, "secondary_need"),
        (8, "registration_group"),
        (8, "admission_date"),
        (8, "sen_status"),
        (9, "upn"),
        (10, "date_of_birth"),
        (10, "secondary_need"),
        (11, "primary_need"),
    ]
    messages = {(p.row, p.column): p.message for p in parsed.problems}
    assert messages[(2, "upn")] == "This UPN's check letter is wrong: check it against the MIS."
    assert messages[(4, "primary_need")] == (
        'Unknown need type code "XYZ": use a census code such as SLCN or ASD.'
    )
    assert (
        messages[(5, "primary_need")] == "NSA (no specialist assessment) is only valid with K (SEN support)."
    )
    assert messages[(6, "primary_need")] == "Only K or E pupils have a need type: leave it blank with N or M."
    assert messages[(9, "upn")] == "This UPN is also on row 3: each pupil once only."
    assert messages[(11, "primary_need")] == "A pupil with status K or E needs a primary need type."


def test_nsa_beside_an_assessed_need_is_a_problem_in_the_file():
    parsed = parse(
        csv_bytes(
            [
                row(1, sen_status="K", primary_need="SPLD", secondary_need="NSA"),
                row(2, sen_status="K", primary_need="NSA", secondary_need="SEMH"),
                row(3, sen_status="K", primary_need="NSA"),
            ]
        )
    )
    assert [(p.row, p.column, p.message) for p in parsed.problems] == [
        (2, "secondary_need", "NSA (no specialist assessment) cannot sit beside an assessed need."),
        (3, "primary_need", "NSA (no specialist assessment) cannot sit beside an assessed need."),
    ]


def test_unknown_and_missing_columns_are_reported_against_the_heading_row():
    headings = [h for h in HEADINGS if h not in ("gender", "sen_status")] + ["ethnicity"]
    parsed = parse(csv_bytes([row(1)], headings=headings))
    assert where(parsed.problems) == [(1, "ethnicity"), (1, "gender"), (1, "sen_status")]
    assert parsed.problems[1].message == 'The required column "gender" is missing.'


def test_headings_are_matched_whatever_their_case_and_spacing():
    headings = [h.upper().replace("_", " ") for h in HEADINGS]
    content = csv_bytes([dict(zip(headings, row(1).values(), strict=True))], headings=headings)
    assert parse(content).problems == []


def test_optional_columns_may_be_left_out_and_are_then_not_touched():
    headings = [h for h in HEADINGS if h not in ("preferred_first_name", "admission_date", "secondary_need")]
    parsed = parse(csv_bytes([row(1)], headings=headings))
    assert parsed.problems == []
    assert sorted(parsed.rows[0].fields) == [
        "date_of_birth",
        "first_name",
        "gender",
        "last_name",
        "preferred_last_name",
        "year_group",
    ]


def test_an_empty_file_and_a_file_with_only_headings_are_refused():
    assert [p.message for p in parse(b"").problems] == ["The file is empty."]
    assert [p.message for p in parse(b"\n \n").problems] == ["The file is empty."]
    assert [p.message for p in parse(csv_bytes([])).problems] == [
        "The file has column headings but no pupils."
    ]


def test_utf8_with_a_byte_order_mark_and_windows_1252_are_both_read():
    with_bom = b"\xef\xbb\xbf" + csv_bytes([row(1, legal_first_name="Zoë")])
    windows = csv_bytes([row(1, legal_first_name="Zoë")], encoding="cp1252")
    assert parse(with_bom).rows[0].fields["first_name"] == "Zoë"
    assert parse(windows).rows[0].fields["first_name"] == "Zoë"


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04\x14\x00\x06\x00",
        "upn,legal_first_name\n".encode("utf-16"),
        b"upn\n\x81\x8d\x8f\x90\x9d\n",
    ],
)
def test_a_spreadsheet_or_an_unreadable_encoding_is_refused(content):
    problems = parse(content).problems
    assert (len(problems), problems[0].row) == (1, None)
    assert "CSV UTF-8" in problems[0].message


def test_a_file_over_2_mb_is_refused_unread():
    problems = parse(b"x" * (MAX_BYTES + 1)).problems
    assert [p.message for p in problems] == ["The file is larger than 2 MB: split it into smaller files."]


def test_a_file_of_more_than_5000_pupils_is_refused():
    content = csv_bytes([row(n) for n in range(MAX_ROWS + 1)])
    assert len(content) < MAX_BYTES
    problems = parse(content).problems
    assert [p.message for p in problems] == [
        "The file has 5,001 pupils; the most at once is 5,000. Split it."
    ]


def test_nc_year_codes_and_a_row_with_extra_cells():
    content = csv_bytes([row(1, nc_year="N"), row(2, nc_year="r"), row(3, nc_year="13")])
    assert [r.fields["year_group"] for r in parse(content).rows] == [-1, 0, 13]
    extra = csv_bytes([row(1)]) + b"," * len(HEADINGS) + b"surplus\n"
    assert where(parse(extra).problems) == [
        (3, ""),
        (3, "upn"),
        (3, "legal_first_name"),
        (3, "legal_last_name"),
        (3, "registration_group"),
        (3, "date_of_birth"),
        (3, "gender"),
        (3, "nc_year"),
        (3, "sen_status"),
    ]


# Planning and applying (the database)


@pytest.fixture
def example() -> bytes:
    return EXAMPLE.read_bytes()


def apply(content: bytes, by, today=TODAY):
    plan = plan_import(school=by.school, content=content, today=today)
    return apply_import(school=by.school, content=content, fingerprint=plan.fingerprint, by=by, today=today)


def written() -> tuple[int, int, int, int, int]:
    return (
        Pupil.objects.count(),
        SenStatusChange.objects.count(),
        AuditEvent.objects.count(),
        TeachingGroup.objects.count(),
        TeachingGroup.pupils.through.objects.count(),
    )


def test_the_example_file_imports_cleanly(senco, school, example):
    plan = apply(example, senco)
    assert (len(plan.new), len(plan.updated), len(plan.unchanged), len(plan.status_changes)) == (10, 0, 0, 7)
    assert Pupil.objects.filter(school=school).count() == 10
    reuben = Pupil.objects.get(first_name="Reuben")
    change = reuben.sen_history.get()
    assert (change.status, change.primary_need.code, change.secondary_need.code, change.effective_from) == (
        SenStatus.EHC_PLAN,
        "ASD",
        "SEMH",
        date(2024, 3, 12),
    )
    assert change.reason == "Imported from the MIS on 24 November 2026."
    groups = TeachingGroup.objects.filter(school=school)
    assert sorted(groups.values_list("name", "kind")) == [
        (n, "class") for n in ["1A", "2A", "3A", "4B", "5A", "6B", "RB"]
    ]
    assert list(reuben.teaching_groups.values_list("name", flat=True)) == ["5A"]
    event = AuditEvent.objects.get(action="pupils.imported")
    assert (event.actor, event.school, event.summary) == (
        senco,
        school,
        "MIS import: 10 new, 0 updated, 0 unchanged, 7 SEN status changes",
    )
    assert AuditEvent.objects.filter(action="pupil.created").count() == 10
    assert AuditEvent.objects.filter(action="pupil.sen_status_changed").count() == 7


def test_checking_a_file_writes_nothing(senco, example):
    before = written()
    plan = plan_import(school=senco.school, content=example, today=TODAY)
    assert (len(plan.new), written()) == (10, before)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(senco, example):
    apply(example, senco)
    before = written()
    plan = apply(example, senco)
    assert (len(plan.new), len(plan.updated), len(plan.unchanged), len(plan.status_changes)) == (0, 0, 10, 0)
    assert written() == before


def test_a_changed_file_updates_the_pupils_it_names_by_upn(senco, school, example):
    apply(example, senco)
    text = example.decode().replace("Freya,Nowak,,", "Freya,Nowak-Smith,Fay,")
    text = text.replace("2023-09-06,K,,SLCN,", "2023-09-06,E,,SLCN,ASD").replace(",6,6B,", ",6,6A,")
    plan = apply(text.encode(), senco)
    assert [(p.row.upn[-5:], p.changed_columns) for p in plan.updated] == [
        ("22115", ["legal last name", "preferred first name"]),
        ("19150", ["registration group"]),
        ("20157", ["registration group"]),
    ]
    assert Pupil.objects.filter(school=school).count() == 10
    freya = Pupil.objects.get(first_name="Freya")
    assert (freya.last_name, freya.full_name) == ("Nowak-Smith", "Fay Nowak-Smith")
    latest = freya.sen_history.first()
    assert (latest.status, latest.secondary_need.code, freya.sen_history.count()) == (
        SenStatus.EHC_PLAN,
        "ASD",
        2,
    )
    kai = Pupil.objects.get(first_name="Kai")
    assert list(kai.teaching_groups.values_list("name", flat=True)) == ["6A"]
    assert AuditEvent.objects.get(action="pupil.updated").fields == ["last_name", "preferred_first_name"]


def test_a_status_matching_the_current_one_adds_no_change(senco, school, untaught_pupil):
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 9, 14)
    )
    line = row(
        1,
        upn=untaught_pupil.upn,
        sen_status="K",
        primary_need="SLCN",
        registration_group="5B",
        legal_first_name=untaught_pupil.first_name,
        legal_last_name=untaught_pupil.last_name,
        date_of_birth=untaught_pupil.date_of_birth.isoformat(),
        gender=untaught_pupil.gender,
        nc_year=str(untaught_pupil.year_group),
        admission_date=untaught_pupil.admitted_on.isoformat(),
    )
    plan = plan_import(school=school, content=csv_bytes([line]), today=TODAY)
    assert (len(plan.unchanged), plan.status_changes, plan.has_changes) == (1, [], False)
    needs_changed = plan_import(
        school=school, content=csv_bytes([{**line, "secondary_need": "SEMH"}]), today=TODAY
    )
    assert [p.row.upn for p in needs_changed.status_changes] == [untaught_pupil.upn]


def test_a_upn_used_at_another_school_becomes_a_new_pupil_of_this_school(senco, school, other_school_pupil):
    content = csv_bytes([row(1, upn=other_school_pupil.upn, legal_first_name="Isla", legal_last_name="Here")])
    plan = apply(content, senco)
    assert len(plan.new) == 1
    ours = Pupil.objects.get(school=school, upn=other_school_pupil.upn)
    other_school_pupil.refresh_from_db()
    assert (ours.last_name, other_school_pupil.last_name, other_school_pupil.school_id) == (
        "Here",
        "Away",
        other_school_pupil.school_id,
    )


def test_a_secondary_school_puts_pupils_in_registration_groups(other_school_senco, other_school):
    other_school.phase = "secondary"
    other_school.save()
    content = csv_bytes([row(1, nc_year="7", registration_group="7RD", date_of_birth="2015-10-01")])
    plan = plan_import(school=other_school, content=content, today=TODAY)
    apply_import(
        school=other_school, content=content, fingerprint=plan.fingerprint, by=other_school_senco, today=TODAY
    )
    assert list(TeachingGroup.objects.filter(school=other_school).values_list("name", "kind")) == [
        ("7RD", "registration")
    ]


def test_moving_class_takes_the_pupil_out_of_the_old_one(senco, school, taught_pupil, class_3a, teacher):
    line = row(
        1,
        upn=taught_pupil.upn,
        legal_first_name="Ava",
        legal_last_name="Taught",
        registration_group="3B",
        date_of_birth=taught_pupil.date_of_birth.isoformat(),
        gender=taught_pupil.gender,
    )
    apply(csv_bytes([line]), senco)
    assert list(taught_pupil.teaching_groups.values_list("name", flat=True)) == ["3B"]
    assert list(class_3a.pupils.all()) == []


def test_a_leaver_whose_row_would_change_them_is_a_problem(senco, school):
    leaver = PupilFactory(
        school=school, first_name="Lily", last_name="Gone", left_on=TODAY - timedelta(days=1)
    )
    content = csv_bytes([row(1, upn=leaver.upn, legal_first_name="Lily", legal_last_name="Changed")])
    plan = plan_import(school=school, content=content, today=TODAY)
    assert where(plan.problems) == [(2, "upn")]
    assert plan.problems[0].message.startswith(f"Lily Gone left on {leaver.left_on:%d/%m/%Y}")
    with pytest.raises(ImportRefused):
        apply_import(school=school, content=content, fingerprint=plan.fingerprint, by=senco, today=TODAY)
    leaver.refresh_from_db()
    assert leaver.last_name == "Gone"


def test_a_group_name_used_by_another_kind_of_group_is_a_problem(senco, school):
    TeachingGroupFactory(school=school, name="Nurture", kind="intervention")
    plan = plan_import(school=school, content=csv_bytes([row(1, registration_group="Nurture")]), today=TODAY)
    assert (where(plan.problems), plan.problems[0].message) == (
        [(2, "registration_group")],
        '"Nurture" is the name of an existing intervention group at this school: '
        "use another name for the class or form.",
    )


def test_rules_the_record_services_hold_are_checked_before_applying(senco, school, untaught_pupil):
    Pupil.objects.filter(pk=untaught_pupil.pk).update(admitted_on=date(2022, 9, 1))
    content = csv_bytes([row(1, upn=untaught_pupil.upn, date_of_birth="2023-01-01", admission_date="")])
    plan = plan_import(school=school, content=content, today=TODAY)
    assert where(plan.problems) == [(2, "admission_date")]


def test_a_row_with_a_problem_in_the_file_is_still_checked_against_the_records(senco, school):
    # Otherwise the leaver and the group clash would only show once the file's problems were fixed.
    leaver = PupilFactory(
        school=school, first_name="Lily", last_name="Gone", left_on=TODAY - timedelta(days=1)
    )
    TeachingGroupFactory(school=school, name="Nurture", kind="intervention")
    wrong_letter = ("B" if upn(3)[0] == "A" else "A") + upn(3)[1:]
    content = csv_bytes(
        [
            row(1, upn=leaver.upn, legal_last_name="Changed", gender="X"),
            row(2, registration_group="Nurture", nc_year="Y3"),
            row(3, upn=wrong_letter, registration_group="Nurture"),  # no record to check it against
            row(4, date_of_birth="2030-01-01", gender="X"),
        ]
    )
    plan = plan_import(school=school, content=content, today=TODAY)
    assert where(plan.problems) == [
        (2, "gender"),
        (2, "upn"),
        (3, "nc_year"),
        (3, "registration_group"),
        (4, "upn"),
        (5, "date_of_birth"),  # once, though the record rules refuse it too
        (5, "admission_date"),
        (5, "gender"),
    ]
    assert (plan.rows, plan.problems[1].message[:9]) == ([], "Lily Gone")


def test_applying_refuses_if_the_records_changed_since_the_check(senco, school, example):
    plan = plan_import(school=school, content=example, today=TODAY)
    PupilFactory(school=school, upn="X936241726101", first_name="Amelia", last_name="Okafor")
    before = written()
    with pytest.raises(ImportRefused) as caught:
        apply_import(school=school, content=example, fingerprint=plan.fingerprint, by=senco, today=TODAY)
    assert (str(caught.value), len(caught.value.plan.new), written()) == (CHANGED_SINCE_PREVIEW, 9, before)


def test_a_file_with_problems_writes_nothing(senco, school):
    content = csv_bytes([row(1), row(2, gender="X")])
    plan = plan_import(school=school, content=content, today=TODAY)
    before = written()
    with pytest.raises(ImportRefused):
        apply_import(school=school, content=content, fingerprint=plan.fingerprint, by=senco, today=TODAY)
    assert written() == before


@pytest.mark.parametrize("n", [1, 3])
def test_checking_a_file_takes_the_same_queries_whatever_its_length(
    senco, school, n, django_assert_max_num_queries
):
    existing = [PupilFactory(school=school) for _ in range(n)]
    rows = [row(i, upn=p.upn, sen_status="K", primary_need="SLCN") for i, p in enumerate(existing)]
    content = csv_bytes(rows + [row(100 + i) for i in range(n)])
    with django_assert_max_num_queries(6):
        plan_import(school=school, content=content, today=TODAY)


# The pages


IMPORT_URL = reverse("pupils:import")


def upload(client, content: bytes, name: str = "pupils.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


@pytest.mark.parametrize("role", [Role.SENCO, Role.DEPUTY_SENCO, Role.ADMIN])
def test_the_senco_team_and_the_administrator_open_the_import_page(client, school, role):
    client.force_login(staff_member(role=role, school=school))
    response = client.get(IMPORT_URL)
    assert (response.status_code, list(response.context["columns"])) == (200, HEADINGS)


@pytest.mark.parametrize("role", [Role.HEAD, Role.SENIOR_LEADER, Role.TEACHER, Role.TA, Role.GOVERNOR])
def test_other_roles_get_403(client, school, role, example):
    client.force_login(staff_member(role=role, school=school))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, example).status_code == 403
    assert Pupil.objects.count() == 0


def test_uploading_shows_the_preview_and_writes_nothing(client, school_admin, example):
    client.force_login(school_admin)
    before = written()
    response = upload(client, example)
    plan = response.context["plan"]
    assert (response.status_code, len(plan.new), len(plan.status_changes), written()) == (200, 10, 7, before)
    assert response.context["apply_form"].initial["fingerprint"] == plan.fingerprint
    assert "Apply the import" in response.content.decode()


def test_every_problem_is_shown_in_a_table_and_there_is_no_apply_button(client, senco):
    client.force_login(senco)
    response = upload(client, csv_bytes([row(1, gender="X"), row(2, nc_year="14")]))
    html = response.content.decode()
    assert (response.status_code, response.context["apply_form"]) == (200, None)
    assert where(response.context["plan"].problems) == [(2, "gender"), (3, "nc_year")]
    assert (
        "is not allowed here: use F or M, as in the school census." in html,
        "Apply the import" in html,
    ) == (
        True,
        False,
    )


def test_applying_from_the_preview_imports_into_the_users_school(
    client, senco, school, example, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    preview = upload(client, example)
    form = preview.context["apply_form"]
    confirm = {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT_URL, confirm)
    run = ImportRun.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("pupils:import_run", args=[run.pk]))
    assert (run.school, Pupil.objects.filter(school=school).count()) == (school, 10)
    # The file is dropped once queued: the same confirmation cannot apply it again.
    again = client.post(IMPORT_URL, confirm)
    assert (again.status_code, again["Location"]) == (302, IMPORT_URL)
    assert (ImportRun.objects.count(), AuditEvent.objects.filter(action="pupils.imported").count()) == (1, 1)


def test_applying_a_file_that_was_never_checked_does_nothing(client, senco):
    client.force_login(senco)
    response = client.post(IMPORT_URL, {"digest": "a" * 64, "fingerprint": "b" * 64}, follow=True)
    assert "no longer waiting to be imported" in response.content.decode()
    assert Pupil.objects.count() == 0


def test_another_schools_senco_imports_into_their_own_school_only(
    client, other_school_senco, school, example, django_capture_on_commit_callbacks
):
    client.force_login(other_school_senco)
    form = upload(client, example).context["apply_form"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            IMPORT_URL, {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
        )
    assert (
        Pupil.objects.filter(school=school).count(),
        Pupil.objects.filter(school=other_school_senco.school).count(),
    ) == (0, 10)


def test_uploading_nothing_re_renders_with_an_error(client, senco):
    client.force_login(senco)
    response = client.post(IMPORT_URL, {})
    assert (response.status_code, response.context["form"].errors["file"]) == (
        200,
        ["This field is required."],
    )


def test_a_file_that_matches_the_records_says_there_is_nothing_to_change(client, senco, example):
    apply(example, senco)
    client.force_login(senco)
    response = upload(client, example)
    assert (response.context["apply_form"], len(response.context["plan"].unchanged)) == (None, 10)
    assert "Nothing to change" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x" * (MAX_BYTES + 100), "The file is larger than 2 MB: split it into smaller files."),
        (
            b"PK\x03\x04\x00\x00",
            "This is not a CSV text file (it may be a spreadsheet). "
            'Save it from the MIS or spreadsheet as "CSV UTF-8" and upload that.',
        ),
    ],
)
def test_a_file_too_big_or_not_text_gets_a_plain_answer_not_an_error_page(client, senco, content, message):
    client.force_login(senco)
    response = upload(client, content)
    assert (response.status_code, [p.message for p in response.context["plan"].problems]) == (200, [message])
    assert Pupil.objects.count() == 0


# SEN status from the MIS: monitoring, EHC plans and start dates


def row_for(pupil, **cells) -> dict:
    """A row that matches the pupil's record, so only the cells given can change anything."""
    group = pupil.teaching_groups.get()
    return row(
        upn=pupil.upn,
        legal_first_name=pupil.first_name,
        legal_last_name=pupil.last_name,
        date_of_birth=pupil.date_of_birth.isoformat(),
        gender=pupil.gender,
        nc_year=str(pupil.year_group),
        registration_group=group.name,
        admission_date=pupil.admitted_on.isoformat(),
        **cells,
    )


def test_an_n_for_a_pupil_on_monitoring_keeps_monitoring(senco, school, untaught_pupil):
    # Monitoring is the school's own watch status, recorded as N in the census: the MIS says N.
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.MONITORING, effective_from=date(2026, 10, 5)
    )
    plan = apply(csv_bytes([row_for(untaught_pupil, sen_status="N")]), senco)
    assert (len(plan.unchanged), plan.status_changes) == (1, [])
    assert list(untaught_pupil.sen_history.values_list("status", flat=True)) == [SenStatus.MONITORING]


@pytest.mark.parametrize(("code", "primary_need"), [("N", ""), ("K", "SLCN"), ("M", "")])
def test_a_file_that_would_end_an_ehc_plan_is_refused_as_only_the_la_ceases_a_plan(
    senco, school, untaught_pupil, code, primary_need
):
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.EHC_PLAN, ehc_plan_date=date(2025, 3, 12))
    content = csv_bytes([row_for(untaught_pupil, sen_status=code, primary_need=primary_need)])
    plan = plan_import(school=school, content=content, today=TODAY)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (
            2,
            "sen_status",
            "Noah Elsewhere has an EHC plan, and only the local authority ceases a plan (Children and "
            "Families Act 2014 s45), so the MIS cannot end it. If the local authority has ceased it, "
            "record the change on Noah Elsewhere's page with the date of its decision, then import again.",
        )
    ]
    with pytest.raises(ImportRefused):
        apply_import(school=school, content=content, fingerprint=plan.fingerprint, by=senco, today=TODAY)
    assert untaught_pupil.sen_history.first().status == SenStatus.EHC_PLAN


def test_an_e_with_other_needs_for_a_pupil_with_an_ehc_plan_is_still_a_status_change(
    senco, school, untaught_pupil
):
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.EHC_PLAN, ehc_plan_date=date(2025, 3, 12))
    content = csv_bytes([row_for(untaught_pupil, sen_status="E", primary_need="ASD")])
    plan = plan_import(school=school, content=content, today=TODAY)
    assert (plan.problems, [p.new_status for p in plan.status_changes]) == ([], [SenStatus.EHC_PLAN])


def test_a_status_change_takes_the_start_date_the_mis_gives(senco, school, untaught_pupil):
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.MONITORING, effective_from=date(2026, 9, 7))
    line = row_for(untaught_pupil, sen_status="K", primary_need="SPLD", sen_status_from="02/11/2026")
    new = row(7, sen_status="E", primary_need="ASD", sen_status_from="2024-03-12")
    plan = apply(csv_bytes([line, new]), senco)
    assert [(p.row.row, p.effective_from) for p in plan.status_changes] == [
        (2, date(2026, 11, 2)),
        (3, date(2024, 3, 12)),
    ]
    latest = untaught_pupil.sen_history.first()
    assert (latest.status, latest.effective_from, latest.reason) == (
        SenStatus.SEN_SUPPORT,
        date(2026, 11, 2),
        "Imported from the MIS on 24 November 2026.",
    )
    assert Pupil.objects.get(upn=upn(7)).sen_history.get().effective_from == date(2024, 3, 12)


def test_without_a_start_date_a_status_change_takes_effect_on_the_day_of_the_import(senco, school):
    plan = apply(csv_bytes([row(1, sen_status="K", primary_need="SLCN", sen_status_from="")]), senco)
    assert [p.effective_from for p in plan.status_changes] == [TODAY]


def test_a_start_date_for_a_status_that_has_not_changed_is_left_alone(senco, school, untaught_pupil):
    SenStatusChangeFactory(pupil=untaught_pupil, effective_from=date(2026, 9, 14))
    line = row_for(untaught_pupil, sen_status="K", primary_need="SLCN", sen_status_from="2026-09-01")
    plan = apply(csv_bytes([line]), senco)
    assert (len(plan.unchanged), untaught_pupil.sen_history.get().effective_from) == (1, date(2026, 9, 14))


def test_a_start_date_in_the_future_or_before_birth_is_a_problem():
    rows = [
        row(1, sen_status="K", primary_need="SLCN", sen_status_from="2026-11-25"),
        row(2, sen_status="K", primary_need="SLCN", sen_status_from="2018-09-30"),
        row(3, sen_status="K", primary_need="SLCN", sen_status_from="31/09/2026"),
    ]
    messages = [(p.row, p.column, p.message) for p in parse(csv_bytes(rows)).problems]
    assert messages == [
        (2, "sen_status_from", "The SEN status cannot start in the future."),
        (3, "sen_status_from", "The SEN status cannot start before the date of birth."),
        (
            4,
            "sen_status_from",
            '"31/09/2026" is not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. 2018-04-09.',
        ),
    ]


def test_a_start_date_before_the_current_status_began_is_a_problem(senco, school, untaught_pupil):
    # The status history is in date order: an entry dated before the current one never takes effect.
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.MONITORING, effective_from=date(2026, 10, 5)
    )
    line = row_for(untaught_pupil, sen_status="K", primary_need="SLCN", sen_status_from="2026-09-14")
    plan = plan_import(school=school, content=csv_bytes([line]), today=TODAY)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (
            2,
            "sen_status_from",
            "Noah Elsewhere's current status here (Monitoring) began on 5 October 2026: a change "
            "must start on or after that date. Correct the date in the MIS, or leave it blank to "
            "start the change on the day of the import.",
        )
    ]


def test_a_change_on_the_import_day_before_a_status_that_starts_later_is_a_problem(
    senco, school, untaught_pupil
):
    # Parents can agree support before it starts, so a status may be recorded to start later.
    SenStatusChangeFactory(pupil=untaught_pupil, effective_from=date(2027, 1, 5), parents_informed_on=None)
    line = row_for(untaught_pupil, sen_status="E", primary_need="SLCN")
    plan = plan_import(school=school, content=csv_bytes([line]), today=TODAY)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (
            2,
            "sen_status",
            "Noah Elsewhere's current status here (SEN support) starts on 5 January 2027: a change "
            "must start on or after that date.",
        )
    ]


def test_the_preview_shows_when_each_status_change_starts(client, senco, school):
    content = csv_bytes(
        [row(1, sen_status="K", primary_need="SLCN", sen_status_from="2024-11-04"), row(2, sen_status="M")]
    )
    client.force_login(senco)
    html = upload(client, content).content.decode()
    today = timezone.localdate()
    assert "from 4 Nov 2024</td>" in html
    assert f"from {today.day} {today:%b %Y} (the day of the import)</td>" in html


def test_an_import_keeps_each_pupils_status_copy_in_step_with_their_history(senco):
    apply(csv_bytes([row(1, sen_status="K", primary_need="SLCN"), row(2)]), senco)
    apply(
        csv_bytes([row(1, sen_status="E", primary_need="ASD"), row(2, sen_status="K", primary_need="MLD")]),
        senco,
    )
    pupils = Pupil.objects.filter(school=senco.school).order_by("last_name")
    copies = [(p.sen_status_now, p.primary_need_now.code if p.primary_need_now else None) for p in pupils]
    assert copies == [(SenStatus.EHC_PLAN, "ASD"), (SenStatus.SEN_SUPPORT, "MLD")]
    assert copies == [
        (entry.status, entry.primary_need.code)
        for entry in (current_sen_status(p, today=TODAY) for p in pupils)
    ]
