"""Predicates for actions inside a view's reach (403 territory, R5)."""

from senco.models import LEADERSHIP, SENCO_TEAM, User


def can_read_audit_trail(user: User) -> bool:
    return user.has_role(*SENCO_TEAM, *LEADERSHIP)
