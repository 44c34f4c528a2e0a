"""Writes about the school itself: switching the school a user works in, the financial year,
and telling staff that something needs them. Mail goes through the worker after the transaction
that caused it commits, so a rolled-back change never sends a message."""

from django.core.exceptions import ValidationError
from django.db import transaction

from senco import audit
from senco.concurrency import check_unchanged
from senco.models import Membership, School, User
from senco.tasks import enqueue_on_commit, send_email


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


FINANCIAL_YEAR_FIELDS = ("financial_year_starts",)


@transaction.atomic
def set_financial_year_start(*, school: School, starts_in_month: int, version: str, by: User) -> School:
    """Start the school's financial year in April or, for an academy keeping the academy year, in
    September. `version` is `version_token(school, fields=FINANCIAL_YEAR_FIELDS)` as the editor
    saw it. Budgets keep their year numbers, so 2026-27 becomes the year the new month starts.

    Raises StaleEdit if someone changed it since. Side effects: audit row
    `school.financial_year_start_set`.
    """
    school = School.objects.select_for_update().get(pk=school.pk)
    check_unchanged(school, version, what="financial year", fields=FINANCIAL_YEAR_FIELDS)
    school.financial_year_starts = starts_in_month
    school.full_clean()
    school.save(update_fields=["financial_year_starts"])
    audit.record(
        "school.financial_year_start_set",
        by=by,
        obj=school,
        school=school,
        fields=list(FINANCIAL_YEAR_FIELDS),
        summary=school.get_financial_year_starts_display(),
    )
    return school


def email_staff(*, to: User, subject: str, body: str) -> None:
    """Queue an e-mail to one member of staff; staff without an address are skipped."""
    if not to.email:
        return
    enqueue_on_commit(send_email, to=[to.email], subject=subject, body=body)
