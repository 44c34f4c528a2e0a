"""The MIS import at the size of the largest file it takes: PUPILS new pupils (default 5,000) in
one CSV, a fifth of them on SEN support. Times the preview, the first import and re-importing the
same file (which must write nothing), each as the background task runs it (`run_import`: the
write, its audit rows and its progress), and prints them with the queries each batch of rows
costs.

    .venv/bin/python bench/mis_import.py [PUPILS]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/mis_import.py

Uses a throwaway SQLite file unless DATABASE_URL is given (e.g. a scratch PostgreSQL database).
"""

import csv
import io
import statistics
import sys
import time
from functools import partial

from common import setup

SEN_CODES = ["SPLD", "SLCN", "ASD", "SEMH", "MLD"]


def mis_file(pupils: int) -> bytes:
    from pupils.factories import make_upn

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "upn",
            "legal_first_name",
            "legal_last_name",
            "date_of_birth",
            "gender",
            "nc_year",
            "registration_group",
            "admission_date",
            "sen_status",
            "primary_need",
        ]
    )
    for serial in range(pupils):
        # make_upn keeps three digits of serial, so the year of issue carries the thousands.
        upn = make_upn(la_code="936", establishment="4100", year_of_issue=10 + serial // 1000, serial=serial)
        year = 7 + serial % 5
        on_support = serial % 5 == 0
        writer.writerow(
            [
                upn,
                "Sam",
                f"Pupil{serial}",
                f"{2022 - year}-03-01",
                "MF"[serial % 2],
                year,
                f"{year}{'ABCDEF'[serial % 6]}",
                "2026-09-03",
                "K" if on_support else "N",
                SEN_CODES[serial % len(SEN_CODES)] if on_support else "",
            ]
        )
    return out.getvalue().encode()


def main(pupils: int) -> None:
    setup("mis-import")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pupils.factories import ImportRunFactory
    from pupils.services.import_runs import run_import
    from pupils.services.imports import BATCH_SIZE, plan_import
    from senco.factories import SchoolFactory, staff_member
    from senco.models import Phase, Role

    def run(label: str, action, rounds: int = 3):
        """Median seconds of `rounds` runs, each from `action()` (which sets up and returns the run)."""
        times, counts = [], []
        for _ in range(rounds):
            step = action()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = step()
                times.append(time.perf_counter() - start)
            counts.append(len(queries))
        print(f"{label:<52} {statistics.median(times):8.1f} s {max(counts):8} queries")
        return result

    def importing(school, senco):
        """A run of the file for `school`, queued as the preview's Apply button queues it."""
        plan = plan_import(school=school, content=content, today=today)
        queued = ImportRunFactory(
            school=school, requested_by=senco, content=content, fingerprint=plan.fingerprint
        )
        return lambda: run_import(run_id=queued.pk, today=today)

    def a_new_school():
        school = SchoolFactory(phase=Phase.SECONDARY)
        return school, staff_member(role=Role.SENCO, school=school)

    content, today = mis_file(pupils), timezone.localdate()
    school, senco = a_new_school()
    print(
        f"MIS import of {pupils} new pupils ({len(content) // 1024} KB) on {connection.vendor}, median of 3"
    )
    print(f"{'':<52} {'time':>10} {'queries':>8}")
    plan = run(
        "preview (check every row, write nothing)",
        lambda: partial(plan_import, school=school, content=content, today=today),
    )
    assert not plan.problems, plan.problems[:3]
    batches = -(-pupils // BATCH_SIZE)
    first = run(f"first import ({batches} batches of {BATCH_SIZE})", lambda: importing(*a_new_school()))
    assert first.state == "done", first.message
    school, senco = first.school, first.requested_by
    again = run("re-import of the same file (writes nothing)", lambda: importing(school, senco))
    assert (again.state, again.pupils_unchanged, school.pupils.count()) == ("done", pupils, pupils)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
