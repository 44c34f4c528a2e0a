"""External agencies and the statutory EHC process: Django finds an app's models through
`agencies.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

from agencies.models.annual_reviews import PFA_AREAS as PFA_AREAS
from agencies.models.annual_reviews import AnnualReview as AnnualReview
from agencies.models.annual_reviews import InviteeKind as InviteeKind
from agencies.models.annual_reviews import Recommendation as Recommendation
from agencies.models.annual_reviews import ReviewInvitee as ReviewInvitee
from agencies.models.assessments import AssessmentDecision as AssessmentDecision
from agencies.models.assessments import AssessmentRequest as AssessmentRequest
from agencies.models.assessments import ClockExemption as ClockExemption
from agencies.models.assessments import ClockStep as ClockStep
from agencies.models.assessments import ExemptionKind as ExemptionKind
from agencies.models.assessments import Requester as Requester
from agencies.models.directory import Agency as Agency
from agencies.models.directory import AgencyKind as AgencyKind
from agencies.models.ehc_plans import TEXT_SECTIONS as TEXT_SECTIONS
from agencies.models.ehc_plans import EhcNeed as EhcNeed
from agencies.models.ehc_plans import EhcOutcome as EhcOutcome
from agencies.models.ehc_plans import EhcPlan as EhcPlan
from agencies.models.ehc_plans import EhcPlanVersion as EhcPlanVersion
from agencies.models.ehc_plans import EhcProvision as EhcProvision
from agencies.models.ehc_plans import VersionKind as VersionKind
from agencies.models.involvement import Advice as Advice
from agencies.models.involvement import Involvement as Involvement
from agencies.models.involvement import InvolvementKind as InvolvementKind
from agencies.models.involvement import Report as Report
from agencies.models.referrals import Consent as Consent
from agencies.models.referrals import ConsentDecision as ConsentDecision
from agencies.models.referrals import ConsentException as ConsentException
from agencies.models.referrals import HowGiven as HowGiven
from agencies.models.referrals import Referral as Referral
from agencies.models.referrals import ReferralMove as ReferralMove
from agencies.models.referrals import ReferralState as ReferralState
from agencies.models.referrals import Relationship as Relationship
