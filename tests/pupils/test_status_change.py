"""Changing a pupil's SEN status from their page: the SENCO team only, the census rules shown
on the fields they concern, and what was typed kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus, SenStatusChange
from pupils.selectors.records import (
    current_sen_status,
    pupils_visible_to,
    upcoming_sen_statuses,
    with_sen_status,
)
from pupils.services.records import change_sen_status
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from senco.rules import add_months
from tests.pupils.conftest import need


def status_url(pupil) -> str:
    return reverse("pupils:change_status", args=[pupil.pk])


def post_data(**overrides) -> dict:
    data = {
        "status": SenStatus.SEN_SUPPORT,
        "effective_from": timezone.localdate().isoformat(),
        "primary_need": need("SLCN").pk,
        "secondary_need": "",
        "reason": "Little progress after two terms of targeted support in class.",
        "parents_informed_on": "",
        "parents_informed_how": "",
        "ehc_plan_date": "",
    }
    return data | overrides


def test_the_senco_opens_the_page_with_the_current_needs_chosen(client, senco, untaught_pupil):
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=timezone.localdate()
    )
    client.force_login(senco)
    response = client.get(status_url(untaught_pupil))
    form = response.context["form"]
    assert (response.status_code, form["status"].value(), form["primary_need"].value()) == (
        200,
        SenStatus.SEN_SUPPORT,
        need("SLCN").pk,
    )
    assert "SLCN – Speech, language and communication needs (Communication and interaction)" in (
        response.content.decode()
    )


def test_a_deputy_senco_may_change_the_status(client, school, untaught_pupil):
    client.force_login(staff_member(role=Role.DEPUTY_SENCO, school=school))
    assert client.get(status_url(untaught_pupil)).status_code == 200


@pytest.mark.parametrize("persona", ["school_admin", "head", "teacher", "ta", "governor"])
def test_everyone_else_gets_403(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(status_url(taught_pupil)).status_code == 403
    assert client.post(status_url(taught_pupil), post_data()).status_code == 403
    assert SenStatusChange.objects.count() == 0


def test_another_schools_pupil_is_404(client, senco, other_school_pupil):
    client.force_login(senco)
    assert client.get(status_url(other_school_pupil)).status_code == 404
    assert client.post(status_url(other_school_pupil), post_data()).status_code == 404
    assert SenStatusChange.objects.count() == 0


def test_a_teacher_is_refused_a_pupil_they_do_not_teach(client, teacher, untaught_pupil):
    client.force_login(teacher)
    assert client.get(status_url(untaught_pupil)).status_code == 403


def test_recording_a_change_adds_to_the_history_and_audits_it(client, senco, untaught_pupil):
    client.force_login(senco)
    today = timezone.localdate()
    response = client.post(
        status_url(untaught_pupil),
        post_data(
            secondary_need=need("SEMH").pk,
            parents_informed_on=today.isoformat(),
            parents_informed_how="Phone",
        ),
    )
    assert (response.status_code, response["Location"]) == (302, f"/pupils/{untaught_pupil.pk}/")
    change = untaught_pupil.sen_history.get()
    assert (change.status, change.primary_need.code, change.secondary_need.code, change.recorded_by) == (
        SenStatus.SEN_SUPPORT,
        "SLCN",
        "SEMH",
        senco,
    )
    assert AuditEvent.objects.get(action="pupil.sen_status_changed").pupil_id == untaught_pupil.pk


def test_an_ehc_plan_keeps_its_issue_date(client, senco, untaught_pupil):
    client.force_login(senco)
    today = timezone.localdate()
    client.post(
        status_url(untaught_pupil),
        post_data(status=SenStatus.EHC_PLAN, primary_need=need("ASD").pk, ehc_plan_date=today.isoformat()),
    )
    assert untaught_pupil.sen_history.get().ehc_plan_date == today


def _refused(client, pupil, **typed):
    response = client.post(status_url(pupil), post_data(**typed))
    assert response.status_code == 200
    assert SenStatusChange.objects.count() == 0
    return response.context["form"]


def test_nsa_is_refused_with_an_ehc_plan(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, status=SenStatus.EHC_PLAN, primary_need=need("NSA").pk)
    assert form.errors["primary_need"] == ["NSA (no specialist assessment) is only valid with SEN support."]
    assert (form["status"].value(), form["reason"].value()) == (
        SenStatus.EHC_PLAN,
        "Little progress after two terms of targeted support in class.",
    )


def test_nsa_is_accepted_with_sen_support(client, senco, untaught_pupil):
    client.force_login(senco)
    client.post(status_url(untaught_pupil), post_data(primary_need=need("NSA").pk))
    assert untaught_pupil.sen_history.get().primary_need.code == "NSA"


def test_the_secondary_need_must_differ_from_the_primary(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, secondary_need=need("SLCN").pk)
    assert form.errors["secondary_need"] == ["The secondary need must differ from the primary need."]


def test_monitoring_takes_no_need_type(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, status=SenStatus.MONITORING)
    assert form.errors["primary_need"] == [
        "Only pupils on SEN support or with an EHC plan have a recorded need type."
    ]


def test_sen_support_needs_a_primary_need(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, primary_need="")
    assert form.errors["primary_need"] == ["A pupil on SEN support or with an EHC plan needs a primary need."]


def test_a_date_more_than_six_months_ahead_is_refused_with_what_was_typed(client, senco, untaught_pupil):
    client.force_login(senco)
    today = timezone.localdate()
    furthest = add_months(today, 6)
    typed = (furthest + timedelta(days=1)).isoformat()
    form = _refused(client, untaught_pupil, effective_from=typed)
    assert (form.errors["effective_from"], form["effective_from"].value()) == (
        [f"A change can be recorded up to six months ahead: choose {furthest:%d/%m/%Y} or earlier."],
        typed,
    )


def test_the_senco_records_a_status_that_starts_on_a_future_date(client, senco, untaught_pupil):
    client.force_login(senco)
    today = timezone.localdate()
    starts = today + timedelta(days=10)
    response = client.post(
        status_url(untaught_pupil),
        post_data(effective_from=starts.isoformat(), parents_informed_on=today.isoformat()),
    )
    assert response.status_code == 302
    change = untaught_pupil.sen_history.get()
    assert (change.effective_from, change.parents_informed_on) == (starts, today)
    response = client.get(reverse("pupils:detail", args=[untaught_pupil.pk]))
    assert f"From {starts.day} {starts:%B %Y}: SEN support (parents told {today.day} {today:%B %Y})" in (
        response.content.decode()
    )
    assert [(e.on, e.title) for e in response.context["events"] if e.kind == "sen_status"] == [
        (starts, "SEN status: SEN support (agreed ahead)")
    ]


def test_an_ehc_plan_date_needs_an_ehc_plan_status(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, ehc_plan_date=timezone.localdate().isoformat())
    assert form.errors["ehc_plan_date"] == ["Only an EHC plan status has an EHC plan date."]


def test_parents_cannot_have_been_told_on_a_date_still_to_come(client, senco, untaught_pupil):
    client.force_login(senco)
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = _refused(client, untaught_pupil, parents_informed_on=tomorrow.isoformat())
    assert form.errors["parents_informed_on"] == [
        "Parents cannot have been told on a date still to come: record the date once they know."
    ]


def test_a_missing_reason_is_reported_on_its_field(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, reason="")
    assert form.errors["reason"] == ["This field is required."]


def test_a_leavers_status_cannot_be_changed(client, senco, school):
    leaver = PupilFactory(school=school, left_on=timezone.localdate() - timedelta(days=3))
    client.force_login(senco)
    response = client.get(status_url(leaver))
    assert (response.status_code, "record is kept read-only" in response.content.decode()) == (200, True)
    client.post(status_url(leaver), post_data())
    assert SenStatusChange.objects.count() == 0


def test_the_pupil_page_links_to_the_status_change_for_the_senco_only(client, senco, teacher, taught_pupil):
    link = f'href="{status_url(taught_pupil)}"'
    client.force_login(senco)
    assert link in client.get(reverse("pupils:detail", args=[taught_pupil.pk])).content.decode()
    client.force_login(teacher)
    assert link not in client.get(reverse("pupils:detail", args=[taught_pupil.pk])).content.decode()


def test_change_sen_status_records_the_ehc_plan_date_in_one_save(senco, untaught_pupil):
    today = timezone.localdate()
    change = change_sen_status(
        pupil=untaught_pupil,
        status=SenStatus.EHC_PLAN,
        effective_from=today,
        reason="Final EHC plan issued.",
        by=senco,
        today=today,
        primary_need=need("ASD"),
        ehc_plan_date=today,
    )
    assert SenStatusChange.objects.get(pk=change.pk).ehc_plan_date == today
    assert AuditEvent.objects.filter(action="pupil.sen_status_changed").count() == 1


def test_change_sen_status_refuses_an_ehc_plan_date_without_the_status_and_writes_nothing(
    senco, untaught_pupil
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        change_sen_status(
            pupil=untaught_pupil,
            status=SenStatus.SEN_SUPPORT,
            effective_from=today,
            reason="Support in class.",
            by=senco,
            today=today,
            primary_need=need("SLCN"),
            ehc_plan_date=today,
        )
    assert "ehc_plan_date" in caught.value.message_dict
    assert not SenStatusChange.objects.filter(pupil=untaught_pupil).exists()


def test_a_change_dated_before_the_current_status_is_refused_with_what_was_typed(
    client, senco, untaught_pupil
):
    # Saved, it would never become the current status (the latest effective date wins), and the
    # page would have said "changed" while the register still showed SEN support.
    today = timezone.localdate()
    began = today - timedelta(days=10)
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=began)
    client.force_login(senco)
    typed = (today - timedelta(days=20)).isoformat()
    response = client.post(
        status_url(untaught_pupil), post_data(status=SenStatus.NO_SEN, primary_need="", effective_from=typed)
    )
    form = response.context["form"]
    assert (response.status_code, form.errors["effective_from"], form["effective_from"].value()) == (
        200,
        [
            f"The current status (SEN support) began on {began.day} {began:%B %Y}; "
            "a change must take effect on or after that date."
        ],
        typed,
    )
    assert [str(message) for message in response.context["messages"]] == []
    assert list(untaught_pupil.sen_history.values_list("status", flat=True)) == [SenStatus.SEN_SUPPORT]


def test_a_change_dated_the_same_day_as_the_current_status_supersedes_it(senco, untaught_pupil):
    today = timezone.localdate()
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.MONITORING, effective_from=today)
    change = change_sen_status(
        pupil=untaught_pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=today,
        reason="Assessment back the same day.",
        by=senco,
        today=today,
        primary_need=need("SLCN"),
    )
    assert untaught_pupil.sen_history.first() == change


def test_the_correction_form_starts_from_every_detail_of_the_current_entry(client, senco, untaught_pupil):
    began = timezone.localdate() - timedelta(days=40)
    SenStatusChangeFactory(
        pupil=untaught_pupil,
        status=SenStatus.EHC_PLAN,
        effective_from=began,
        parents_informed_how="Annual review meeting",
    )
    client.force_login(senco)
    response = client.get(status_url(untaught_pupil), {"correct": "1"})
    form = response.context["form"]
    assert [form[name].value() for name in ("status", "effective_from", "parents_informed_how")] == [
        SenStatus.EHC_PLAN,
        began,
        "Annual review meeting",
    ]
    assert "Correct the current SEN status entry of Noah Elsewhere" in response.content.decode()


def test_a_correction_supersedes_the_current_entry_and_audits_only_what_it_changed(
    client, senco, untaught_pupil
):
    began = timezone.localdate() - timedelta(days=40)
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.EHC_PLAN, effective_from=began)
    client.force_login(senco)
    response = client.post(
        status_url(untaught_pupil) + "?correct=1",
        post_data(
            status=SenStatus.EHC_PLAN,
            effective_from=began.isoformat(),
            parents_informed_on=began.isoformat(),
            parents_informed_how="Meeting with parents",
            ehc_plan_date=began.isoformat(),
            reason="Correction: the plan date was missing.",
        ),
    )
    assert response.status_code == 302
    current, earlier = untaught_pupil.sen_history.all()
    assert (current.effective_from, current.ehc_plan_date, current.recorded_by, earlier.ehc_plan_date) == (
        began,
        began,
        senco,
        None,
    )
    assert AuditEvent.objects.get(action="pupil.sen_status_changed").fields == ["ehc_plan_date"]


def test_nsa_is_refused_as_a_secondary_need_beside_a_specific_primary_need(client, senco, untaught_pupil):
    # NSA says the type of need has not been assessed: beside an assessed primary need it
    # contradicts it (DfE census business rule 2175 and its guidance on ranking).
    client.force_login(senco)
    form = _refused(client, untaught_pupil, primary_need=need("SPLD").pk, secondary_need=need("NSA").pk)
    assert form.errors["secondary_need"] == [
        "NSA (no specialist assessment) cannot sit beside an assessed need: leave the secondary need as None."
    ]


def test_nsa_is_refused_as_the_primary_need_beside_a_secondary_need(client, senco, untaught_pupil):
    client.force_login(senco)
    form = _refused(client, untaught_pupil, primary_need=need("NSA").pk, secondary_need=need("SEMH").pk)
    assert form.errors["primary_need"] == [
        "NSA (no specialist assessment) cannot sit beside an assessed need: "
        "record the assessed need (SEMH) as the primary need instead."
    ]


# Parents agree SEN support at a meeting on Monday 21 September 2026; it starts on Thursday
# 1 October, the autumn census day.
MEETING = date(2026, 9, 21)
STARTS = date(2026, 10, 1)


def _agree_sen_support(pupil, senco, **details):
    return change_sen_status(
        pupil=pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=STARTS,
        reason="Agreed with parents at the meeting.",
        by=senco,
        today=MEETING,
        primary_need=need("SLCN"),
        **details,
    )


def test_parents_can_be_told_before_the_status_takes_effect(senco, untaught_pupil):
    change = _agree_sen_support(
        untaught_pupil, senco, parents_informed_on=MEETING, parents_informed_how="Meeting with parents"
    )
    assert SenStatusChange.objects.values_list("effective_from", "parents_informed_on").get(pk=change.pk) == (
        STARTS,
        MEETING,
    )


def test_a_status_starting_on_a_future_date_becomes_current_on_that_day(senco, untaught_pupil):
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.MONITORING, primary_need=None, effective_from=date(2026, 6, 1)
    )
    _agree_sen_support(untaught_pupil, senco, parents_informed_on=MEETING)
    days = (MEETING, date(2026, 9, 30), STARTS)
    assert [current_sen_status(untaught_pupil, today=day).status for day in days] == [
        SenStatus.MONITORING,
        SenStatus.MONITORING,
        SenStatus.SEN_SUPPORT,
    ]
    assert [
        with_sen_status(pupils_visible_to(senco), today=day).get(pk=untaught_pupil.pk).sen_status
        for day in days
    ] == [SenStatus.MONITORING, SenStatus.MONITORING, SenStatus.SEN_SUPPORT]
    assert [change.status for change in upcoming_sen_statuses(untaught_pupil, today=MEETING)] == [
        SenStatus.SEN_SUPPORT
    ]
    assert upcoming_sen_statuses(untaught_pupil, today=STARTS) == []


def test_a_change_dated_before_a_change_already_scheduled_is_refused(senco, untaught_pupil):
    _agree_sen_support(untaught_pupil, senco)
    with pytest.raises(ValidationError) as refused:
        change_sen_status(
            pupil=untaught_pupil,
            status=SenStatus.MONITORING,
            effective_from=date(2026, 9, 25),
            reason="Changed our minds.",
            by=senco,
            today=MEETING,
        )
    assert refused.value.message_dict["effective_from"] == [
        "A change to SEN support is already recorded from 1 October 2026; a change must take effect "
        "on or after that date (one dated that day takes its place)."
    ]
