"""Writes for the core: switching school, and telling staff that something needs them. Mail goes
through the worker after the transaction that caused it commits, so a rolled-back change never
sends a message."""

from django.core.exceptions import ValidationError
from django.db import transaction

from senco import audit
from senco.models import Membership, School, User
from senco.tasks import send_email


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


def email_staff(*, to: User, subject: str, body: str) -> None:
    """Queue an e-mail to one member of staff; staff without an address are skipped."""
    if not to.email:
        return
    transaction.on_commit(lambda: send_email.delay(to=[to.email], subject=subject, body=body))
