"""Whether provision works: entry-to-exit change per pupil and per intervention, and what the
progress cost: schools report how they evaluate the effectiveness of their SEN provision (SEND
Regulations 2014 Sch 1 para 3(a)). Pure functions; `provision/selectors/impact.py` feeds them.

Decisions:
- Only placements with both an entry and an exit score count as measured; the rest are
  "awaiting an exit measure" and stay out of every average.
- Gain is exit minus entry on the intervention's own instrument, in its own unit: standardised
  score points, months of reading or spelling age, checklist or other points. Interventions
  measured differently are never added together.
- Cost per pupil is the intervention's whole cost (every group, whole planned period, any
  unallocated time included) divided by the pupils placed in it.
- Cost per unit of progress is what the measured pupils' places cost divided by their total
  gain, so pupils not yet measured do not inflate it; with no total gain above zero it is
  "no measurable gain".
- Reading and spelling ages are unsuitable for tracking progress (a month of reading age means
  different things at different ages), so they carry a caution wherever they are shown.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")

# (unit of a gain, one of them) for each measure kind.
UNITS = {
    "standardised": ("standardised score points", "point"),
    "reading_age": ("months of reading or spelling age", "month"),
    "checklist": ("checklist points", "point"),
    "other": ("points", "point"),
}
CAUTIONS = {
    "reading_age": (
        "Reading and spelling ages are unsuitable for tracking progress: a month of reading age "
        "means different things at different ages. Use a standardised score where you can."
    ),
}


def unit_of(measure_kind: str) -> str:
    return UNITS.get(measure_kind, UNITS["other"])[0]


def one_unit_of(measure_kind: str) -> str:
    return UNITS.get(measure_kind, UNITS["other"])[1]


def caution_for(measure_kind: str) -> str:
    return CAUTIONS.get(measure_kind, "")


def gain_of(entry: Decimal | None, exit_score: Decimal | None) -> Decimal | None:
    """Exit minus entry, or None unless both were measured."""
    if entry is None or exit_score is None:
        return None
    return exit_score - entry


@dataclass(frozen=True)
class PupilResult:
    """One pupil's placement in a group of the intervention: scores and their share of the cost."""

    pupil_id: int
    group_id: int
    entry: Decimal | None
    exit: Decimal | None
    cost: Decimal
    entry_measured_on: date | None = None
    exit_measured_on: date | None = None

    @property
    def gain(self) -> Decimal | None:
        return gain_of(self.entry, self.exit)

    @property
    def measured(self) -> bool:
        return self.gain is not None

    @property
    def improved(self) -> bool:
        return self.measured and self.gain > 0


@dataclass(frozen=True)
class InterventionImpact:
    intervention_id: int
    measure_kind: str
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
    def measured(self) -> list[PupilResult]:
        return [result for result in self.results if result.measured]

    @property
    def pupils_placed(self) -> int:
        return len({result.pupil_id for result in self.results})

    @property
    def pupils_measured(self) -> int:
        return len(self.measured)

    @property
    def improved(self) -> int:
        return sum(1 for result in self.measured if result.improved)

    @property
    def total_gain(self) -> Decimal:
        return sum((result.gain for result in self.measured), ZERO)

    @property
    def average_gain(self) -> Decimal | None:
        return self.total_gain / len(self.measured) if self.measured else None

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
