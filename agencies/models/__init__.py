"""External agencies and the statutory EHC process: Django finds an app's models through
`agencies.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

from agencies.models.assessments import AssessmentDecision as AssessmentDecision
from agencies.models.assessments import AssessmentRequest as AssessmentRequest
from agencies.models.assessments import ClockExemption as ClockExemption
from agencies.models.assessments import ClockStep as ClockStep
from agencies.models.assessments import ExemptionKind as ExemptionKind
from agencies.models.assessments import Requester as Requester
from agencies.models.directory import Agency as Agency
from agencies.models.directory import AgencyKind as AgencyKind
