"""Exam access arrangements: recording a Form 8, an arrangement and its use as the normal way of
working; who sees which candidate's arrangements; the exam series list and its CSV for the
exams officer; the pupil page's panel and chronology."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.factories import EhcPlanFactory
from pupils.factories import PupilFactory, TeachingGroupFactory
from pupils.selectors.subject_access import export_parts
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from transitions.factories import (
    AccessArrangementFactory,
    Form8Factory,
    Form8ScoreFactory,
    NormalWayRecordFactory,
)
from transitions.models import AccessArrangement, Form8, NormalWayRecord
from transitions.pupil_page import access_arrangements_contribution
from transitions.services.access_arrangements import record_arrangement, record_form8

TODAY = date(2026, 12, 1)
BACKWARDS = (
    "Parts 2 and 3 cannot be dated before Part 1: the centre's evidence is written before the assessment."
)
BACKWARDS = (
    "Parts 2 and 3 cannot be dated before Part 1: the centre's evidence is written before the assessment."
)


@pytest.fixture
def candidate(school, class_3a):
    pupil = PupilFactory(school=school, first_name="Maya", last_name="Candidate", year_group=10)
    class_3a.pupils.add(pupil)
    return pupil


@pytest.fixture
def exams_officer(school):
    return staff_member(role=Role.EXAMS_OFFICER, school=school, first_name="Eve", last_name="Exams")


@pytest.fixture(autouse=True)
def _today(today_is):
    today_is(TODAY)


def _extra_time(pupil, *scores, approved=True):
    form8 = Form8Factory(pupil=pupil)
    for score in scores:
        Form8ScoreFactory(form8=form8, standard_score=score, test_name="SDMT")
    arrangement = AccessArrangementFactory(
        pupil=pupil,
        kind="extra_time_25",
        evidence="form_8",
        form8=form8,
        other_evidence="",
        aao_reference="AAO-123" if approved else "",
        approved_on=date(2026, 11, 20) if approved else None,
        lapses_on=date(2029, 1, 20) if approved else None,
    )
    NormalWayRecordFactory(arrangement=arrangement)
    return arrangement


# Form 8 --------------------------------------------------------------------------------------

FORM8_POST = {
    "part1_on": "2026-10-06",
    "part1_by": "Mr Hall, form tutor",
    "assessed_on": "2026-10-05",
    "assessor_name": "Dr Rowe",
    "assessor_qualification": "psychologist",
    "area_1": "processing_speed",
    "test_1": "SDMT",
    "score_1": "82",
}


def test_a_form_8_with_parts_2_and_3_dated_before_part_1_is_refused_keeping_what_was_typed(
    client, senco, candidate
):
    client.force_login(senco)
    response = client.post(reverse("transitions:form8_add", args=[candidate.pk]), FORM8_POST)
    form = response.context["form"]
    assert (
        response.status_code,
        form.errors["assessed_on"],
        form["assessor_name"].value(),
        Form8.objects.count(),
    ) == (
        200,
        [BACKWARDS],
        "Dr Rowe",
        0,
    )


def test_the_senco_records_a_form_8_with_its_scores_and_an_audit_row(client, senco, candidate):
    client.force_login(senco)
    response = client.post(
        reverse("transitions:form8_add", args=[candidate.pk]), FORM8_POST | {"part1_on": "2026-09-14"}
    )
    form8 = Form8.objects.get()
    assert (
        response.status_code,
        [(s.area, s.standard_score) for s in form8.scores.all()],
        AuditEvent.objects.filter(action="form8.recorded", pupil_id=candidate.pk).count(),
    ) == (302, [("processing_speed", 82)], 1)


def test_a_score_row_half_filled_in_is_refused(client, senco, candidate):
    client.force_login(senco)
    data = FORM8_POST | {"part1_on": "2026-09-14", "score_1": ""}
    response = client.post(reverse("transitions:form8_add", args=[candidate.pk]), data)
    assert response.context["form"].errors["score_1"] == [
        "Enter the area, the test and the standard score, or none of them."
    ]


def test_no_form_8_or_arrangement_is_recorded_for_a_pupil_below_year_9(senco, school):
    pupil = PupilFactory(school=school, year_group=8)
    with pytest.raises(ValidationError) as form8_refused:
        record_form8(
            pupil=pupil,
            scores=[],
            by=senco,
            today=TODAY,
            part1_on=date(2026, 9, 1),
            part1_by="SENCO",
            assessed_on=date(2026, 9, 2),
            assessor_name="A",
            assessor_qualification="apc",
        )
    with pytest.raises(ValidationError):
        record_arrangement(pupil=pupil, by=senco, today=TODAY, kind="rest_breaks", evidence="other")
    assert (form8_refused.value.messages, Form8.objects.count(), AccessArrangement.objects.count()) == (
        ["Access arrangements are recorded from Year 9: " + pupil.full_name + " is in Year 8."],
        0,
        0,
    )


# Arrangements --------------------------------------------------------------------------------


def test_the_senco_records_an_arrangement_and_an_approval_fills_its_lapse_date(client, senco, candidate):
    client.force_login(senco)
    data = {
        "kind": "rest_breaks",
        "evidence": "other",
        "other_evidence": "Anxiety in timed tasks.",
        "aao_reference": "AAO-9",
        "approved_on": "2026-11-20",
    }
    response = client.post(reverse("transitions:arrangement_add", args=[candidate.pk]), data)
    arrangement = AccessArrangement.objects.get()
    assert (response.status_code, arrangement.lapses_on, arrangement.recorded_by) == (
        302,
        date(2029, 1, 20),
        senco,
    )


def test_an_arrangement_on_a_form_8_names_the_form_8(client, senco, candidate):
    client.force_login(senco)
    data = {"kind": "extra_time_25", "evidence": "form_8"}
    response = client.post(reverse("transitions:arrangement_add", args=[candidate.pk]), data)
    assert (response.status_code, response.context["form"].errors["form8"]) == (
        200,
        ["Choose the Form 8 behind it."],
    )


def test_a_stale_edit_of_an_arrangement_is_refused_and_the_typing_kept(client, senco, candidate):
    arrangement = AccessArrangementFactory(pupil=candidate)
    AccessArrangement.objects.filter(pk=arrangement.pk).update(version=2, notes="Changed meanwhile")
    client.force_login(senco)
    data = {
        "kind": "rest_breaks",
        "evidence": "other",
        "other_evidence": "Mine",
        "notes": "Typed",
        "version": "1",
    }
    response = client.post(reverse("transitions:arrangement_edit", args=[arrangement.pk]), data)
    arrangement.refresh_from_db()
    assert (
        response.status_code,
        response.context["form"]["notes"].value(),
        arrangement.notes,
        bool(response.context["form"].non_field_errors()),
    ) == (200, "Typed", "Changed meanwhile", True)


def test_extra_time_without_the_scores_it_needs_shows_as_not_ready_with_the_reason(client, senco, candidate):
    _extra_time(candidate, 86, 91)
    client.force_login(senco)
    response = client.get(reverse("transitions:candidate_arrangements", args=[candidate.pk]))
    [row] = response.context["rows"]
    assert (row.readiness.label, "do not meet the rule for 25% extra time" in response.content.decode()) == (
        "Not ready",
        True,
    )


def test_extra_time_on_an_ehc_plan_in_force_is_in_place(client, senco, candidate):
    EhcPlanFactory(pupil=candidate, issued_on=date(2024, 3, 1))
    arrangement = AccessArrangementFactory(
        pupil=candidate,
        kind="extra_time_25",
        evidence="ehc_plan",
        aao_reference="AAO-1",
        approved_on=date(2026, 11, 1),
    )
    NormalWayRecordFactory(arrangement=arrangement)
    client.force_login(senco)
    response = client.get(reverse("transitions:candidate_arrangements", args=[candidate.pk]))
    assert [row.readiness.label for row in response.context["rows"]] == ["In place"]


# Teachers ------------------------------------------------------------------------------------


def test_a_teacher_sees_the_arrangements_of_pupils_they_teach_and_records_their_use(
    client, teacher, candidate
):
    arrangement = AccessArrangementFactory(pupil=candidate)
    client.force_login(teacher)
    page = client.get(reverse("transitions:candidate_arrangements", args=[candidate.pk]))
    response = client.post(
        reverse("transitions:normal_way_add", args=[arrangement.pk]),
        {"observed_on": "2026-11-25", "where": "Year 10 science mock"},
    )
    page_after = client.get(reverse("transitions:candidate_arrangements", args=[candidate.pk]))
    assert (
        page.context["rows"][0].readiness.label,
        response.status_code,
        NormalWayRecord.objects.get().recorded_by,
        page_after.context["rows"][0].readiness.label,
        page.context["can_edit"],
    ) == ("Not ready", 302, teacher, "In place", False)


def test_a_teacher_gets_404_for_the_arrangements_of_a_pupil_they_do_not_teach(client, teacher, school):
    arrangement = AccessArrangementFactory(pupil__school=school)
    TeachingGroupFactory(school=school, name="10X", pupils=[arrangement.pupil])
    client.force_login(teacher)
    answers = (
        client.get(reverse("transitions:candidate_arrangements", args=[arrangement.pupil_id])).status_code,
        client.get(reverse("transitions:normal_way_add", args=[arrangement.pk])).status_code,
    )
    assert answers == (404, 404)


def test_a_use_cannot_be_recorded_for_a_day_still_to_come(client, teacher, candidate):
    arrangement = AccessArrangementFactory(pupil=candidate)
    client.force_login(teacher)
    response = client.post(
        reverse("transitions:normal_way_add", args=[arrangement.pk]),
        {"observed_on": "2026-12-02", "where": "Mock"},
    )
    assert (
        response.status_code,
        response.context["form"].errors["observed_on"],
        NormalWayRecord.objects.count(),
    ) == (
        200,
        ["Record what has happened: the date cannot be after today."],
        0,
    )


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("ta", "transitions:normal_way_add", 403),
        ("teacher", "transitions:arrangement_edit", 403),
        ("governor", "transitions:normal_way_add", 403),
        ("other_school_senco", "transitions:arrangement_edit", 404),
        ("senco", "transitions:arrangement_edit", 200),
    ],
)
def test_who_may_change_an_arrangement_or_record_its_use(client, request, candidate, persona, name, status):
    arrangement = AccessArrangementFactory(pupil=candidate)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=[arrangement.pk])).status_code == status


# The exam series and the exams officer -------------------------------------------------------


def test_the_exams_officer_sees_the_series_list_with_only_what_running_the_exams_needs(
    client, exams_officer, candidate, school
):
    _extra_time(candidate, 80, 88)
    lapsed = AccessArrangementFactory(
        pupil__school=school, pupil__last_name="Older", lapses_on=date(2026, 10, 31)
    )
    NormalWayRecordFactory(arrangement=lapsed, observed_on=date(2026, 9, 10))
    client.force_login(exams_officer)
    response = client.get(reverse("transitions:exam_series"), {"series": "summer-2027"})
    body = response.content.decode()
    rows = [
        (row.pupil.last_name, row.arrangement.label, row.readiness.label) for row in response.context["rows"]
    ]
    assert rows == [
        ("Candidate", "25% extra time", "In place"),
        ("Older", "Supervised rest breaks", "Lapsed"),
    ]
    # Never the evidence: no scores, assessor or reasons reach the exams officer.
    assert ("SDMT" in body, "Assessor" in body, "Form 8" in body, "speed" in body) == (
        False,
        False,
        False,
        False,
    )


def test_the_series_csv_has_one_line_per_arrangement_and_no_evidence(client, exams_officer, candidate):
    _extra_time(candidate, 80, 88)
    client.force_login(exams_officer)
    response = client.get(reverse("transitions:exam_series_csv"), {"series": "november-2026"})
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert (response["Content-Disposition"], lines) == (
        'attachment; filename="access-arrangements-november-2026.csv"',
        [
            [
                "Surname",
                "First name",
                "Year",
                "Registration group",
                "Arrangement",
                "State",
                "AAO reference",
                "Lapses on",
            ],
            ["Candidate", "Maya", "10", "3A", "25% extra time", "In place", "AAO-123", "2029-01-20"],
        ],
    )


def test_downloading_the_series_csv_is_audited_once_naming_no_pupil(client, exams_officer, candidate):
    _extra_time(candidate, 80, 88)
    client.force_login(exams_officer)
    client.get(reverse("transitions:exam_series_csv"), {"series": "summer-2027"})
    rows = list(AuditEvent.objects.filter(action="exam_series.exported").values_list("summary", "pupil_id"))
    assert rows == [("Summer 2027: 1 arrangement", None)]


def test_the_series_list_leaves_out_another_schools_candidates_and_pupils_below_year_9(
    client, exams_officer, other_school, school
):
    AccessArrangementFactory(pupil__school=other_school)
    AccessArrangementFactory(pupil__school=school, pupil__year_group=8)
    AccessArrangementFactory(pupil__school=school, pupil__year_group=11, pupil__last_name="Mine")
    client.force_login(exams_officer)
    response = client.get(reverse("transitions:exam_series"))
    assert [row.pupil.last_name for row in response.context["rows"]] == ["Mine"]


def test_the_exams_officer_is_refused_the_candidate_pages(client, exams_officer, candidate):
    arrangement = AccessArrangementFactory(pupil=candidate)
    client.force_login(exams_officer)
    answers = [
        client.get(reverse(name, args=[pk])).status_code
        for name, pk in (
            ("transitions:candidate_arrangements", candidate.pk),
            ("transitions:arrangement_edit", arrangement.pk),
            ("transitions:normal_way_add", arrangement.pk),
            ("pupils:detail", candidate.pk),
        )
    ]
    assert answers == [403, 403, 403, 403]


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_classroom_staff_governors_and_the_office_get_403_for_the_series_list(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("transitions:exam_series")).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_the_series_list_queries_stay_flat(client, exams_officer, school, n, django_assert_max_num_queries):
    for _ in range(n):
        pupil = PupilFactory(school=school, year_group=11)
        TeachingGroupFactory(school=school, kind="registration", pupils=[pupil])
        _extra_time(pupil, 80, 84)
        EhcPlanFactory(pupil=pupil)
    client.force_login(exams_officer)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("transitions:exam_series"))
    assert len(response.context["rows"]) == n


# The pupil page ------------------------------------------------------------------------------


def test_the_pupil_page_shows_a_teacher_the_arrangements_and_their_chronology(client, teacher, candidate):
    _extra_time(candidate, 80, 88)
    client.force_login(teacher)
    response = client.get(reverse("pupils:detail", args=[candidate.pk]))
    body = response.content.decode()
    events = sorted(event.title for event in response.context["events"] if event.kind == "access_arrangement")
    assert ("Exam access arrangements" in body, "25% extra time: in place" in body, events) == (
        True,
        True,
        [
            "Exam access arrangement approved: 25% extra time",
            "Exam access arrangement recorded: 25% extra time",
        ],
    )


def test_the_pupil_page_shows_the_senco_the_form_8_in_the_chronology(client, senco, candidate):
    _extra_time(candidate, 80, 88)
    client.force_login(senco)
    response = client.get(reverse("pupils:detail", args=[candidate.pk]))
    events = [event.title for event in response.context["events"] if event.kind == "access_arrangement"]
    assert "Assessed for exam access arrangements (Form 8)" in events


# The SENCO's panel reads the Form 8s too; a teacher's asks once whether their groups reach the pupil.
@pytest.mark.parametrize(("persona", "queries"), [("senco", 8), ("teacher", 7)])
@pytest.mark.parametrize("n", [1, 3])
def test_the_pupil_pages_arrangements_make_the_same_queries_whatever_their_number(
    request, candidate, persona, queries, n, django_assert_max_num_queries
):
    for _ in range(n):
        _extra_time(candidate, 80, 88)
    user = request.getfixturevalue(persona)
    with django_assert_max_num_queries(queries):
        contributed = access_arrangements_contribution(user, pupil=candidate, today=TODAY)
    assert sum(event.kind == "access_arrangement" for event in contributed.events) == (
        3 * n if persona == "senco" else 2 * n
    )


def test_a_subject_access_export_holds_the_form_8_and_the_arrangement_for_handlers_only(
    senco, teacher, candidate
):
    arrangement = _extra_time(candidate, 80, 88)
    handled = [
        p for p in export_parts(senco, pupil=candidate, today=TODAY) if p.title == "Exam access arrangements"
    ]
    refused = [
        p
        for p in export_parts(teacher, pupil=candidate, today=TODAY)
        if p.title == "Exam access arrangements"
    ]
    [part] = handled
    assert (
        [(record.kind, record.record_id) for record in part.records],
        (
            "Scores",
            "Cognitive processing speed (SDMT): 80; Cognitive processing speed (SDMT): 88",
        ),
        refused,
    ) == (
        [("form8", arrangement.form8_id), ("access_arrangement", arrangement.pk)],
        next(pair for pair in part.records[0].fields if pair[0] == "Scores"),
        [],
    )
