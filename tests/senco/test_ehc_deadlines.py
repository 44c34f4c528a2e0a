"""Every statutory EHC rule of `senco.deadlines`, on real calendar cases: the Code of Practice's
own worked example, leap years, month ends, Christmas and Boxing Day on a weekend, and the phase
transfer dates. EHC dates never move to a working day; the screen names the closed day instead."""

from datetime import date

import pytest

from senco.deadlines import (
    PhaseTransfer,
    advice_due,
    annual_review_due,
    appeal_deadline,
    closed_day_note,
    days_left,
    draft_plan_comments_by,
    ehcna_deadlines,
    phase_transfer_final_by,
    review_schedule,
    weeks_after,
)
from senco.deadlines import phase_transfer_final_by as final_by

POST16_TO_POST16 = PhaseTransfer.POST16_TO_POST16

# --- EHC needs assessment: day 0 is the day the LA received the request -------------------------


def test_a_request_received_on_monday_6_january_2025_gives_the_worked_example_dates():
    assert ehcna_deadlines(date(2025, 1, 6)) == {
        "decision": date(2025, 2, 17),
        "no_plan_notice": date(2025, 4, 28),
        "final_plan": date(2025, 5, 26),
    }


def test_the_final_plan_date_on_the_spring_bank_holiday_stands_and_the_screen_says_why():
    final_plan = ehcna_deadlines(date(2025, 1, 6))["final_plan"]
    assert final_plan == date(2025, 5, 26)
    assert closed_day_note(final_plan) == "a bank holiday: Spring Bank Holiday"


def test_the_weeks_count_from_day_0_whatever_day_of_the_week_the_request_arrived():
    received_on = date(2026, 3, 7)  # a Saturday: the clock still starts that day
    deadlines = ehcna_deadlines(received_on)
    assert deadlines["decision"] == date(2026, 4, 18)
    assert deadlines["decision"].weekday() == received_on.weekday()
    assert (deadlines["no_plan_notice"] - received_on).days == 16 * 7
    assert (deadlines["final_plan"] - received_on).days == 20 * 7


def test_a_clock_running_over_29_february_counts_the_leap_day():
    deadlines = ehcna_deadlines(date(2028, 1, 25))
    assert deadlines["decision"] == date(2028, 3, 7)  # 2028 is a leap year
    assert ehcna_deadlines(date(2027, 1, 25))["decision"] == date(2027, 3, 8)


def test_a_clock_running_over_christmas_is_not_paused_by_the_holidays():
    deadlines = ehcna_deadlines(date(2026, 11, 16))
    assert deadlines["decision"] == date(2026, 12, 28)
    assert closed_day_note(deadlines["decision"]) == "a bank holiday: Boxing Day (observed)"


def test_a_decision_due_on_christmas_day_stays_on_christmas_day():
    decision = ehcna_deadlines(date(2026, 11, 13))["decision"]
    assert decision == date(2026, 12, 25)
    assert closed_day_note(decision) == "a bank holiday: Christmas Day"


def test_advice_asked_for_during_an_assessment_is_due_six_weeks_after_the_las_request():
    assert advice_due(date(2025, 2, 17)) == date(2025, 3, 31)
    assert advice_due(date(2027, 11, 15)) == date(2027, 12, 27)  # Christmas Day observed
    assert closed_day_note(date(2027, 12, 27)) == "a bank holiday: Christmas Day (observed)"


def test_the_draft_plan_comment_window_is_fifteen_calendar_days():
    assert draft_plan_comments_by(date(2025, 4, 14)) == date(2025, 4, 29)
    assert draft_plan_comments_by(date(2026, 12, 18)) == date(2027, 1, 2)  # over Christmas, not paused
    assert draft_plan_comments_by(date(2028, 2, 20)) == date(2028, 3, 6)  # over 29 February


def test_weeks_after_counts_calendar_weeks_either_way():
    assert weeks_after(date(2025, 1, 6), 6) == date(2025, 2, 17)
    assert weeks_after(date(2025, 1, 6), -2) == date(2024, 12, 23)
    assert weeks_after(date(2025, 1, 6), 0) == date(2025, 1, 6)


# --- Appeals -----------------------------------------------------------------------------------


def test_an_appeal_is_due_two_months_after_the_decision_without_mediation():
    assert appeal_deadline(date(2025, 2, 17)) == date(2025, 4, 17)


def test_an_appeal_after_mediation_is_due_a_month_after_the_certificate_when_that_is_later():
    decided_on = date(2025, 2, 17)
    assert appeal_deadline(decided_on, mediation_certificate_on=date(2025, 4, 1)) == date(2025, 5, 1)


def test_an_early_mediation_certificate_does_not_shorten_the_two_months():
    decided_on = date(2025, 2, 17)
    assert appeal_deadline(decided_on, mediation_certificate_on=date(2025, 2, 24)) == date(2025, 4, 17)


def test_a_certificate_giving_the_same_day_as_the_two_months_gives_that_day():
    assert appeal_deadline(date(2025, 2, 17), mediation_certificate_on=date(2025, 3, 17)) == date(2025, 4, 17)


def test_an_appeal_month_clamps_to_the_month_end():
    assert appeal_deadline(date(2025, 12, 31)) == date(2026, 2, 28)
    assert appeal_deadline(date(2023, 12, 31)) == date(2024, 2, 29)
    assert appeal_deadline(date(2025, 1, 1), mediation_certificate_on=date(2025, 1, 31)) == date(2025, 3, 1)
    assert appeal_deadline(date(2024, 12, 1), mediation_certificate_on=date(2025, 1, 31)) == date(2025, 2, 28)


def test_an_appeal_deadline_on_a_weekend_does_not_move():
    deadline = appeal_deadline(date(2025, 3, 15))
    assert deadline == date(2025, 5, 15)
    deadline = appeal_deadline(date(2025, 3, 14), mediation_certificate_on=date(2025, 4, 26))
    assert deadline == date(2025, 5, 26)
    assert closed_day_note(deadline) == "a bank holiday: Spring Bank Holiday"


# --- Annual reviews ----------------------------------------------------------------------------


def test_a_plan_issued_on_29_february_2024_is_reviewed_by_28_february_2025():
    assert annual_review_due(date(2024, 2, 29)) == date(2025, 2, 28)


def test_a_plan_issued_on_28_february_2023_is_reviewed_by_28_february_2024_not_the_leap_day():
    assert annual_review_due(date(2023, 2, 28)) == date(2024, 2, 28)


def test_a_plan_issued_on_a_month_end_is_reviewed_on_the_same_day_next_year():
    assert annual_review_due(date(2025, 1, 31)) == date(2026, 1, 31)
    assert annual_review_due(date(2025, 12, 31)) == date(2026, 12, 31)


def test_a_review_due_on_boxing_day_stays_there_and_is_named():
    due = annual_review_due(date(2026, 12, 26))
    assert due == date(2027, 12, 26)
    assert closed_day_note(due) == "a Sunday: Boxing Day"
    assert annual_review_due(date(2026, 12, 28)) == date(2027, 12, 28)
    assert closed_day_note(date(2027, 12, 28)) == "a bank holiday: Boxing Day (observed)"


def test_the_review_papers_go_two_weeks_before_the_meeting_and_the_report_and_decision_follow_it():
    assert review_schedule(date(2025, 3, 12)) == {
        "papers_by": date(2025, 2, 26),
        "report_by": date(2025, 3, 26),
        "la_decision_by": date(2025, 4, 9),
    }


def test_a_review_schedule_across_christmas_and_new_year_neither_pauses_nor_moves():
    schedule = review_schedule(date(2026, 12, 14))
    assert schedule == {
        "papers_by": date(2026, 11, 30),
        "report_by": date(2026, 12, 28),
        "la_decision_by": date(2027, 1, 11),
    }
    assert closed_day_note(schedule["report_by"]) == "a bank holiday: Boxing Day (observed)"


def test_a_review_schedule_across_29_february_counts_the_leap_day():
    schedule = review_schedule(date(2028, 2, 16))
    assert schedule["report_by"] == date(2028, 3, 1)
    assert schedule["la_decision_by"] == date(2028, 3, 15)
    assert review_schedule(date(2028, 3, 7))["papers_by"] == date(2028, 2, 22)


# --- Phase transfer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [PhaseTransfer.EARLY_YEARS_TO_SCHOOL, PhaseTransfer.INFANT_TO_JUNIOR, PhaseTransfer.PRIMARY_TO_SECONDARY],
)
def test_a_move_into_school_junior_middle_or_secondary_is_final_by_15_february_of_the_year_of_the_move(kind):
    assert phase_transfer_final_by(kind, moves_on=date(2025, 9, 1)) == date(2025, 2, 15)


def test_15_february_2025_was_a_saturday_and_does_not_move():
    final_by = phase_transfer_final_by(PhaseTransfer.PRIMARY_TO_SECONDARY, moves_on=date(2025, 9, 3))
    assert final_by == date(2025, 2, 15)
    assert closed_day_note(final_by) == "a Saturday"


def test_a_move_from_secondary_to_post_16_is_final_by_31_march():
    assert final_by(PhaseTransfer.SECONDARY_TO_POST16, moves_on=date(2026, 9, 1)) == date(2026, 3, 31)


def test_a_move_between_post_16_settings_is_final_five_months_before_it():
    assert final_by(POST16_TO_POST16, moves_on=date(2026, 9, 1)) == date(2026, 4, 1)
    assert final_by(POST16_TO_POST16, moves_on=date(2027, 1, 4)) == date(2026, 8, 4)


def test_a_post_16_move_on_31_july_counts_back_to_the_end_of_february():
    assert final_by(POST16_TO_POST16, moves_on=date(2027, 7, 31)) == date(2027, 2, 28)
    assert final_by(POST16_TO_POST16, moves_on=date(2028, 7, 31)) == date(2028, 2, 29)


def test_every_kind_of_phase_transfer_has_a_rule():
    kinds = [kind for kind, _label in PhaseTransfer.CHOICES]
    assert {kind: phase_transfer_final_by(kind, moves_on=date(2026, 9, 1)) for kind in kinds} == {
        PhaseTransfer.EARLY_YEARS_TO_SCHOOL: date(2026, 2, 15),
        PhaseTransfer.INFANT_TO_JUNIOR: date(2026, 2, 15),
        PhaseTransfer.PRIMARY_TO_SECONDARY: date(2026, 2, 15),
        PhaseTransfer.SECONDARY_TO_POST16: date(2026, 3, 31),
        PhaseTransfer.POST16_TO_POST16: date(2026, 4, 1),
    }


def test_an_unknown_kind_of_phase_transfer_is_refused():
    with pytest.raises(ValueError, match="Not a kind of phase transfer"):
        phase_transfer_final_by("sideways", moves_on=date(2026, 9, 1))


# --- What the screen says about a date ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "note"),
    [
        (date(2025, 2, 17), ""),
        (date(2025, 2, 15), "a Saturday"),
        (date(2025, 2, 16), "a Sunday"),
        (date(2025, 5, 26), "a bank holiday: Spring Bank Holiday"),
        (date(2026, 12, 25), "a bank holiday: Christmas Day"),
        (date(2026, 12, 26), "a Saturday: Boxing Day"),
        (date(2026, 12, 28), "a bank holiday: Boxing Day (observed)"),
        (date(2027, 12, 25), "a Saturday: Christmas Day"),
        (date(2027, 12, 26), "a Sunday: Boxing Day"),
        (date(2027, 12, 27), "a bank holiday: Christmas Day (observed)"),
        (date(2027, 12, 28), "a bank holiday: Boxing Day (observed)"),
        (date(2027, 12, 29), ""),
    ],
)
def test_the_closed_day_note_names_weekends_and_bank_holidays(day, note):
    assert closed_day_note(day) == note


def test_days_left_counts_down_to_zero_on_the_day_and_goes_negative_once_missed():
    due = date(2025, 2, 17)
    assert days_left(due, today=date(2025, 2, 10)) == 7
    assert days_left(due, today=due) == 0
    assert days_left(due, today=date(2025, 3, 3)) == -14
    assert days_left(date(2024, 3, 1), today=date(2024, 2, 28)) == 2
