"""The provision map of a large secondary: PUPILS pupils (default 300) in PLACEMENTS placements
(default 900), groups of five across this financial year. Times the map selector, the map page
and its PDF (median of 3) and prints them.

    .venv/bin/python bench/provision_pdf.py [PUPILS] [PLACEMENTS]

Uses a throwaway SQLite file, /tmp/bench-provision.sqlite3, unless DATABASE_URL is given.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from common import client_for, print_table, setup, time_page, timed

DEFAULT_DB = Path("/tmp/bench-provision.sqlite3")
GROUP_SIZE = 5


def build(pupils: int, placements: int):
    from django.utils import timezone

    from provision.factories import (
        InterventionFactory,
        PlacementFactory,
        ProvisionGroupFactory,
        StaffRateFactory,
    )
    from provision.rules.budget import financial_year_of
    from pupils.factories import PupilFactory, SenStatusChangeFactory
    from senco.factories import SchoolFactory, SenBudgetFactory, StaffWithoutLoginFactory, staff_member
    from senco.models import Membership, Phase, Role

    year = financial_year_of(timezone.localdate())
    school = SchoolFactory(name="Bench Secondary Academy", phase=Phase.SECONDARY)
    staff_member(role=Role.SENCO, school=school, username="bench-senco")
    tas = [StaffWithoutLoginFactory(current_school=school) for _ in range(12)]
    for ta in tas:
        Membership.objects.create(user=ta, school=school, role=Role.TA)
    SenBudgetFactory(
        school=school, financial_year=year.start_year, notional_sen_budget=420000, element3_income=96000
    )
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=19)
    interventions = [
        InterventionFactory(school=school, name=f"Intervention {index}", staff_rate=rate, area=area)
        for index, area in enumerate(["cognition", "communication", "semh", "sensory_physical"] * 3)
    ]
    roll = [PupilFactory(school=school, year_group=7 + index % 5) for index in range(pupils)]
    for pupil in roll[: pupils // 3]:
        SenStatusChangeFactory(pupil=pupil)
    for index in range(placements // GROUP_SIZE):
        starts_on = year.starts_on + timedelta(days=(index * 3) % 300)
        group = ProvisionGroupFactory(
            intervention=interventions[index % len(interventions)],
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=10),
            staff=[tas[index % len(tas)]],
        )
        for offset in range(GROUP_SIZE):
            PlacementFactory(group=group, pupil=roll[(index * GROUP_SIZE + offset) % pupils])
    return year


def main(pupils: int, placements: int) -> None:
    if "DATABASE_URL" not in os.environ:
        DEFAULT_DB.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    setup("provision-pdf")
    from django.db import transaction
    from django.urls import reverse

    from provision.selectors.provision_map import map_pupils, provision_map
    from senco.models import User

    start = time.perf_counter()
    with transaction.atomic():  # one commit: SQLite would otherwise sync after every row
        year = build(pupils, placements)
    print(f"Built {pupils} pupils in {placements} placements in {time.perf_counter() - start:.1f} s")

    senco = User.objects.get(username="bench-senco")
    seconds, the_map = timed(
        lambda: provision_map(senco, pupils=map_pupils(senco, today=date.today()), year=year)
    )
    print(f"\nmap selector: {seconds * 1000:.0f} ms median of 3 for {len(the_map.rows)} rows")
    client = client_for("bench-senco")
    query = f"?year={year.start_year}"
    rows = [
        time_page(client, reverse("provision:map") + query),
        time_page(client, reverse("provision:map_pdf") + query),
        time_page(client, reverse("provision:map_pdf") + query + "&group_by=intervention"),
    ]
    print_table(f"Provision map {year}, {pupils} pupils, {placements} placements (median of 3)", rows)


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*(arguments + [300, 900][len(arguments) :]))
