"""Everything about the child. Models live in modules by feature; import them from here."""

from pupils.models.concerns import Concern, ConcernDecision, ConcernStage
from pupils.models.contacts import Carer, ContactKind, ContactLogEntry, ContactMethod
from pupils.models.core import (
    ON_REGISTER,
    UPN_LETTERS,
    Gender,
    GroupKind,
    NeedArea,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
    YearGroup,
    upn_check_letter,
    upn_format,
    validate_upn,
)
from pupils.models.passports import Passport

__all__ = [
    "ON_REGISTER",
    "UPN_LETTERS",
    "Carer",
    "Concern",
    "ConcernDecision",
    "ConcernStage",
    "ContactKind",
    "ContactLogEntry",
    "ContactMethod",
    "Gender",
    "GroupKind",
    "NeedArea",
    "NeedType",
    "Passport",
    "Pupil",
    "SenStatus",
    "SenStatusChange",
    "TeachingGroup",
    "YearGroup",
    "upn_check_letter",
    "upn_format",
    "validate_upn",
]
