"""Predicates for actions on pupils the user can already see (403 territory, R5)."""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, User

# Who may open SEN support plans at all: the SENCO team and leadership for the whole school,
# teachers and TAs for their own pupils (the selector narrows them). Governors never.
PLAN_READERS = (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)
PLAN_WRITERS = SENCO_TEAM
PLAN_COMMENTERS = (*SENCO_TEAM, *CLASSROOM)


def can_edit_plans(user: User) -> bool:
    return user.has_role(*PLAN_WRITERS)


def can_comment_on_plans(user: User) -> bool:
    return user.has_role(*PLAN_COMMENTERS)
