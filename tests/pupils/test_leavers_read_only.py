"""A leaver's record is read-only in every service, through one guard (`ensure_not_left`, put on
a service by `pupils.services.leavers.refuses_leavers`).

Every service of the apps that takes a record about a pupil (a pupil, or a model with a `pupil`
or a plan) must carry the guard or be named in EXCEPTIONS with the reason; each guarded service is
then called with a leaver's record and must refuse it before writing anything. The main forms are
posted for a leaver as a user would, and must be refused with the read-only message.
"""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from agencies.factories import (
    AdviceFactory,
    AssessmentRequestFactory,
    ConsentFactory,
    ReferralFactory,
    ReportFactory,
)
from provision.factories import PlacementFactory, ProvisionGroupFactory, SupportPlanFactory
from provision.models import PlanReview, TopUp
from provision.services.groups import MEASURE_FIELDS
from pupils.factories import CarerFactory, ConcernFactory, PupilFactory, SenStatusChangeFactory
from pupils.models import Pupil, SenStatus
from senco.concurrency import version_token
from senco.models import AuditEvent
from transitions.factories import AccessArrangementFactory, ChecklistItemFactory, TransitionPlanFactory

LEFT_ON = date(2026, 7, 22)

# Services that write to a leaver's record by design, or check it their own way.
EXCEPTIONS = {
    "pupils.services.records.update_pupil": "the SENCO team corrects or clears the leaving date "
    "(and nothing else) through its own check, `_ensure_editable`, which calls ensure_not_left otherwise",
    "pupils.services.records.move_pupil_to_group": "an MIS import sends every pupil's group, a "
    "leaver's unchanged one too: it calls ensure_not_left once it knows the move changes something",
    "pupils.services.leavers.take_leaver_off_register": "closes a leaver's SEN status as at their "
    "leaving date: the one change register health asks for",
    "pupils.services.concerns.decide_concern": "a leaver's open concern may be closed with "
    "“No further action”; any other decision calls ensure_not_left",
    "provision.services.groups.end_placement": "a pupil who has left the school is taken out of "
    "their groups: the date they stopped, which the costs need",
}
# Subject access (UK GDPR Art 15) covers leavers as much as pupils on roll: a request about a
# leaver is logged, reviewed, exported and released. None of it changes the pupil's record.
EXCEPTIONS |= {
    f"pupils.services.subject_access.{name}": "a subject access request about a leaver is answered too"
    for name in (
        "log_subject_access_request",
        "update_subject_access_request",
        "extend_subject_access_request",
        "withhold_record",
        "include_record",
        "release_subject_access_request",
        "queue_subject_access_export",
    )
}
# Retention is about leavers: holding, proposing and disposing of their records.
EXCEPTIONS |= {
    f"pupils.services.retention.{name}": "retention and disposal act on leavers' records by design"
    for name in (
        "place_legal_hold",
        "lift_legal_hold",
        "propose_disposal",
        "approve_disposal",
        "reject_disposal",
    )
}

# transfer_packs and arrivals: a pack is made and sent for a pupil who is leaving or has left,
# and an arriving pack's pupil is not yet on roll; none of them writes to the pupil's own record.
EXCEPTIONS |= {
    "transitions.services.transfer_packs.make_transfer_pack": "a leaver's pack is made after they left",
    "transitions.services.transfer_packs.record_pack_sent": "a leaver's pack is sent after they left",
    "transitions.services.transfer_packs.send_pack_directly": "a leaver's pack is sent after they left",
    "transitions.services.arrivals.import_transfer_pack": "refuses a matched pupil who has left through "
    "ensure_not_left itself: the pupil is found by UPN inside the service",
    "transitions.services.arrivals.decline_transfer_pack": "declining writes nothing about any pupil",
}


def _is_about_a_pupil(annotation) -> bool:
    if not (inspect.isclass(annotation) and issubclass(annotation, models.Model)):
        return False
    names = {field.name for field in annotation._meta.get_fields()}
    return annotation is Pupil or "pupil" in names or "plan" in names


def _services():
    """(dotted name, function, names of its parameters about a pupil) for every service."""
    found = []
    for label in ("senco", "pupils", "provision", "agencies", "transitions"):
        package = importlib.import_module(f"{apps.get_app_config(label).name}.services")
        modules = [package]
        if hasattr(package, "__path__"):
            modules = [
                importlib.import_module(f"{package.__name__}.{m.name}")
                for m in pkgutil.iter_modules(package.__path__)
            ]
        for module in modules:
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ != module.__name__ or name.startswith("_"):
                    continue
                parameters = inspect.signature(inspect.unwrap(function)).parameters
                if "by" not in parameters:
                    continue
                about = [p.name for p in parameters.values() if _is_about_a_pupil(p.annotation)]
                if about:
                    found.append((f"{module.__name__}.{name}", function, about))
    return sorted(found, key=lambda row: row[0])


SERVICES = _services()
GUARDED = [(name, function) for name, function, _ in SERVICES if hasattr(function, "refuses_leavers")]


def test_every_service_writing_to_a_pupils_record_refuses_leavers_or_says_why_not():
    unguarded = [name for name, function, _ in SERVICES if not hasattr(function, "refuses_leavers")]
    assert unguarded == sorted(EXCEPTIONS)


def test_the_walk_finds_the_services_it_should():
    names = {name for name, _ in GUARDED}
    assert {"provision.services.plans.start_plan", "pupils.services.concerns.raise_concern"} <= names


@pytest.fixture
def leaver(school):
    pupil = PupilFactory(school=school, left_on=LEFT_ON)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 8))
    return pupil


def _leavers_record(argument: str, pupil: Pupil):
    plan = SupportPlanFactory(pupil=pupil) if argument in ("plan", "review") else None
    return {
        "pupil": lambda: pupil,
        "plan": lambda: plan,
        "review": lambda: PlanReview.objects.create(plan=plan, held_on=plan.review_due_on),
        "concern": lambda: ConcernFactory(pupil=pupil),
        "carer": lambda: CarerFactory(pupil=pupil),
        "placement": lambda: PlacementFactory(
            group=ProvisionGroupFactory(intervention__school=pupil.school), pupil=pupil
        ),
        "referral": lambda: ReferralFactory(pupil=pupil),
        "consent": lambda: ConsentFactory(referral__pupil=pupil),
        "request": lambda: AssessmentRequestFactory(pupil=pupil),
        "report": lambda: ReportFactory(pupil=pupil),
        "advice": lambda: AdviceFactory(report__pupil=pupil),
        # transition_plans
        "transition": lambda: TransitionPlanFactory(pupil=pupil),
        "step": lambda: ChecklistItemFactory(plan__pupil=pupil),
        "top_up": lambda: TopUp.objects.create(
            school=pupil.school, pupil=pupil, financial_year=2026, amount=8000
        ),
        # --- access_arrangements ---
        "arrangement": lambda: AccessArrangementFactory(pupil=pupil),
    }[argument]()


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("senco", "pupils", "provision", "agencies", "transitions")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.mark.parametrize(("name", "service"), GUARDED, ids=[name for name, _ in GUARDED])
def test_every_guarded_service_refuses_a_leavers_record_and_writes_nothing(senco, leaver, name, service):
    record = _leavers_record(service.refuses_leavers, leaver)
    before = _rows()
    with pytest.raises(ValidationError, match="left on 22 July 2026; their record is kept read-only"):
        service(**{service.refuses_leavers: record, "by": senco, "today": timezone.localdate()})
    assert _rows() == before


# The forms a user would post for a leaver, with what they would type.


def _typed(name: str, leaver: Pupil, user) -> tuple[str, dict]:
    today = timezone.localdate()
    if name == "provision:plan_start":
        return reverse(name, args=[leaver.pk]), {"started_on": today.isoformat()}
    if name == "pupils:concern_add":
        data = {
            "area": "cognition",
            "observed": "Guesses words.",
            "evidence": "Reading log.",
            "already_tried": "-",
        }
        return reverse(name, args=[leaver.pk]), data
    if name == "provision:plan_comment":
        return reverse(name, args=[SupportPlanFactory(pupil=leaver).pk]), {"body": "Reads well at home."}
    if name == "provision:placement_measures":
        placement = PlacementFactory(
            group=ProvisionGroupFactory(intervention__school=leaver.school, staff=[user]), pupil=leaver
        )
        data = {"version": version_token(placement, fields=MEASURE_FIELDS), "entry_score": "90"}
        return reverse(name, args=[placement.pk]), data | {
            "entry_measured_on": placement.joined_on.isoformat()
        }
    if name == "pupils:contact_add":
        data = {
            "kind": "call",
            "occurred_on": today.isoformat(),
            "participants": "Mother",
            "summary": "Called.",
        }
        return reverse(name, args=[leaver.pk]), data
    raise AssertionError(name)


FORMS = [
    "provision:plan_start",
    "pupils:concern_add",
    "provision:plan_comment",
    "provision:placement_measures",
    "pupils:contact_add",
]


@pytest.mark.parametrize("name", FORMS)
def test_a_form_posted_for_a_leaver_is_refused_with_the_read_only_message(client, senco, leaver, name):
    url, data = _typed(name, leaver, senco)
    client.force_login(senco)
    before = AuditEvent.objects.exclude(action__endswith="viewed").count()
    response = client.post(url, data)
    html = response.content.decode()
    assert (response.status_code, "their record is kept read-only" in html) == (200, True)
    assert AuditEvent.objects.exclude(action__endswith="viewed").count() == before


def test_a_leavers_plan_page_offers_reading_only(client, senco, leaver):
    plan = SupportPlanFactory(pupil=leaver)
    client.force_login(senco)
    response = client.get(reverse("provision:plan_detail", args=[plan.pk]))
    html = response.content.decode()
    offered = [
        url
        for url in ("plan_edit", "review_edit", "plan_comment")
        if reverse(f"provision:{url}", args=[plan.pk]) in html
    ]
    assert (response.status_code, offered) == (200, [])
