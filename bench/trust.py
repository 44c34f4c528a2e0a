"""A trust of many schools: build SCHOOLS schools of PUPILS pupils (default 20 x 1,000) and
time the build and the pages of one school, to show that other schools' rows cost nothing.

    .venv/bin/python bench/trust.py [SCHOOLS] [PUPILS]
"""

import sys
import time

from common import client_for, print_table, setup, time_page


def main(schools: int, pupils: int) -> None:
    setup("trust")
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from pupils.models import Pupil
    from senco.demo.seed import build_demo_trust, scaled_plans

    start = time.perf_counter()
    build_demo_trust(seed=2026, today=timezone.localdate(), plans=scaled_plans(schools, pupils))
    elapsed = time.perf_counter() - start
    print(f"Built {schools} schools, {Pupil.objects.count()} pupils in {elapsed:.1f} s")
    rows = []
    for username, names in (("senco", ["home", "pupils:register", "provision:reviews_due", "provision:map"]),
                            ("head", ["home"]), ("governor", ["home"])):  # fmt: skip
        client = client_for(username)
        for name in names:
            try:
                rows.append(time_page(client, reverse(name)))
            except NoReverseMatch:
                continue
    print_table(f"One school's pages in a trust of {schools} schools", rows)


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:3]]
    main(*(args + [20, 1000][len(args) :]))
