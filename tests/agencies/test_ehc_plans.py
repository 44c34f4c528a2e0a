"""EHC plans: issuing one sets SEN status E through the register's service, versions are kept,
Section F's hours are compared with the delivery log, edits are guarded against a colleague's
save, and teachers see Sections E and F only."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.factories import EhcPlanFactory
from agencies.models import EhcPlan, EhcPlanVersion
from agencies.services.ehc_plans import OutcomeRow, PlanContent, ProvisionRow, issue_ehc_plan
from provision.factories import PlacementFactory, ProvisionGroupFactory
from provision.services.delivery import record_session
from pupils.factories import SenStatusChangeFactory
from pupils.models import NeedType, SenStatus, SenStatusChange
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 11, 20)  # a Friday


def _content(**kwargs) -> PlanContent:
    defaults = {
        "sections": {"section_a": "Wants to be a vet.", "section_c": "Diagnosed with epilepsy."},
        "needs": ["Social communication"],
        "outcomes": [OutcomeRow("Joins a group game with one prompt.", date(2027, 7, 16))],
        "provision": [ProvisionRow("Social skills group", "Trained TA", Decimal("1.5"))],
    }
    return PlanContent(**{**defaults, **kwargs})


def _issue(pupil, by, **kwargs):
    arguments = {
        "pupil": pupil,
        "issued_on": date(2026, 10, 5),
        "local_authority": "Oakshire County Council",
        "by": by,
        "today": TODAY,
        "content": _content(),
    }
    return issue_ehc_plan(**{**arguments, **kwargs})


def test_issuing_a_plan_records_status_e_from_its_date_through_the_register(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 8))
    plan = _issue(taught_pupil, senco)
    entry = taught_pupil.sen_history.first()
    taught_pupil.refresh_from_db()
    assert (entry.status, entry.effective_from, entry.ehc_plan_date, entry.primary_need.code) == (
        SenStatus.EHC_PLAN,
        date(2026, 10, 5),
        date(2026, 10, 5),
        "SLCN",
    )
    assert taught_pupil.sen_status_now == SenStatus.EHC_PLAN
    version = plan.versions.get()
    assert (version.number, version.section_a, [o.description for o in version.outcomes.all()]) == (
        1,
        "Wants to be a vet.",
        ["Joins a group game with one prompt."],
    )
    actions = list(
        AuditEvent.objects.filter(pupil_id=taught_pupil.pk).order_by("id").values_list("action", flat=True)
    )
    assert actions[-2:] == ["pupil.sen_status_changed", "ehc_plan.issued"]


def test_a_pupil_with_no_need_recorded_is_refused_until_a_primary_need_is_given(senco, taught_pupil):
    with pytest.raises(ValidationError) as refused:
        _issue(taught_pupil, senco)
    assert list(refused.value.message_dict) == ["primary_need"]
    assert EhcPlan.objects.count() == 0
    _issue(taught_pupil, senco, primary_need=NeedType.objects.get(code="ASD"))
    assert taught_pupil.sen_history.get().primary_need.code == "ASD"


def test_a_pupil_already_recorded_with_an_ehc_plan_keeps_their_status_entry(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.EHC_PLAN, effective_from=date(2024, 3, 1))
    _issue(taught_pupil, senco, issued_on=date(2024, 3, 1))
    assert SenStatusChange.objects.filter(pupil=taught_pupil).count() == 1


def test_a_plan_recorded_late_takes_effect_from_the_last_status_entry_not_before_it(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 9, 14))
    _issue(taught_pupil, senco, issued_on=date(2025, 2, 3))
    entry = taught_pupil.sen_history.first()
    assert (entry.status, entry.effective_from, entry.ehc_plan_date) == (
        SenStatus.EHC_PLAN,
        date(2026, 9, 14),
        date(2025, 2, 3),
    )


def test_a_second_plan_in_force_a_future_date_and_an_outcome_before_the_plan_are_refused(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 8))
    with pytest.raises(ValidationError) as future:
        _issue(taught_pupil, senco, issued_on=date(2026, 11, 21))
    with pytest.raises(ValidationError) as early:
        _issue(taught_pupil, senco, content=_content(outcomes=[OutcomeRow("Too early", date(2026, 9, 1))]))
    _issue(taught_pupil, senco)
    with pytest.raises(ValidationError) as second:
        _issue(taught_pupil, senco)
    assert list(future.value.message_dict) == ["issued_on"]
    assert early.value.messages == [
        "Outcome 1: the date to achieve it by must be after the plan's date (5 October 2026)."
    ]
    assert second.value.messages == ["Ava Taught already has an EHC plan in force: amend that one instead."]


def test_a_section_f_item_may_link_only_groups_the_pupil_is_in(senco, taught_pupil, school):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 8))
    elsewhere = ProvisionGroupFactory(intervention__school=school, name="Lego therapy")
    row = ProvisionRow("Lego therapy", "TA", Decimal(1), [elsewhere])
    with pytest.raises(ValidationError) as refused:
        _issue(taught_pupil, senco, content=_content(provision=[row]))
    assert refused.value.messages == [
        "Provision 1: Ava Taught is not in Lego therapy; link only the groups and 1:1s they attend."
    ]


# Hours specified against hours delivered -----------------------------------------------------


@pytest.fixture
def plan_with_group(senco, taught_pupil, school):
    """A plan whose Section F item (1.5 hours a week) is delivered by a group of three
    30-minute sessions a week that the pupil joined on 19 October 2026."""
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 8))
    group = ProvisionGroupFactory(
        intervention__school=school,
        name="Talk boost",
        starts_on=date(2026, 9, 7),
        ends_on=date(2027, 3, 26),
        sessions_per_week=3,
        minutes_per_session=30,
    )
    PlacementFactory(group=group, pupil=taught_pupil, joined_on=date(2026, 10, 19))
    content = _content(provision=[ProvisionRow("Talk boost group", "Trained TA", Decimal("1.5"), [group])])
    return _issue(taught_pupil, senco, content=content), group


def test_the_plan_page_shows_hours_delivered_in_the_last_six_weeks_against_section_f(
    client, senco, taught_pupil, plan_with_group, today_is
):
    plan, group = plan_with_group
    held = {
        date(2026, 10, 5): [],  # before the six weeks (10 October to 20 November) and before the pupil joined
        date(2026, 10, 12): [],  # in the six weeks, but before the pupil joined
        date(2026, 10, 19): [],
        date(2026, 10, 21): [taught_pupil],  # the pupil was absent
        date(2026, 11, 2): [],
        date(2026, 11, 4): [],
        date(2026, 11, 20): [],  # today: in the window
    }
    for day, absent in held.items():
        record_session(group=group, held_on=day, status="delivered", by=senco, today=TODAY, absent=absent)
    today_is(TODAY)
    client.force_login(senco)
    response = client.get(reverse("agencies:ehc_plans_detail", args=[plan.pk]))
    [row] = response.context["page"].hours.rows
    # Six teaching weeks (no term dates recorded: weekdays that are not bank holidays), 1.5 hours
    # each: 9 hours; four sessions of 30 minutes received: 2 hours; 7 hours short.
    assert (row.hours.specified, row.hours.delivered, row.hours.shortfall) == (
        Decimal("9.00"),
        Decimal("2.00"),
        Decimal("7.00"),
    )
    assert response.context["page"].hours.window == (date(2026, 10, 10), date(2026, 11, 20))
    assert "7 hours short" in response.content.decode()


# Who sees what ----------------------------------------------------------------------------------


def test_the_senco_reads_every_section_and_the_read_is_audited(client, senco, plan_with_group, today_is):
    plan, _ = plan_with_group
    today_is(TODAY)
    client.force_login(senco)
    response = client.get(reverse("agencies:ehc_plans_detail", args=[plan.pk]))
    page = response.content.decode()
    assert (response.status_code, "Diagnosed with epilepsy." in page, "Social communication" in page) == (
        200,
        True,
        True,
    )
    assert AuditEvent.objects.filter(action="ehc_plan.viewed", object_id=str(plan.pk)).count() == 1


def test_a_teacher_sees_only_sections_e_and_f_of_a_pupil_they_teach(
    client, teacher, plan_with_group, today_is
):
    plan, _ = plan_with_group
    today_is(TODAY)
    client.force_login(teacher)
    response = client.get(reverse("agencies:ehc_plans_detail", args=[plan.pk]))
    page = response.content.decode()
    shown = {
        text: text in page
        for text in (
            "Joins a group game with one prompt.",
            "Talk boost group",
            "Wants to be a vet.",
            "Diagnosed with epilepsy.",
            "Social communication",
            "Next review due",
        )
    }
    assert (response.status_code, shown) == (
        200,
        {
            "Joins a group game with one prompt.": True,
            "Talk boost group": True,
            "Wants to be a vet.": False,
            "Diagnosed with epilepsy.": False,
            "Social communication": False,
            "Next review due": False,
        },
    )


def test_a_teacher_gets_404_for_a_pupil_they_do_not_teach_and_403_for_past_versions(
    client, teacher, untaught_pupil, plan_with_group
):
    plan, _ = plan_with_group
    theirs = EhcPlanFactory(pupil=untaught_pupil)
    client.force_login(teacher)
    answers = (
        client.get(reverse("agencies:ehc_plans_detail", args=[theirs.pk])).status_code,
        client.get(reverse("agencies:ehc_plans_version", args=[plan.pk, 1])).status_code,
        client.get(reverse("agencies:ehc_plans_edit", args=[plan.pk])).status_code,
    )
    assert answers == (404, 403, 403)


def test_governors_get_403_and_another_schools_senco_404(
    client, governor, other_school_senco, plan_with_group
):
    plan, _ = plan_with_group
    url = reverse("agencies:ehc_plans_detail", args=[plan.pk])
    client.force_login(governor)
    by_governor = client.get(url).status_code
    client.force_login(other_school_senco)
    assert (by_governor, client.get(url).status_code) == (403, 404)


# Recording, editing and amending through the pages ---------------------------------------------


def _form(plan_version=None, **changes) -> dict:
    data = {
        "issued_on": "2026-10-05",
        "local_authority": "Oakshire County Council",
        "phase_transfer": "",
        "primary_need": str(NeedType.objects.get(code="ASD").pk),
        "section_a": "Wants to be a vet.",
        "needs-TOTAL_FORMS": "1",
        "needs-INITIAL_FORMS": "0",
        "needs-0-description": "Social communication",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-description": "Joins a group game.",
        "outcomes-0-achieve_by": "2027-07-16",
        "provision-TOTAL_FORMS": "1",
        "provision-INITIAL_FORMS": "0",
        "provision-0-description": "Social skills group",
        "provision-0-delivered_by": "Trained TA",
        "provision-0-hours_per_week": "1.5",
    }
    if plan_version is not None:
        data["version"] = str(plan_version)
    return {**data, **changes}


def test_the_senco_records_a_plan_issued_before_the_app_was_used(client, senco, taught_pupil, today_is):
    today_is(TODAY)
    client.force_login(senco)
    response = client.post(reverse("agencies:ehc_plans_record", args=[taught_pupil.pk]), _form())
    plan = EhcPlan.objects.get()
    taught_pupil.refresh_from_db()
    assert (response.status_code, response["Location"], taught_pupil.sen_status_now) == (
        302,
        plan.get_absolute_url(),
        SenStatus.EHC_PLAN,
    )
    assert [item.hours_per_week for item in plan.versions.get().provision.all()] == [Decimal("1.50")]


def test_a_refused_record_keeps_what_was_typed(client, senco, taught_pupil, today_is):
    today_is(TODAY)
    client.force_login(senco)
    data = _form(**{"outcomes-0-achieve_by": "2026-09-01", "section_a": "Typed at length"})
    response = client.post(reverse("agencies:ehc_plans_record", args=[taught_pupil.pk]), data)
    page = response.content.decode()
    assert (response.status_code, "Typed at length" in page, "must be after the plan" in page) == (
        200,
        True,
        True,
    )
    assert EhcPlan.objects.count() == 0


def test_a_teacher_may_not_record_a_plan(client, teacher, taught_pupil):
    client.force_login(teacher)
    assert (
        client.post(reverse("agencies:ehc_plans_record", args=[taught_pupil.pk]), _form()).status_code == 403
    )


def test_two_people_editing_at_once_the_second_is_refused_with_their_text_kept(
    client, senco, school, plan_with_group, today_is
):
    plan, _ = plan_with_group
    today_is(TODAY)
    deputy = staff_member(role=Role.DEPUTY_SENCO, school=school)
    url = reverse("agencies:ehc_plans_edit", args=[plan.pk])
    client.force_login(senco)
    first = client.post(url, _form(plan.version, section_a="The SENCO's words"))
    client.force_login(deputy)
    second = client.post(url, _form(plan.version, section_a="The deputy's words"))
    plan.refresh_from_db()
    version = plan.versions.get()
    page = second.content.decode()
    assert (first.status_code, second.status_code, version.section_a) == (302, 200, "The SENCO's words")
    assert ("Someone else changed this EHC plan" in page, "The deputy&#x27;s words" in page) == (True, True)
    assert AuditEvent.objects.filter(action="ehc_plan.updated").count() == 1


def test_amending_keeps_the_issued_version_readable_and_starts_a_copy(
    client, senco, plan_with_group, today_is
):
    plan, _ = plan_with_group
    today_is(TODAY)
    client.force_login(senco)
    amended = client.post(
        reverse("agencies:ehc_plans_amend", args=[plan.pk]),
        {"issued_on": "2026-11-18", "version": plan.version},
    )
    plan.refresh_from_db()
    client.post(
        reverse("agencies:ehc_plans_edit", args=[plan.pk]), _form(plan.version, section_a="Now a nurse.")
    )
    first = client.get(reverse("agencies:ehc_plans_version", args=[plan.pk, 1]))
    versions = list(
        EhcPlanVersion.objects.filter(plan=plan).order_by("number").values_list("kind", "section_a")
    )
    assert amended.status_code == 302
    assert versions == [("issued", "Wants to be a vet."), ("amended", "Now a nurse.")]
    assert ("Wants to be a vet." in first.content.decode(), first.context["page"].is_current) == (True, False)
    assert AuditEvent.objects.filter(action="ehc_plan.viewed", summary="Version 1").count() == 1


def test_an_amended_plan_dated_before_the_version_in_force_is_refused(
    client, senco, plan_with_group, today_is
):
    plan, _ = plan_with_group
    today_is(TODAY)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:ehc_plans_amend", args=[plan.pk]),
        {"issued_on": "2026-09-01", "version": plan.version},
    )
    assert (response.status_code, plan.versions.count()) == (200, 1)
    assert "must be dated on or after version 1 (5 October 2026)" in response.content.decode()


def test_every_page_of_a_plan_and_its_review_opens_for_the_senco(client, senco, plan_with_group, today_is):
    from agencies.factories import AnnualReviewFactory

    plan, _ = plan_with_group
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 30))
    today_is(TODAY)
    client.force_login(senco)
    urls = [
        reverse("agencies:ehc_plans_list"),
        reverse("agencies:ehc_plans_record", args=[plan.pupil_id]),
        reverse("agencies:ehc_plans_detail", args=[plan.pk]),
        reverse("agencies:ehc_plans_version", args=[plan.pk, 1]),
        reverse("agencies:ehc_plans_edit", args=[plan.pk]),
        reverse("agencies:ehc_plans_amend", args=[plan.pk]),
        reverse("agencies:annual_reviews_schedule", args=[plan.pk]),
        reverse("agencies:annual_reviews_detail", args=[review.pk]),
        reverse("agencies:annual_reviews_edit", args=[review.pk]),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
    assert client.get(reverse("agencies:ehc_plans_version", args=[plan.pk, 2])).status_code == 404


def test_a_subject_access_export_holds_every_plan_version_and_review(senco, teacher, plan_with_group):
    from agencies.factories import AnnualReviewFactory
    from pupils.selectors.subject_access import export_parts

    plan, _ = plan_with_group
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2), parent_views="Pleased.")
    [part] = [p for p in export_parts(senco, pupil=plan.pupil, today=TODAY) if p.title.startswith("EHC")]
    kinds = [(record.kind, record.record_id) for record in part.records]
    version = plan.versions.get()
    assert kinds == [("ehc_plan_version", version.pk), ("annual_review", review.pk)]
    assert (
        "Section A: the views, interests and aspirations of the child and their parents",
        "Wants to be a vet.",
    ) in (part.records[0].fields)
    assert [
        p.title for p in export_parts(teacher, pupil=plan.pupil, today=TODAY) if p.title.startswith("EHC")
    ] == []
