"""Each demo role signs in and reaches its own home page, which passes axe."""

import re

import pytest

from pupils.models import Pupil

pytestmark = pytest.mark.e2e

# Each role's home page: the school it is signed in to and the section that holds its work.
HOMES = {
    "senco": ("Oakfield Primary School", "SEN caseload"),
    "teacher": ("Oakfield Primary School", "Your pupils"),
    "ta": ("Oakfield Primary School", "Your pupils"),
    "head": ("Oakfield Primary School", "SEN caseload"),
    "governor": ("Oakfield Primary School", "SEN at a glance"),
    "senco2": ("Riverside Academy", "SEN caseload"),
}


@pytest.mark.parametrize("username", HOMES)
def test_each_demo_login_reaches_its_home_page(page, login, assert_accessible, demo_trust, username):
    school, section = HOMES[username]
    login(page, username)
    assert page.get_by_role("heading", level=1).inner_text() == school
    assert page.get_by_role("heading", level=2, name=section).is_visible()
    assert_accessible(page)


def test_the_skip_link_takes_keyboard_users_to_the_main_content(page, login, demo_trust):
    login(page, "teacher")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    # The fragment navigation lands a moment after the key press; waiting fails if it never does.
    page.wait_for_url(re.compile(r"#main$"), timeout=5000)


def test_a_teacher_cannot_open_a_pupil_outside_their_groups(page, live_server, login, demo_trust):
    outsider = (
        Pupil.objects.filter(school__name="Oakfield Primary School")
        .exclude(teaching_groups__teachers__username="teacher")
        .first()
    )
    login(page, "teacher")
    response = page.goto(f"{live_server.url}/pupils/{outsider.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
