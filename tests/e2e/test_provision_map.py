"""The SENCO records exit scores, reads the impact of an intervention, and downloads the
provision map PDF, whose grand total is the one on the screen. Every page is checked by axe."""

import io

import pytest
from pypdf import PdfReader

from provision.models import Placement

pytestmark = pytest.mark.e2e


def test_senco_records_exit_scores_and_downloads_a_provision_map_matching_the_screen(
    page, live_server, login, assert_accessible, demo_trust
):
    placement = (
        Placement.objects.filter(
            group__school__name="Oakfield Primary School",
            entry_score__isnull=False,
            exit_score__isnull=True,
        )
        .select_related("group", "pupil")
        .order_by("pk")
        .first()
    )
    login(page, "senco")
    page.goto(f"{live_server.url}/provision/groups/{placement.group.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Measures for {placement.pupil.full_name}").click()
    page.get_by_label("Exit score").fill(str(placement.entry_score + 6))
    page.get_by_label("Exit measure taken on").fill(placement.entry_measured_on.isoformat())
    page.get_by_role("button", name="Save the measures").click()
    assert_accessible(page)
    placement.refresh_from_db()
    assert placement.exit_score == placement.entry_score + 6

    page.get_by_role("link", name="Provision map").click()
    assert_accessible(page)
    on_screen = page.locator("[data-figure=grand-total]").inner_text()
    pdf_link = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_link}")  # the signed-in browser's cookies
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = "".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert (on_screen[0], on_screen in text) == ("£", True)

    page.goto(f"{live_server.url}/provision/impact/")
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).is_visible()
