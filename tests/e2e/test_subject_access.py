"""A parent asks for everything the school holds about their child: the SENCO logs the request
from the menu, reviews the records, withholds a concern, and records the release. Every page is
checked by axe."""

import pytest
from django.utils import timezone

from pupils.models import Concern, SubjectAccessRequest

pytestmark = pytest.mark.e2e


def test_senco_logs_a_request_withholds_a_concern_and_records_the_release(
    page, live_server, login, assert_accessible, demo_trust
):
    concern = (
        Concern.objects.filter(pupil__school__name="Oakfield Primary School", pupil__left_on=None)
        .select_related("pupil")
        .order_by("pk")
        .first()
    )
    pupil = concern.pupil
    today = timezone.localdate().isoformat()
    login(page, "senco")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Subject access requests").click()
    assert_accessible(page)
    page.get_by_role("link", name="Log a request").click()
    assert_accessible(page)
    page.get_by_label("Pupil*", exact=True).select_option(str(pupil.pk))
    page.get_by_label("Who asked (their name)").fill("Jo Example")
    page.get_by_label("Their relationship to the pupil").select_option("parent")
    page.get_by_label("Received on").fill(today)
    page.get_by_label("How their identity was checked").fill("Known to the school office.")
    page.get_by_label("Identity checked on").fill(today)
    page.get_by_role("button", name="Log the request").click()
    sar = SubjectAccessRequest.objects.get(pupil=pupil)
    page.wait_for_url(f"{live_server.url}{sar.get_absolute_url()}")
    assert_accessible(page)

    page.get_by_role("link", name="Review the records").click()
    assert_accessible(page)
    record = page.locator(f"#concern-{concern.pk}")
    record.get_by_label("Reason to withhold").select_option("third_party")
    record.get_by_role("button", name="Withhold").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.locator(f"#concern-{concern.pk}").get_by_text("Withheld").first.is_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=pupil.full_name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the release").click()
    assert_accessible(page)
    page.get_by_label("How it was sent").fill("Handed over in person.")
    page.get_by_role("button", name="Record the release").click()
    page.wait_for_url(f"{live_server.url}{sar.get_absolute_url()}")
    assert_accessible(page)
    sar.refresh_from_db()
    assert (sar.released_on, sar.released_export["withheld"][0]["record"]) == (
        timezone.localdate(),
        "Concern",
    )
