"""Transitions and exam access arrangements: Django finds an app's models through
`transitions.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

# --- access_arrangements ---
from transitions.models.access_arrangements import (  # noqa: F401
    AccessArrangement,
    ArrangementKind,
    AssessorQualification,
    EvidenceKind,
    Form8,
    Form8Score,
    NormalWayRecord,
    ScoreArea,
)
