"""A class teacher's main job, by clicks from the home page: find a pupil who is not on the SEN
register in My pupils, log a concern about them, and see it under My concerns. axe on every page;
and the same journey on a phone-sized screen (390 px wide) with nothing wider than the screen."""

import pytest

from pupils.models import Concern, ConcernStage, Pupil

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def pupil_in_3a_not_on_the_register() -> Pupil:
    return (
        Pupil.objects.filter(
            school__name="Oakfield Primary School",
            teaching_groups__name="3A",
            sen_history=None,
            concerns=None,
            left_on=None,
        )
        .order_by("pk")
        .first()
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_a_concern_from_my_pupils(page, check, pupil):
    """From the home page to My concerns; `check(page)` runs on every page reached."""
    check(page)
    page.get_by_role("main").get_by_role("link", name="My pupils", exact=True).click()
    check(page)
    page.get_by_label("Search by name").fill(pupil.last_name)
    page.get_by_role("button", name="Search").click()
    check(page)
    row = page.get_by_role("row").filter(has_text=pupil.full_name)
    assert "SEN" not in row.inner_text()  # not on the register: no status shown
    row.get_by_role("link", name=f"Log a concern about {pupil.full_name}").click()
    check(page)
    page.get_by_label("Area of need").select_option("communication")
    page.get_by_label("What you have noticed").fill(
        "Rarely answers in class; struggles to follow two-step instructions."
    )
    page.get_by_label("Evidence").fill("Class observations on three mornings this week.")
    page.get_by_label("What you have already tried").fill(
        "Instructions one step at a time, with a visual prompt."
    )
    page.get_by_role("button", name="Send to the SENCO team").click()
    check(page)
    assert page.get_by_role("heading", name="My concerns").is_visible()
    row = page.get_by_role("row").filter(has_text=pupil.full_name)
    assert "Raised" in row.inner_text()


def test_a_teacher_finds_a_pupil_not_on_the_register_and_logs_a_concern(
    page, login, assert_accessible, demo_trust
):
    pupil = pupil_in_3a_not_on_the_register()
    login(page, "teacher")
    log_a_concern_from_my_pupils(page, assert_accessible, pupil)
    concern = Concern.objects.get(pupil=pupil)
    assert (concern.raised_by.username, concern.stage) == ("teacher", ConcernStage.RAISED)


def test_the_journey_fits_a_phone_screen(browser, live_server, login, assert_accessible, demo_trust):
    pupil = pupil_in_3a_not_on_the_register()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    too_wide = []

    def check(page):
        assert_accessible(page)
        if not fits_the_screen(page):
            too_wide.append(page.url)

    try:
        login(page, "teacher")
        log_a_concern_from_my_pupils(page, check, pupil)
    finally:
        context.close()
    assert too_wide == []
