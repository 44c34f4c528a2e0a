"""Every URL pattern against every role it does not declare and against signed-out visitors,
and every URL that names a record against a record of another school.

`allow()` refuses a role before the view runs, so dummy values fill the URL's parameters in the
role matrix: the refusal must come whatever the record. The other-school matrix builds real
records at both schools: ours must be found, and theirs must be a 404 that writes nothing (style
guide R5). Per-app tests cover the allowed roles.
"""

import pytest
from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.urls.converters import IntConverter
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.factories import (
    AdviceFactory,
    AgencyFactory,
    AnnualReviewFactory,
    AssessmentRequestFactory,
    ConsentFactory,
    EhcPlanFactory,
    ReferralFactory,
    ReportFactory,
)
from provision.factories import (
    InterventionFactory,
    PlacementFactory,
    ProvisionGroupFactory,
    StaffRateFactory,
    SupportPlanFactory,
)
from provision.models import PlanReview, TopUp
from provision.services.delivery import record_session
from provision.services.plans import record_plan_shared
from pupils.factories import (
    CarerFactory,
    ConcernFactory,
    DisposalProposalFactory,
    ImportRunFactory,
    LegalHoldFactory,
    PassportFactory,
    PupilFactory,
    SubjectAccessRequestFactory,
    TeachingGroupFactory,
)
from senco.factories import staff_member
from senco.models import Role, SenSpend
from tests.senco.conftest import all_url_patterns
from transitions.factories import (
    AccessArrangementFactory,
    ChecklistItemFactory,
    IncomingPackFactory,
    TransferPackFactory,
    TransitionPlanFactory,
)

METHODS = ("get", "post")


def _dummy_url(pattern, name: str) -> str:
    kwargs = {
        key: 7 if isinstance(converter, IntConverter) else "dummy"
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


# (URL name, URL with dummy parameters, the roles its view declares), for every non-public view.
DECLARED = sorted(
    (name, _dummy_url(pattern, name), pattern.callback.access)
    for _, pattern, name in all_url_patterns()
    if isinstance(pattern.callback.access, frozenset)
)


@pytest.mark.parametrize(("name", "url", "roles"), DECLARED, ids=[name for name, _, _ in DECLARED])
def test_roles_a_view_does_not_declare_get_403_for_get_and_post(client, school, name, url, roles):
    refused = [role for role in Role.values if role not in roles]
    answers = {}
    for role in refused:
        client.force_login(staff_member(role=role, school=school))
        for method in METHODS:
            answers[role, method] = getattr(client, method)(url).status_code
    assert answers == {(role, method): 403 for role in refused for method in METHODS}


@pytest.mark.parametrize(("name", "url", "roles"), DECLARED, ids=[name for name, _, _ in DECLARED])
def test_signed_out_visitors_are_sent_to_sign_in_from_every_view(client, db, name, url, roles):
    answers = {method: getattr(client, method)(url) for method in METHODS}
    expected = redirect_to_login(url)["Location"]
    assert {method: (r.status_code, r["Location"]) for method, r in answers.items()} == dict.fromkeys(
        METHODS, (302, expected)
    )


# The exams officer sees the access arrangements list of each exam series, on screen and as CSV,
# and nothing else: every other view of the project refuses them.
EXAMS_OFFICER_VIEWS = ["transitions:exam_series", "transitions:exam_series_csv"]


def test_the_exams_officer_is_let_into_the_exam_series_list_and_its_csv_only():
    admitted = sorted(name for name, _, roles in DECLARED if Role.EXAMS_OFFICER in roles)
    everyone = sorted(name for name, _, roles in DECLARED if roles >= set(Role.values))
    assert sorted(set(admitted) - set(everyone)) == EXAMS_OFFICER_VIEWS


def test_the_exams_officer_opens_no_pupil_of_their_own_school(client, school):
    arrangement = AccessArrangementFactory(pupil__school=school)
    client.force_login(staff_member(role=Role.EXAMS_OFFICER, school=school))
    pages = {
        name: client.get(reverse(name, args=[arrangement.pupil_id])).status_code
        for name in ("pupils:detail", "transitions:candidate_arrangements", "pupils:passport")
    }
    listed = client.get(reverse("transitions:exam_series")).context["rows"]
    assert (pages, [row.pupil for row in listed]) == (dict.fromkeys(pages, 403), [arrangement.pupil])


def test_the_matrix_reaches_views_with_parameters():
    # The passport version views had no wrong-role test before this matrix.
    names = {name for name, _, _ in DECLARED}
    assert {"pupils:passport_version", "pupils:passport_version_pdf", "provision:plan_pdf"} <= names


# The other-school matrix -----------------------------------------------------------------------
#
# What the parameters of each URL name, built at a given school: a record, whose pk fills the
# URL's one parameter, or the URL's keyword arguments. A new view that takes an id needs one line
# in OTHER_SCHOOL_RECORDS; the matrix fails, naming the URL, until it has it.


def pupil(school):
    return PupilFactory(school=school)


def pupil_with_passport(school):
    return PassportFactory(pupil__school=school).pupil


def passport_version(school):
    passport = PassportFactory(pupil__school=school)
    return {"pk": passport.pupil_id, "version": passport.version}


def carer(school):
    return CarerFactory(pupil__school=school)


def concern(school):
    return ConcernFactory(pupil__school=school)


def plan(school):
    return SupportPlanFactory(pupil__school=school)


def plan_under_review(school):
    plan = SupportPlanFactory(pupil__school=school)
    PlanReview.objects.create(plan=plan, held_on=plan.review_due_on)
    return plan


def plan_version(school):
    plan = SupportPlanFactory(pupil__school=school)
    senco = staff_member(role=Role.SENCO, school=school)
    shared = record_plan_shared(
        plan=plan, version=plan.version, shared_on=plan.started_on, by=senco, today=plan.started_on
    )
    return {"pk": plan.pk, "number": shared.shared_version}


def staff_rate(school):
    return StaffRateFactory(school=school)


def deliverer(school):
    return staff_member(role=Role.TA, school=school)


def spend_line(school):
    return SenSpend.objects.create(
        school=school, financial_year=2026, kind="training", description="Course", amount=100
    )


def top_up(school):
    return TopUp.objects.create(
        school=school, pupil=PupilFactory(school=school), financial_year=2026, amount=8000
    )


def intervention(school):
    return InterventionFactory(school=school)


def group(school):
    return ProvisionGroupFactory(intervention__school=school)


def session(school):
    group = ProvisionGroupFactory(intervention__school=school)
    senco = staff_member(role=Role.SENCO, school=school)
    held = record_session(
        group=group, held_on=group.starts_on, status="delivered", by=senco, today=group.starts_on
    )
    return {"pk": group.pk, "session_pk": held.pk}


def placement(school):
    return PlacementFactory(group__intervention__school=school)


def staff_member_with_a_device(school):
    user = staff_member(role=Role.TEACHER, school=school)
    TOTPDevice.objects.create(user=user, name="Authenticator app")
    return user


def colleague(school):
    return staff_member(role=Role.TEACHER, school=school)


def colleagues_role(school):
    return {"pk": staff_member(role=Role.TEACHER, school=school).pk, "role": Role.TEACHER}


def teaching_group(school):
    return TeachingGroupFactory(school=school)


def subject_access_request(school):
    return SubjectAccessRequestFactory(pupil__school=school)


def legal_hold(school):
    return LegalHoldFactory(pupil__school=school)


def disposal_proposal(school):
    return DisposalProposalFactory(pupil__school=school)


def import_run(school):
    return ImportRunFactory(school=school, state="failed")


def agency(school):
    return AgencyFactory(school=school)


def referral(school):
    return ReferralFactory(pupil__school=school)


def consent(school):
    return ConsentFactory(referral__pupil__school=school)


def ehc_plan(school):
    return EhcPlanFactory(pupil__school=school)


def ehc_plan_version(school):
    return {"pk": EhcPlanFactory(pupil__school=school).pk, "number": 1}


def annual_review(school):
    return AnnualReviewFactory(plan__pupil__school=school)


def agency_report(school):
    return ReportFactory(pupil__school=school)


def agency_advice(school):
    advice = AdviceFactory(report__pupil__school=school)
    SupportPlanFactory(pupil=advice.pupil)
    return advice


def ehc_request(school):
    return AssessmentRequestFactory(pupil__school=school)


def ehc_request_step(school):
    return {"pk": AssessmentRequestFactory(pupil__school=school).pk, "step": "decision"}


# transition_plans
def transition_plan(school):
    return TransitionPlanFactory(pupil__school=school)


def transition_step(school):
    return ChecklistItemFactory(plan__pupil__school=school)


def candidate(school):
    return PupilFactory(school=school, year_group=10)


def access_arrangement(school):
    return AccessArrangementFactory(pupil__school=school)


# transfer_packs and arrivals
def transfer_pack(school):
    return TransferPackFactory(pupil__school=school)


def arriving_pack(school):
    return IncomingPackFactory(school=school)


OTHER_SCHOOL_RECORDS = {
    "pupils:detail": pupil,
    "pupils:edit": pupil,
    "pupils:change_status": pupil,
    "pupils:leaver_off_register": pupil,
    "pupils:passport": pupil_with_passport,
    "pupils:passport_version": passport_version,
    "pupils:passport_edit": pupil,
    "pupils:passport_pdf": pupil_with_passport,
    "agencies:evidence_pack_pdf": pupil,
    "pupils:passport_version_pdf": passport_version,
    "pupils:carer_add": pupil,
    "pupils:carer_edit": carer,
    "pupils:carer_delete": carer,
    "pupils:contact_add": pupil,
    "pupils:concern_add": pupil,
    "pupils:concern_detail": concern,
    "pupils:concern_acknowledge": concern,
    "pupils:concern_gather": concern,
    "pupils:concern_decide": concern,
    "pupils:concern_look_again": concern,
    "pupils:subject_access_detail": subject_access_request,
    "pupils:subject_access_edit": subject_access_request,
    "pupils:subject_access_extend": subject_access_request,
    "pupils:subject_access_records": subject_access_request,
    "pupils:subject_access_withhold": subject_access_request,
    "pupils:subject_access_include": subject_access_request,
    "pupils:subject_access_prepare": subject_access_request,
    "pupils:subject_access_export": subject_access_request,
    "pupils:subject_access_pdf": subject_access_request,
    "pupils:subject_access_json": subject_access_request,
    "pupils:subject_access_release": subject_access_request,
    "pupils:legal_hold_place": pupil,
    "pupils:legal_hold_lift": legal_hold,
    "pupils:disposal_propose": pupil,
    "pupils:disposal_decide": disposal_proposal,
    "provision:plan_list": pupil,
    "provision:plan_start": pupil,
    "provision:plan_detail": plan,
    "provision:plan_edit": plan,
    "provision:plan_finalise": plan,
    "provision:plan_shared": plan,
    "provision:plan_comment": plan,
    "provision:review_edit": plan,
    "provision:review_close": plan_under_review,
    "provision:plan_pdf": plan,
    "provision:plan_version": plan_version,
    "provision:plan_version_pdf": plan_version,
    "provision:staff_rate_edit": staff_rate,
    "provision:staff_member_rate": deliverer,
    "provision:intervention_detail": intervention,
    "provision:intervention_edit": intervention,
    "provision:group_detail": group,
    "provision:group_edit": group,
    "provision:placement_add": group,
    "provision:group_scores": group,
    "provision:session_add": group,
    "provision:session_correct": session,
    "provision:session_delete": session,
    "provision:placement_end": placement,
    "provision:placement_measures": placement,
    "provision:pupil_provision": pupil,
    "provision:spend_edit": spend_line,
    "provision:spend_remove": spend_line,
    "provision:top_up_edit": top_up,
    "provision:top_up_remove": top_up,
    "senco:mfa_reset": staff_member_with_a_device,
    "senco:staff_member": colleague,
    "senco:role_revoke": colleagues_role,
    "senco:staff_deactivate": colleague,
    "pupils:group_staff": teaching_group,
    "pupils:import_run": import_run,
    "agencies:agency_edit": agency,
    "agencies:pupil_referrals": pupil,
    "agencies:referral_add": pupil,
    "agencies:referral_detail": referral,
    "agencies:referral_edit": referral,
    "agencies:referral_move": referral,
    "agencies:consent_add": referral,
    "agencies:referral_exception": referral,
    "agencies:consent_withdraw": consent,
    "agencies:ehc_plans_record": pupil,
    "agencies:ehc_plans_detail": ehc_plan,
    "agencies:ehc_plans_version": ehc_plan_version,
    "agencies:ehc_plans_edit": ehc_plan,
    "agencies:ehc_plans_amend": ehc_plan,
    "agencies:annual_reviews_schedule": ehc_plan,
    "agencies:annual_reviews_detail": annual_review,
    "agencies:annual_reviews_edit": annual_review,
    "agencies:pupil_involvement": pupil,
    "agencies:involvement_add": pupil,
    "agencies:report_upload": pupil,
    "agencies:report_detail": agency_report,
    "agencies:report_download": agency_report,
    "agencies:report_health": agency_report,
    "agencies:advice_add": agency_report,
    "agencies:advice_action": agency_advice,
    "agencies:ehc_request_add": pupil,
    "agencies:ehc_request_detail": ehc_request,
    "agencies:ehc_request_step": ehc_request_step,
    "agencies:ehc_request_exemption": ehc_request,
    # transition_plans
    "transitions:transition_add": pupil,
    "transitions:transition_detail": transition_plan,
    "transitions:transition_edit": transition_plan,
    "transitions:checklist_add": transition_plan,
    "transitions:checklist_tick": transition_step,
    "transitions:visit_add": transition_plan,
    "transitions:told_add": transition_plan,
    # adulthood
    "transitions:adulthood": pupil,
    "transitions:adulthood_edit": pupil,
    "transitions:adulthood_review": pupil,
    # --- access_arrangements ---
    "transitions:candidate_arrangements": candidate,
    "transitions:arrangement_add": candidate,
    "transitions:form8_add": candidate,
    "transitions:arrangement_edit": access_arrangement,
    "transitions:normal_way_add": access_arrangement,
    # transfer_packs and arrivals
    "transitions:pupil_packs": pupil,
    "transitions:pack_make": pupil,
    "transitions:pack_detail": transfer_pack,
    "transitions:pack_json": transfer_pack,
    "transitions:pack_pdf": transfer_pack,
    "transitions:pack_sent": transfer_pack,
    "transitions:pack_send_directly": transfer_pack,
    "transitions:arrival_detail": arriving_pack,
    "transitions:arrival_decline": arriving_pack,
}

# URLs whose parameters name no record: the view reads the user's own school only, so there is
# no other school's record to ask for. Each has its own test that another school's data stays out.
NOT_RECORDS = {
    "senco:calendar_year": "a school year of the user's own school (tests/senco/test_calendar.py)",
    "senco:calendar_copy": "a school year of the user's own school (tests/senco/test_calendar.py)",
}

# (URL name, pattern) for every non-public view whose URL has parameters naming a record.
TAKING_IDS = sorted(
    (
        (name, pattern)
        for _, pattern, name in all_url_patterns()
        if pattern.pattern.converters
        and isinstance(pattern.callback.access, frozenset)
        and name not in NOT_RECORDS
    ),
    key=lambda row: row[0],
)


def _kwargs(pattern, built) -> dict:
    if isinstance(built, dict):
        return built
    [parameter] = pattern.pattern.converters
    return {parameter: built.pk}


def _rows_in_our_tables() -> dict[str, int]:
    """Rows in every table of our apps, the audit log among them: any write leaves a trace here."""
    return {
        model._meta.label: model.objects.count()
        for label in ("senco", "pupils", "provision", "agencies", "transitions")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.mark.parametrize(("name", "pattern"), TAKING_IDS, ids=[name for name, _ in TAKING_IDS])
def test_a_record_of_another_school_is_404_and_nothing_is_written(
    client, school, other_school, name, pattern
):
    if name not in OTHER_SCHOOL_RECORDS:
        pytest.fail(
            f"{name} takes {', '.join(pattern.pattern.converters)}: add it to OTHER_SCHOOL_RECORDS "
            "with what builds the record its parameters name, so the other-school matrix covers it."
        )
    build = OTHER_SCHOOL_RECORDS[name]
    ours = reverse(name, kwargs=_kwargs(pattern, build(school)))
    theirs = reverse(name, kwargs=_kwargs(pattern, build(other_school)))
    # The first role the view allows in Role's order: the SENCO wherever the SENCO may use it.
    role = next(role for role in Role.values if role in pattern.callback.access)
    client.force_login(staff_member(role=role, school=school))
    at_ours = {method: getattr(client, method)(ours).status_code for method in METHODS}
    # Our own record is found, so the 404 below comes from the other school, not from the builder.
    not_found = [method for method, status in at_ours.items() if status == 404]
    assert not_found == [], f"{name}: the record built at our own school is not found either"
    before = _rows_in_our_tables()
    at_theirs = {method: getattr(client, method)(theirs).status_code for method in METHODS}
    after = _rows_in_our_tables()
    written = {table: after[table] - rows for table, rows in before.items() if after[table] != rows}
    # A POST-only view answers GET with 405 before it looks for the record.
    refused = {method: 405 if at_ours[method] == 405 else 404 for method in METHODS}
    assert (at_theirs, written) == (refused, {})


def test_the_other_school_matrix_names_exactly_the_urls_that_take_an_id():
    assert sorted(OTHER_SCHOOL_RECORDS) == [name for name, _ in TAKING_IDS]
    declared = {name for _, _, name in all_url_patterns()}
    assert sorted(NOT_RECORDS.keys() - declared) == []
