"""The Celery app. Worker: `celery -A senco worker`; beat: `celery -A senco beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "senco.settings")

app = Celery("senco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
