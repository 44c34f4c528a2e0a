"""Plans and provision: Django finds an app's models through `provision.models`, so this package
re-exports them from its feature modules (R1) and holds nothing else. Costs are never stored:
`provision.rules.budget` computes them from these rows."""

from provision.models.budget import StaffMemberRate as StaffMemberRate
from provision.models.budget import StaffRate as StaffRate
from provision.models.budget import StaffRateAmount as StaffRateAmount
from provision.models.budget import TopUp as TopUp
from provision.models.delivery import DeliveredSession as DeliveredSession
from provision.models.delivery import SessionStatus as SessionStatus
from provision.models.groups import Placement as Placement
from provision.models.groups import ProvisionGroup as ProvisionGroup
from provision.models.groups import Setting as Setting
from provision.models.interventions import CostBasis as CostBasis
from provision.models.interventions import Deliverer as Deliverer
from provision.models.interventions import Direction as Direction
from provision.models.interventions import Intervention as Intervention
from provision.models.interventions import InterventionCost as InterventionCost
from provision.models.interventions import MeasureKind as MeasureKind
from provision.models.plans import EHC_SUPPORT_PLAN as EHC_SUPPORT_PLAN
from provision.models.plans import EXIT_STATUSES as EXIT_STATUSES
from provision.models.plans import SEN_SUPPORT_PLAN as SEN_SUPPORT_PLAN
from provision.models.plans import Decision as Decision
from provision.models.plans import OutcomeProgress as OutcomeProgress
from provision.models.plans import ParentsAtReview as ParentsAtReview
from provision.models.plans import PlanOutcome as PlanOutcome
from provision.models.plans import PlanReview as PlanReview
from provision.models.plans import PlanStatus as PlanStatus
from provision.models.plans import PlanVersion as PlanVersion
from provision.models.plans import Progress as Progress
from provision.models.plans import ReviewComment as ReviewComment
from provision.models.plans import SupportPlan as SupportPlan
from provision.models.plans import plan_name as plan_name
