"""Predicates for actions inside a view's reach (403 territory, R5)."""

from senco.models import LEADERSHIP, SENCO_TEAM, Role, User

# Who reads the school's audit trail: the SENCO and the head, who answer for the school's SEN
# records, and those who act for them (the deputy SENCO; senior leaders, among whom is often the
# designated safeguarding lead). Not administrators: they keep records up to date, and the
# trail is also how their own work is checked. Not teachers, TAs or governors.
AUDIT_READERS = (*SENCO_TEAM, *LEADERSHIP)


def can_edit_calendar(user: User) -> bool:
    """Term dates are kept by the school office and the SENCO team; leadership reads them."""
    return user.has_role(*SENCO_TEAM, Role.ADMIN)
