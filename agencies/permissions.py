"""Who may do what with outside agencies and the statutory EHC process (403 territory, R5).

The SENCO team runs this work and reads and writes all of it; the head and senior leaders read
all of it. Teachers and TAs see, for the pupils they teach or support, what helps them teach:
the advice and strategies professionals recommended, and an EHC plan's outcomes (Section E) and
provision (Section F); never the reports themselves, the consents, or anything marked as health
information. Governors see none of it. The school administrator keeps the directory of services
up to date but opens no pupil's referrals or plans."""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, Role, User

AGENCY_WORKERS = SENCO_TEAM  # referrals, consents, involvement, reports, EHC requests and plans
AGENCY_READERS = (*SENCO_TEAM, *LEADERSHIP)  # everything above, read-only for leadership
DIRECTORY_READERS = (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)
DIRECTORY_WRITERS = (*SENCO_TEAM, Role.ADMIN)
# Advice and strategies, and an EHC plan's outcomes and Section F, for the pupils one teaches.
ADVICE_READERS = (*AGENCY_READERS, *CLASSROOM)
EHC_PLAN_SUMMARY_READERS = ADVICE_READERS
# Uploaded reports marked as health information: the SENCO team and the head only.
HEALTH_READERS = (*SENCO_TEAM, Role.HEAD)


def can_work_with_agencies(user: User) -> bool:
    return user.has_role(*AGENCY_WORKERS)


def can_edit_directory(user: User) -> bool:
    return user.has_role(*DIRECTORY_WRITERS)


def can_read_health_information(user: User) -> bool:
    return user.has_role(*HEALTH_READERS)


# --- assessments and statutory_calendar ---------------------------------------------------------
# EHC needs assessment requests and the statutory calendar: the SENCO team and leadership; none of
# it for teachers, TAs, governors or the school administrator.
STATUTORY_CALENDAR_READERS = AGENCY_READERS


def can_read_statutory_calendar(user: User) -> bool:
    return user.has_role(*STATUTORY_CALENDAR_READERS)
