"""Pure rules of the transitions app (R11: dates come in as arguments). Each feature appends its
own block.

transition_plans: which school year a move belongs to, the checklist a new plan starts with, and
what is overdue."""

from datetime import date

from senco.rules import academic_year_of
from transitions.models.transition_plans import END_OF_YEAR_KINDS, LEAVING_KINDS, TransitionKind

# --- transition_plans ---------------------------------------------------------------------------

# The steps of every plan (CoP 5.47 and 6.57: information shared, a key adult, extra visits;
# CoP 1.8 and 9.179: the pupil's and parents' views).
USUAL_STEPS = [
    "One-page profile brought up to date with the pupil",
    "Key adult named and introduced to the pupil",
    "Extra visits arranged",
    "The pupil's and parents' views recorded",
    "Staff at the destination told about the pupil's needs and what works",
]
STEPS_BY_KIND = {
    **{key: ["Transfer pack sent to the next setting"] for key in LEAVING_KINDS},
    TransitionKind.IN_YEAR_IN: [
        "Records from the previous school received and read",
        "Support in place from the first day",
    ],
    TransitionKind.NEXT_CLASS: ["Pupil passport shared with the new class teacher"],
}
EHC_STEP = "EHC plan amended to name the next setting"


def school_year_of_move(kind: str, moves_on: date) -> int:
    """The start year of the school year whose work a move is. A move at the end of the year
    (a phase transfer, the next class) starts in early September but is prepared in the year
    before, so a September start counts there; any other move counts in the year it happens."""
    if kind in END_OF_YEAR_KINDS and moves_on.month == 9:
        return moves_on.year - 1
    return academic_year_of(moves_on)


def year_window(kind_is_end_of_year: bool, start_year: int) -> tuple[date, date]:
    """The move dates that belong to the school year starting in `start_year`."""
    if kind_is_end_of_year:
        return date(start_year, 10, 1), date(start_year + 1, 9, 30)
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def first_steps(kind: str, *, ehc_final_by: date | None) -> list[tuple[str, date | None]]:
    """The checklist a new plan starts with, as (step, due by): the usual steps, those of its
    kind, and for a pupil with an EHC plan moving phase the plan's amendment, due by the date
    reg 18 gives."""
    steps = [(label, None) for label in [*USUAL_STEPS, *STEPS_BY_KIND.get(kind, [])]]
    if ehc_final_by is not None:
        steps.append((EHC_STEP, ehc_final_by))
    return steps


def is_overdue(*, due_on: date | None, done_on: date | None, today: date) -> bool:
    return due_on is not None and done_on is None and due_on < today
