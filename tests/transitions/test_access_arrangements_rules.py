"""The rules of exam access arrangements: the 25% extra time scores at their boundaries, a Form 8
in the wrong order, readiness and its reasons, lapse, and the exam series."""

from datetime import date

import pytest

from transitions.rules import (
    AWAITING_APPROVAL,
    IN_PLACE,
    LAPSED,
    NOT_READY,
    Form8Facts,
    Readiness,
    approval_lapses_on,
    meets_extra_time_scores,
    next_series,
    readiness,
)

SPEED = "processing_speed"


@pytest.mark.parametrize(
    ("first", "second", "meets"),
    [
        (84, 84, True),  # two below average
        (84, 85, True),  # one below average, one low average
        (84, 89, True),
        (84, 90, False),  # 90 is average
        (85, 85, False),  # two low average, none below
        (85, 89, False),
        (89, 89, False),
        (70, 100, False),
    ],
)
def test_25_per_cent_extra_time_needs_two_speed_scores_of_84_or_less_or_one_and_one_of_85_to_89(
    first, second, meets
):
    assert meets_extra_time_scores([(SPEED, first), ("writing_speed", second)]) is meets


def test_scores_outside_speed_of_working_do_not_count_towards_extra_time():
    assert (
        meets_extra_time_scores([(SPEED, 80), ("other", 75)]),
        meets_extra_time_scores([(SPEED, 80)]),
        meets_extra_time_scores([(SPEED, 80), ("other", 75), ("reading_speed", 88)]),
    ) == (False, False, True)


def _form8(*scores, part1_on=date(2026, 9, 14), assessed_on=date(2026, 10, 5), qualification="level_7"):
    return Form8Facts(part1_on, assessed_on, qualification, tuple((SPEED, score) for score in scores))


def _readiness(**overrides):
    values = {
        "kind": "extra_time_25",
        "evidence": "form_8",
        "has_ehc_plan": False,
        "form8": _form8(80, 88),
        "other_evidence": "",
        "normal_way_dates": [date(2026, 11, 2)],
        "approved_on": date(2026, 11, 20),
        "aao_reference": "AAO-1",
        "lapses_on": date(2029, 1, 20),
        "on": date(2026, 12, 1),
    }
    return readiness(**(values | overrides))


def test_extra_time_on_qualifying_scores_seen_in_class_and_approved_is_in_place():
    assert _readiness() == Readiness(IN_PLACE)


def test_extra_time_without_the_scores_it_needs_is_not_ready_and_says_why():
    result = _readiness(form8=_form8(85, 90))
    assert (
        result.state,
        len(result.reasons),
        "do not meet the rule for 25% extra time" in result.reasons[0],
    ) == (
        NOT_READY,
        1,
        True,
    )


def test_extra_time_on_other_evidence_is_not_ready():
    result = _readiness(evidence="other", form8=None, other_evidence="Slow to finish.")
    assert (result.state, result.reasons) == (
        NOT_READY,
        ("25% extra time needs an EHC plan in force or a Form 8 with qualifying scores",),
    )


def test_extra_time_on_an_ehc_plan_needs_the_plan_to_be_in_force():
    with_plan = _readiness(evidence="ehc_plan", form8=None, has_ehc_plan=True)
    without = _readiness(evidence="ehc_plan", form8=None, has_ehc_plan=False)
    assert (with_plan.state, without.state, without.reasons) == (
        IN_PLACE,
        NOT_READY,
        ("the evidence is an EHC plan, but the pupil has no EHC plan in force",),
    )


def test_a_form_8_assessed_before_its_part_1_or_without_the_assessors_qualification_is_not_evidence():
    backwards = _readiness(form8=_form8(80, 80, part1_on=date(2026, 10, 6)))
    unqualified = _readiness(form8=_form8(80, 80, qualification=""))
    assert (backwards.reasons, unqualified.reasons) == (
        ("the Form 8's Parts 2 and 3 are dated before its Part 1",),
        ("the assessor's qualification is not recorded on the Form 8",),
    )


def test_an_arrangement_nobody_has_seen_as_the_normal_way_of_working_is_not_ready():
    never = _readiness(normal_way_dates=[])
    only_later = _readiness(normal_way_dates=[date(2026, 12, 2)])
    reason = ("no teacher has recorded it as the pupil's normal way of working",)
    assert (never.state, never.reasons, only_later.reasons) == (NOT_READY, reason, reason)


def test_extra_time_ready_but_not_approved_awaits_approval_while_rest_breaks_need_none():
    awaiting = _readiness(approved_on=None, aao_reference="")
    rest_breaks = _readiness(
        kind="rest_breaks",
        evidence="other",
        form8=None,
        other_evidence="Anxiety.",
        approved_on=None,
        aao_reference="",
    )
    assert (awaiting.state, rest_breaks.state) == (AWAITING_APPROVAL, IN_PLACE)


def test_an_arrangement_lapses_the_day_after_its_lapse_date():
    assert (
        _readiness(lapses_on=date(2026, 12, 1)).state,
        _readiness(lapses_on=date(2026, 11, 30)).state,
        _readiness(lapses_on=date(2026, 11, 30)).reasons,
    ) == (IN_PLACE, LAPSED, ("it lapsed on 30 November 2026",))


@pytest.mark.parametrize(
    ("approved_on", "lapses_on"),
    [
        (date(2026, 11, 20), date(2029, 1, 20)),
        (date(2025, 12, 31), date(2028, 2, 29)),  # a leap year's February
        (date(2026, 12, 31), date(2029, 2, 28)),
        (date(2027, 6, 30), date(2029, 8, 30)),
    ],
)
def test_an_approval_lapses_26_months_on_or_at_that_months_end(approved_on, lapses_on):
    assert approval_lapses_on(approved_on) == lapses_on


@pytest.mark.parametrize(
    ("today", "slug"),
    [
        (date(2026, 9, 1), "november-2026"),
        (date(2026, 11, 30), "november-2026"),
        (date(2026, 12, 1), "summer-2027"),
        (date(2027, 6, 30), "summer-2027"),
        (date(2027, 7, 1), "november-2027"),
        (date(2027, 8, 31), "november-2027"),
    ],
)
def test_the_next_series_is_the_first_not_yet_over(today, slug):
    assert next_series(today).slug == slug
