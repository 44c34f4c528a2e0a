"""External agencies and the statutory EHC process: Django finds an app's models through
`agencies.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

from agencies.models.directory import Agency as Agency
from agencies.models.directory import AgencyKind as AgencyKind
from agencies.models.referrals import Consent as Consent
from agencies.models.referrals import ConsentDecision as ConsentDecision
from agencies.models.referrals import ConsentException as ConsentException
from agencies.models.referrals import HowGiven as HowGiven
from agencies.models.referrals import Referral as Referral
from agencies.models.referrals import ReferralMove as ReferralMove
from agencies.models.referrals import ReferralState as ReferralState
from agencies.models.referrals import Relationship as Relationship
