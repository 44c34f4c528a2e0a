"""The evidence pack for an EHC needs assessment request (agencies:evidence_pack_pdf), for a
pupil with three years of SEN support at a primary (`provision_pdf.build_record`: a plan cycle
a term with its review and kept versions, an intervention a term, contacts with home and a
passport each year), against the rule that a PDF renders in under 3 seconds.

    .venv/bin/python bench/evidence_pack.py [YEARS]

Median of 3 GETs through the whole stack: wall-clock and CPU time, pages and size. Uses a
throwaway SQLite file, /tmp/bench-evidence-pack.sqlite3, unless DATABASE_URL is given.
"""

import os
import sys
import time
from pathlib import Path

from common import client_for, setup
from provision_pdf import REPEAT, build_record, pdf_request, print_rows

DEFAULT_DB = Path("/tmp/bench-evidence-pack.sqlite3")


def main(years: int) -> None:
    if "DATABASE_URL" not in os.environ:
        DEFAULT_DB.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    setup("evidence-pack")
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from senco.factories import SchoolFactory, staff_member
    from senco.models import Phase, Role

    start = time.perf_counter()
    with transaction.atomic():  # one commit: SQLite would otherwise sync after every row
        school = SchoolFactory(name="Bench Primary School", phase=Phase.PRIMARY)
        senco = staff_member(role=Role.SENCO, school=school, username="bench-senco-pack")
        record = build_record(school=school, senco=senco, today=timezone.localdate(), years=years)
    print(f"Built a pupil's {years} years of records in {time.perf_counter() - start:.1f} s")

    client = client_for("bench-senco-pack")
    url = reverse("agencies:evidence_pack_pdf", args=[record.pupil.pk])
    print_rows(
        f"Evidence pack for an EHC needs assessment request (GET, median of {REPEAT})",
        [pdf_request(client, f"{years} years of SEN support, {record.plan.cycle} plan cycles", url)],
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
