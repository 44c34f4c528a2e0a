"""The rules of a referral as pure functions: its path of states (every pair of states, legal or
not), who may consent, and the waiting times."""

from datetime import date
from itertools import product

import pytest

from agencies.models import ReferralState, Relationship
from agencies.rules import consent_problems, median_days, move_refusal, next_states, waits

STATES = ReferralState.values
# The referral's path, written out here on its own so the test does not read the code's table:
# draft → awaiting_consent → consent_refused | consented → submitted → declined | accepted →
# waiting → in_assessment → report_received → advice_actioned → closed; withdrawn from any.
PATH = {
    ("draft", "awaiting_consent"),
    ("awaiting_consent", "consent_refused"),
    ("awaiting_consent", "consented"),
    ("consented", "submitted"),
    ("submitted", "declined"),
    ("submitted", "accepted"),
    ("accepted", "waiting"),
    ("waiting", "in_assessment"),
    ("in_assessment", "report_received"),
    ("report_received", "advice_actioned"),
    ("advice_actioned", "closed"),
}
LEGAL = PATH | {(state, "withdrawn") for state in STATES if state != "withdrawn"}
PAIRS = list(product(STATES, STATES))


def test_the_states_are_exactly_those_of_the_referral_path():
    assert set(STATES) == {state for pair in PATH for state in pair} | {"withdrawn"}


@pytest.mark.parametrize(("state", "to"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_a_move_is_allowed_exactly_when_the_path_allows_it(state, to):
    refusal = move_refusal(state, to)
    assert (refusal is None) == ((state, to) in LEGAL), refusal


def test_an_illegal_move_says_what_the_referral_can_become_next():
    assert move_refusal("draft", "submitted") == (
        "A referral that is draft cannot become submitted: it can next become awaiting consent or withdrawn."
    )


def test_a_withdrawn_referral_cannot_move_at_all():
    assert next_states("withdrawn") == ()
    assert "cannot move on" in move_refusal("withdrawn", "draft")


def test_a_state_that_is_not_a_state_is_refused():
    assert move_refusal("draft", "lost") == "Choose a state from the list."


def test_moving_to_the_same_state_says_it_is_already_there():
    assert move_refusal("waiting", "waiting") == "The referral is already waiting to be seen."


TODAY = date(2026, 11, 2)


def _problems(**overrides):
    values = {
        "relationship": Relationship.MOTHER,
        "has_parental_responsibility": True,
        "covers_referral": True,
        "pupil_age": 8,
        "given_on": TODAY,
        "today": TODAY,
    } | overrides
    return consent_problems(**values)


def test_a_parent_with_parental_responsibility_may_consent():
    assert _problems() == {}


def test_a_giver_without_parental_responsibility_is_refused_beside_that_field():
    problems = _problems(relationship=Relationship.GRANDPARENT, has_parental_responsibility=False)
    assert list(problems) == ["has_parental_responsibility"]
    assert "Only someone with parental responsibility" in problems["has_parental_responsibility"]


@pytest.mark.parametrize(("age", "allowed"), [(15, False), (16, True), (17, True)])
def test_the_young_person_decides_for_themselves_only_from_16(age, allowed):
    problems = _problems(
        relationship=Relationship.YOUNG_PERSON, has_parental_responsibility=False, pupil_age=age
    )
    assert (problems == {}) is allowed
    if not allowed:
        assert problems["relationship"].startswith("The pupil was 15 on that date")


def test_a_consent_must_cover_the_referral_and_cannot_be_dated_ahead():
    problems = _problems(covers_referral=False, given_on=date(2026, 11, 3))
    assert sorted(problems) == ["covers_referral", "given_on"]


def test_waiting_times_count_days_between_the_steps_reached():
    result = waits(
        submitted_on=date(2026, 1, 5),
        accepted_on=date(2026, 2, 2),
        first_seen_on=date(2026, 4, 20),
        report_received_on=date(2026, 5, 18),
        state="report_received",
        today=TODAY,
    )
    assert (result.to_accepted, result.to_first_seen, result.to_report, result.submitted_to_report) == (
        28,
        77,
        28,
        133,
    )
    assert result.so_far is None


def test_a_referral_still_waiting_counts_the_days_since_its_last_step():
    result = waits(
        submitted_on=date(2026, 10, 1),
        accepted_on=date(2026, 10, 12),
        first_seen_on=None,
        report_received_on=None,
        state="waiting",
        today=TODAY,
    )
    assert (result.to_accepted, result.to_first_seen, result.so_far) == (11, None, 21)


def test_a_withdrawn_referral_is_no_longer_waiting():
    result = waits(
        submitted_on=date(2026, 10, 1),
        accepted_on=None,
        first_seen_on=None,
        report_received_on=None,
        state="withdrawn",
        today=TODAY,
    )
    assert result.so_far is None


def test_the_median_leaves_out_steps_not_reached_and_is_none_when_none_are():
    assert median_days([10, None, 30, 20]) == 20
    assert median_days([10, 31]) == 20.5
    assert median_days([None]) is None
