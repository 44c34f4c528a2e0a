"""The provision map PDF: what it prints matches what the screen's selector computes."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import TableBox, TableCellBox, TextBox

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules.budget import FinancialYear
from provision.selectors.provision_map import map_pupils, provision_map
from provision.services.budget import add_sen_spend, record_top_up
from provision.services.provision_map import MAP_PDF_COLUMNS
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.factories import SenBudgetFactory
from senco.models import AuditEvent
from senco.pdf import STYLESHEET
from tests.provision.test_costs import money


def pdf_text(response) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def pounds(amount: Decimal) -> str:
    return f"£{money(amount):,.2f}"


@pytest.fixture
def provision(school, ta, senco):
    """Forty pupils in eight groups of two interventions across 2026-27, in-class support, and
    the year's budget."""
    SenBudgetFactory(school=school, financial_year=2026, notional_sen_budget=150000)
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("19.37"))
    add_sen_spend(
        school=school,
        financial_year=2026,
        kind="in_class_support",
        description="TA support in class",
        hours=Decimal(1000),
        hourly_cost=Decimal("19.37"),
        by=senco,
    )
    interventions = [
        InterventionFactory(school=school, name="Precision teaching", staff_rate=rate),
        InterventionFactory(
            school=school,
            name="Speech link",
            cost_basis="fixed",
            fixed_cost=Decimal("1234.56"),
            staff_rate=None,
        ),
    ]
    for index in range(8):
        group = ProvisionGroupFactory(
            intervention=interventions[index % 2],
            starts_on=date(2026, 9, 7 + index),
            ends_on=date(2027, 4, 20),  # runs past 31 March: only 2026-27's part is printed
            staff=[ta],
        )
        for pupil in PupilFactory.create_batch(5, school=school, year_group=3 + index % 3):
            if index % 4:  # most of them on SEN support; the rest not on the register
                SenStatusChangeFactory(
                    pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5)
                )
            PlacementFactory(group=group, pupil=pupil, joined_on=date(2026, 9, 7 + index * 3))


def test_the_pdf_prints_the_grand_total_and_budget_figures_the_selector_computes(client, senco, provision):
    client.force_login(senco)
    response = client.get(reverse("provision:map_pdf"), {"year": "2026"})
    text, pages = pdf_text(response)
    expected = provision_map(
        senco, pupils=map_pupils(senco, today=date(2026, 11, 2)), year=FinancialYear(2026)
    )
    budget = expected.budget
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert re.search(r"Grand total of the provision shown\s*" + re.escape(pounds(expected.total)), text)
    for label, amount in [
        ("Notional SEN budget", budget.notional_sen_budget),
        ("Intervention groups and 1:1s", budget.provision),
        ("In-class support", Decimal("19370")),
        ("Spent against the notional budget", budget.spent),
        ("Notional budget remaining", budget.remaining),
        ("Element 2: the first £6,000 a pupil on the SEN register", budget.element2),
        ("Provision for pupils not on the SEN register (not element 2)", budget.not_on_register),
        ("Element 3: top-up income from the local authority", budget.element3_income),
    ]:
        assert re.search(re.escape(label) + r"\s*" + re.escape(pounds(amount)), text), label
    assert (pages > 1, f"Page 1 of {pages}" in text, f"Page {pages} of {pages}" in text) == (True, True, True)


def test_the_pdf_budget_panel_explains_element_1_as_the_screen_does(client, senco, provision):
    client.force_login(senco)
    text, _pages = pdf_text(client.get(reverse("provision:map_pdf"), {"year": "2026"}))
    flat = " ".join(text.split())
    label = "Element 1: core funding for every pupil (AWPU)"
    note = "Not costed: not SEN provision"
    assert (label in flat, note in flat) == (True, True)


def test_every_page_repeats_the_table_headings(client, senco, provision):
    client.force_login(senco)
    reader = PdfReader(io.BytesIO(client.get(reverse("provision:map_pdf"), {"year": "2026"}).content))
    first_pages = [page.extract_text() for page in reader.pages][:-1]  # the last may hold only the budget
    assert [("Share of cost" in text and "Intervention (group)" in text) for text in first_pages] == [
        True
    ] * len(first_pages)


def test_the_pdf_names_the_school_the_date_and_the_filters(client, senco, provision):
    client.force_login(senco)
    response = client.get(
        reverse("provision:map_pdf"), {"year": "2026", "year_group": "4", "group_by": "intervention"}
    )
    text, _ = pdf_text(response)
    assert (
        "Oakfield Primary School" in text,
        "Filters: Year 4." in text,
        "Grouped by intervention." in text,
    ) == (
        True,
        True,
        True,
    )
    assert 'filename="provision-map-2026-27.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("persona", "status"), [("head", 200), ("school_admin", 200), ("teacher", 403), ("governor", 403)]
)
def test_who_may_download_the_pdf(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:map_pdf")).status_code == status


def test_each_pdf_of_the_map_is_audited_once_without_the_search_words(client, senco, provision):
    client.force_login(senco)
    client.get(reverse("provision:map_pdf"), {"year": "2026", "year_group": "4", "q": "Xyzzy"})
    assert list(
        AuditEvent.objects.filter(action="provision_map.exported").values_list("actor", "pupil_id", "summary")
    ) == [(senco.pk, None, "2026-27: 0 pupils; Year 4; Name or UPN search")]
    assert AuditEvent.objects.get(action="provision_map.exported").fields == sorted(MAP_PDF_COLUMNS)


def test_the_pdf_is_a4_landscape_with_its_title_at_the_foot_of_every_page(client, senco, provision):
    client.force_login(senco)
    reader = PdfReader(io.BytesIO(client.get(reverse("provision:map_pdf"), {"year": "2026"}).content))
    pages = [
        ((round(float(page.mediabox.width)), round(float(page.mediabox.height))), page.extract_text())
        for page in reader.pages
    ]
    footer = "Provision map 2026-27: Oakfield Primary School"
    assert [(size, footer in text) for size, text in pages] == [((842, 595), True)] * len(pages)


# Long names wrap in their cells ----------------------------------------------------------------

# Longer than any column is wide, with no space to break at (the longest name the catalogue takes).
LONG_NAME = "Precision" + "teaching" * 17 + "Extra"
LONG_GROUP = "Year3" + "lunchtime" * 10 + "Group"


@pytest.fixture
def long_names(school, ta):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("19.37"))
    group = ProvisionGroupFactory(
        intervention=InterventionFactory(school=school, name=LONG_NAME, staff_rate=rate),
        name=LONG_GROUP,
        starts_on=date(2026, 9, 7),
        ends_on=date(2027, 3, 26),
        sessions_per_week=1,
        minutes_per_session=45,
        staff=[ta],
    )
    pupil = PupilFactory(school=school, first_name="Ava", last_name="Longname")
    PlacementFactory(group=group, pupil=pupil, joined_on=date(2026, 9, 7))
    return group


def test_a_very_long_intervention_and_group_name_print_whole(client, senco, long_names):
    assert (len(LONG_NAME), len(LONG_GROUP)) == (150, 100)
    client.force_login(senco)
    text, _ = pdf_text(client.get(reverse("provision:map_pdf"), {"year": "2026"}))
    unwrapped = "".join(text.split())
    assert f"{LONG_NAME}({LONG_GROUP})" in unwrapped
    assert "1 × 45 min a week" in " ".join(text.split())


def overprinting_cells(html: str) -> list[str]:
    """The text of every table cell whose text runs past the cell's right or left edge, laid
    out by WeasyPrint with the PDFs' stylesheet as `senco.pdf` lays it out."""
    document = HTML(string=html, base_url="/").render(stylesheets=[CSS(filename=finders.find(STYLESHEET))])
    over = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, TableCellBox):
                continue
            left, right = box.border_box_x(), box.border_box_x() + box.border_width()
            for text in (child for child in box.descendants() if isinstance(child, TextBox)):
                if text.position_x < left - 0.01 or text.position_x + text.width > right + 0.01:
                    over.append(text.text)
    return over


def map_html(user, *, grouping: str = "pupil") -> str:
    """The map PDF's HTML for 2026-27, as the view builds it."""
    the_map = provision_map(
        user, pupils=map_pupils(user, today=date(2026, 11, 2)), year=FinancialYear(2026), grouping=grouping
    )
    context = {"map": the_map, "school": user.school, "printed_on": date(2026, 11, 2), "applied": [],
               "grouping": grouping.title(), "by_pupil": grouping == "pupil"}  # fmt: skip
    return render_to_string("provision/map_pdf.html", context)


@pytest.mark.parametrize("grouping", ["pupil", "intervention"])
def test_no_cell_of_the_map_pdf_prints_over_another(senco, long_names, grouping):
    html = map_html(senco, grouping=grouping)
    assert LONG_NAME in html
    assert overprinting_cells(html) == []


# Pupils head their rows; no heading ends a page -------------------------------------------------


@pytest.fixture
def over_6000(school, senco, taught_pupil, untaught_pupil):
    """Ava (Year 3) and Noah (Year 5) on SEN support, each in a speech therapy group and a social
    skills group costing £6,500 in all this year; Noah has a top-up, Ava none."""
    interventions = [
        InterventionFactory(
            school=school, name=name, cost_basis="fixed", fixed_cost=Decimal(cost), staff_rate=None
        )
        for name, cost in (("Speech therapy", 6000), ("Social skills", 500))
    ]
    for index, pupil in enumerate((taught_pupil, untaught_pupil)):
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
        for intervention in interventions:
            group = ProvisionGroupFactory(
                intervention=intervention, name=f"{intervention.name} {index}", starts_on=date(2026, 9, 7),
                ends_on=date(2026, 12, 18),
            )  # fmt: skip
            PlacementFactory(group=group, pupil=pupil, joined_on=date(2026, 9, 7))
    record_top_up(pupil=untaught_pupil, financial_year=2026, amount=Decimal(9000), by=senco)


def unspaced_text(response) -> str:
    """The PDF's text without its spaces: pypdf splits some words at a kerned pair ("T aught")."""
    return "".join(pdf_text(response)[0].split())


def unspaced(text: str) -> str:
    return "".join(text.split())


def test_grouped_by_pupil_each_pupil_heads_their_rows_with_their_year_status_and_6000_flag(
    client, senco, over_6000
):
    client.force_login(senco)
    text = unspaced_text(client.get(reverse("provision:map_pdf"), {"year": "2026"}))
    assert unspaced("Ava Taught (Year 3, SEN support; over £6,000, no top-up): total £6,500.00") in text
    assert unspaced("Noah Elsewhere (Year 5, SEN support; over £6,000, top-up): total £6,500.00") in text
    # The rows leave the pupil out: each name is printed once, in its heading.
    assert (text.count("AvaTaught"), text.count("NoahElsewhere")) == (1, 1)


def test_grouped_otherwise_each_row_names_the_pupil_with_their_year_status_and_6000_flag(
    client, senco, over_6000
):
    client.force_login(senco)
    response = client.get(reverse("provision:map_pdf"), {"year": "2026", "group_by": "intervention"})
    text = unspaced_text(response)
    assert unspaced("Pupil (year, SEN status)") in text
    assert text.count(unspaced("Ava Taught (Year 3, SEN support; over £6,000, no top-up)")) == 2
    assert text.count(unspaced("Noah Elsewhere (Year 5, SEN support; over £6,000, top-up)")) == 2
    assert unspaced("Speech therapy: total £12,000.00") in text


def rows_ending_pages(html: str) -> list[str]:
    """The class of the last row of the map's body on each page ("row" for a row of provision)."""
    document = HTML(string=html, base_url="/").render(stylesheets=[CSS(filename=finders.find(STYLESHEET))])
    last_rows = []
    for page in document.pages:
        for table in page._page_box.descendants():
            if isinstance(table, TableBox) and "map" in table.element.get("class", "").split():
                body = [row for group in table.children if not group.is_header and not group.is_footer
                        for row in group.children]  # fmt: skip
                last_rows += [body[-1].element.get("class") or "row"] if body else []
    return last_rows


def test_no_page_of_the_map_ends_on_a_pupils_heading(senco, provision):
    last_rows = rows_ending_pages(map_html(senco))
    assert len(last_rows) > 1
    assert "section" not in last_rows
