"""The demo TA's main job by clicks from the home page: open the group they deliver, record
today's session, then record the whole group's exit scores on one grid and see them on the
group page. Every page passes axe, and the same journey on a 390-pixel-wide phone passes axe
and never makes the page itself scroll sideways (wide tables scroll in their own box, the
scores grid becomes a card per pupil)."""

import re

import pytest
from django.utils import timezone

from provision.models import DeliveredSession, Placement, ProvisionGroup

pytestmark = pytest.mark.e2e

GROUP = "Year 3 language group"  # the demo TA's group (senco/demo/seed_groups.py)


def the_tas_pupils() -> list[Placement]:
    group = ProvisionGroup.objects.get(name=GROUP, school__name="Oakfield Primary School")
    return list(
        Placement.objects.filter(group=group, left_on__isnull=True)
        .select_related("pupil", "group")
        .order_by("pupil__last_name", "pupil__first_name")
    )


def exit_scores(placements: list[Placement]) -> dict[int, int]:
    """A plausible exit score for each pupil: a few points up, within the checklist out of 30."""
    return {p.pk: min(int(p.entry_score) + 3, 30) for p in placements}


def fits_the_screen(page) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} px wide in {width[1]} px"


def walk_the_journey(page, check) -> list[Placement]:
    """From the home page to the group's saved exit scores, calling `check(page)` on every page
    reached. Returns the group's pupils."""
    placements = the_tas_pupils()
    absent = placements[0].pupil
    check(page)  # home
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()
        # Bootstrap marks the menu `show` once it has finished opening; a click on a link while
        # it is still sliding open can land on nothing, which a loaded machine made happen.
        page.locator("#main-nav.show").wait_for()
    page.get_by_role("link", name="Provision groups").click()
    check(page)
    page.get_by_role("link", name=GROUP).click()
    check(page)
    assert "Weeks counted:" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Record a session").click()
    check(page)
    page.get_by_label(absent.full_name, exact=True).check()
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_url(re.compile(r"/provision/groups/\d+/$"))
    check(page)
    page.get_by_role("link", name="Record scores").click()
    check(page)
    for placement, score in zip(placements, exit_scores(placements).values(), strict=True):
        page.get_by_label(f"Exit score for {placement.pupil.full_name}", exact=True).fill(str(score))
    page.get_by_role("button", name="Save the scores").click()
    page.wait_for_url(re.compile(r"/provision/groups/\d+/$"))
    check(page)
    return placements


def test_the_ta_records_a_session_and_the_groups_exit_scores_by_clicks(
    page, login, assert_accessible, demo_trust
):
    today = timezone.localdate()
    login(page, "ta")
    placements = walk_the_journey(page, assert_accessible)

    group = placements[0].group
    session = DeliveredSession.objects.get(group=group, held_on=today)
    assert (session.status, list(session.absent.all()), session.recorded_by.username) == (
        "delivered",
        [placements[0].pupil],
        "ta",
    )
    expected = exit_scores(placements)
    pupils_table = page.get_by_role("table", name=re.compile(r"^Pupils in the group"))
    for placement in placements:
        placement.refresh_from_db()
        assert (placement.exit_score, placement.exit_measured_on) == (expected[placement.pk], today)
        row = pupils_table.get_by_role("row", name=re.compile(f"^{re.escape(placement.pupil.full_name)} "))
        assert f"{expected[placement.pk]}.0" in row.inner_text()
    assert page.get_by_text(f"Scores saved for {GROUP}.").is_visible()


def test_the_journey_fits_a_390_pixel_phone_screen(
    browser, live_server, login, assert_accessible, demo_trust
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()

    def check(page):
        fits_the_screen(page)
        assert_accessible(page)

    try:
        login(phone, "ta")
        placements = walk_the_journey(phone, check)
        scored = Placement.objects.filter(pk__in=[p.pk for p in placements], exit_score__isnull=False)
        assert scored.count() == len(placements)
    finally:
        context.close()
