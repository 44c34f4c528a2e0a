"""Load: the daily pages under gunicorn with two sync workers and two clients at once, as a school
uses them, on PostgreSQL with production settings (DEBUG off, a second factor required).

Builds the demo trust (Oakfield, 420 pupils; Riverside, 1,000) or a trust of SCHOOLS schools of
1,000 pupils, signs each role in (a session holding a verified second factor), starts gunicorn
and, for each page, keeps two clients requesting it for SECONDS seconds; then prints requests a
second, p50 and p95, beside the health check measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/senco_bench .venv/bin/python bench/load.py [--schools 20]

DATABASE_URL must name a scratch PostgreSQL database: its contents are replaced.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import ROOT, setup

CLIENTS = 2
WORKERS = 2
SECRET_KEY = "bench-only-key-never-used-for-a-school"


def sign_in(username: str) -> str:
    """A session cookie for `username`, signed in with a verified TOTP device, as gunicorn's
    settings expect it (same SECRET_KEY, database sessions)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from senco.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that keeps users (django-axes' comes first and only guards signing in).
    session[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pages_for(username: str) -> list[tuple[str, str]]:
    """(label, path) of the pages the load covers for `username`'s school."""
    from django.urls import reverse

    from pupils.models import Pupil, SenStatus
    from senco.models import User

    school = User.objects.get(username=username).school
    pupil = (
        Pupil.objects.filter(school=school, sen_status_now=SenStatus.SEN_SUPPORT, left_on=None)
        .order_by("pk")
        .first()
    )
    return [
        ("health check", "/health/"),
        ("SENCO's home", reverse("home")),
        ("SEN register", reverse("pupils:register")),
        ("pupil page", reverse("pupils:detail", args=[pupil.pk])),
        ("provision map", reverse("provision:map")),
        ("reviews due", reverse("provision:reviews_due")),
        ("concerns queue", reverse("pupils:concern_queue")),
    ]


def hammer(port: int, path: str, cookie: str, seconds: float) -> tuple[list[float], int]:
    """CLIENTS keep-alive clients requesting `path` for `seconds`: each request's seconds, and
    how many answered anything but 200."""
    timings: list[float] = []
    failures = [0]
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            timings.append(time.perf_counter() - start)
            if response.status != 200:
                failures[0] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, failures[0]


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "senco.settings", "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env |= {"SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECRET_KEY": SECRET_KEY}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "senco.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--threads", "1", "--worker-class", "sync"]
    command += ["--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def main(schools: int | None, seconds: float, port: int) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # `make bench` runs every script; this one only means something on PostgreSQL.
        print("bench/load.py skipped: set DATABASE_URL to a scratch PostgreSQL database to measure the load.")
        return
    os.environ["SECRET_KEY"] = SECRET_KEY
    setup("load")
    from django.utils import timezone

    from senco.demo.seed import build_demo_trust, default_plans, scaled_plans

    start = time.perf_counter()
    plans = scaled_plans(schools, 1000) if schools else default_plans()
    build_demo_trust(seed=2026, today=timezone.localdate(), plans=plans)
    trust = f"a trust of {schools} schools of 1,000 pupils" if schools else "the demo trust"
    print(f"Built {trust} in {time.perf_counter() - start:.0f} s")
    # senco2 is the SENCO of the 1,000-pupil secondary in both trusts.
    cookie, pages = sign_in("senco2"), pages_for("senco2")
    server = serve(port)
    try:
        print(
            f"\nsenco2, a 1,000-pupil secondary in {trust}: "
            f"gunicorn, {WORKERS} sync workers, {CLIENTS} clients"
        )
        print(f"{'page':<16} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'non-200':>8}")
        for label, path in pages:
            hammer(port, path, cookie, min(seconds, 1.0))  # warm the workers' caches and connections
            timings, failures = hammer(port, path, cookie, seconds)
            cuts = statistics.quantiles(timings, n=20)
            print(
                f"{label:<16} {len(timings) / seconds:>7.0f} {statistics.median(timings) * 1000:>7.1f} "
                f"{cuts[18] * 1000:>7.1f} {failures:>8}"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--schools", type=int, help="a trust of this many 1,000-pupil schools (default: the demo trust)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each page is loaded")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    main(args.schools, args.seconds, args.port)
