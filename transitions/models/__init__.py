"""Transitions and exam access arrangements: Django finds an app's models through
`transitions.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

# transition_plans
# adulthood
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
from transitions.models.adulthood import PfaOccasion as PfaOccasion
from transitions.models.adulthood import PfaOutcome as PfaOutcome
from transitions.models.adulthood import PfaProgress as PfaProgress
from transitions.models.adulthood import PfaReview as PfaReview

# transfer_packs and arrivals
from transitions.models.arrivals import ArrivalState as ArrivalState
from transitions.models.arrivals import CameBy as CameBy
from transitions.models.arrivals import ImportedRecord as ImportedRecord
from transitions.models.arrivals import IncomingPack as IncomingPack
from transitions.models.transfer_packs import PackSending as PackSending
from transitions.models.transfer_packs import SendingMethod as SendingMethod
from transitions.models.transfer_packs import TransferPack as TransferPack
from transitions.models.transition_plans import ChecklistItem as ChecklistItem
from transitions.models.transition_plans import TransitionContact as TransitionContact
from transitions.models.transition_plans import TransitionKind as TransitionKind
from transitions.models.transition_plans import TransitionPlan as TransitionPlan
from transitions.models.transition_plans import TransitionVisit as TransitionVisit
