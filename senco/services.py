"""Writes for the core. Each is one business action in one transaction, and audits itself."""

from django.core.exceptions import ValidationError
from django.db import transaction

from senco import audit
from senco.models import Membership, School, User


@transaction.atomic
def switch_school(*, user: User, school: School, by: User) -> User:
    """Make `school` the one `user` works in. Refused unless they hold a role there.

    Side effects: saves `current_school`; audit row `staff.switched_school`.
    """
    if not Membership.objects.filter(user=user, school=school).exists():
        raise ValidationError({"school": "You do not hold a role at that school."})
    user.current_school = school
    user.save(update_fields=["current_school"])
    audit.record("staff.switched_school", by=by, obj=user, school=school)
    return user


@transaction.atomic
def grant_role(*, user: User, school: School, role: str, by: User | None) -> Membership:
    """Give `user` a role at `school`. Side effects: audit row `staff.role_granted`."""
    membership = Membership(user=user, school=school, role=role)
    membership.full_clean()
    membership.save()
    if user.current_school_id is None:
        user.current_school = school
        user.save(update_fields=["current_school"])
    audit.record("staff.role_granted", by=by, obj=membership, school=school, summary=f"{user} as {role}")
    return membership
