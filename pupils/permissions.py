"""Predicates for actions on a pupil the user can already see (403 territory, R5)."""

from senco.models import SENCO_TEAM, User


def can_change_sen_status(user: User) -> bool:
    return user.has_role(*SENCO_TEAM)
