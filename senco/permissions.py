"""Predicates for actions inside a view's reach (403 territory, R5), and who must give a second
factor at sign-in."""

from senco.models import SENCO_TEAM, STAFF, Role, User


def can_edit_calendar(user: User) -> bool:
    """Term dates are kept by the school office and the SENCO team; leadership reads them."""
    return user.has_role(*SENCO_TEAM, Role.ADMIN)


# Multi-factor sign-in ------------------------------------------------------------------------


# Every role that can see a pupil's name: all but the governor, who sees suppressed counts only.
SECOND_FACTOR_ROLES = STAFF


def must_use_second_factor(user: User) -> bool:
    """Everyone who can see a pupil's name gives a second factor: a SECOND_FACTOR_ROLES role at
    any of their schools, since switching school takes one click; and superusers, who can grant
    themselves any role in the Django admin."""
    return user.is_superuser or user.holds_role_anywhere(*SECOND_FACTOR_ROLES)


# Heads and school administrators reset a colleague's lost device (never their own).
MFA_RESETTERS = (Role.HEAD, Role.ADMIN)
