"""Who may do what to a pupil's record: the one place the pupils app names its role groups.

Reach (which pupils a user sees at all) is `pupils.selectors.records.pupils_visible_to`; these
are the roles allowed each action on a pupil the user can already see (403 territory, R5). Views
declare them with `senco.access.allow(*GROUP)`; code that only needs a yes/no calls the `can_*`
predicate.
"""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, Role, User
from senco.permissions import STAFF_LIST_READERS, STAFF_MANAGERS

# The pupil record itself, and the SEN register (whole-school roles except governors).
SEN_STATUS_WRITERS = SENCO_TEAM
RECORD_EDITORS = (*SENCO_TEAM, Role.ADMIN)
REGISTER_READERS = (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)
IMPORTERS = (*SENCO_TEAM, Role.ADMIN)  # the MIS import

# Teachers and TAs work from their own groups: they see those groups and the pupils in them
# (the selectors narrow them to their own), where whole-school roles see the register.
OWN_GROUP_READERS = CLASSROOM

# Who teaches and supports each class, registration group and set: changed by those who manage
# staff (it decides which pupils a teacher or TA sees); the SENCO team reads it.
GROUP_STAFF_READERS = STAFF_LIST_READERS
GROUP_STAFF_WRITERS = STAFF_MANAGERS

# Governors hold the school to account for its SEN provision but see no pupil: whole-school SEN
# figures only, with small numbers suppressed so that no child can be identified.
SEN_SUMMARY_READERS = (Role.GOVERNOR,)

# Passports (one-page profiles): staff who work with the pupil read them (the selector narrows
# teachers and TAs to their own pupils); administrators and governors none.
PASSPORT_READERS = (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)
PASSPORT_WRITERS = SENCO_TEAM

# Carers and the contact log. Carers' contact details are for the SENCO team and the school
# office; the full contact log for the SENCO team and leadership; teachers and TAs see contact
# events (date, kind, summary, agreed actions) in the chronology.
CARER_DETAIL_READERS = (*SENCO_TEAM, Role.ADMIN)
CARER_WRITERS = (*SENCO_TEAM, Role.ADMIN)
CONTACT_LOG_READERS = (*SENCO_TEAM, *LEADERSHIP)
CONTACT_LOG_WRITERS = SENCO_TEAM
CONTACT_EVENT_READERS = (*CONTACT_LOG_READERS, *CLASSROOM)

# Concerns. The Code puts identifying a need first on the class teacher (CoP 6.36-6.37), and TAs
# see the same pupils day to day, so classroom staff log concerns; the SENCO team may log one too.
# Only the SENCO team triages and decides; leadership may read the queue and each concern.
CONCERN_RAISERS = (*CLASSROOM, *SENCO_TEAM)
CONCERN_TRIAGERS = SENCO_TEAM
CONCERN_OVERSEERS = (*SENCO_TEAM, *LEADERSHIP)
CONCERN_READERS = (*CONCERN_OVERSEERS, *CLASSROOM)


def can_change_sen_status(user: User) -> bool:
    return user.has_role(*SEN_STATUS_WRITERS)


def can_edit_record(user: User) -> bool:
    return user.has_role(*RECORD_EDITORS)


def can_read_register(user: User) -> bool:
    return user.has_role(*REGISTER_READERS)


def can_see_own_groups(user: User) -> bool:
    return user.has_role(*OWN_GROUP_READERS)


def can_staff_groups(user: User) -> bool:
    return user.has_role(*GROUP_STAFF_WRITERS)


def can_read_sen_summary(user: User) -> bool:
    return user.has_role(*SEN_SUMMARY_READERS)


def can_correct_leaving_date(user: User) -> bool:
    """Leavers are read-only, with one exception: the SENCO team may correct or clear the
    leaving date itself (and nothing else in the same save), so that a date entered in error,
    or a pupil who returns, does not leave a record locked for good. The school administrator
    asks the SENCO: reopening a closed SEN record is a SEN decision."""
    return user.has_role(*SENCO_TEAM)


def can_read_passports(user: User) -> bool:
    return user.has_role(*PASSPORT_READERS)


def can_edit_passports(user: User) -> bool:
    return user.has_role(*PASSPORT_WRITERS)


def can_see_carer_details(user: User) -> bool:
    return user.has_role(*CARER_DETAIL_READERS)


def can_edit_carers(user: User) -> bool:
    return user.has_role(*CARER_WRITERS)


def can_read_contact_log(user: User) -> bool:
    return user.has_role(*CONTACT_LOG_READERS)


def can_log_contact(user: User) -> bool:
    return user.has_role(*CONTACT_LOG_WRITERS)


def can_see_contact_events(user: User) -> bool:
    return user.has_role(*CONTACT_EVENT_READERS)


def can_raise_concerns(user: User) -> bool:
    return user.has_role(*CONCERN_RAISERS)


def can_triage_concerns(user: User) -> bool:
    return user.has_role(*CONCERN_TRIAGERS)


def can_oversee_concerns(user: User) -> bool:
    return user.has_role(*CONCERN_OVERSEERS)


def can_read_concerns(user: User) -> bool:
    return user.has_role(*CONCERN_READERS)


# Subject access requests (UK GDPR Art 15). The SENCO team and the school office log them and
# produce the export, which holds everything about the pupil whatever the handler's other roles
# let them read (the export's selectors reach the whole record for them, and only for them).
# Whether to withhold a record (serious harm, abuse, a third party) is a professional judgement:
# the SENCO team makes it.
SUBJECT_ACCESS_HANDLERS = (*SENCO_TEAM, Role.ADMIN)
SUBJECT_ACCESS_REVIEWERS = SENCO_TEAM


def can_handle_subject_access(user: User) -> bool:
    return user.has_role(*SUBJECT_ACCESS_HANDLERS)


def can_withhold_from_subject_access(user: User) -> bool:
    return user.has_role(*SUBJECT_ACCESS_REVIEWERS)


# Retention and disposal. Disposing of a leaver's record takes two people: the SENCO team, who
# keep the SEN file, proposes and the headteacher, accountable for the school's records, approves
# (IRMS Toolkit for Schools: disposal is authorised and recorded). Either may place or lift a
# legal hold and set how long the school keeps SEN records; senior leaders, the office, classroom
# staff and governors take no part.
RETENTION_MANAGERS = (*SENCO_TEAM, Role.HEAD)
DISPOSAL_PROPOSERS = SENCO_TEAM
DISPOSAL_APPROVERS = (Role.HEAD,)


def can_manage_retention(user: User) -> bool:
    return user.has_role(*RETENTION_MANAGERS)


def can_propose_disposal(user: User) -> bool:
    return user.has_role(*DISPOSAL_PROPOSERS)


def can_approve_disposal(user: User) -> bool:
    return user.has_role(*DISPOSAL_APPROVERS)
