"""Celery: tasks run in-process without a broker, and through a real worker on Redis in CI."""

import os
import time

import pytest
from django.core import mail
from django.urls import reverse

from senco.celery import app
from senco.services.schools import email_staff
from senco.tasks import send_email


def test_send_email_runs_in_process_without_a_broker():
    send_email.delay(to=["senco@example.org"], subject="Review due", body="A review is due.")
    sent = [(message.to, message.subject) for message in mail.outbox]
    assert sent == [(["senco@example.org"], "Review due")]


def test_staff_mail_waits_for_the_transaction_to_commit(senco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_staff(to=senco, subject="Concern decided", body="See the SEN caseload.")
    assert (len(callbacks), len(mail.outbox)) == (1, 0)
    callbacks[0]()
    assert mail.outbox[0].to == [senco.email]


def test_staff_without_an_email_address_are_skipped(senco, django_capture_on_commit_callbacks):
    senco.email = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_staff(to=senco, subject="Concern decided", body="See the SEN caseload.")
    assert (callbacks, mail.outbox) == ([], [])


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI sets Redis)")
def test_a_real_worker_on_the_broker_sends_the_email():
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    app.control.purge()  # what an interrupted run left in this process's queue is not ours
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_email.delay(to=["head@example.org"], subject="Through Redis", body="Sent by the worker.")
            deadline = time.monotonic() + 15
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert [message.subject for message in mail.outbox] == ["Through Redis"]


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI sets Redis)")
@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_worker_finds_the_account_and_sends_the_reset_link(client, senco):
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    app.control.purge()  # what an interrupted run left in this process's queue is not ours
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            response = client.post(reverse("password_reset"), {"email": senco.email})
            deadline = time.monotonic() + 15
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert (response.status_code, [message.to for message in mail.outbox]) == (302, [[senco.email]])
