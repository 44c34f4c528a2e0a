"""A pupil's records, built around one pupil, for the tests that walk every URL naming a record:
the role pairs (tests/senco/test_role_pairs.py) and the audited reads
(tests/senco/test_audited_reads.py).

`build_scene` gives a pupil a record of every kind (passport, carer, plan with a kept version,
a provision group with a recorded session, a placement, a top-up); `PUPIL_RECORDS` says which of
them fills each URL's parameters. A URL whose record is not about a pupil is named in
`NOT_ABOUT_A_PUPIL` and built at the school by the other-school matrix's builders
(`OTHER_SCHOOL_RECORDS`). A new URL that takes an id must be named in one of the two: the tests
fail, naming it, until it is.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from agencies.factories import (
    AdviceFactory,
    AnnualReviewFactory,
    AssessmentRequestFactory,
    ConsentFactory,
    EhcPlanFactory,
    ReferralFactory,
    ReportFactory,
)
from provision.factories import PlacementFactory, ProvisionGroupFactory, SupportPlanFactory
from provision.models import ProvisionGroup, TopUp
from provision.services.delivery import record_session
from provision.services.plans import record_plan_shared
from pupils.factories import (
    CarerFactory,
    ConcernFactory,
    DisposalProposalFactory,
    LegalHoldFactory,
    PassportFactory,
    SubjectAccessRequestFactory,
)
from pupils.models import Pupil
from pupils.services.subject_access import prepare_subject_access_export, queue_subject_access_export
from senco.factories import staff_member
from senco.models import Role, School, User
from tests.senco.conftest import all_url_patterns
from tests.senco.test_access_matrix import NOT_RECORDS, OTHER_SCHOOL_RECORDS
from transitions.factories import (
    AccessArrangementFactory,
    ChecklistItemFactory,
    TransferPackFactory,
    TransitionPlanFactory,
)


@dataclass
class Scene:
    """One pupil and a record of every kind about them."""

    school: School
    pupil: Pupil
    group: ProvisionGroup
    records: dict


def build_scene(school: School, pupil: Pupil, *, delivered_by: list[User]) -> Scene:
    """Every kind of record about `pupil`; their provision group is delivered by `delivered_by`."""
    senco = staff_member(role=Role.SENCO, school=school)
    group = ProvisionGroupFactory(intervention__school=school, staff=delivered_by)
    placement = PlacementFactory(group=group, pupil=pupil)
    session = record_session(
        group=group, held_on=group.starts_on, status="delivered", by=senco, today=group.starts_on
    )
    plan = SupportPlanFactory(pupil=pupil)
    shared = record_plan_shared(
        plan=plan, version=plan.version, shared_on=plan.started_on, by=senco, today=plan.started_on
    )
    passport = PassportFactory(pupil=pupil)
    report = ReportFactory(pupil=pupil)
    records = {
        "pupil": pupil,
        "agency_report": report,
        "agency_advice": AdviceFactory(report=report),
        "passport_version": {"pk": pupil.pk, "version": passport.version},
        "carer": CarerFactory(pupil=pupil),
        "plan": plan,
        "plan_version": {"pk": plan.pk, "number": shared.shared_version},
        "group": group,
        "session": {"pk": group.pk, "session_pk": session.pk},
        "placement": placement,
        "top_up": TopUp.objects.create(school=school, pupil=pupil, financial_year=2026, amount=8000),
    }
    return Scene(school=school, pupil=pupil, group=group, records=records)


def _record(kind: str) -> Callable[[Scene, User], object]:
    return lambda scene, user: scene.records[kind]


def _once(kind: str, make: Callable[[Pupil], object]) -> Callable[[Scene, User], object]:
    """A record built the first time a URL asks for it, then the same one for every user (a
    pupil has one subject access request, hold or disposal proposal open at a time)."""

    def built(scene: Scene, user: User):
        if kind not in scene.records:
            scene.records[kind] = make(scene.pupil)
        return scene.records[kind]

    return built


_subject_access = _once("subject_access", lambda pupil: SubjectAccessRequestFactory(pupil=pupil))
_ehc_request = _once("ehc_request", lambda pupil: AssessmentRequestFactory(pupil=pupil))


def _ehc_request_step(scene: Scene, user: User):
    return {"pk": _ehc_request(scene, user).pk, "step": "decision"}


def _prepared_subject_access(scene: Scene, user: User):
    """The request with its export prepared, for the downloads, which send only prepared files."""
    sar = _subject_access(scene, user)
    if "subject_access_export" not in scene.records:
        handler = staff_member(role=Role.SENCO, school=scene.school)
        export = queue_subject_access_export(sar=sar, by=handler)
        scene.records["subject_access_export"] = prepare_subject_access_export(
            export_id=export.pk, today=timezone.localdate()
        )
    return sar


def _draft_plan(scene: Scene, user: User):
    # Finalising acts on a draft: the pupil's plan goes back to one (a pupil has one open plan).
    plan = scene.records["plan"]
    type(plan).objects.filter(pk=plan.pk).update(status="draft", finalised_on=None)
    return plan


def _concern(scene: Scene, user: User):
    # Classroom staff read the concerns they raised themselves: each user asks for their own.
    return ConcernFactory(pupil=scene.pupil, raised_by=user)


_referral = _once("referral", lambda pupil: ReferralFactory(pupil=pupil))


def _consent(scene: Scene, user: User):
    return _once("consent", lambda pupil: ConsentFactory(referral=_referral(scene, user)))(scene, user)


_ehc_plan = _once("ehc_plan", lambda pupil: EhcPlanFactory(pupil=pupil))


def _ehc_plan_version(scene: Scene, user: User):
    return {"pk": _ehc_plan(scene, user).pk, "number": 1}


def _annual_review(scene: Scene, user: User):
    if "annual_review" not in scene.records:
        scene.records["annual_review"] = AnnualReviewFactory(plan=_ehc_plan(scene, user))
    return scene.records["annual_review"]


# transition_plans
_transition_plan = _once("transition_plan", lambda pupil: TransitionPlanFactory(pupil=pupil))


def _transition_step(scene: Scene, user: User):
    return _once("transition_step", lambda pupil: ChecklistItemFactory(plan=_transition_plan(scene, user)))(
        scene, user
    )


_access_arrangement = _once("access_arrangement", lambda pupil: AccessArrangementFactory(pupil=pupil))
# transfer_packs
_transfer_pack = _once("transfer_pack", lambda pupil: TransferPackFactory(pupil=pupil))


# What fills each URL's parameters, from the scene and the user who asks.
PUPIL_RECORDS: dict[str, Callable[[Scene, User], object]] = {
    "pupils:detail": _record("pupil"),
    "pupils:edit": _record("pupil"),
    "pupils:change_status": _record("pupil"),
    "pupils:leaver_off_register": _record("pupil"),
    "pupils:passport": _record("pupil"),
    "pupils:passport_version": _record("passport_version"),
    "pupils:passport_edit": _record("pupil"),
    "pupils:passport_pdf": _record("pupil"),
    "agencies:evidence_pack_pdf": _record("pupil"),
    "pupils:passport_version_pdf": _record("passport_version"),
    "pupils:carer_add": _record("pupil"),
    "pupils:carer_edit": _record("carer"),
    "pupils:carer_delete": _record("carer"),
    "pupils:contact_add": _record("pupil"),
    "pupils:concern_add": _record("pupil"),
    "pupils:concern_detail": _concern,
    "pupils:concern_acknowledge": _concern,
    "pupils:concern_gather": _concern,
    "pupils:concern_decide": _concern,
    "pupils:concern_look_again": _concern,
    "provision:plan_list": _record("pupil"),
    "agencies:pupil_involvement": _record("pupil"),
    "agencies:involvement_add": _record("pupil"),
    "agencies:report_upload": _record("pupil"),
    "agencies:report_detail": _record("agency_report"),
    "agencies:report_download": _record("agency_report"),
    "agencies:report_health": _record("agency_report"),
    "agencies:advice_add": _record("agency_report"),
    "agencies:advice_action": _record("agency_advice"),
    "provision:plan_start": _record("pupil"),
    "provision:plan_detail": _record("plan"),
    "provision:plan_edit": _record("plan"),
    "provision:plan_finalise": _draft_plan,
    "provision:plan_shared": _record("plan"),
    "provision:plan_comment": _record("plan"),
    "provision:review_edit": _record("plan"),
    "provision:review_close": _record("plan"),
    "provision:plan_pdf": _record("plan"),
    "provision:plan_version": _record("plan_version"),
    "provision:plan_version_pdf": _record("plan_version"),
    "provision:group_detail": _record("group"),
    "provision:group_edit": _record("group"),
    "provision:placement_add": _record("group"),
    "provision:group_scores": _record("group"),
    "provision:session_add": _record("group"),
    "provision:session_correct": _record("session"),
    "provision:session_delete": _record("session"),
    "provision:placement_end": _record("placement"),
    "provision:placement_measures": _record("placement"),
    "provision:pupil_provision": _record("pupil"),
    "provision:top_up_edit": _record("top_up"),
    "provision:top_up_remove": _record("top_up"),
    **{
        f"pupils:subject_access_{view}": _subject_access
        for view in (
            *("detail", "edit", "extend", "records", "withhold", "include"),
            *("prepare", "export", "release"),
        )
    },
    "pupils:subject_access_pdf": _prepared_subject_access,
    "pupils:subject_access_json": _prepared_subject_access,
    "pupils:legal_hold_place": _record("pupil"),
    "pupils:legal_hold_lift": _once("legal_hold", lambda pupil: LegalHoldFactory(pupil=pupil)),
    "pupils:disposal_propose": _record("pupil"),
    "agencies:pupil_referrals": _record("pupil"),
    "agencies:referral_add": _record("pupil"),
    **{
        f"agencies:{view}": _referral
        for view in ("referral_detail", "referral_edit", "referral_move", "consent_add", "referral_exception")
    },
    "agencies:consent_withdraw": _consent,
    "agencies:ehc_request_add": _record("pupil"),
    "agencies:ehc_request_detail": _ehc_request,
    "agencies:ehc_request_step": _ehc_request_step,
    "agencies:ehc_request_exemption": _ehc_request,
    "pupils:disposal_decide": _once(
        "disposal", lambda pupil: DisposalProposalFactory(pupil=pupil, left_in=2026)
    ),
    "agencies:ehc_plans_record": _record("pupil"),
    "agencies:ehc_plans_detail": _ehc_plan,
    "agencies:ehc_plans_version": _ehc_plan_version,
    "agencies:ehc_plans_edit": _ehc_plan,
    "agencies:ehc_plans_amend": _ehc_plan,
    "agencies:annual_reviews_schedule": _ehc_plan,
    "agencies:annual_reviews_detail": _annual_review,
    "agencies:annual_reviews_edit": _annual_review,
    # transition_plans
    "transitions:transition_add": _record("pupil"),
    **{
        f"transitions:{view}": _transition_plan
        for view in ("transition_detail", "transition_edit", "checklist_add", "visit_add", "told_add")
    },
    "transitions:checklist_tick": _transition_step,
    # adulthood
    "transitions:adulthood": _record("pupil"),
    "transitions:adulthood_edit": _record("pupil"),
    "transitions:adulthood_review": _record("pupil"),
    # --- access_arrangements ---
    "transitions:candidate_arrangements": _record("pupil"),
    "transitions:arrangement_add": _record("pupil"),
    "transitions:form8_add": _record("pupil"),
    "transitions:arrangement_edit": _access_arrangement,
    "transitions:normal_way_add": _access_arrangement,
    # transfer_packs
    "transitions:pupil_packs": _record("pupil"),
    "transitions:pack_make": _record("pupil"),
    "transitions:pack_detail": _transfer_pack,
    "transitions:pack_json": _transfer_pack,
    "transitions:pack_pdf": _transfer_pack,
    "transitions:pack_sent": _transfer_pack,
    "transitions:pack_send_directly": _transfer_pack,
}

ARRIVING_PACK = "a pack arriving for review: its pupil is on no roll here until it is imported"

# URLs whose parameters name a record that is not about a pupil: the school's own settings, its
# spending, its staff. The tests build them at the school with OTHER_SCHOOL_RECORDS.
NOT_ABOUT_A_PUPIL = {
    "provision:staff_rate_edit": "a staff rate: pay bands, no pupil",
    "provision:staff_member_rate": "a member of staff's costing rate, no pupil",
    "provision:intervention_detail": "a catalogue entry: its groups are listed by name, no pupil",
    "provision:intervention_edit": "a catalogue entry, no pupil",
    "provision:spend_edit": "a line of the school's other SEN spend, no pupil",
    "provision:spend_remove": "a line of the school's other SEN spend, no pupil",
    "senco:staff_member": "a member of staff and their roles, no pupil",
    "senco:role_revoke": "a member of staff's role, no pupil",
    "senco:staff_deactivate": "a member of staff's account, no pupil",
    "senco:mfa_reset": "a member of staff's sign-in device, no pupil",
    "pupils:group_staff": "who teaches a class: its name and staff, not its pupils",
    "agencies:agency_edit": "a service in the school's directory, no pupil",
    "pupils:import_run": "an MIS import: its progress, outcome and the file's problems, as the check shows",
    # arrivals
    "transitions:arrival_detail": ARRIVING_PACK,
    "transitions:arrival_decline": ARRIVING_PACK,
    **NOT_RECORDS,
}


# (URL name, pattern) for every declared view whose URL has parameters.
TAKING_IDS = sorted(
    (
        (name, pattern)
        for _, pattern, name in all_url_patterns()
        if pattern.pattern.converters and isinstance(pattern.callback.access, frozenset)
    ),
    key=lambda row: row[0],
)


def url_kwargs(pattern, built) -> dict:
    if isinstance(built, dict):
        return built
    [parameter] = pattern.pattern.converters
    return {parameter: built.pk}


def kwargs_for(name: str, pattern, scene: Scene, user: User) -> dict:
    """The URL's parameters for `user` asking about the scene's pupil (or, for a record that is
    not about a pupil, a record of the scene's school)."""
    if name in PUPIL_RECORDS:
        return url_kwargs(pattern, PUPIL_RECORDS[name](scene, user))
    if name in NOT_RECORDS:
        return {"start_year": 2026}
    return url_kwargs(pattern, OTHER_SCHOOL_RECORDS[name](scene.school))


def unknown(name: str, pattern) -> str | None:
    """A failure message for a URL neither list names, else None."""
    if name in PUPIL_RECORDS or name in NOT_ABOUT_A_PUPIL:
        return None
    return (
        f"{name} takes {', '.join(pattern.pattern.converters)}: add it to PUPIL_RECORDS in "
        "tests/senco/pupil_records.py with the record of the scene's pupil its parameters name, "
        "or to NOT_ABOUT_A_PUPIL with the reason its record is not about a pupil."
    )
