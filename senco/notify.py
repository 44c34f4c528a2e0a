"""Telling staff that something needs them. Mail goes through the worker after the
transaction that caused it commits, so a rolled-back change never sends a message."""

from django.db import transaction

from senco.models import User
from senco.tasks import send_email


def email_staff(*, to: User, subject: str, body: str) -> None:
    """Queue an e-mail to one member of staff; staff without an address are skipped."""
    if not to.email:
        return
    transaction.on_commit(lambda: send_email.delay(to=[to.email], subject=subject, body=body))
