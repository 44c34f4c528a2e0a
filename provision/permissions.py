"""Predicates for actions on pupils the user can already see (403 territory, R5)."""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, STAFF, Role, User

# Who may open SEN support plans at all: the SENCO team and leadership for the whole school,
# teachers and TAs for their own pupils (the selector narrows them). Governors never.
PLAN_READERS = (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)
PLAN_WRITERS = SENCO_TEAM
PLAN_COMMENTERS = (*SENCO_TEAM, *CLASSROOM)


def can_read_plans(user: User) -> bool:
    return user.has_role(*PLAN_READERS)


def can_edit_plans(user: User) -> bool:
    return user.has_role(*PLAN_WRITERS)


def can_comment_on_plans(user: User) -> bool:
    return user.has_role(*PLAN_COMMENTERS)


# Provision in practice (catalogue, groups, delivery). Hourly costs are pay information: only
# the SENCO team, leadership and the school administrator see them; teachers and TAs browse
# the catalogue without them. Teachers and TAs see only the groups they deliver (the selector
# narrows them) and record sessions and measures for those.
COST_READERS = (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)
STAFF_RATE_WRITERS = (*SENCO_TEAM, Role.ADMIN)
CATALOGUE_READERS = (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN, *CLASSROOM)
CATALOGUE_WRITERS = SENCO_TEAM
GROUP_READERS = (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)
GROUP_WRITERS = SENCO_TEAM
DELIVERY_RECORDERS = (*SENCO_TEAM, *CLASSROOM)
DELIVERY_OVERVIEW_READERS = (*SENCO_TEAM, *LEADERSHIP)

# Money and outcomes. The SEN budget is kept by the SENCO team and the school office and read by
# leadership; the provision map shows costs, so it goes to cost readers; the impact of
# interventions is for the SENCO team and leadership. Any member of staff who can see a pupil
# may open that pupil's provision page (it shows costs only to cost readers).
BUDGET_WRITERS = (*SENCO_TEAM, Role.ADMIN)
BUDGET_READERS = (*BUDGET_WRITERS, *LEADERSHIP)
MAP_READERS = COST_READERS
IMPACT_READERS = (*SENCO_TEAM, *LEADERSHIP)
PUPIL_PROVISION_READERS = STAFF


def can_see_costs(user: User) -> bool:
    """Staff rates and per-pupil costs are for the SENCO team, leadership and the administrator."""
    return user.has_role(*COST_READERS)


def can_see_delivery_overview(user: User) -> bool:
    return user.has_role(*DELIVERY_OVERVIEW_READERS)


def can_edit_budget(user: User) -> bool:
    return user.has_role(*BUDGET_WRITERS)


def can_see_impact(user: User) -> bool:
    return user.has_role(*IMPACT_READERS)


def can_open_pupil_provision(user: User) -> bool:
    return user.has_role(*PUPIL_PROVISION_READERS)


def can_edit_staff_rates(user: User) -> bool:
    return user.has_role(*STAFF_RATE_WRITERS)


def can_edit_catalogue(user: User) -> bool:
    return user.has_role(*CATALOGUE_WRITERS)


def can_manage_groups(user: User) -> bool:
    return user.has_role(*GROUP_WRITERS)


def can_record_delivery(user: User, group) -> bool:
    """The SENCO team for any group; a teacher or TA for a group they deliver."""
    if user.has_role(*SENCO_TEAM):
        return True
    return user.has_role(*CLASSROOM) and group.staff.filter(pk=user.pk).exists()


def can_correct_session(user: User, session) -> bool:
    """Whoever may record a group's sessions may correct its records, whoever recorded them."""
    school = user.school
    in_school = school is not None and session.group.school_id == school.pk
    return in_school and can_record_delivery(user, session.group)


def can_delete_session(user: User, session) -> bool:
    """The SENCO team; otherwise only the person who recorded the session, while they still
    deliver the group (a record made in error, not one a colleague made)."""
    if not can_correct_session(user, session):
        return False
    return user.has_role(*SENCO_TEAM) or session.recorded_by_id == user.pk
