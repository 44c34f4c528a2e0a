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
from weasyprint.formatting_structure.boxes import TableCellBox, TextBox

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules.budget import FinancialYear
from provision.selectors.provision_map import map_pupils, provision_map
from provision.services.budget import add_sen_spend
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


def test_no_cell_of_the_map_pdf_prints_over_another(senco, long_names):
    the_map = provision_map(
        senco, pupils=map_pupils(senco, today=date(2026, 11, 2)), year=FinancialYear(2026)
    )
    context = {"map": the_map, "school": senco.school, "printed_on": date(2026, 11, 2), "applied": [],
               "grouping": "Pupil"}  # fmt: skip
    html = render_to_string("provision/map_pdf.html", context)
    assert LONG_NAME in html
    assert overprinting_cells(html) == []
