"""Test settings: the password hasher, the mail backend, Celery, the cache, static file names,
the second factor and where uploads are stored differ."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-in-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from senco.settings import *  # noqa: F403 (test settings extend the real ones)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Most tests sign in with the password alone, as the demo does; the second factor's own tests
# turn it on (tests/senco/test_mfa.py, tests/e2e/test_mfa.py).
MFA_REQUIRED = False
# This process's memory whatever CACHE_URL says; conftest.py empties it before each test.
CACHES = cache_settings(None)  # noqa: F405 (from the star import)
# Tests run without collectstatic, so static URLs are the plain file names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405 (from the star import)
# With a broker (CI), each pytest-xdist worker queues on its own: a real worker started by one
# test process must not take another's tasks (tests/senco/test_tasks.py).
CELERY_TASK_DEFAULT_QUEUE = "tests-" + os.environ.get("PYTEST_XDIST_WORKER", "serial")
# Uploaded files go to a directory of this test process's own, never the project's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="senco-test-media-"))
