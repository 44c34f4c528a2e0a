"""Django finds an app's models through `pupils.models`: this package re-exports them from
its feature modules (R1), and holds nothing else."""

from pupils.models.concerns import (
    Concern as Concern,
)
from pupils.models.concerns import (
    ConcernDecision as ConcernDecision,
)
from pupils.models.concerns import (
    ConcernStage as ConcernStage,
)
from pupils.models.contacts import (
    Carer as Carer,
)
from pupils.models.contacts import (
    ContactKind as ContactKind,
)
from pupils.models.contacts import (
    ContactLogEntry as ContactLogEntry,
)
from pupils.models.contacts import (
    ContactMethod as ContactMethod,
)
from pupils.models.import_runs import (
    ACTIVE as ACTIVE,
)
from pupils.models.import_runs import (
    RETRYABLE as RETRYABLE,
)
from pupils.models.import_runs import (
    STALE_AFTER as STALE_AFTER,
)
from pupils.models.import_runs import (
    ImportRun as ImportRun,
)
from pupils.models.import_runs import (
    ImportState as ImportState,
)
from pupils.models.passports import (
    Passport as Passport,
)
from pupils.models.records import (
    NEED_TYPES as NEED_TYPES,
)
from pupils.models.records import (
    NSA as NSA,
)
from pupils.models.records import (
    NSA_BESIDE_ASSESSED as NSA_BESIDE_ASSESSED,
)
from pupils.models.records import (
    ON_REGISTER as ON_REGISTER,
)
from pupils.models.records import (
    TEMPORARY_UPN as TEMPORARY_UPN,
)
from pupils.models.records import (
    UPN_LETTERS as UPN_LETTERS,
)
from pupils.models.records import (
    Gender as Gender,
)
from pupils.models.records import (
    GroupKind as GroupKind,
)
from pupils.models.records import (
    NeedArea as NeedArea,
)
from pupils.models.records import (
    NeedType as NeedType,
)
from pupils.models.records import (
    Pupil as Pupil,
)
from pupils.models.records import (
    SenStatus as SenStatus,
)
from pupils.models.records import (
    SenStatusChange as SenStatusChange,
)
from pupils.models.records import (
    TeachingGroup as TeachingGroup,
)
from pupils.models.records import (
    YearGroup as YearGroup,
)
from pupils.models.records import (
    install_need_types as install_need_types,
)
from pupils.models.records import (
    upn_check_letter as upn_check_letter,
)
from pupils.models.records import (
    upn_format as upn_format,
)
from pupils.models.records import (
    validate_upn as validate_upn,
)
from pupils.models.retention import (
    DisposalRecord as DisposalRecord,
)
from pupils.models.retention import (
    DisposalStatus as DisposalStatus,
)
from pupils.models.retention import (
    HoldReason as HoldReason,
)
from pupils.models.retention import (
    LegalHold as LegalHold,
)
from pupils.models.subject_access import (
    EXPORT_STALE_AFTER as EXPORT_STALE_AFTER,
)
from pupils.models.subject_access import (
    ExportState as ExportState,
)
from pupils.models.subject_access import (
    Requester as Requester,
)
from pupils.models.subject_access import (
    SubjectAccessExport as SubjectAccessExport,
)
from pupils.models.subject_access import (
    SubjectAccessRequest as SubjectAccessRequest,
)
from pupils.models.subject_access import (
    WithheldRecord as WithheldRecord,
)
from pupils.models.subject_access import (
    WithholdingReason as WithholdingReason,
)
