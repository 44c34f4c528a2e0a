"""The MIS import at the size of a large secondary: PUPILS new pupils (default 2,000) in one CSV,
a fifth of them on SEN support. Times the preview, the first import, and re-importing the same
file (which must write nothing), and prints them.

    .venv/bin/python bench/mis_import.py [PUPILS]

Uses a throwaway SQLite file unless DATABASE_URL is given (e.g. a scratch PostgreSQL database).
"""

import csv
import io
import sys
import time

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
    from django.utils import timezone

    from pupils.services.imports import apply_import, plan_import
    from senco.factories import SchoolFactory, staff_member
    from senco.models import Phase, Role

    school = SchoolFactory(name="Bench Import Academy", phase=Phase.SECONDARY)
    senco = staff_member(role=Role.SENCO, school=school, username="bench-senco")
    content, today = mis_file(pupils), timezone.localdate()

    def run(label: str, action):
        start = time.perf_counter()
        result = action()
        print(f"{label:<48} {time.perf_counter() - start:8.1f} s")
        return result

    print(f"MIS import of {pupils} new pupils ({len(content) // 1024} KB)")
    plan = run(
        "preview (check every row, write nothing)",
        lambda: plan_import(school=school, content=content, today=today),
    )
    assert not plan.problems, plan.problems[:3]
    run(
        "first import (create pupils, groups, statuses)",
        lambda: apply_import(
            school=school, content=content, fingerprint=plan.fingerprint, by=senco, today=today
        ),
    )
    again = plan_import(school=school, content=content, today=today)
    run(
        "re-import of the same file (writes nothing)",
        lambda: apply_import(
            school=school, content=content, fingerprint=again.fingerprint, by=senco, today=today
        ),
    )
    assert school.pupils.count() == pupils


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
