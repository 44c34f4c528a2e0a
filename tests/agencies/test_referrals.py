"""Referrals through their services: every move of the path through the database, consent and its
exceptions, withdrawal, the waiting times per service, concurrency and the audit trail."""

from datetime import date
from itertools import product

import pytest
from django.core.exceptions import ValidationError

from agencies.factories import AgencyFactory, ConsentFactory, ReferralFactory
from agencies.models import Referral, ReferralMove, ReferralState
from agencies.rules import next_states
from agencies.selectors.referrals import agency_waits
from agencies.services.referrals import (
    move_referral,
    record_consent,
    record_consent_exception,
    start_referral,
    update_referral,
    withdraw_consent,
)
from pupils.factories import PupilFactory
from senco.concurrency import STALE_MESSAGE, StaleEdit
from senco.models import AuditEvent

TODAY = date(2026, 11, 2)
STATES = ReferralState.values
PAIRS = list(product(STATES, STATES))
CONSENT = {
    "decision": "given",
    "giver_name": "Maria Jones",
    "relationship": "mother",
    "has_parental_responsibility": True,
    "covers_referral": True,
    "covers_sharing": True,
    "scope_note": "",
    "given_on": date(2026, 10, 1),
    "how_given": "signed_form",
}


@pytest.fixture
def referral(senco, taught_pupil):
    agency = AgencyFactory(school=senco.school, name="Speech and language therapy")
    return start_referral(
        pupil=taught_pupil, agency=agency, reason="Unclear speech.", by=senco, today=date(2026, 9, 14)
    )


def _at(referral: Referral, state: str) -> Referral:
    """The referral put straight into `state`, with consent in force so the consent rule is met."""
    ConsentFactory(referral=referral, given_on=date(2026, 9, 15))
    Referral.objects.filter(pk=referral.pk).update(state=state)
    return Referral.objects.get(pk=referral.pk)


@pytest.mark.parametrize(("state", "to"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_every_move_is_saved_when_legal_and_refused_beside_the_state_when_not(senco, referral, state, to):
    referral = _at(referral, state)
    legal = to in next_states(state)
    if to == "consent_refused":
        ConsentFactory(referral=referral, decision="refused", given_on=date(2026, 9, 16))
    if legal:
        moved = move_referral(
            referral=referral, to=to, on=TODAY, version=referral.version, by=senco, today=TODAY
        )
        assert (moved.state, moved.moves.last().from_state, moved.moves.last().by) == (to, state, senco)
    else:
        with pytest.raises(ValidationError) as refused:
            move_referral(referral=referral, to=to, on=TODAY, version=referral.version, by=senco, today=TODAY)
        assert list(refused.value.message_dict) == ["to"]
        assert Referral.objects.get(pk=referral.pk).state == state


def test_starting_a_referral_records_it_as_a_draft_by_its_author(senco, referral):
    [move] = referral.moves.all()
    assert (referral.state, move.to_state, move.on, move.by) == ("draft", "draft", date(2026, 9, 14), senco)
    assert AuditEvent.objects.filter(action="referral.created", object_id=str(referral.pk)).exists()


def test_a_referral_to_another_schools_service_is_refused(senco, taught_pupil, other_school):
    elsewhere = AgencyFactory(school=other_school)
    with pytest.raises(ValidationError, match="Choose one of your school's services"):
        start_referral(pupil=taught_pupil, agency=elsewhere, reason="x", by=senco, today=TODAY)


def _move(referral, to, senco, on=TODAY):
    referral.refresh_from_db()
    return move_referral(referral=referral, to=to, on=on, version=referral.version, by=senco, today=TODAY)


def test_a_referral_cannot_be_submitted_without_consent(senco, referral):
    Referral.objects.filter(pk=referral.pk).update(state="consented")
    with pytest.raises(ValidationError, match="cannot be submitted without consent"):
        _move(referral, "submitted", senco)


def test_it_cannot_become_ready_to_submit_without_consent_either(senco, referral):
    _move(referral, "awaiting_consent", senco)
    with pytest.raises(ValidationError, match="cannot be submitted without consent"):
        _move(referral, "consented", senco)


def test_recording_consent_moves_a_draft_on_to_ready_to_submit_dated_the_day_it_was_given(senco, referral):
    record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **CONSENT)
    referral.refresh_from_db()
    steps = [(m.from_state, m.to_state, m.on) for m in referral.moves.all()]
    assert steps == [
        ("", "draft", date(2026, 9, 14)),
        ("draft", "awaiting_consent", date(2026, 10, 1)),
        ("awaiting_consent", "consented", date(2026, 10, 1)),
    ]
    assert _move(referral, "submitted", senco).submitted_on == TODAY


def test_a_refusal_moves_the_referral_to_consent_refused(senco, referral):
    record_consent(
        referral=referral,
        version=referral.version,
        by=senco,
        today=TODAY,
        **CONSENT | {"decision": "refused"},
    )
    referral.refresh_from_db()
    assert referral.state == "consent_refused"


def test_consent_from_someone_without_parental_responsibility_is_refused_and_nothing_is_saved(
    senco, referral
):
    values = CONSENT | {"relationship": "grandparent", "has_parental_responsibility": False}
    with pytest.raises(ValidationError) as refused:
        record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **values)
    assert list(refused.value.message_dict) == ["has_parental_responsibility"]
    assert (referral.consents.count(), Referral.objects.get(pk=referral.pk).state) == (0, "draft")


def test_a_young_person_of_16_consents_for_themselves(senco, school):
    pupil = PupilFactory(school=school, year_group=12, date_of_birth=date(2010, 3, 1))
    referral = start_referral(
        pupil=pupil, agency=AgencyFactory(school=school), reason="x", by=senco, today=TODAY
    )
    values = CONSENT | {
        "relationship": "young_person",
        "has_parental_responsibility": False,
        "giver_name": "Jo",
    }
    consent = record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **values)
    assert consent.in_force
    assert Referral.objects.get(pk=referral.pk).state == "consented"


def test_a_pupil_of_15_cannot_consent_for_themselves(senco, school):
    pupil = PupilFactory(school=school, year_group=11, date_of_birth=date(2011, 3, 1))
    referral = start_referral(
        pupil=pupil, agency=AgencyFactory(school=school), reason="x", by=senco, today=TODAY
    )
    values = CONSENT | {"relationship": "young_person", "has_parental_responsibility": False}
    with pytest.raises(ValidationError, match="The pupil was 15 on that date"):
        record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **values)


def test_withdrawn_consent_stops_submission_and_the_referral_says_so(senco, referral):
    consent = record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **CONSENT)
    withdraw_consent(
        consent=consent, withdrawn_on=date(2026, 10, 20), note="Mother phoned.", by=senco, today=TODAY
    )
    with pytest.raises(ValidationError, match="Consent was withdrawn on 20 October 2026"):
        _move(referral, "submitted", senco)
    assert AuditEvent.objects.filter(action="consent.withdrawn", pupil_id=referral.pupil_id).exists()


def test_consent_cannot_be_withdrawn_before_it_was_given_or_twice(senco, referral):
    consent = record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **CONSENT)
    with pytest.raises(ValidationError, match="before it was given"):
        withdraw_consent(consent=consent, withdrawn_on=date(2026, 9, 1), note="x", by=senco, today=TODAY)
    withdraw_consent(consent=consent, withdrawn_on=TODAY, note="x", by=senco, today=TODAY)
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdraw_consent(consent=consent, withdrawn_on=TODAY, note="x", by=senco, today=TODAY)


@pytest.mark.parametrize("exception", ["safeguarding", "statutory"])
def test_a_recorded_exception_lets_the_referral_be_submitted_without_consent(senco, referral, exception):
    _move(referral, "awaiting_consent", senco)
    referral.refresh_from_db()
    record_consent_exception(
        referral=referral,
        version=referral.version,
        exception=exception,
        reason="Disclosure today.",
        by=senco,
        today=TODAY,
    )
    _move(referral, "consented", senco)
    assert _move(referral, "submitted", senco).state == "submitted"


def test_an_exception_needs_a_reason(senco, referral):
    with pytest.raises(ValidationError) as refused:
        record_consent_exception(
            referral=referral,
            version=referral.version,
            exception="safeguarding",
            reason=" ",
            by=senco,
            today=TODAY,
        )
    assert list(refused.value.message_dict) == ["reason"]


def test_a_move_cannot_be_dated_before_the_last_change_or_ahead(senco, referral):
    with pytest.raises(ValidationError, match="before the last change, on 14 September 2026"):
        _move(referral, "awaiting_consent", senco, on=date(2026, 9, 1))
    with pytest.raises(ValidationError, match="in the future"):
        _move(referral, "awaiting_consent", senco, on=date(2026, 11, 3))


def test_a_move_from_a_stale_page_is_refused(senco, referral):
    stale = referral.version
    _move(referral, "awaiting_consent", senco)
    with pytest.raises(StaleEdit, match=STALE_MESSAGE.format(what="referral")[:30]):
        move_referral(referral=referral, to="withdrawn", on=TODAY, version=stale, by=senco, today=TODAY)


def test_two_people_editing_the_referral_at_once_the_second_is_refused(senco, referral):
    values = {"agency": referral.agency, "reason": "New reason", "agency_reference": "", "professional": ""}
    update_referral(referral=referral, version=referral.version, by=senco, today=TODAY, **values)
    with pytest.raises(StaleEdit):
        update_referral(referral=referral, version=referral.version, by=senco, today=TODAY, **values)
    assert Referral.objects.get(pk=referral.pk).reason == "New reason"


def test_the_service_can_change_only_while_the_referral_is_a_draft(senco, referral):
    _move(referral, "awaiting_consent", senco)
    referral.refresh_from_db()
    other = AgencyFactory(school=referral.school)
    values = {"agency": other, "reason": "x", "agency_reference": "", "professional": ""}
    with pytest.raises(ValidationError) as refused:
        update_referral(referral=referral, version=referral.version, by=senco, today=TODAY, **values)
    assert list(refused.value.message_dict) == ["agency"]


def test_every_change_is_in_the_audit_trail_naming_the_pupil(senco, referral):
    record_consent(referral=referral, version=referral.version, by=senco, today=TODAY, **CONSENT)
    _move(referral, "submitted", senco)
    actions = list(
        AuditEvent.objects.filter(pupil_id=referral.pupil_id, action__startswith=("referral")).values_list(
            "action", flat=True
        )
    )
    assert actions.count("referral.moved") == 3
    assert AuditEvent.objects.filter(action="consent.recorded", pupil_id=referral.pupil_id).count() == 1


def test_waiting_times_per_service_are_medians_over_its_referrals(senco, school):
    agency = AgencyFactory(school=school)
    for submitted, accepted in [(date(2026, 1, 5), date(2026, 1, 15)), (date(2026, 2, 2), date(2026, 3, 4))]:
        ReferralFactory(pupil__school=school, agency=agency, submitted_on=submitted, accepted_on=accepted)
    ReferralFactory(pupil__school=school, agency=agency, submitted_on=date(2026, 3, 2))
    waits = agency_waits(senco)[agency.pk]
    assert (waits.referrals, waits.to_accepted, waits.to_first_seen) == (3, 20, None)


def test_a_teacher_gets_no_waiting_times_as_they_read_no_referrals(teacher, school, taught_pupil):
    ReferralFactory(pupil=taught_pupil, submitted_on=date(2026, 1, 5), accepted_on=date(2026, 1, 15))
    assert agency_waits(teacher) == {}


def test_a_leavers_referral_is_read_only(senco, referral):
    type(referral.pupil).objects.filter(pk=referral.pupil_id).update(left_on=date(2026, 10, 1))
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="their record is kept read-only"):
        move_referral(
            referral=referral, to="withdrawn", on=TODAY, version=referral.version, by=senco, today=TODAY
        )
    assert ReferralMove.objects.filter(referral=referral).count() == 1
