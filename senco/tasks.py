"""Celery tasks of the core: thin adapters around plain functions (style R12), and the one way to
queue them, `enqueue_on_commit`."""

import logging
from collections.abc import Callable
from contextvars import ContextVar
from functools import partial

from celery import Task, shared_task
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

# Set per request by `senco.middleware.tasks_after_response`: where a request's tasks wait, when
# there is no broker, until its response has been sent. Outside a request it stays None.
after_response: ContextVar[list[Callable[[], object]] | None] = ContextVar("after_response", default=None)


def enqueue_on_commit(task: Task, **kwargs) -> None:
    """Queue `task` once the current transaction commits, so a rolled-back change sends nothing.

    Without a broker tasks run in this process (CELERY_TASK_ALWAYS_EAGER): inside a request, only
    after its response has been sent, so their work never holds up the page nor shows in its
    timing; outside one (a command, a test calling a service), at commit.

    With a broker that cannot be reached (down, or not answering within BROKER_TIMEOUT_MS), the
    failure is logged and the task runs in this process in the same way, so the page still
    answers within 2 s and its work is still done (docs/decisions/faults.md). Tasks are idempotent
    (R12), so a publish that reached the broker although it timed out costs a second run, no harm.
    """

    def run_here() -> None:
        waiting = after_response.get()
        if waiting is None:
            task.apply(kwargs=kwargs)
        else:
            waiting.append(partial(task.apply, kwargs=kwargs))

    def send() -> None:
        if task.app.conf.task_always_eager:
            run_here()
            return
        try:
            task.delay(**kwargs)
        except BrokerUnreachable as error:
            # The task's name only: its arguments may hold personal data (e-mail addresses).
            logger.error("The broker did not take %s (%s): it runs in this process instead", task.name, error)
            run_here()

    transaction.on_commit(send)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail. Retried when the mail server is unreachable."""
    return send_mail(subject, body, None, to)


@shared_task
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """E-mail a reset link to each active account with a usable password at `email`; an address
    without an account gets nothing.

    The account is looked up here, not in the request, so the request does the same work for
    every address (issue 12). Django's own form finds the accounts (case-insensitive, Unicode-safe
    match), makes the one-hour token and logs, rather than raises, a mail server's refusal, so a
    failure tells nobody anything either. Running twice sends a second working link, no harm.
    """
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
