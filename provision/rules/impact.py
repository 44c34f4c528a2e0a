"""Whether provision works: entry-to-exit change per pupil and per intervention, and what the
progress cost: schools report how they evaluate the effectiveness of their SEN provision (SEND
Regulations 2014 Sch 1 para 3(a)). Pure functions; `provision/selectors/impact.py` feeds them.

Decisions:
- Each measure says which way is better. Most rise as a pupil improves; a difficulties score
  such as a strengths and difficulties questionnaire (SDQ) total falls. A *gain* is the change
  in the better direction, so "improved", averages and cost per unit of progress all follow it;
  the *change* (exit minus entry) is shown as it was scored.
- Only placements with both an entry and an exit score count as measured. The rest are "not yet
  measured" and stay out of every average; an exit equal to the entry is "no measurable gain",
  which is a result, not a missing one.
- Gains are in the intervention's own unit: standardised score points, months of reading or
  spelling age, checklist or other points. Interventions measured differently are never added
  together.
- Cost per pupil is the intervention's whole cost (every group, whole planned period, any
  unallocated time included) divided by the pupils placed in it.
- Cost per unit of progress is what the measured pupils' places cost divided by their total
  gain, so pupils not yet measured do not inflate it; with no total gain above zero there is no
  figure.
- Reading and spelling ages are unsuitable for tracking progress (a month of reading age means
  different things at different ages), so they carry a caution wherever they are shown, and
  their progress is also given as a ratio gain: months of reading or spelling age gained for
  each month between the two tests (Brooks, "What works for children and young people with
  literacy difficulties?"). A ratio gain of 1 is progress in step with the calendar. The bands
  sometimes used to judge it are a convention, not a national standard, so none are applied.
- A score outside what the measure can give (35 on a checklist out of 30) is a typing mistake,
  refused when it is recorded. The catalogue entry may give its lowest and highest possible
  scores; left blank, the usual ones for its kind apply (`USUAL_RANGES`), and a kind without
  usual bounds takes any score from 0 up.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from senco.rules import add_months

ZERO = Decimal("0")
HIGHER = "higher"
LOWER = "lower"

# (unit of a gain, one of them) for each measure kind.
UNITS = {
    "standardised": ("standardised score points", "point"),
    "reading_age": ("months of reading or spelling age", "month"),
    "checklist": ("checklist points", "point"),
    "difficulties": ("points on the difficulties score", "point"),
    "other": ("points", "point"),
}
CAUTIONS = {
    "reading_age": (
        "Reading and spelling ages are unsuitable for tracking progress: a month of reading age "
        "means different things at different ages. Use a standardised score where you can."
    ),
}
# Kinds whose direction is part of what they are, with why, for the message refusing the other.
FIXED_DIRECTIONS = {
    "standardised": (HIGHER, "A standardised score rises as a pupil improves"),
    "reading_age": (HIGHER, "A reading or spelling age rises as a pupil improves"),
    "difficulties": (LOWER, "A difficulties score, such as an SDQ total, falls as a pupil improves"),
}
# Kinds that compare entry and exit as months of age, so a ratio gain means something.
AGE_KINDS = {"reading_age"}
# The scores a kind of measure can give when its catalogue entry does not say, wide enough for
# any published test, to catch a mistyped score (1000 for 100) rather than to judge a pupil.
# Standardised scores have mean 100 and SD 15, and tests report about 55 to 145; reading and
# spelling ages are in months, up to 20 years. Other kinds (checklists, difficulties scores,
# counts) are never negative but have no usual top: the entry gives its own (out of 30, say).
USUAL_RANGES = {
    "standardised": (Decimal(40), Decimal(160)),
    "reading_age": (Decimal(0), Decimal(240)),
}
NO_RANGE = (ZERO, None)

NOT_YET_MEASURED = "not_yet_measured"
IMPROVED = "improved"
NO_GAIN = "no_gain"
WORSE = "worse"
OUTCOME_LABELS = {
    NOT_YET_MEASURED: "Not yet measured",
    IMPROVED: "Improved",
    NO_GAIN: "No measurable gain",
    WORSE: "Worse than at entry",
}


def unit_of(measure_kind: str) -> str:
    return UNITS.get(measure_kind, UNITS["other"])[0]


def one_unit_of(measure_kind: str) -> str:
    return UNITS.get(measure_kind, UNITS["other"])[1]


def caution_for(measure_kind: str) -> str:
    return CAUTIONS.get(measure_kind, "")


def usual_direction(measure_kind: str) -> str:
    """Which way is better when the catalogue entry does not say: lower for a difficulties
    score, higher for everything else."""
    return FIXED_DIRECTIONS.get(measure_kind, (HIGHER, ""))[0]


def direction_problem(measure_kind: str, better: str) -> str:
    """Why `better` cannot go with `measure_kind`, or "" if it can."""
    fixed, why = FIXED_DIRECTIONS.get(measure_kind, (better, ""))
    if better == fixed:
        return ""
    choose = "Higher scores are better" if fixed == HIGHER else "Lower scores are better"
    return f"{why}: choose “{choose}”."


def score_range(
    measure_kind: str, lowest: Decimal | None = None, highest: Decimal | None = None
) -> tuple[Decimal, Decimal | None]:
    """The lowest and highest score a measure can give: the catalogue entry's own where it
    gives them, else the usual ones for its kind. No highest (None) when neither says."""
    usual_lowest, usual_highest = USUAL_RANGES.get(measure_kind, NO_RANGE)
    return (
        usual_lowest if lowest is None else lowest,
        usual_highest if highest is None else highest,
    )


def plain_number(value: Decimal) -> str:
    """30.0 as "30", 7.5 as "7.5": how a score is written."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe_range(lowest: Decimal, highest: Decimal | None) -> str:
    if highest is None:
        return f"from {plain_number(lowest)} up"
    return f"from {plain_number(lowest)} to {plain_number(highest)}"


def range_problem(measure_kind: str, lowest: Decimal | None, highest: Decimal | None) -> str:
    """Why a catalogue entry's lowest and highest possible scores do not make a range, or ""."""
    low, high = score_range(measure_kind, lowest, highest)
    if high is None or low < high:
        return ""
    if lowest is None:
        return (
            f"The highest possible score must be above the lowest, which is {plain_number(low)} "
            "for this kind of measure unless you give another."
        )
    return "The highest possible score must be above the lowest."


def score_problem(score: Decimal | None, *, lowest: Decimal, highest: Decimal | None) -> str:
    """Why `score` cannot be a score on a measure from `lowest` to `highest`, or ""."""
    if score is None or (lowest <= score and (highest is None or score <= highest)):
        return ""
    side = "above the highest" if highest is not None and score > highest else "below the lowest"
    if highest is None:
        allowed = f"a score of {plain_number(lowest)} or more"
    else:
        allowed = f"a score from {plain_number(lowest)} to {plain_number(highest)}"
    return f"{plain_number(score)} is {side} score this measure gives: enter {allowed}."


def outcome_of(gain: Decimal | None) -> str:
    if gain is None:
        return NOT_YET_MEASURED
    return IMPROVED if gain > 0 else NO_GAIN if gain == 0 else WORSE


def months_between(start: date, end: date) -> Decimal:
    """Calendar months from `start` to `end`: whole months by the corresponding date, then the
    days left as a fraction of the month that follows. 14 Sep to 14 Dec is 3; 14 to 29 Sep is 0.5."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, whole) > end:
        whole -= 1
    since, next_one = add_months(start, whole), add_months(start, whole + 1)
    return whole + Decimal((end - since).days) / Decimal((next_one - since).days)


@dataclass(frozen=True)
class Measurement:
    """One pupil's entry and exit on one instrument, which is better `HIGHER` or `LOWER`."""

    kind: str
    better: str
    entry: Decimal | None
    exit: Decimal | None
    entry_on: date | None = None
    exit_on: date | None = None

    @property
    def change(self) -> Decimal | None:
        """Exit minus entry, as scored, or None unless both were measured."""
        if self.entry is None or self.exit is None:
            return None
        return self.exit - self.entry

    @property
    def gain(self) -> Decimal | None:
        """The change in the better direction: above zero is progress."""
        change = self.change
        if change is None:
            return None
        return -change if self.better == LOWER else change

    @property
    def measured(self) -> bool:
        return self.change is not None

    @property
    def outcome(self) -> str:
        return outcome_of(self.gain)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def improved(self) -> bool:
        return self.outcome == IMPROVED

    @property
    def months_elapsed(self) -> Decimal | None:
        if not self.measured or self.entry_on is None or self.exit_on is None:
            return None
        return months_between(self.entry_on, self.exit_on)

    @property
    def ratio_gain(self) -> Decimal | None:
        """Months of age gained ÷ months elapsed, for reading and spelling ages; None for other
        measures or when the two tests were on the same day."""
        if self.kind not in AGE_KINDS or not self.months_elapsed:
            return None
        return self.gain / self.months_elapsed

    @property
    def unit(self) -> str:
        return unit_of(self.kind)

    @property
    def caution(self) -> str:
        return caution_for(self.kind)

    @property
    def lower_is_better(self) -> bool:
        return self.better == LOWER


@dataclass(frozen=True)
class PupilResult:
    """One pupil's placement in a group of the intervention: scores and their share of the cost."""

    pupil_id: int
    group_id: int
    measurement: Measurement
    cost: Decimal

    @property
    def gain(self) -> Decimal | None:
        return self.measurement.gain

    @property
    def measured(self) -> bool:
        return self.measurement.measured

    @property
    def improved(self) -> bool:
        return self.measurement.improved


@dataclass(frozen=True)
class InterventionImpact:
    intervention_id: int
    measure_kind: str
    better: str
    results: list[PupilResult]
    total_cost: Decimal

    @property
    def unit(self) -> str:
        return unit_of(self.measure_kind)

    @property
    def one_unit(self) -> str:
        return one_unit_of(self.measure_kind)

    @property
    def caution(self) -> str:
        return caution_for(self.measure_kind)

    @property
    def lower_is_better(self) -> bool:
        return self.better == LOWER

    @property
    def measured(self) -> list[PupilResult]:
        return [result for result in self.results if result.measured]

    @property
    def pupils_placed(self) -> int:
        return len({result.pupil_id for result in self.results})

    @property
    def pupils_measured(self) -> int:
        return len(self.measured)

    def _count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.measurement.outcome == outcome)

    @property
    def improved(self) -> int:
        return self._count(IMPROVED)

    @property
    def no_gain(self) -> int:
        return self._count(NO_GAIN)

    @property
    def worse(self) -> int:
        return self._count(WORSE)

    @property
    def not_yet_measured(self) -> int:
        return self._count(NOT_YET_MEASURED)

    @property
    def total_gain(self) -> Decimal:
        return sum((result.gain for result in self.measured), ZERO)

    @property
    def average_gain(self) -> Decimal | None:
        """The average change in the better direction."""
        return self.total_gain / len(self.measured) if self.measured else None

    @property
    def average_change(self) -> Decimal | None:
        """The average change as scored (exit minus entry)."""
        if self.average_gain is None:
            return None
        return -self.average_gain if self.lower_is_better else self.average_gain

    @property
    def outcome(self) -> str:
        """The measured pupils taken together, judged by their average gain."""
        return outcome_of(self.average_gain)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def ratio_gain(self) -> Decimal | None:
        """For reading and spelling ages: the measured pupils' months gained ÷ their months
        elapsed (the group's average gain over its average time), None if no time passed."""
        timed = [result.measurement for result in self.measured if result.measurement.months_elapsed]
        if self.measure_kind not in AGE_KINDS or not timed:
            return None
        return sum((m.gain for m in timed), ZERO) / sum((m.months_elapsed for m in timed), ZERO)

    @property
    def cost_per_pupil(self) -> Decimal | None:
        return self.total_cost / self.pupils_placed if self.pupils_placed else None

    @property
    def measured_cost(self) -> Decimal:
        return sum((result.cost for result in self.measured), ZERO)

    @property
    def cost_per_unit(self) -> Decimal | None:
        """Measured pupils' cost per unit gained; None when there is no gain above zero."""
        return self.measured_cost / self.total_gain if self.total_gain > 0 else None
