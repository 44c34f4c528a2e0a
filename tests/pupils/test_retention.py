"""Retention and disposal: the disposal list, legal holds, two-person disposal that removes the
pupil's data from every app, and a disposal log that names nobody."""

import importlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ForeignKey
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from agencies.factories import (
    AdviceFactory,
    AgencyFactory,
    AnnualReviewFactory,
    AssessmentRequestFactory,
    ConsentFactory,
    InvolvementFactory,
    ReferralFactory,
    ReportFactory,
)
from agencies.models import Agency
from provision.factories import PlacementFactory, ProvisionGroupFactory, SupportPlanFactory
from provision.models import DeliveredSession, OutcomeProgress, PlanReview, PlanVersion, ReviewComment, TopUp
from pupils.factories import (
    CarerFactory,
    ConcernFactory,
    ContactLogEntryFactory,
    DisposalProposalFactory,
    LegalHoldFactory,
    PassportFactory,
    PupilFactory,
    SenStatusChangeFactory,
    SubjectAccessRequestFactory,
)
from pupils.models import DisposalRecord, DisposalStatus, LegalHold, Pupil, SenStatus
from pupils.selectors.retention import due_for_disposal
from pupils.services import retention as services
from senco.concurrency import version_token
from senco.factories import staff_member
from senco.models import AuditEvent, Membership, Role, School
from transitions.factories import (
    AccessArrangementFactory,
    ChecklistItemFactory,
    Form8ScoreFactory,
    IncomingPackFactory,
    NormalWayRecordFactory,
    PfaOutcomeFactory,
    TransferPackFactory,
    TransitionPlanFactory,
)
from transitions.models import ImportedRecord, PackSending, PfaReview, TransitionContact, TransitionVisit

TODAY = timezone.localdate()
LIST = reverse("pupils:retention")
LOG = reverse("pupils:disposal_log")
PERIOD = reverse("pupils:retention_period")


def due_leaver(school, **fields):
    """A leaver with an SEN record, born in 1980 and gone in 1996: past 31 years since 2011."""
    fields = {"year_group": 11, "date_of_birth": date(1980, 3, 4), "left_on": date(1996, 7, 19), **fields}
    pupil = PupilFactory(school=school, **fields)
    SenStatusChangeFactory(pupil=pupil, effective_from=date(1993, 9, 6))
    return pupil


def recent_leaver(school, **fields):
    pupil = PupilFactory(school=school, left_on=TODAY - timedelta(days=30), **fields)
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2025, 9, 8))
    return pupil


def due_names(user):
    return list(due_for_disposal(user, today=TODAY).values_list("last_name", flat=True))


def propose(pupil, by):
    return services.propose_disposal(pupil=pupil, by=by, today=TODAY)


# The disposal list and legal holds ------------------------------------------------------------


def test_a_record_past_its_period_is_listed_and_one_still_kept_is_not(senco, school, other_school):
    due_leaver(school, last_name="Gone")
    recent_leaver(school, last_name="Recent")
    PupilFactory(school=school, last_name="OnRoll", date_of_birth=date(1980, 1, 1))
    due_leaver(other_school, last_name="Elsewhere")
    assert due_names(senco) == ["Gone"]


def test_the_schools_own_period_decides_what_is_due(senco, school):
    due_leaver(school, date_of_birth=date(1990, 1, 10), left_on=date(2006, 7, 21))  # 31 years on: 2021
    assert len(due_names(senco)) == 1
    school.sen_retention_years = 100
    school.save()
    senco.refresh_from_db()  # the user's school is cached on the instance
    assert due_names(senco) == []


def test_a_record_on_legal_hold_is_not_listed_until_the_hold_is_lifted(senco, head, school):
    pupil = due_leaver(school, last_name="Held")
    hold = services.place_legal_hold(
        pupil=pupil, reason="litigation", detail="Claim ref. 2026/041", by=senco, today=TODAY
    )
    assert (due_names(senco), list(LegalHold.objects.filter(lifted_at__isnull=True))) == ([], [hold])
    services.lift_legal_hold(hold=hold, by=head)
    assert due_names(senco) == ["Held"]


def test_a_record_awaiting_approval_is_listed_with_the_proposals_not_as_due(client, senco, school):
    pupil = due_leaver(school, last_name="Proposed")
    due_leaver(school, last_name="Waiting", date_of_birth=date(1981, 5, 5))
    record = propose(pupil, senco)
    client.force_login(senco)
    response = client.get(LIST)
    assert [row.pupil.last_name for row in response.context["rows"]] == ["Waiting"]
    assert list(response.context["proposals"]) == [record]


def test_placing_a_hold_is_audited_without_its_details_and_lifting_it_too(senco, head, school):
    pupil = due_leaver(school)
    hold = services.place_legal_hold(
        pupil=pupil, reason="safeguarding", detail="Local authority review, ref. SR-88", by=senco, today=TODAY
    )
    services.lift_legal_hold(hold=hold, by=head)
    hold.refresh_from_db()
    events = AuditEvent.objects.filter(action__startswith="legal_hold.").order_by("id")
    assert [(e.action, e.actor, e.pupil_id, e.summary) for e in events] == [
        ("legal_hold.placed", senco, pupil.pk, "A safeguarding inquiry or case review"),
        ("legal_hold.lifted", head, pupil.pk, "A safeguarding inquiry or case review"),
    ]
    assert (hold.placed_by, hold.lifted_by, hold.lifted_at is not None) == (senco, head, True)


def test_a_hold_is_for_a_leavers_record_and_one_at_a_time(senco, school):
    on_roll = PupilFactory(school=school, first_name="Ava", last_name="Here")
    with pytest.raises(ValidationError, match="Ava Here is on roll"):
        services.place_legal_hold(pupil=on_roll, reason="other", detail="x", by=senco, today=TODAY)
    held = LegalHoldFactory(pupil=due_leaver(school, first_name="Bo", last_name="Held"), placed_by=senco)
    with pytest.raises(ValidationError, match="Bo Held's record is already on legal hold"):
        services.place_legal_hold(pupil=held.pupil, reason="other", detail="x", by=senco, today=TODAY)


def test_placing_a_hold_withdraws_a_proposal_awaiting_approval(senco, head, school):
    pupil = due_leaver(school)
    record = propose(pupil, senco)
    services.place_legal_hold(
        pupil=pupil, reason="subject_access", detail="SAR from the pupil", by=head, today=TODAY
    )
    record.refresh_from_db()
    assert (record.status, record.decided_by, record.pupil) == (DisposalStatus.WITHDRAWN, head, pupil)
    with pytest.raises(ValidationError, match="already been decided"):
        services.approve_disposal(record=record, by=head, today=TODAY)
    assert Pupil.objects.filter(pk=pupil.pk).exists()


# Proposing --------------------------------------------------------------------------------------


def test_the_senco_proposes_a_due_record_and_the_proposal_names_only_years(senco, school):
    pupil = due_leaver(school)
    record = propose(pupil, senco)
    event = AuditEvent.objects.get(action="disposal.proposed")
    assert (record.status, record.proposed_by, record.pupil, record.description, record.retention_rule) == (
        DisposalStatus.PROPOSED,
        senco,
        pupil,
        "SEN record of a pupil born in 1980 who left in 1996",
        "Date of birth + 31 years",
    )
    assert (event.pupil_id, event.summary) == (pupil.pk, record.description)


def test_a_leaver_who_never_had_an_sen_record_is_proposed_under_the_general_period(senco, school):
    pupil = PupilFactory(school=school, date_of_birth=date(1985, 6, 1), left_on=date(2001, 7, 20))
    record = propose(pupil, senco)
    assert (record.description, record.retention_rule) == (
        "Pupil record of a pupil born in 1985 who left in 2001",
        "Date of birth + 25 years",
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda school, senco: recent_leaver(school), "is not due for disposal"),
        (lambda school, senco: PupilFactory(school=school, date_of_birth=date(1980, 1, 1)), "is not due"),
        (
            lambda school, senco: LegalHoldFactory(pupil=due_leaver(school), placed_by=senco).pupil,
            "on legal hold",
        ),
        (lambda school, senco: propose(due_leaver(school), senco).pupil, "already awaiting"),
    ],
    ids=["not yet due", "on roll", "on hold", "already proposed"],
)
def test_only_a_record_on_the_disposal_list_can_be_proposed(senco, school, make, message):
    pupil = make(school, senco)
    proposals = DisposalRecord.objects.count()
    with pytest.raises(ValidationError, match=message):
        propose(pupil, senco)
    assert DisposalRecord.objects.count() == proposals


@pytest.mark.parametrize("persona", ["teacher", "head", "school_admin"])
def test_only_the_senco_team_proposes(request, school, persona):
    pupil = due_leaver(school)
    with pytest.raises(PermissionDenied):
        propose(pupil, request.getfixturevalue(persona))
    assert DisposalRecord.objects.count() == 0


# Approving: the pupil and everything about them go; the log and the trail keep no identity --------


def give_everything(pupil, *, senco, head, teacher, group, session):
    """A row in every table that holds something about `pupil`, in every app."""
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.MONITORING, effective_from=date(1992, 1, 6))
    ConcernFactory(pupil=pupil, raised_by=teacher)
    CarerFactory(pupil=pupil)
    ContactLogEntryFactory(pupil=pupil, recorded_by=senco)
    PassportFactory(pupil=pupil, written_by=senco)
    PassportFactory(pupil=pupil, written_by=senco, version=2)
    group.teaching_group.pupils.add(pupil)
    LegalHoldFactory(pupil=pupil, placed_by=senco, lifted_by=head, lifted_at=timezone.now())
    first = SupportPlanFactory(pupil=pupil, status="reviewed")
    review = PlanReview.objects.create(plan=first, held_on=first.review_due_on)
    OutcomeProgress.objects.create(review=review, outcome=first.outcomes.get(), rating="expected")
    PlanVersion.objects.create(plan=first, number=1, reason="Finalised", snapshot={}, made_by=senco)
    second = SupportPlanFactory(
        pupil=pupil, cycle=2, previous=first, started_on=date(2027, 1, 4), review_due_on=date(2027, 3, 26)
    )
    ReviewComment.objects.create(plan=second, author=teacher, body="Reading with more confidence.")
    # The school's directory is not about the pupil: one service for every pupil of the school.
    agency = Agency.objects.filter(school=pupil.school).first() or AgencyFactory(school=pupil.school)
    involvement = InvolvementFactory(pupil=pupil, agency=agency, recorded_by=senco)
    report = ReportFactory(pupil=pupil, agency=involvement.agency, involvement=involvement, uploaded_by=senco)
    AdviceFactory(report=report, actioned_in=second, actioned_on=report.received_on, actioned_by=senco)
    PlacementFactory(group=group, pupil=pupil, entry_score=85)
    session.absent.add(pupil)
    TopUp.objects.create(school=pupil.school, pupil=pupil, financial_year=2026, amount=8000)
    DisposalProposalFactory(
        pupil=pupil, proposed_by=senco, status="rejected", decided_by=head, decided_at=timezone.now()
    )
    # A subject access request names the pupil and keeps the export as released: it goes too.
    SubjectAccessRequestFactory(pupil=pupil, logged_by=senco)
    ConsentFactory(referral=ReferralFactory(pupil=pupil, agency=involvement.agency, created_by=senco))
    AssessmentRequestFactory(pupil=pupil)
    AnnualReviewFactory(plan__pupil=pupil)
    # transition_plans
    transition = TransitionPlanFactory(pupil=pupil)
    ChecklistItemFactory(plan=transition)
    TransitionVisit.objects.create(plan=transition, visit_on=date(2027, 6, 10), description="Taster day")
    TransitionContact.objects.create(
        plan=transition, told="Receiving SENCO", what="Needs", told_on=date(2026, 11, 2)
    )
    # adulthood
    PfaReview.objects.create(
        outcome=PfaOutcomeFactory(pupil=pupil),
        reviewed_on=date(2026, 11, 2),
        occasion="other",
        progress="progressing",
    )
    # --- access_arrangements ---
    form8 = Form8ScoreFactory(form8__pupil=pupil, form8__recorded_by=senco).form8
    arrangement = AccessArrangementFactory(pupil=pupil, evidence="form_8", form8=form8, recorded_by=senco)
    NormalWayRecordFactory(arrangement=arrangement, recorded_by=teacher)
    # transfer_packs and arrivals: a pack made and sent, and a pack that arrived and was imported.
    pack = TransferPackFactory(pupil=pupil, school=pupil.school, made_by=senco)
    PackSending.objects.create(
        pack=pack, sent_to="Northfield Academy", method="s2s", sent_on=date(2027, 7, 23), recorded_by=senco
    )
    arrival = IncomingPackFactory(
        school=pupil.school, from_pupil=pupil, state="imported", pupil=pupil, decided_by=senco
    )
    ImportedRecord.objects.create(
        pupil=pupil,
        arrival=arrival,
        from_school_name=arrival.from_school_name,
        section="plans",
        position=0,
        title="A plan",
    )


def rows_in_every_table() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("senco", "pupils", "provision", "agencies", "transitions")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def tables_about_pupils() -> set[str]:
    """Every model with a foreign key to a pupil: the link tables of many-to-many fields have one."""
    return {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.related_model is Pupil
    }


@pytest.fixture
def world(school, senco, head, teacher, taught_pupil):
    """Another pupil with everything too, so a disposal that took more than one pupil's rows fails."""
    group = ProvisionGroupFactory(intervention__school=school)
    session = DeliveredSession.objects.create(group=group, held_on=date(2026, 9, 15), recorded_by=senco)
    neighbour = due_leaver(school, last_name="Neighbour", date_of_birth=date(1979, 1, 1))
    give_everything(neighbour, senco=senco, head=head, teacher=teacher, group=group, session=session)
    return {"senco": senco, "head": head, "teacher": teacher, "group": group, "session": session}


def test_approval_removes_the_pupil_and_everything_about_them_in_every_app_and_nothing_else(
    school, senco, head, world
):
    before = rows_in_every_table()
    pupil = due_leaver(school, first_name="Zephyrine", last_name="Quarrington")
    give_everything(pupil, **world)
    with_pupil = rows_in_every_table()
    record = propose(pupil, senco)

    services.approve_disposal(record=record, by=head, today=TODAY)

    # The builder covers every table that points at a pupil, so a new one fails here first.
    untouched = {label for label in tables_about_pupils() if with_pupil[label] == before[label]}
    assert untouched == set()
    after = rows_in_every_table()
    changed = {label: after[label] - rows for label, rows in before.items() if after[label] != rows}
    # Only the log's two lines (the rejected proposal and this one) and the trail's two rows
    # (proposed, approved) stay.
    assert changed == {"pupils.DisposalRecord": 2, "senco.AuditEvent": 2}
    assert not Pupil.objects.filter(pk=pupil.pk).exists()


def test_the_log_says_what_was_removed_by_kind_and_on_whose_authority(school, senco, head, world):
    pupil = due_leaver(school)
    give_everything(pupil, **world)
    record = services.approve_disposal(record=propose(pupil, senco), by=head, today=TODAY)
    record.refresh_from_db()
    assert (record.status, record.proposed_by, record.decided_by, record.pupil) == (
        DisposalStatus.DISPOSED,
        senco,
        head,
        None,
    )
    assert record.removed == {
        "EHC plan needs (Section B)": 1,
        "EHC plan outcomes": 1,
        "EHC plan provision items (Section F)": 1,
        "EHC plan versions": 1,
        "EHC plans": 1,
        "Form 8 assessments": 1,
        "Form 8 scores": 1,
        "SEN status changes": 2,
        "access arrangements": 1,
        "advice": 1,
        "annual reviews": 1,
        "arriving transfer packs": 1,
        "assessment requests": 1,
        "carers": 1,
        "changes of referrals' states": 1,
        "concerns": 1,
        "consents": 1,
        "contact log entries": 1,
        "element 3 top-ups": 1,
        "involvements": 1,
        "legal holds": 1,
        "links to delivered sessions": 1,
        "links to teaching groups": 1,
        "passports": 2,
        "placements": 1,
        "plan outcomes": 2,
        "plan reviews": 1,
        "plan versions": 1,
        "progress ratings": 1,
        "pupils": 1,
        "records of the normal way of working": 1,
        "records from previous schools": 1,
        "referrals": 1,
        "reports": 1,
        "review comments": 1,
        "subject access requests": 1,
        "support plans": 2,
        "transition plans": 1,
        "transition checklist steps": 1,
        "transition visits": 1,
        "records of who was told about a move": 1,
        "preparing for adulthood outcomes": 1,
        "preparing for adulthood reviews": 1,
        "transfer pack sendings": 1,
        "transfer packs": 1,
    }


def test_neither_the_log_nor_the_disposals_audit_rows_identify_the_pupil(school, senco, head, world):
    pupil = due_leaver(school, first_name="Zephyrine", last_name="Quarrington", preferred_first_name="Zeph")
    give_everything(pupil, **world)
    pupil_id, first_audit = (
        pupil.pk,
        AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    )
    identifying = [
        "Zephyrine",
        "Zeph",
        "Quarrington",
        pupil.upn,
        "1980-03-04",
        "04/03/1980",
        "4 March 1980",
        "4 Mar 1980",
    ]
    record = services.approve_disposal(record=propose(pupil, senco), by=head, today=TODAY)
    record.refresh_from_db()
    events = AuditEvent.objects.filter(pk__gt=first_audit)
    written = [str(value) for value in model_to_dict(record).values()]
    written += [f"{e.summary} {e.object_type} {e.object_id} {e.fields}" for e in events]
    assert [text for text in written if any(word in text for word in identifying)] == []
    # The trail keeps the record number, which now belongs to nobody.
    assert [e.action for e in events.order_by("pk")] == ["disposal.proposed", "disposal.approved"]
    assert {e.pupil_id for e in events} == {pupil_id}
    assert not Pupil.objects.filter(pk=pupil_id).exists()


def test_the_person_who_proposed_cannot_approve_even_as_headteacher(school, head):
    Membership.objects.create(user=head, school=school, role=Role.SENCO)
    head.refresh_from_db()
    pupil = due_leaver(school)
    record = propose(pupil, head)
    with pytest.raises(ValidationError, match="cannot be the person who proposed it"):
        services.approve_disposal(record=record, by=head, today=TODAY)
    record.refresh_from_db()
    assert (record.status, Pupil.objects.filter(pk=pupil.pk).exists()) == (DisposalStatus.PROPOSED, True)


def test_the_database_refuses_a_disposal_approved_by_its_proposer(school, senco):
    record = DisposalProposalFactory(pupil=due_leaver(school), proposed_by=senco)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisposalRecord.objects.filter(pk=record.pk).update(
            pupil=None, status="disposed", decided_by=senco, decided_at=timezone.now()
        )
    record.refresh_from_db()
    assert record.status == DisposalStatus.PROPOSED


@pytest.mark.parametrize("role", [Role.SENCO, Role.DEPUTY_SENCO, Role.SENIOR_LEADER])
def test_only_the_headteacher_approves_or_rejects(school, senco, role):
    record = propose(due_leaver(school), senco)
    other = staff_member(role=role, school=school)
    with pytest.raises(PermissionDenied):
        services.approve_disposal(record=record, by=other, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.reject_disposal(record=record, by=other)


def test_approval_is_refused_once_the_record_is_no_longer_past_its_period(school, senco, head):
    pupil = due_leaver(school, first_name="Kit", last_name="Kept")
    record = propose(pupil, senco)
    school.sen_retention_years = 100
    school.save()
    head.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer past its retention period"):
        services.approve_disposal(record=record, by=head, today=TODAY)
    assert Pupil.objects.filter(pk=pupil.pk).exists()


def test_a_rejected_proposal_keeps_the_record_which_may_be_proposed_again(school, senco, head):
    pupil = due_leaver(school)
    record = services.reject_disposal(record=propose(pupil, senco), by=head)
    event = AuditEvent.objects.get(action="disposal.rejected")
    assert (record.status, record.decided_by, event.pupil_id) == (DisposalStatus.REJECTED, head, pupil.pk)
    assert propose(pupil, senco).status == DisposalStatus.PROPOSED


def test_a_table_no_remover_clears_stops_the_disposal_and_removes_nothing(school, senco, head, monkeypatch):
    # Without provision's remover, a second plan cycle protects the first: the head is told, and
    # the pupil's other rows are all still there.
    monkeypatch.delitem(services._removers, "provision.plans")
    pupil = due_leaver(school)
    first = SupportPlanFactory(pupil=pupil, status="reviewed")
    SupportPlanFactory(
        pupil=pupil, cycle=2, previous=first, started_on=date(2027, 1, 4), review_due_on=date(2027, 3, 26)
    )
    record = propose(pupil, senco)
    before = rows_in_every_table()
    with pytest.raises(ValidationError, match="Nothing was disposed of: support plans of this pupil"):
        services.approve_disposal(record=record, by=head, today=TODAY)
    assert rows_in_every_table() == before


def test_the_app_never_deletes_a_line_of_the_disposal_log(school, senco):
    record = DisposalProposalFactory(pupil=due_leaver(school), proposed_by=senco)
    with pytest.raises(ValidationError, match="The disposal log is kept"):
        record.delete()
    assert DisposalRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_deleting_a_line_of_the_log_from_any_client(school, senco):
    record = DisposalProposalFactory(pupil=due_leaver(school), proposed_by=senco)
    with pytest.raises(DatabaseError, match="the disposal log is kept"), transaction.atomic():
        DisposalRecord.objects.filter(pk=record.pk).delete()
    assert DisposalRecord.objects.filter(pk=record.pk).exists()


# The school's retention period ------------------------------------------------------------------


def test_the_senco_or_head_sets_the_schools_sen_period_and_it_is_audited(school, head):
    services.set_sen_retention_years(
        school=school, years=40, version=version_token(school, fields=services.RETENTION_FIELDS), by=head
    )
    school.refresh_from_db()
    event = AuditEvent.objects.get(action="school.sen_retention_set")
    assert (school.sen_retention_years, event.actor, event.summary, event.fields) == (
        40,
        head,
        "SEN records: date of birth + 40 years",
        ["sen_retention_years"],
    )


@pytest.mark.parametrize("years", [24, 101])
def test_a_period_under_25_or_over_100_years_is_refused(school, senco, years):
    token = version_token(school, fields=services.RETENTION_FIELDS)
    with pytest.raises(ValidationError) as caught:
        services.set_sen_retention_years(school=school, years=years, version=token, by=senco)
    assert list(caught.value.message_dict) == ["sen_retention_years"]
    school.refresh_from_db()
    assert school.sen_retention_years == 31


@pytest.mark.parametrize(("value", "years"), [("35", 35), ("310", 31), ("thirty", 31), (None, 31)])
def test_the_migration_gives_every_school_the_period_an_installation_had_set(
    school, other_school, monkeypatch, value, years
):
    # SEN_RETENTION_YEARS was one setting for the whole installation before each school had its
    # own; a value outside 25 to 100 had stopped the start, so the migration ignores it.
    [path] = Path(apps.get_app_config("senco").path, "migrations").glob("*_school_sen_retention_years.py")
    migration = importlib.import_module(f"senco.migrations.{path.stem}")
    if value is None:
        monkeypatch.delenv("SEN_RETENTION_YEARS", raising=False)
    else:
        monkeypatch.setenv("SEN_RETENTION_YEARS", value)
    migration.carry_over_the_old_setting(apps, None)
    assert set(School.objects.values_list("sen_retention_years", flat=True)) == {years}


def test_a_teacher_cannot_change_the_period(school, teacher):
    token = version_token(school, fields=services.RETENTION_FIELDS)
    with pytest.raises(PermissionDenied):
        services.set_sen_retention_years(school=school, years=40, version=token, by=teacher)


# Views ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["senco", "head"])
def test_the_senco_team_and_head_open_the_disposal_list_log_and_period(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert [client.get(url).status_code for url in (LIST, LOG, PERIOD)] == [200, 200, 200]


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_other_roles_get_403_on_the_disposal_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert [client.get(url).status_code for url in (LIST, LOG, PERIOD)] == [403, 403, 403]


def test_a_senior_leader_gets_403_on_the_disposal_list(client, school):
    client.force_login(staff_member(role=Role.SENIOR_LEADER, school=school))
    assert client.get(LIST).status_code == 403


def test_the_lists_show_only_the_users_own_school(client, senco, school, other_school, other_school_senco):
    due_leaver(other_school)
    LegalHoldFactory(pupil=due_leaver(other_school), placed_by=other_school_senco)
    propose(due_leaver(other_school), other_school_senco)
    theirs = services.reject_disposal(
        record=propose(due_leaver(other_school), other_school_senco),
        by=staff_member(role=Role.HEAD, school=other_school),
    )
    client.force_login(senco)
    listed = client.get(LIST).context
    assert (list(listed["rows"]), list(listed["proposals"]), list(listed["holds"])) == ([], [], [])
    assert theirs not in client.get(LOG).context["page"]


def test_the_senco_proposes_from_the_list(client, senco, school):
    pupil = due_leaver(school, first_name="Ria", last_name="Old")
    client.force_login(senco)
    response = client.post(reverse("pupils:disposal_propose", args=[pupil.pk]), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert (
        "The disposal of Ria Old&#x27;s record awaits the headteacher&#x27;s approval."
        in response.content.decode()
    )
    assert DisposalRecord.objects.get().pupil == pupil


def test_a_refused_proposal_is_explained_on_the_list(client, senco, school):
    pupil = recent_leaver(school, first_name="Ned", last_name="New")
    client.force_login(senco)
    response = client.post(reverse("pupils:disposal_propose", args=[pupil.pk]), follow=True)
    assert "Ned New&#x27;s record is not due for disposal" in response.content.decode()
    assert DisposalRecord.objects.count() == 0


@pytest.mark.parametrize("persona", ["head", "teacher"])
def test_only_the_senco_team_may_post_a_proposal(client, request, school, persona):
    pupil = due_leaver(school)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("pupils:disposal_propose", args=[pupil.pk])).status_code == 403
    assert DisposalRecord.objects.count() == 0


def test_a_proposal_for_another_schools_pupil_is_404(client, senco, other_school):
    pupil = due_leaver(other_school)
    client.force_login(senco)
    assert client.post(reverse("pupils:disposal_propose", args=[pupil.pk])).status_code == 404


def test_the_head_opens_a_proposal_which_is_audited_as_a_read(client, head, senco, school):
    pupil = due_leaver(school, first_name="Ola", last_name="Old")
    record = propose(pupil, senco)
    client.force_login(head)
    response = client.get(reverse("pupils:disposal_decide", args=[record.pk]))
    event = AuditEvent.objects.get(action="disposal.viewed")
    assert (response.status_code, event.actor, event.pupil_id) == (200, head, pupil.pk)
    assert response.context["row"].keep_until == date(2011, 3, 4)


def test_the_head_approves_and_is_taken_to_the_log(client, head, senco, school):
    pupil = due_leaver(school)
    record = propose(pupil, senco)
    client.force_login(head)
    response = client.post(
        reverse("pupils:disposal_decide", args=[record.pk]), {"decision": "approve"}, follow=True
    )
    assert response.redirect_chain[-1][0] == LOG
    assert "SEN record of a pupil born in 1980 who left in 1996: disposed of." in response.content.decode()
    assert (Pupil.objects.filter(pk=pupil.pk).exists(), list(response.context["page"])) == (False, [record])


def test_the_head_rejects_and_the_record_stays(client, head, senco, school):
    pupil = due_leaver(school)
    record = propose(pupil, senco)
    client.force_login(head)
    client.post(reverse("pupils:disposal_decide", args=[record.pk]), {"decision": "reject"})
    record.refresh_from_db()
    assert (record.status, Pupil.objects.filter(pk=pupil.pk).exists()) == (DisposalStatus.REJECTED, True)


def test_a_decision_must_be_chosen_and_the_refusal_shows_on_the_form(client, school):
    both = staff_member(role=Role.HEAD, school=school)
    Membership.objects.create(user=both, school=school, role=Role.SENCO)
    record = propose(due_leaver(school), both)
    client.force_login(both)
    url = reverse("pupils:disposal_decide", args=[record.pk])
    empty = client.post(url, {})
    own = client.post(url, {"decision": "approve"})
    assert (empty.status_code, empty.context["form"].errors) == (
        200,
        {"decision": ["This field is required."]},
    )
    assert own.context["form"].non_field_errors() == [
        "Disposal takes two people: the headteacher who approves it cannot be the person who proposed it."
    ]
    assert re.search(r'value="approve"[^>]* checked', own.content.decode())


@pytest.mark.parametrize("persona", ["senco", "teacher"])
def test_only_the_head_opens_a_proposal(client, request, school, senco, persona):
    record = propose(due_leaver(school), senco)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("pupils:disposal_decide", args=[record.pk])
    assert (client.get(url).status_code, client.post(url, {"decision": "approve"}).status_code) == (403, 403)
    assert DisposalRecord.objects.get().status == DisposalStatus.PROPOSED


def test_another_schools_proposal_is_404_for_the_head(client, head, other_school, other_school_senco):
    record = propose(due_leaver(other_school), other_school_senco)
    client.force_login(head)
    url = reverse("pupils:disposal_decide", args=[record.pk])
    assert (client.get(url).status_code, client.post(url, {"decision": "approve"}).status_code) == (404, 404)


def test_placing_a_hold_from_its_page(client, head, school):
    pupil = due_leaver(school)
    client.force_login(head)
    url = reverse("pupils:legal_hold_place", args=[pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "inquiry", "detail": "Inquiry asked schools to keep records"})
    hold = LegalHold.objects.get()
    assert (response.status_code, hold.pupil, hold.placed_by, hold.reason) == (302, pupil, head, "inquiry")


def test_a_hold_without_details_or_on_a_pupil_on_roll_redraws_the_form_with_what_was_typed(
    client, senco, school
):
    leaver, on_roll = due_leaver(school), PupilFactory(school=school, first_name="Al", last_name="Here")
    client.force_login(senco)
    missing = client.post(reverse("pupils:legal_hold_place", args=[leaver.pk]), {"reason": "litigation"})
    typed = {"reason": "other", "detail": "Parents' complaint to the DfE"}
    refused = client.post(reverse("pupils:legal_hold_place", args=[on_roll.pk]), typed)
    assert (missing.status_code, list(missing.context["form"].errors)) == (200, ["detail"])
    assert refused.context["form"].non_field_errors()[0].startswith("Al Here is on roll")
    assert "Parents&#x27; complaint to the DfE" in refused.content.decode()
    assert LegalHold.objects.count() == 0


def test_a_teacher_cannot_place_or_lift_a_hold(client, teacher, school, class_3a, senco):
    pupil = due_leaver(school)
    class_3a.pupils.add(pupil)
    hold = LegalHoldFactory(pupil=due_leaver(school), placed_by=senco)
    client.force_login(teacher)
    place = client.post(
        reverse("pupils:legal_hold_place", args=[pupil.pk]), {"reason": "other", "detail": "x"}
    )
    lift = client.post(reverse("pupils:legal_hold_lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert (place.status_code, lift.status_code, hold.lifted_at) == (403, 403, None)


def test_lifting_a_hold_from_the_list(client, senco, school):
    hold = LegalHoldFactory(pupil=due_leaver(school, first_name="Lu", last_name="Held"), placed_by=senco)
    client.force_login(senco)
    response = client.post(reverse("pupils:legal_hold_lift", args=[hold.pk]), follow=True)
    hold.refresh_from_db()
    assert (hold.lifted_by, response.redirect_chain[-1][0]) == (senco, LIST)
    assert [row.pupil for row in response.context["rows"]] == [hold.pupil]


def test_another_schools_hold_is_404(client, senco, other_school, other_school_senco):
    hold = LegalHoldFactory(pupil=due_leaver(other_school), placed_by=other_school_senco)
    client.force_login(senco)
    assert client.post(reverse("pupils:legal_hold_lift", args=[hold.pk])).status_code == 404
    assert client.get(reverse("pupils:legal_hold_place", args=[hold.pupil.pk])).status_code == 404


def test_the_period_form_saves_and_a_value_out_of_range_is_kept_with_its_error(client, senco, school):
    client.force_login(senco)
    token = version_token(school, fields=services.RETENTION_FIELDS)
    saved = client.post(PERIOD, {"sen_retention_years": "35", "version": token})
    refused = client.post(PERIOD, {"sen_retention_years": "24", "version": token})
    school.refresh_from_db()
    assert (saved.status_code, school.sen_retention_years, refused.status_code) == (302, 35, 200)
    assert list(refused.context["form"].errors) == ["sen_retention_years"]
    assert 'value="24"' in refused.content.decode()


def test_a_period_changed_meanwhile_is_refused_and_what_was_typed_kept(client, senco, head, school):
    client.force_login(senco)
    token = version_token(school, fields=services.RETENTION_FIELDS)
    services.set_sen_retention_years(school=school, years=40, version=token, by=head)
    response = client.post(PERIOD, {"sen_retention_years": "33", "version": token})
    school.refresh_from_db()
    assert (response.status_code, school.sen_retention_years) == (200, 40)
    assert "Someone else changed this retention period" in response.content.decode()
    assert 'value="33"' in response.content.decode()


def test_the_leavers_page_links_to_the_disposal_list_for_those_who_may_open_it(client, senco, school_admin):
    client.force_login(senco)
    assert reverse("pupils:retention") in client.get(reverse("pupils:leavers")).content.decode()
    client.force_login(school_admin)
    assert reverse("pupils:retention") not in client.get(reverse("pupils:leavers")).content.decode()


def test_the_leavers_page_shows_a_hold(client, senco, school):
    LegalHoldFactory(pupil=due_leaver(school), placed_by=senco)
    client.force_login(senco)
    response = client.get(reverse("pupils:leavers"))
    assert [row.on_hold for row in response.context["rows"]] == [True]
    assert "On legal hold" in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_the_disposal_list_queries_stay_flat(client, senco, head, school, n, django_assert_max_num_queries):
    for index in range(n):
        due_leaver(school, date_of_birth=date(1980, 1, 1 + index))
        propose(due_leaver(school, date_of_birth=date(1981, 1, 1 + index)), senco)
        LegalHoldFactory(pupil=due_leaver(school, date_of_birth=date(1982, 1, 1 + index)), placed_by=senco)
    client.force_login(head)
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    context = response.context
    assert (len(context["rows"]), len(context["proposals"]), len(context["holds"])) == (n, n, n)


@pytest.mark.parametrize("n", [1, 3])
def test_the_disposal_log_queries_stay_flat(client, senco, head, school, n, django_assert_max_num_queries):
    for index in range(n):
        pupil = due_leaver(school, date_of_birth=date(1980, 1, 1 + index))
        services.approve_disposal(record=propose(pupil, senco), by=head, today=TODAY)
    client.force_login(senco)
    with django_assert_max_num_queries(5):
        response = client.get(LOG)
    assert len(response.context["page"]) == n
