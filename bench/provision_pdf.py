"""Every PDF the product makes, at a large size, against the rule that a PDF renders in under
3 seconds (docs/decisions/pdfs.md).

The provision map of a large secondary: PUPILS pupils (default 300) in PLACEMENTS placements
(default 900), groups of five across this financial year. Times the map selector, the map page
and its PDF grouped by pupil and by intervention; then, in the same run, WeasyPrint alone on the
map's HTML, on the same HTML with Python's cyclic garbage collector left running (as before the
PDFs paused it), and on a plain table of the same rows (no stylesheet, the eight fields in eight
columns), to show what the map's layout costs. Then the other PDFs, for the largest plausible
record of one pupil (`build_record`): a support plan (the PDF for parents), a kept version
of it and the pupil passport; then the subject access export, prepared in the background:
the request that queues it, the task's work, the page's poll and the download.

    .venv/bin/python bench/provision_pdf.py [PUPILS] [PLACEMENTS]

Median of 3 runs: wall-clock time, and the process's CPU time, which a busy machine inflates
less. Uses a throwaway SQLite file, /tmp/bench-provision.sqlite3, unless DATABASE_URL is given.
"""

import io
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from common import client_for, setup

DEFAULT_DB = Path("/tmp/bench-provision.sqlite3")
GROUP_SIZE = 5
REPEAT = 3
TEMPLATE = "provision/map_pdf.html"


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


SENTENCES = [
    "Reads aloud with growing confidence when the text is pre-taught the day before.",
    "Needs instructions broken into single steps, with a visual prompt left on the desk.",
    "Settles best when greeted at the door and told what the morning holds.",
    "Works well in a small group with a familiar adult; finds the whole-class carpet hard.",
    "Has begun to use the word mat without a reminder in writing lessons.",
    "Becomes anxious at transitions; a two-minute warning and a job to do on the way help.",
    "Can now blend and segment most CVC words; adjacent consonants remain insecure.",
    "Parents report that homework takes a long time and often ends in tears.",
    "Speech and language therapy advice: model vocabulary, expand short answers, allow time.",
    "Made good progress in number bonds to ten with daily practice using concrete apparatus.",
]


def prose(rng: random.Random, characters: int) -> str:
    """About `characters` of plausible text, in sentences."""
    text = []
    while sum(len(sentence) + 1 for sentence in text) < characters:
        text.append(rng.choice(SENTENCES))
    return " ".join(text)


@dataclass
class Record:
    """One pupil's record at a primary, for the PDFs other than the provision map."""

    pupil: object
    plan: object  # the latest cycle, reviewed: the longest plan
    version: int  # the number of its last kept version
    sar: object  # a subject access request about the pupil


def build_record(*, school, senco, today: date, years: int = 7, first_name: str = "Harriet") -> Record:
    from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory
    from provision.models import (
        DeliveredSession,
        OutcomeProgress,
        PlanOutcome,
        PlanReview,
        PlanVersion,
        ReviewComment,
        SupportPlan,
        TopUp,
    )
    from provision.services.plans import plan_snapshot
    from pupils.factories import (
        CarerFactory,
        ConcernFactory,
        ContactLogEntryFactory,
        PassportFactory,
        PupilFactory,
        SenStatusChangeFactory,
        SubjectAccessRequestFactory,
    )

    """A pupil's record over `years` (seven is the largest plausible: on SEN support from
    Reception to Year 6): three plan cycles a year, each reviewed, commented on and kept in two
    versions; ten contacts with home a year; a passport agreed each year; an intervention a term,
    with notes on its sessions; concerns, status changes and top-ups. The latest cycle is the
    longest plan a SENCO would write (eight outcomes, a page of text in each part). Built with
    the factories and plain model rows, as the demo builds its history."""
    rng = random.Random(2026)
    first_day = date(today.year - years, 9, 4)
    pupil = PupilFactory(
        school=school,
        first_name=first_name,
        last_name="Ashworth-Okonkwo",
        year_group=6,
        admitted_on=first_day,
    )
    for index, status in enumerate(["monitoring", "sen_support", "sen_support", "sen_support"]):
        SenStatusChangeFactory(
            pupil=pupil, status=status, effective_from=first_day + timedelta(days=200 * index)
        )
    for relationship in ("Mother", "Father", "Grandmother"):
        CarerFactory(pupil=pupil, relationship=relationship, name=f"{relationship} of {first_name}")
    for year in range(years):
        autumn = first_day + timedelta(weeks=52 * year)
        PassportFactory(
            pupil=pupil,
            version=year + 1,
            written_on=autumn + timedelta(days=20),
            written_by=senco,
            **{
                field: prose(rng, 500)
                for field in (
                    "strengths",
                    "important_to_me",
                    "how_to_support",
                    "staff_should",
                    "pupil_voice",
                    "parent_voice",
                )
            },
        )
        for contact in range(10):
            ContactLogEntryFactory(
                pupil=pupil,
                occurred_on=autumn + timedelta(days=30 * contact + 3),
                recorded_by=senco,
                summary=prose(rng, 400),
                agreed_actions=prose(rng, 150),
            )
    for concern in range(min(years, 3)):
        ConcernFactory(pupil=pupil, raised_by=senco, raised_on=first_day + timedelta(days=60 + 90 * concern))
    TopUp.objects.bulk_create(
        TopUp(school=school, pupil=pupil, financial_year=today.year - back, amount=7200 + 300 * back)
        for back in range(1, min(years, 3) + 1)
    )

    # Three reviewed cycles a year, the last of them the longest plan.
    plan = previous = None
    cycles = 3 * years
    for cycle in range(1, cycles + 1):
        started_on = first_day + timedelta(weeks=17 * (cycle - 1))
        longest = cycle == cycles
        size = 1500 if longest else 600
        plan = SupportPlan.objects.create(
            school=school,
            pupil=pupil,
            cycle=cycle,
            previous=previous,
            status="reviewed",
            started_on=started_on,
            review_due_on=started_on + timedelta(weeks=12),
            shared_with_parents_on=started_on + timedelta(days=3),
            finalised_on=started_on,
            finalised_by=senco,
            assessment=prose(rng, size),
            strategies=prose(rng, size),
            arrangements=prose(rng, size),
        )
        outcomes = PlanOutcome.objects.bulk_create(
            PlanOutcome(
                plan=plan,
                area=["cognition", "communication", "semh", "sensory_physical"][number % 4],
                description=prose(rng, 300 if longest else 160),
                success_criteria=prose(rng, 200 if longest else 90),
                position=number,
            )
            for number in range(8 if longest else 4)
        )
        review = PlanReview.objects.create(
            plan=plan,
            held_on=plan.review_due_on,
            evidence=prose(rng, size),
            parent_view=prose(rng, 300),
            parent_view_on=plan.review_due_on,
            pupil_view=prose(rng, 200),
            pupil_view_on=plan.review_due_on,
            next_steps=prose(rng, 300),
            decision="continue",
            invited="Mother, father, class teacher, SENCO",
            attended="Mother, class teacher, SENCO",
            declined="Father sent apologies",
            parents_at_meeting="came",
            finalised_on=plan.review_due_on,
            finalised_by=senco,
        )
        ratings = ["met", "partly_met", "not_met"]
        OutcomeProgress.objects.bulk_create(
            OutcomeProgress(review=review, outcome=outcome, rating=ratings[number % 3], note=prose(rng, 120))
            for number, outcome in enumerate(outcomes)
        )
        ReviewComment.objects.bulk_create(
            ReviewComment(plan=plan, author=senco, body=prose(rng, 300)) for _ in range(2)
        )
        progress = {str(outcome.pk): [ratings[number % 3], ""] for number, outcome in enumerate(outcomes)}
        PlanVersion.objects.bulk_create(
            PlanVersion(plan=plan, number=number, reason=reason, made_by=senco, snapshot=snapshot)
            for number, reason, snapshot in [
                (1, "Finalised", plan_snapshot(plan, outcomes=outcomes, review=None, progress={})),
                (2, "Reviewed", plan_snapshot(plan, outcomes=outcomes, review=review, progress=progress)),
            ]
        )
        previous = plan

    # An intervention a term, with notes on some of its sessions.
    for term in range(cycles):
        starts_on = first_day + timedelta(weeks=17 * term + 2)
        group = ProvisionGroupFactory(
            intervention=InterventionFactory(school=school, name=f"Intervention {years}-{term + 1}"),
            name=f"Group {years}-{term + 1}",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=10),
        )
        PlacementFactory(group=group, pupil=pupil, joined_on=starts_on, target=prose(rng, 120))
        DeliveredSession.objects.bulk_create(
            DeliveredSession(
                group=group,
                held_on=starts_on + timedelta(days=7 * week),
                recorded_by=senco,
                notes=prose(rng, 100) if week % 3 == 0 else "",
            )
            for week in range(10)
        )
    sar = SubjectAccessRequestFactory(pupil=pupil, logged_by=senco, received_on=today)
    return Record(pupil=pupil, plan=plan, version=2, sar=sar)


def measured(action, repeat: int = REPEAT) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of `repeat` runs, and the last run's result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def pages_of(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def print_rows(title: str, rows: list[tuple[str, float, float, int, float]]) -> None:
    print(f"\n{title}")
    print(f"{'':<62} {'median ms':>10} {'cpu ms':>8} {'pages':>6} {'KB':>6}")
    for label, wall, cpu, pages, kb in rows:
        print(f"{label:<62} {wall * 1000:>10.0f} {cpu * 1000:>8.0f} {pages:>6} {kb:>6.0f}")


def pdf_request(client, label: str, url: str) -> tuple[str, float, float, int, float]:
    """A GET of a PDF through the whole stack (middleware, view, audit row, WeasyPrint)."""
    wall, cpu, response = measured(lambda: client.get(url))
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        raise SystemExit(f"{url} answered {response.status_code} {response['Content-Type']}")
    return (label, wall, cpu, pages_of(response.content), len(response.content) / 1024)


def subject_access_export(client, record: Record) -> list[tuple[str, float, float, int, float]]:
    """The export prepared in the background (docs/decisions/subject-access.md): the POST that
    queues it, whose task is held back here so that the time is the request's alone (without a
    broker it would run after the response, inside the test client's call); the task's own work,
    the PDF and the JSON file written to storage; the page's poll; and the download."""
    from django.urls import reverse

    from pupils.models import SubjectAccessExport
    from pupils.services.subject_access import queue_subject_access_export
    from pupils.tasks import prepare_subject_access_export as task
    from senco.models import User

    sar, held = record.sar, []
    task.apply = lambda **kwargs: held.append(kwargs)  # the instance's own: the class is untouched
    try:
        prepare = reverse("pupils:subject_access_prepare", args=[sar.pk])

        def queue_again():
            SubjectAccessExport.objects.filter(request=sar).update(state="failed")
            return client.post(prepare)

        wall, cpu, response = measured(queue_again)
    finally:
        del task.apply
    if response.status_code != 302 or not held:
        raise SystemExit(f"{prepare} answered {response.status_code}, queuing {len(held)} tasks")
    rows = [("POST: queue the export (the request alone)", wall, cpu, 0, 0)]
    senco = User.objects.get(pk=sar.logged_by_id)

    def prepared():
        # Outside a request, without a broker, the task runs at the service's commit.
        queue_subject_access_export(sar=sar, by=senco)
        return SubjectAccessExport.objects.get(request=sar)

    SubjectAccessExport.objects.filter(request=sar).update(state="failed")
    wall, cpu, export = measured(prepared)
    if export is None or export.state != "ready":
        raise SystemExit(f"the export was not prepared: {export and export.message}")
    pdf = export.pdf.read()
    rows.append(("queue, then the task: PDF and JSON written", wall, cpu, pages_of(pdf), len(pdf) / 1024))
    poll = reverse("pupils:subject_access_export", args=[sar.pk])
    wall, cpu, _ = measured(lambda: client.get(poll, headers={"HX-Request": "true"}))
    rows.append(("GET: the page's poll once ready (checks it is not stale)", wall, cpu, 0, 0))
    download = reverse("pupils:subject_access_pdf", args=[sar.pk])
    wall, cpu, response = measured(lambda: client.get(download))
    body = response.getvalue()
    label = "GET: download the PDF (checks it is not stale)"
    rows.append((label, wall, cpu, pages_of(body), len(body) / 1024))
    return rows


def plain_table(rows) -> str:
    """The map's rows in a table with no stylesheet: what WeasyPrint costs before any layout."""
    from provision.rules.groups import how_often

    cells = (
        (
            row.pupil.full_name,
            row.pupil.get_year_group_display(),
            row.pupil.sen_status_label,
            f"{row.intervention.name} ({row.group.name})",
            how_often(row.group.sessions_per_week, row.group.minutes_per_session),
            ", ".join(row.staff_names),
            f"{row.starts_on:%-d %b %Y} – {row.ends_on:%-d %b %Y}",
            f"£{row.share:,.2f}",
        )
        for row in rows
    )
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in cells)
    names = ("Pupil", "Year", "SEN status", "Intervention (group)", "How often", "Staff", "Dates", "Share")
    head = "".join(f"<th>{name}</th>" for name in names)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def weasyprint_alone(senco, year, grouping: str) -> list[tuple[str, float, float, int, float]]:
    """The map's PDF from its selector's rows, without the request around it: render_pdf (the
    template and WeasyPrint); WeasyPrint alone on the map's HTML, with the collector paused and
    left running; and WeasyPrint on a plain table of the same rows."""
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML

    from provision.selectors.provision_map import map_pupils, provision_map
    from senco.pdf import STYLESHEET, _cyclic_collector_paused, render_pdf

    the_map = provision_map(senco, pupils=map_pupils(senco, today=date.today()), year=year, grouping=grouping)
    context = {
        "map": the_map,
        "school": senco.school,
        "printed_on": date.today(),
        "applied": [],
        "grouping": grouping.title(),
        "by_pupil": grouping == "pupil",
    }
    html = render_to_string(TEMPLATE, context)
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    page = CSS(string="@page { size: A4 landscape }")
    plain = plain_table(the_map.rows)

    def weasyprint(document: str, sheet) -> bytes:
        return HTML(string=document, base_url="/").write_pdf(stylesheets=[sheet])

    def paused(document: str, sheet) -> bytes:
        with _cyclic_collector_paused():
            return weasyprint(document, sheet)

    rows = []
    for label, action in [
        (f"render_pdf: template and WeasyPrint, by {grouping}", lambda: render_pdf(TEMPLATE, context)),
        ("  WeasyPrint alone on the map's HTML", lambda: paused(html, stylesheet)),
        ("  the same, the garbage collector left running", lambda: weasyprint(html, stylesheet)),
        (f"  a plain table of the same {len(the_map.rows)} rows, no stylesheet", lambda: paused(plain, page)),
    ]:
        wall, cpu, pdf = measured(action)
        rows.append((label, wall, cpu, pages_of(pdf), len(pdf) / 1024))
    return rows


def main(pupils: int, placements: int) -> None:
    if "DATABASE_URL" not in os.environ:
        DEFAULT_DB.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    setup("provision-pdf")
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from provision.selectors.provision_map import map_pupils, provision_map
    from senco.factories import SchoolFactory, staff_member
    from senco.models import Phase, Role, User

    start = time.perf_counter()
    with transaction.atomic():  # one commit: SQLite would otherwise sync after every row
        year = build(pupils, placements)
        senco = User.objects.get(username="bench-senco")
        primary = SchoolFactory(name="Bench Primary School", phase=Phase.PRIMARY)
        primary_senco = staff_member(role=Role.SENCO, school=primary, username="bench-senco-primary")
        today = timezone.localdate()
        records = [
            build_record(school=primary, senco=primary_senco, today=today, years=years, first_name=name)
            for years, name in ((7, "Harriet"), (2, "Kofi"))
        ]
    print(
        f"Built {pupils} pupils in {placements} placements, and two pupils' records at a primary "
        f"in {time.perf_counter() - start:.1f} s"
    )

    wall, _, the_map = measured(
        lambda: provision_map(senco, pupils=map_pupils(senco, today=date.today()), year=year)
    )
    print(f"\nmap selector: {wall * 1000:.0f} ms median of {REPEAT} for {len(the_map.rows)} rows")
    client = client_for("bench-senco")
    query = f"?year={year.start_year}"
    wall, cpu, _ = measured(lambda: client.get(reverse("provision:map") + query))
    print(f"map page: {wall * 1000:.0f} ms median of {REPEAT} (cpu {cpu * 1000:.0f} ms)")

    map_pdf = reverse("provision:map_pdf") + query
    print_rows(
        f"Provision map PDF {year}, {len(the_map.rows)} rows (GET, median of {REPEAT})",
        [
            pdf_request(client, "map PDF, grouped by pupil", map_pdf),
            pdf_request(client, "map PDF, grouped by intervention", map_pdf + "&group_by=intervention"),
            pdf_request(client, "map PDF, grouped by year group", map_pdf + "&group_by=year_group"),
        ],
    )
    for grouping in ("pupil", "intervention"):
        print_rows(f"The map PDF without the request, by {grouping}", weasyprint_alone(senco, year, grouping))

    client = client_for("bench-senco-primary")
    for record in records:
        plan, years = record.plan, (record.plan.cycle // 3)
        print_rows(
            f"Other PDFs, for a pupil's {years} years of records at a primary (GET, median of {REPEAT})",
            [
                pdf_request(
                    client,
                    "support plan for parents, 8 outcomes, reviewed",
                    reverse("provision:plan_pdf", args=[plan.pk]),
                ),
                pdf_request(
                    client,
                    "a kept version of that plan",
                    reverse("provision:plan_version_pdf", args=[plan.pk, record.version]),
                ),
                pdf_request(client, "pupil passport", reverse("pupils:passport_pdf", args=[record.pupil.pk])),
            ],
        )
        print_rows(
            f"Subject access export of those {years} years, prepared in the background (median of {REPEAT})",
            subject_access_export(client, record),
        )


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*(arguments + [300, 900][len(arguments) :]))
