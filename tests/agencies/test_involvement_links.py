"""Advice taken up in an EHC plan as well as a SEN support plan, and involvement and reports
naming the referral they came from."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agencies.factories import (
    AdviceFactory,
    AgencyFactory,
    EhcPlanFactory,
    InvolvementFactory,
    ReferralFactory,
    ReportFactory,
)
from agencies.models import Advice, Involvement, Report
from agencies.services.involvement import action_advice, record_involvement
from provision.factories import SupportPlanFactory
from pupils.factories import PupilFactory
from senco.factories import staff_member
from senco.models import AuditEvent, Role

from .test_involvement import MINIMAL_PDF, upload

TODAY = date(2026, 11, 2)


@pytest.fixture
def agency(school):
    return AgencyFactory(school=school, name="Speech and Language Therapy", kind="salt")


@pytest.fixture
def report(taught_pupil, agency):
    return ReportFactory(pupil=taught_pupil, agency=agency)


@pytest.fixture
def ehc_plan(taught_pupil):
    return EhcPlanFactory(pupil=taught_pupil)


@pytest.fixture
def referral(taught_pupil, agency):
    return ReferralFactory(pupil=taught_pupil, agency=agency)


def take_up(client, advice, value, on="2026-10-20"):
    return client.post(
        reverse("agencies:advice_action", args=[advice.pk]), {"plan": value, "actioned_on": on}
    )


# Advice taken up in an EHC plan ------------------------------------------------------------------


def test_the_form_offers_the_pupils_support_plans_and_ehc_plan_together(client, senco, report, ehc_plan):
    advice = AdviceFactory(report=report)
    plan = SupportPlanFactory(pupil=report.pupil)
    SupportPlanFactory(pupil=report.pupil, cycle=2, status="reviewed")  # reviewed: not offered
    EhcPlanFactory(pupil=PupilFactory(school=report.school))  # another pupil's: not offered
    client.force_login(senco)
    response = client.get(reverse("agencies:advice_action", args=[advice.pk]))
    groups = [
        (group, [value for value, _ in options])
        for group, options in response.context["form"].fields["plan"].choices
    ]
    assert groups == [("SEN support plans", [f"support-{plan.pk}"]), ("EHC plan", [f"ehc-{ehc_plan.pk}"])]
    assert "EHC plan, first issued 3 November 2025 (Oakshire County Council)" in response.content.decode()


def test_the_senco_takes_advice_up_in_the_ehc_plan_and_it_is_audited(client, senco, report, ehc_plan):
    advice = AdviceFactory(report=report)
    client.force_login(senco)
    response = take_up(client, advice, f"ehc-{ehc_plan.pk}")
    advice.refresh_from_db()
    assert response.status_code == 302
    assert (advice.actioned_in, advice.actioned_in_ehc_plan, advice.actioned_on, advice.actioned_by) == (
        None,
        ehc_plan,
        date(2026, 10, 20),
        senco,
    )
    event = AuditEvent.objects.get(action="advice.actioned", object_id=str(advice.pk))
    assert event.pupil_id == report.pupil_id


def test_a_pupil_with_only_an_ehc_plan_can_take_advice_up(client, senco, report, ehc_plan):
    advice = AdviceFactory(report=report)
    client.force_login(senco)
    response = client.get(reverse("agencies:advice_action", args=[advice.pk]))
    assert response.context["has_plans"] is True
    assert "no SEN support plan in progress" not in response.content.decode()


def test_another_pupils_ehc_plan_is_refused_beside_the_field(client, senco, report, ehc_plan, untaught_pupil):
    advice = AdviceFactory(report=report)
    theirs = EhcPlanFactory(pupil=untaught_pupil)
    client.force_login(senco)
    response = take_up(client, advice, f"ehc-{theirs.pk}")
    assert response.status_code == 200
    assert response.context["form"].errors["plan"] == ["Choose one of this pupil's plans."]
    assert 'value="2026-10-20"' in response.content.decode()
    advice.refresh_from_db()
    assert not advice.is_actioned


def test_the_service_refuses_another_pupils_ehc_plan_and_a_ceased_one(senco, report, untaught_pupil):
    advice = AdviceFactory(report=report)
    theirs = EhcPlanFactory(pupil=untaught_pupil)
    ceased = EhcPlanFactory(pupil=report.pupil, ceased_on=date(2026, 9, 1))
    messages = []
    for plan in (theirs, ceased):
        with pytest.raises(ValidationError) as refused:
            action_advice(advice=advice, plan=plan, actioned_on=date(2026, 10, 20), by=senco, today=TODAY)
        messages.append(refused.value.message_dict["plan"])
    assert messages == [
        ["Choose one of this pupil's plans."],
        ["That EHC plan has ceased: take the advice up in a plan in force."],
    ]
    advice.refresh_from_db()
    assert not advice.is_actioned


def test_advice_taken_up_in_an_ehc_plan_is_not_taken_up_again_in_a_support_plan(senco, report, ehc_plan):
    advice = AdviceFactory(report=report)
    action_advice(advice=advice, plan=ehc_plan, actioned_on=date(2026, 10, 20), by=senco, today=TODAY)
    with pytest.raises(ValidationError, match="already been taken up"):
        action_advice(
            advice=advice,
            plan=SupportPlanFactory(pupil=report.pupil),
            actioned_on=date(2026, 10, 21),
            by=senco,
            today=TODAY,
        )


@pytest.mark.parametrize(
    "links",
    [
        pytest.param({"both": True, "on": True}, id="both plans"),
        pytest.param({"both": False, "on": False}, id="a plan but no day"),
    ],
)
def test_the_database_holds_advice_to_one_plan_on_a_day(report, ehc_plan, links):
    advice = AdviceFactory(report=report)
    values = {"actioned_in_ehc_plan": ehc_plan, "actioned_on": date(2026, 10, 20) if links["on"] else None}
    if links["both"]:
        values["actioned_in"] = SupportPlanFactory(pupil=report.pupil)
    with pytest.raises(IntegrityError), transaction.atomic():
        Advice.objects.filter(pk=advice.pk).update(**values)


def test_a_teacher_may_not_take_advice_up_in_the_ehc_plan(client, teacher, report, ehc_plan):
    advice = AdviceFactory(report=report)
    client.force_login(teacher)
    assert take_up(client, advice, f"ehc-{ehc_plan.pk}").status_code == 403
    advice.refresh_from_db()
    assert not advice.is_actioned


def test_the_plan_page_lists_the_advice_it_took_up(client, senco, teacher, school, report, ehc_plan):
    camhs = AgencyFactory(school=school, name="CAMHS", kind="camhs")
    health = ReportFactory(pupil=report.pupil, agency=camhs, is_health_information=True)
    taken = AdviceFactory(report=report, text="Use a visual timetable.")
    private = AdviceFactory(report=health, text="Keep to the agreed medication plan.")
    AdviceFactory(report=report, text="Not taken up yet.")
    for item in (taken, private):
        action_advice(advice=item, plan=ehc_plan, actioned_on=date(2026, 10, 20), by=senco, today=TODAY)
    seen = {}
    for user in (senco, teacher):
        client.force_login(user)
        response = client.get(reverse("agencies:ehc_plans_detail", args=[ehc_plan.pk]))
        seen[user.username] = [item.text for item in response.context["advice_taken_up"]]
    assert seen == {
        "senco": ["Use a visual timetable.", "Keep to the agreed medication plan."],
        "teacher": ["Use a visual timetable."],  # never advice from a health report
    }


def test_the_pupils_pages_say_which_plan_took_the_advice_up(client, senco, report, ehc_plan):
    advice = AdviceFactory(report=report)
    action_advice(advice=advice, plan=ehc_plan, actioned_on=date(2026, 10, 20), by=senco, today=TODAY)
    client.force_login(senco)
    pages = [
        client.get(reverse("agencies:pupil_involvement", args=[report.pupil.pk])).content.decode(),
        client.get(report.get_absolute_url()).content.decode(),
    ]
    link = f'<a href="{ehc_plan.get_absolute_url()}">the EHC plan</a>'
    assert [link in page for page in pages] == [True, True]


# Involvement and reports from a referral ---------------------------------------------------------


def test_a_report_uploaded_for_a_referral_is_listed_on_the_referral_page(client, senco, agency, referral):
    client.force_login(senco)
    response = upload(client, referral.pupil, agency, data=MINIMAL_PDF, name="salt.pdf", referral=referral.pk)
    assert response.status_code == 302
    report = Report.objects.get()
    page = client.get(referral.get_absolute_url())
    assert (report.referral, list(page.context["reports"])) == (referral, [report])
    assert report.title in page.content.decode()
    assert f"Referral to {agency}" in client.get(report.get_absolute_url()).content.decode()


def test_a_report_from_an_involvement_takes_the_involvements_referral(client, senco, agency, referral):
    involvement = InvolvementFactory(pupil=referral.pupil, agency=agency, referral=referral)
    client.force_login(senco)
    upload(client, referral.pupil, agency, data=MINIMAL_PDF, name="salt.pdf", involvement=involvement.pk)
    assert Report.objects.get().referral == referral


def test_the_senco_logs_involvement_for_a_referral(client, senco, agency, referral):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:involvement_add", args=[referral.pupil.pk]),
        {"agency": agency.pk, "referral": referral.pk, "kind": "assessment", "happened_on": "2026-10-05"},
    )
    assert response.status_code == 302
    assert Involvement.objects.get().referral == referral
    page = client.get(reverse("agencies:pupil_involvement", args=[referral.pupil.pk])).content.decode()
    assert f'<a href="{referral.get_absolute_url()}">referral to {agency}</a>' in page


def test_another_pupils_referral_is_refused_beside_the_field(
    client, senco, agency, taught_pupil, untaught_pupil
):
    theirs = ReferralFactory(pupil=untaught_pupil, agency=agency)
    client.force_login(senco)
    logged = client.post(
        reverse("agencies:involvement_add", args=[taught_pupil.pk]),
        {"agency": agency.pk, "referral": theirs.pk, "kind": "assessment", "happened_on": "2026-10-05"},
    )
    uploaded = upload(client, taught_pupil, agency, data=MINIMAL_PDF, name="salt.pdf", referral=theirs.pk)
    errors = [response.context["form"].errors["referral"] for response in (logged, uploaded)]
    assert errors == [["Choose one of this pupil's referrals."]] * 2
    assert 'value="2026-10-05"' in logged.content.decode()
    assert (Involvement.objects.count(), Report.objects.count()) == (0, 0)


def test_the_services_refuse_another_pupils_referral(senco, agency, taught_pupil, untaught_pupil):
    theirs = ReferralFactory(pupil=untaught_pupil, agency=agency)
    with pytest.raises(ValidationError) as refused:
        record_involvement(
            pupil=taught_pupil,
            agency=agency,
            kind="visit",
            happened_on=date(2026, 10, 5),
            referral=theirs,
            by=senco,
            today=TODAY,
        )
    assert refused.value.message_dict == {"referral": ["Choose one of this pupil's referrals."]}
    report = ReportFactory.build(
        pupil=taught_pupil, school=taught_pupil.school, agency=agency, referral=theirs
    )
    with pytest.raises(ValidationError, match="this pupil's referrals"):
        report.full_clean(exclude=["file", "uploaded_by"])


def test_the_referral_page_lists_a_health_report_only_for_health_readers(
    client, senco, school, agency, referral
):
    ReportFactory(pupil=referral.pupil, agency=agency, referral=referral, title="Ordinary")
    ReportFactory(
        pupil=referral.pupil, agency=agency, referral=referral, title="Clinic", is_health_information=True
    )
    leader = staff_member(role=Role.SENIOR_LEADER, school=school)
    seen = {}
    for user in (senco, leader):
        client.force_login(user)
        seen[user.pk == senco.pk] = [
            r.title for r in client.get(referral.get_absolute_url()).context["reports"]
        ]
    assert seen == {True: ["Ordinary", "Clinic"], False: ["Ordinary"]}


def test_another_schools_senco_does_not_see_the_referrals_reports(client, other_school_senco, referral):
    ReportFactory(pupil=referral.pupil, agency=referral.agency, referral=referral)
    client.force_login(other_school_senco)
    assert client.get(referral.get_absolute_url()).status_code == 404
