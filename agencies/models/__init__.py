"""External agencies and the statutory EHC process: Django finds an app's models through
`agencies.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

from agencies.models.directory import Agency as Agency
from agencies.models.directory import AgencyKind as AgencyKind
from agencies.models.involvement import Advice as Advice
from agencies.models.involvement import Involvement as Involvement
from agencies.models.involvement import InvolvementKind as InvolvementKind
from agencies.models.involvement import Report as Report
