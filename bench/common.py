"""Shared set-up for the benchmark scripts: a throwaway database, the demo builder and timers.

Each script builds its own data in its own database (a SQLite file under /tmp unless
DATABASE_URL is set, e.g. to a scratch PostgreSQL database), so a benchmark never touches a
real school's data. Settings are the test settings: production code paths, with a fast
password hasher and plain static file names so no collectstatic is needed.
"""

import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str) -> None:
    """Point Django at a fresh database called `name`, migrate it and prepare the test client."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "senco.settings_test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Prepared subject access exports: out of the working copy.
    os.environ.setdefault("MEDIA_ROOT", f"/tmp/senco-bench-media-{name}")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    if "DATABASE_URL" not in os.environ:
        path = Path(f"/tmp/senco-bench-{name}.sqlite3")
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        # A fresh schema rather than flush: flush would also empty the rows that data migrations
        # load (the census need types), and migrate would not put them back.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def timed(action: Callable, repeat: int = 3) -> tuple[float, object]:
    """Median wall-clock seconds of `repeat` runs, and the last run's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def client_for(username: str):
    from django.test import Client

    from senco.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def time_page(client, url: str, repeat: int = 3) -> dict:
    """Median time, query count and size of one GET; fails loudly on anything but 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, response = timed(lambda: client.get(url), repeat)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return {"url": url, "ms": seconds * 1000, "queries": len(queries), "kb": len(body) / 1024}


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"{'page':<58} {'median ms':>10} {'queries':>8} {'KB':>8}")
    for row in rows:
        print(f"{row['url']:<58} {row['ms']:>10.0f} {row['queries']:>8} {row['kb']:>8.0f}")
