"""Predicates for actions inside a view's reach (403 territory, R5)."""

from senco.models import SENCO_TEAM, Role, User


def can_edit_calendar(user: User) -> bool:
    """Term dates are kept by the school office and the SENCO team; leadership reads them."""
    return user.has_role(*SENCO_TEAM, Role.ADMIN)
