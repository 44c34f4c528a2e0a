"""Predicates for actions inside a view's reach (403 territory, R5), who must give a second
factor at sign-in, and who may grant which role."""

from collections.abc import Iterable

from senco.models import LEADERSHIP, SENCO_TEAM, STAFF, Role, User

# Who reads the school's audit trail: the SENCO and the head, who answer for the school's SEN
# records, and those who act for them (the deputy SENCO; senior leaders, among whom is often the
# designated safeguarding lead). Not administrators: they keep records up to date, and the
# trail is also how their own work is checked. Not teachers, TAs or governors.
AUDIT_READERS = (*SENCO_TEAM, *LEADERSHIP)


def can_edit_calendar(user: User) -> bool:
    """Term dates are kept by the school office and the SENCO team; leadership reads them."""
    return user.has_role(*SENCO_TEAM, Role.ADMIN)


# Multi-factor sign-in ------------------------------------------------------------------------


# Every role that can see a pupil's name (all but the governor, who sees suppressed counts only:
# the exams officer sees candidates' names and arrangements), and the trust administrator, who
# sees none but can give a colleague's account a role that does.
SECOND_FACTOR_ROLES = (*STAFF, Role.EXAMS_OFFICER, Role.TRUST_ADMIN)


def must_use_second_factor(user: User) -> bool:
    """Everyone who can see a pupil's name, or grant a role that does, gives a second factor: a
    SECOND_FACTOR_ROLES role at any of their schools, since switching school takes one click;
    and superusers, who can grant any role in the Django admin."""
    return user.is_superuser or user.holds_role_anywhere(*SECOND_FACTOR_ROLES)


# Staff and roles ------------------------------------------------------------------------------


# Who adds staff, grants and revokes roles, staffs teaching groups, deactivates leavers and
# resets a colleague's lost sign-in device (never their own).
STAFF_MANAGERS = (Role.HEAD, Role.ADMIN, Role.TRUST_ADMIN)
MFA_RESETTERS = STAFF_MANAGERS
# The SENCO team reads the staff list and who teaches which group (they place pupils and plan
# support with those staff) but changes neither.
STAFF_LIST_READERS = (*SENCO_TEAM, *STAFF_MANAGERS)


def can_manage_staff(user: User) -> bool:
    return user.has_role(*STAFF_MANAGERS)


def may_grant(granter_roles: Iterable[str], role: str) -> bool:
    """Whether someone holding `granter_roles` at a school may grant (or revoke) `role` there.

    Nobody may hand out a role they could not hold themselves. The trust administrator acts for
    the trust, which employs the staff of its academies: every role, their own among them. The
    headteacher runs the school's staffing for its governing body or trust (which designates the
    SENCO: SEND Code of Practice 6.84): every role of the school, but not the trust's. Anyone else
    who manages staff (the school administrator) only the roles they hold themselves: an
    administrator may not give a colleague a role that reads plans and passports, which their own
    does not. Nobody else grants anything. Granting oneself anything is refused by the services,
    whatever this says. Callers pass every role the granter holds (`User.held_roles`), not only
    those the staff page acts in (docs/decisions/roles-and-reach.md).
    """
    held = set(granter_roles)
    if Role.TRUST_ADMIN in held:
        return True
    if Role.HEAD in held:
        return role != Role.TRUST_ADMIN
    return bool(held & set(STAFF_MANAGERS)) and role in held


def grantable_roles(user: User) -> list[str]:
    """The roles `user` may grant at their current school, in Role's order; the trust
    administrator's only at a school that belongs to a trust."""
    in_trust = user.school is not None and user.school.trust_id is not None
    return [
        role
        for role in Role.values
        if may_grant(user.held_roles, role) and (role != Role.TRUST_ADMIN or in_trust)
    ]
