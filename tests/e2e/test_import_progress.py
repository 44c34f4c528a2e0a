"""An MIS import's page follows it in the browser: the progress bar and the live region move on
without the page reloading, and stop once the import has ended. axe on the page as it runs and
as it ends; nothing breaks the Content-Security-Policy."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pupils.factories import ImportRunFactory
from pupils.models import ImportRun, ImportState

pytestmark = pytest.mark.e2e


def test_the_page_of_an_import_follows_it_without_reloading_until_it_ends(
    page, login, assert_accessible, senco, school
):
    run = ImportRunFactory(
        school=school, requested_by=senco, state=ImportState.RUNNING, rows_total=200, file_name="autumn.csv"
    )
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    login(page, "senco")
    page.goto(reverse("pupils:import_run", kwargs={"pk": run.pk}))
    expect(page.get_by_text("0 of 200 pupils (0%)")).to_be_visible()
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")

    ImportRun.objects.filter(pk=run.pk).update(rows_done=80, heartbeat=timezone.now())
    expect(page.get_by_text("80 of 200 pupils (40%)")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("80 of 200 pupils imported.")
    expect(page.locator("progress#import-progress")).to_have_attribute("value", "80")

    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.DONE, rows_done=200, pupils_new=200)
    expect(page.get_by_text("The file is imported: 200 new, 0 updated")).to_be_visible()
    expect(page.locator("#import-status")).to_have_text("Imported.")
    expect(page.locator("progress")).to_have_count(0)
    assert (page.evaluate("window.notReloaded === true"), refused) == (True, [])
    assert_accessible(page)
