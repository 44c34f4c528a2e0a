"""Subject access requests: logged by the SENCO team or the school office, due a calendar month
after receipt (or after the ID asked for arrives), extendable within the first month, exported
as a PDF and a JSON file with everything held about the pupil (provision's records included)
except what the SENCO withholds, released once, and audited throughout."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agencies.factories import (
    AdviceFactory,
    AssessmentRequestFactory,
    ClockExemptionFactory,
    ConsentFactory,
    InvolvementFactory,
    ReferralFactory,
    ReportFactory,
)
from provision.factories import PlacementFactory, SupportPlanFactory
from provision.models import PlanReview, ReviewComment, TopUp
from provision.services.delivery import record_session
from provision.services.plans import record_plan_shared
from pupils.factories import (
    CarerFactory,
    ConcernFactory,
    ContactLogEntryFactory,
    PassportFactory,
    PupilFactory,
    SubjectAccessRequestFactory,
)
from pupils.models import SubjectAccessRequest, WithheldRecord
from pupils.selectors.subject_access import Timing, build_export, export_parts, timing
from pupils.services.subject_access import (
    extend_subject_access_request,
    include_record,
    log_subject_access_request,
    prepare_subject_access_export,
    queue_subject_access_export,
    release_subject_access_request,
    withhold_record,
)
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 11, 24)
CONCERN_TEXT = "Covers ears in assembly and hides under the table when the bell rings."
WITHHELD_TEXT = "Told the TA about what happens at home at the weekend."
# The list page: the session, the user and their roles, the released requests' count and page,
# and the open requests.
QUERIES = 6


@pytest.fixture
def sar(taught_pupil, senco):
    return SubjectAccessRequestFactory(
        pupil=taught_pupil, logged_by=senco, received_on=date(2026, 11, 2), requester_name="Grace Taught"
    )


@pytest.fixture
def recent_sar(taught_pupil, senco):
    """A request received a week ago, so that its first month is still running today."""
    received = timezone.localdate() - timedelta(days=7)
    return SubjectAccessRequestFactory(
        pupil=taught_pupil, logged_by=senco, received_on=received, identity_checked_on=received
    )


def pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)


def prepared(sar, by):
    """The request's export prepared, as the task does in the background once it is queued."""
    export = queue_subject_access_export(sar=sar, by=by)
    return prepare_subject_access_export(export_id=export.pk, today=timezone.localdate())


def actions_about(pupil) -> list[str]:
    return list(AuditEvent.objects.filter(pupil_id=pupil.pk).order_by("id").values_list("action", flat=True))


# When it is due


def test_the_month_counts_from_receipt(sar):
    assert timing(sar, today=TODAY) == Timing(
        date(2026, 12, 2), date(2026, 12, 2), "open", "Open", can_extend=True
    )


def test_the_month_counts_from_the_day_the_id_asked_for_arrives(sar):
    sar.information_requested_on = date(2026, 11, 3)
    assert (timing(sar, today=TODAY).state, timing(sar, today=TODAY).due_on) == ("waiting", None)
    sar.information_received_on = date(2026, 11, 10)
    assert timing(sar, today=TODAY).due_on == date(2026, 12, 10)


def test_a_request_past_its_due_date_is_overdue_until_released(sar):
    assert timing(sar, today=date(2026, 12, 3)).state == "overdue"
    sar.released_on = date(2026, 12, 3)
    assert timing(sar, today=date(2026, 12, 3)).label == "Released on 3 December 2026, after the due date"


def test_id_cannot_arrive_before_it_was_asked_for(sar):
    sar.information_requested_on = date(2026, 11, 10)
    sar.information_received_on = date(2026, 11, 9)
    with pytest.raises(ValidationError) as error:
        sar.full_clean()
    assert error.value.message_dict == {
        "information_received_on": ["It cannot arrive before you asked for it."]
    }


# Extensions


def test_an_extension_within_the_first_month_moves_the_due_date(sar, senco):
    extended = extend_subject_access_request(
        sar=sar, version=1, months=2, reason="Ten years of records across two schools.", by=senco, today=TODAY
    )
    assert (extended.extended_on, timing(extended, today=TODAY).due_on) == (TODAY, date(2027, 2, 2))
    event = AuditEvent.objects.get(action="subject_access.extended")
    assert (event.pupil_id, event.fields) == (sar.pupil_id, ["extended_months", "extension_reason"])


def test_an_extension_on_the_last_day_of_the_first_month_is_accepted(sar, senco):
    extend_subject_access_request(
        sar=sar, version=1, months=1, reason="Complex.", by=senco, today=date(2026, 12, 2)
    )
    assert SubjectAccessRequest.objects.get(pk=sar.pk).extended_months == 1


def test_an_extension_recorded_after_the_original_due_date_is_refused(sar, senco):
    with pytest.raises(ValidationError, match="within the first month: it ended on 2 December 2026"):
        extend_subject_access_request(
            sar=sar, version=1, months=2, reason="Complex.", by=senco, today=date(2026, 12, 3)
        )
    assert SubjectAccessRequest.objects.get(pk=sar.pk).extended_months == 0


def test_no_extension_before_the_month_has_started(sar, senco):
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(information_requested_on=date(2026, 11, 3))
    sar.refresh_from_db()
    with pytest.raises(ValidationError, match="waiting for ID or clarification"):
        extend_subject_access_request(sar=sar, version=1, months=1, reason="Complex.", by=senco, today=TODAY)


def test_the_extension_page_refuses_a_late_extension_and_keeps_what_was_typed(client, senco, sar):
    # Received 40 days ago: whatever today is, the first month is over.
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(
        received_on=timezone.localdate() - timedelta(days=40)
    )
    client.force_login(senco)
    typed = {"version": 1, "months": 2, "reason": "Records held by two schools."}
    response = client.post(reverse("pupils:subject_access_extend", args=[sar.pk]), typed)
    form = response.context["form"]
    assert (
        response.status_code,
        form["reason"].value(),
        "within the first month" in form.non_field_errors()[0],
    ) == (
        200,
        "Records held by two schools.",
        True,
    )


def test_the_extension_page_needs_a_reason(client, senco, recent_sar):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:subject_access_extend", args=[recent_sar.pk]), {"version": 1, "months": 1}
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["reason"])


def test_the_extension_page_extends_a_request_in_its_first_month(client, senco, recent_sar):
    client.force_login(senco)
    data = {"version": 1, "months": 1, "reason": "Records held by two schools."}
    response = client.post(reverse("pupils:subject_access_extend", args=[recent_sar.pk]), data)
    assert (response.status_code, SubjectAccessRequest.objects.get(pk=recent_sar.pk).extended_months) == (
        302,
        1,
    )


# Logging and changing a request


def test_the_senco_logs_a_request(client, senco, taught_pupil):
    client.force_login(senco)
    today = timezone.localdate()
    data = {
        "pupil": taught_pupil.pk,
        "requester_name": "Grace Taught",
        "requester_relationship": "parent",
        "received_on": today.isoformat(),
        "identity_checked_how": "Known to the office.",
        "identity_checked_on": today.isoformat(),
    }
    response = client.post(reverse("pupils:subject_access_add"), data)
    sar = SubjectAccessRequest.objects.get()
    assert (response.status_code, response["Location"]) == (302, sar.get_absolute_url())
    assert (sar.pupil, sar.school, sar.logged_by, sar.requester_name) == (
        taught_pupil,
        taught_pupil.school,
        senco,
        "Grace Taught",
    )
    event = AuditEvent.objects.get(action="subject_access.logged")
    assert (event.pupil_id, event.object_id) == (taught_pupil.pk, str(sar.pk))


def test_a_request_received_tomorrow_is_refused_and_what_was_typed_kept(client, school_admin, taught_pupil):
    client.force_login(school_admin)
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "pupil": taught_pupil.pk,
        "requester_name": "Grace Taught",
        "requester_relationship": "parent",
        "received_on": tomorrow.isoformat(),
    }
    response = client.post(reverse("pupils:subject_access_add"), data)
    form = response.context["form"]
    assert (response.status_code, form.errors["received_on"], form["requester_name"].value()) == (
        200,
        ["This date is in the future."],
        "Grace Taught",
    )
    assert not SubjectAccessRequest.objects.exists()


def test_another_schools_pupil_cannot_be_chosen(client, senco, other_school_pupil):
    client.force_login(senco)
    data = {
        "pupil": other_school_pupil.pk,
        "requester_name": "Someone",
        "requester_relationship": "parent",
        "received_on": timezone.localdate().isoformat(),
    }
    response = client.post(reverse("pupils:subject_access_add"), data)
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["pupil"])
    assert not SubjectAccessRequest.objects.exists()


def test_a_request_for_a_pupil_who_has_left_can_be_logged(senco, taught_pupil):
    taught_pupil.left_on = date(2026, 7, 22)
    taught_pupil.save()
    sar = log_subject_access_request(
        pupil=taught_pupil,
        requester_name="Ava Taught",
        requester_relationship="pupil",
        received_on=TODAY,
        by=senco,
        today=TODAY,
    )
    assert sar.pupil == taught_pupil


def test_recording_that_the_id_arrived_starts_the_month(client, senco, sar):
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(information_requested_on=date(2026, 11, 3))
    client.force_login(senco)
    page = client.get(reverse("pupils:subject_access_edit", args=[sar.pk]))
    data = {**page.context["form"].initial, "information_received_on": "2026-11-16"}
    data = {name: value for name, value in data.items() if value is not None}
    response = client.post(reverse("pupils:subject_access_edit", args=[sar.pk]), data)
    sar.refresh_from_db()
    assert (response.status_code, timing(sar, today=TODAY).due_on, sar.version) == (
        302,
        date(2026, 12, 16),
        2,
    )
    assert AuditEvent.objects.get(action="subject_access.updated").fields == ["information_received_on"]


def test_an_edit_over_someone_elses_change_is_refused_and_what_was_typed_kept(client, senco, sar):
    client.force_login(senco)
    page = client.get(reverse("pupils:subject_access_edit", args=[sar.pk]))
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(version=2, notes="Asked for the plans only.")
    data = {name: value for name, value in page.context["form"].initial.items() if value is not None}
    data["notes"] = "My note."
    response = client.post(reverse("pupils:subject_access_edit", args=[sar.pk]), data)
    form = response.context["form"]
    assert (response.status_code, form["notes"].value(), form["version"].value()) == (200, "My note.", 2)
    assert "Someone else changed this request" in form.non_field_errors()[0]


# Who may


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_the_senco_team_and_the_office_open_the_list_and_a_request(client, request, persona, senco, sar):
    prepared(sar, senco)
    client.force_login(request.getfixturevalue(persona))
    answers = [
        client.get(reverse(name, args=args)).status_code
        for name, args in [
            ("pupils:subject_access_list", []),
            ("pupils:subject_access_detail", [sar.pk]),
            ("pupils:subject_access_records", [sar.pk]),
            ("pupils:subject_access_json", [sar.pk]),
        ]
    ]
    assert answers == [200, 200, 200, 200]


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "governor"])
def test_other_roles_are_refused(client, request, persona, sar):
    client.force_login(request.getfixturevalue(persona))
    answers = {
        client.get(reverse("pupils:subject_access_list")).status_code,
        client.get(reverse("pupils:subject_access_detail", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_pdf", args=[sar.pk])).status_code,
    }
    assert answers == {403}


def test_another_schools_request_is_not_found(client, other_school_senco, sar):
    client.force_login(other_school_senco)
    answers = {
        client.get(reverse(name, args=[sar.pk])).status_code
        for name in (
            "pupils:subject_access_detail",
            "pupils:subject_access_pdf",
            "pupils:subject_access_json",
        )
    }
    assert (answers, AuditEvent.objects.filter(pupil_id=sar.pupil_id).exists()) == ({404}, False)


def test_the_office_may_not_withhold_a_record(client, school_admin, sar, concern):
    client.force_login(school_admin)
    data = {"kind": "concern", "record_id": concern.pk, "reason": "third_party"}
    response = client.post(reverse("pupils:subject_access_withhold", args=[sar.pk]), data)
    assert (response.status_code, WithheldRecord.objects.exists()) == (403, False)


def test_the_records_page_offers_withholding_to_the_senco_team_only(
    client, senco, school_admin, sar, concern
):
    offered = []
    for user in (senco, school_admin):
        client.force_login(user)
        offered.append(
            client.get(reverse("pupils:subject_access_records", args=[sar.pk])).context["can_withhold"]
        )
    assert offered == [True, False]


def test_the_menu_offers_subject_access_requests_to_the_senco_team_and_the_office(
    client, senco, school_admin, head
):
    offered = []
    for user in (senco, school_admin, head):
        client.force_login(user)
        labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
        offered.append("Subject access requests" in labels)
    assert offered == [True, True, False]


# The list


def test_the_list_shows_open_requests_soonest_due_first_and_released_ones_apart(client, senco, school):
    today = timezone.localdate()
    later = SubjectAccessRequestFactory(pupil__school=school, received_on=today - timedelta(days=2))
    sooner = SubjectAccessRequestFactory(pupil__school=school, received_on=today - timedelta(days=9))
    waiting = SubjectAccessRequestFactory(
        pupil__school=school, received_on=today - timedelta(days=20), information_requested_on=today
    )
    released = SubjectAccessRequestFactory(
        pupil__school=school, received_on=today - timedelta(days=30), released_on=today
    )
    SubjectAccessRequestFactory(pupil__school=PupilFactory().school)  # another school's
    client.force_login(senco)
    response = client.get(reverse("pupils:subject_access_list"))
    assert (list(response.context["open_requests"]), response.context["released"]) == (
        [sooner, later, waiting],
        [released],
    )


@pytest.mark.parametrize("n", [1, 3])
def test_the_list_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    today = timezone.localdate()
    for _ in range(n):
        SubjectAccessRequestFactory(pupil__school=school, received_on=today)
        SubjectAccessRequestFactory(pupil__school=school, received_on=today, released_on=today)
    client.force_login(senco)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse("pupils:subject_access_list"))
    assert (len(response.context["open_requests"]), len(response.context["released"])) == (n, n)


# The export


@pytest.fixture
def full_record(taught_pupil, senco, teacher, ta):
    """A pupil with something in every part of the export."""
    ConcernFactory(pupil=taught_pupil, raised_by=teacher, raised_on=date(2026, 10, 5), observed=CONCERN_TEXT)
    CarerFactory(pupil=taught_pupil, name="Grace Taught", relationship="Mother")
    ContactLogEntryFactory(pupil=taught_pupil, recorded_by=senco, summary="Agreed a reading plan with mum.")
    PassportFactory(pupil=taught_pupil, written_by=senco, strengths="Builds brilliant Lego models.")
    plan = SupportPlanFactory(pupil=taught_pupil, strategies="Pre-teach vocabulary before each topic.")
    record_plan_shared(plan=plan, version=plan.version, shared_on=plan.started_on, by=senco, today=TODAY)
    PlanReview.objects.create(plan=plan, held_on=date(2026, 12, 10), pupil_view="I like the reading games.")
    ReviewComment.objects.create(plan=plan, author=teacher, body="Reads aloud with more confidence.")
    placement = PlacementFactory(pupil=taught_pupil, group__intervention__school=taught_pupil.school)
    group = placement.group
    for held_on, absent in [(date(2026, 9, 14), []), (date(2026, 9, 16), [taught_pupil])]:
        record_session(group=group, held_on=held_on, status="delivered", by=senco, today=TODAY, absent=absent)
    TopUp.objects.create(school=taught_pupil.school, pupil=taught_pupil, financial_year=2026, amount=8000)
    return taught_pupil


def test_the_export_holds_every_part_of_the_record_from_both_apps(senco, sar, full_record):
    parts = {
        part.title: [record.kind for record in part.records]
        for part in export_parts(senco, pupil=full_record, today=TODAY)
    }
    assert parts == {
        "Pupil record": ["pupil"],
        "SEN status history": [],
        "Concerns": ["concern"],
        "Parents and carers": ["carer"],
        "Contact log": ["contact"],
        "Pupil passports": ["passport"],
        "Support plans and reviews": ["plan", "plan_review", "plan_comment", "plan_version"],
        "Interventions and sessions": ["placement", "sessions"],
        "High-needs funding": ["top_up"],
    }


def test_the_sessions_record_counts_those_attended(senco, sar, full_record):
    [part] = [
        part
        for part in export_parts(senco, pupil=full_record, today=TODAY)
        if part.title.startswith("Interventions")
    ]
    sessions = dict(part.records[1].fields)
    assert (sessions["Sessions held while in the group"], sessions["Attended"], sessions["Absent on"]) == (
        "2",
        "1",
        "16 September 2026",
    )


def test_nobody_but_a_handler_gets_an_export(head, teacher, full_record):
    assert [export_parts(user, pupil=full_record, today=TODAY) for user in (head, teacher)] == [[], []]


def test_the_pdf_holds_the_record_and_lists_what_is_withheld_without_its_content(
    client, senco, sar, full_record
):
    withheld = ConcernFactory(pupil=full_record, raised_on=date(2026, 11, 3), observed=WITHHELD_TEXT)
    withhold_record(sar=sar, kind="concern", record_id=withheld.pk, reason="abuse", by=senco, today=TODAY)
    prepared(sar, senco)
    client.force_login(senco)
    response = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    text = " ".join(pdf_text(response).split())
    assert (response["Content-Type"], "Ava Taught" in text, CONCERN_TEXT in text, WITHHELD_TEXT in text) == (
        "application/pdf",
        True,
        True,
        False,
    )
    reason = "Information about abuse that it is not in the child's interests to disclose"
    assert f"Withheld: Concern 3 November 2026 {reason}" in text
    assert ("Pre-teach vocabulary before each topic." in text, "Draft, not yet released." in text) == (
        True,
        True,
    )


def test_the_json_file_has_the_parts_the_records_and_the_withholdings(client, senco, sar, full_record):
    concern = full_record.concerns.get()
    withhold_record(
        sar=sar, kind="concern", record_id=concern.pk, reason="third_party", by=senco, today=TODAY
    )
    prepared(sar, senco)
    client.force_login(senco)
    response = client.get(reverse("pupils:subject_access_json", args=[sar.pk]))
    export = json.loads(response.getvalue())
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{sar.pk}.json"'
    assert (export["format"], export["reference"], export["pupil"]["date_of_birth"]) == (
        "senco-subject-access-export/1",
        f"SAR-{sar.pk}",
        full_record.date_of_birth.isoformat(),
    )
    assert export["request"] == {
        "requester": "Grace Taught",
        "relationship": "Parent or carer",
        "received_on": "2026-11-02",
        "due_on": "2026-12-02",
    }
    parts = {part["title"]: part["records"] for part in export["parts"]}
    assert (parts["Concerns"], export["withheld"]) == (
        [],
        [
            {
                "record": "Concern",
                "date": "2026-10-05",
                "reason": "Information about another person (third-party data)",
            }
        ],
    )
    [top_up] = parts["High-needs funding"]
    assert top_up == {
        "kind": "top_up",
        "record": "High-needs top-up (element 3)",
        "date": None,
        "title": "Financial year 2026-27",
        "fields": [{"label": "Top-up for the year", "value": "£8,000.00"}],
    }


def test_withholding_again_changes_the_reason_and_including_puts_it_back(senco, sar, concern):
    for reason in ("third_party", "serious_harm"):
        withhold_record(sar=sar, kind="concern", record_id=concern.pk, reason=reason, by=senco, today=TODAY)
    assert list(sar.withheld.values_list("reason", flat=True)) == ["serious_harm"]
    include_record(sar=sar, kind="concern", record_id=concern.pk, by=senco)
    assert (sar.withheld.exists(), build_export(senco, sar=sar, today=TODAY)["withheld"]) == (False, [])


def test_the_pupils_own_record_cannot_be_withheld(senco, sar):
    with pytest.raises(ValidationError, match="cannot be withheld"):
        withhold_record(
            sar=sar, kind="pupil", record_id=sar.pupil_id, reason="serious_harm", by=senco, today=TODAY
        )


def test_a_record_about_another_pupil_cannot_be_withheld(senco, sar, untaught_pupil):
    other = ConcernFactory(pupil=untaught_pupil)
    with pytest.raises(ValidationError, match="not part of this pupil's export"):
        withhold_record(
            sar=sar, kind="concern", record_id=other.pk, reason="third_party", by=senco, today=TODAY
        )


def test_the_withhold_page_action_withholds_and_returns_to_the_record(client, senco, sar, concern):
    client.force_login(senco)
    data = {"kind": "concern", "record_id": concern.pk, "reason": "reference"}
    response = client.post(reverse("pupils:subject_access_withhold", args=[sar.pk]), data)
    assert (
        response["Location"]
        == reverse("pupils:subject_access_records", args=[sar.pk]) + f"#concern-{concern.pk}"
    )
    assert list(sar.withheld.values_list("kind", "record_id", "reason", "withheld_by")) == [
        ("concern", concern.pk, "reference", senco.pk)
    ]


# Release


def test_release_keeps_what_was_sent_and_closes_the_request(client, senco, sar, concern):
    release_subject_access_request(
        sar=sar,
        version=1,
        released_on=date(2026, 11, 30),
        released_how="Secure e-mail",
        by=senco,
        today=date(2026, 11, 30),
    )
    ConcernFactory(pupil=sar.pupil, observed="Raised after the release.")
    prepared(sar, senco)
    client.force_login(senco)
    export = json.loads(client.get(reverse("pupils:subject_access_json", args=[sar.pk])).getvalue())
    sent = [
        record["fields"][3]["value"]
        for part in export["parts"]
        if part["title"] == "Concerns"
        for record in part["records"]
    ]
    assert (export["prepared_on"], sent) == ("2026-11-30", [concern.observed])
    with pytest.raises(ValidationError, match="released on 30 November 2026: it is closed"):
        withhold_record(
            sar=sar, kind="concern", record_id=concern.pk, reason="reference", by=senco, today=TODAY
        )


def test_release_needs_the_identity_checked(senco, sar):
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(identity_checked_on=None)
    sar.refresh_from_db()
    with pytest.raises(ValidationError, match="identity was checked"):
        release_subject_access_request(
            sar=sar, version=1, released_on=TODAY, released_how="", by=senco, today=TODAY
        )


def test_the_release_page_refuses_a_date_before_receipt_and_keeps_what_was_typed(client, school_admin, sar):
    client.force_login(school_admin)
    data = {"version": 1, "released_on": "2026-11-01", "released_how": "By hand"}
    response = client.post(reverse("pupils:subject_access_release", args=[sar.pk]), data)
    form = response.context["form"]
    assert (response.status_code, form.errors["released_on"], form["released_how"].value()) == (
        200,
        ["This cannot be before the request was received (02/11/2026)."],
        "By hand",
    )


def test_the_office_records_the_release(client, school_admin, sar):
    client.force_login(school_admin)
    data = {"version": 1, "released_on": timezone.localdate().isoformat(), "released_how": "By hand"}
    response = client.post(reverse("pupils:subject_access_release", args=[sar.pk]), data)
    sar.refresh_from_db()
    assert (response.status_code, sar.released_on, sar.released_by, sar.released_export["reference"]) == (
        302,
        timezone.localdate(),
        school_admin,
        f"SAR-{sar.pk}",
    )


# The audit trail


def test_the_request_each_download_and_the_release_are_audited_with_the_pupil(
    client, senco, taught_pupil, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    today = timezone.localdate()
    data = {
        "pupil": taught_pupil.pk,
        "requester_name": "Ava Taught",
        "requester_relationship": "pupil",
        "received_on": today.isoformat(),
        "identity_checked_how": "Known to the school.",
        "identity_checked_on": today.isoformat(),
    }
    client.post(reverse("pupils:subject_access_add"), data)
    sar = SubjectAccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pupils:subject_access_prepare", args=[sar.pk]))
    for name in (
        "pupils:subject_access_detail",
        "pupils:subject_access_records",
        "pupils:subject_access_pdf",
        "pupils:subject_access_json",
    ):
        client.get(reverse(name, args=[sar.pk]))
    client.post(
        reverse("pupils:subject_access_release", args=[sar.pk]),
        {"version": 1, "released_on": today.isoformat(), "released_how": "In person"},
    )
    assert actions_about(taught_pupil) == [
        "subject_access.logged",
        "subject_access.export_queued",
        "subject_access.export_prepared",
        "subject_access.viewed",
        "subject_access.records_viewed",
        "subject_access.exported",
        "subject_access.exported",
        "subject_access.released",
    ]
    summaries = AuditEvent.objects.filter(action="subject_access.exported").order_by("id")
    assert list(summaries.values_list("summary", "object_id")) == [
        ("PDF", str(sar.pk)),
        ("JSON", str(sar.pk)),
    ]


def test_a_withholding_is_audited_without_the_records_content(senco, sar, concern):
    withhold_record(
        sar=sar, kind="concern", record_id=concern.pk, reason="third_party", by=senco, today=TODAY
    )
    event = AuditEvent.objects.get(action="subject_access.record_withheld")
    assert (event.pupil_id, event.summary) == (
        sar.pupil_id,
        f"Concern {concern.pk}: Information about another person (third-party data)",
    )


def test_a_deputy_senco_handles_requests_too(school, sar):
    deputy = staff_member(role=Role.DEPUTY_SENCO, school=school)
    assert [part.title for part in export_parts(deputy, pupil=sar.pupil, today=TODAY)][:2] == [
        "Pupil record",
        "SEN status history",
    ]


def a_record_of_every_kind(pupil, senco, teacher, n: int) -> None:
    """`n` records of each kind the export holds, from the pupils, provision and agencies apps."""
    previous = None
    for cycle in range(1, n + 1):
        plan = SupportPlanFactory(pupil=pupil, cycle=cycle, previous=previous)
        ReviewComment.objects.create(plan=plan, author=teacher, body="Reads aloud with more confidence.")
        record_plan_shared(plan=plan, version=plan.version, shared_on=plan.started_on, by=senco, today=TODAY)
        if cycle < n:
            PlanReview.objects.create(plan=plan, held_on=plan.review_due_on)
            type(plan).objects.filter(pk=plan.pk).update(status="reviewed")
        previous = plan
        placement = PlacementFactory(pupil=pupil, group__intervention__school=pupil.school)
        record_session(
            group=placement.group, held_on=date(2026, 9, 14), status="delivered", by=senco, today=TODAY
        )
        ConcernFactory(pupil=pupil, raised_by=teacher)
        CarerFactory(pupil=pupil)
        ContactLogEntryFactory(pupil=pupil, recorded_by=senco)
        PassportFactory(pupil=pupil, version=cycle, written_by=senco)
        TopUp.objects.create(school=pupil.school, pupil=pupil, financial_year=2025 + cycle, amount=6000)
        referral = ReferralFactory(pupil=pupil)
        ConsentFactory(referral=referral)
        InvolvementFactory(pupil=pupil, agency=referral.agency, referral=referral)
        AdviceFactory(report=ReportFactory(pupil=pupil, agency=referral.agency, referral=referral))
        ClockExemptionFactory(request=AssessmentRequestFactory(pupil=pupil))


@pytest.mark.parametrize("n", [1, 3])
def test_the_records_page_queries_stay_flat(client, senco, teacher, sar, n, django_assert_max_num_queries):
    a_record_of_every_kind(sar.pupil, senco, teacher, n)
    client.force_login(senco)
    # The session, the user and roles, the request, its audit row and withholdings, one query
    # for each part of the pupils app, provision's plans with their prefetches, interventions,
    # sessions and top-ups, the agencies app's referrals (their moves, consents), involvement,
    # reports (their advice), EHC requests (their exemptions), EHC plan versions and annual
    # reviews, and the transitions app's Form 8s, access arrangements, packs (with their
    # sendings) and imported records: the same however many records of each kind. Chaining the
    # audit row costs one query more on SQLite and two on PostgreSQL (the school's chain lock).
    with django_assert_max_num_queries(39):
        response = client.get(reverse("pupils:subject_access_records", args=[sar.pk]))
    counted = {part.title: len(part.records) for part in response.context["parts"]}
    assert (counted["Concerns"], counted["High-needs funding"]) == (n, n)


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("pupils:subject_access_detail", "subject_access.viewed"),
        ("pupils:subject_access_edit", "subject_access.viewed"),
        ("pupils:subject_access_extend", "subject_access.viewed"),
        ("pupils:subject_access_release", "subject_access.viewed"),
        ("pupils:subject_access_records", "subject_access.records_viewed"),
    ],
)
def test_every_page_of_a_request_audits_the_read_with_the_pupil(client, senco, sar, name, action):
    client.force_login(senco)
    assert client.get(reverse(name, args=[sar.pk])).status_code == 200
    assert list(AuditEvent.objects.values_list("action", "pupil_id", "actor")) == [
        (action, sar.pupil_id, senco.pk)
    ]
