"""Phones: at 390 px wide (a common phone) no page of any role scrolls sideways.

For each demo role the test follows, from the home page, every link of the menu and of each page
it reaches, two clicks deep, visiting each kind of page once (the same path with other record
numbers is the same page). On every one the document must be no wider than the window: a wide
table scrolls inside its own box instead (WCAG 2.2 SC 1.4.10 Reflow).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# Each role and the least number of kinds of page its crawl must reach (governors see figures only).
ROLES = {"senco": 25, "teacher": 6, "ta": 6, "head": 20, "governor": 2, "senco2": 25}
# Downloads and actions rather than pages, and pages outside the school's work.
NOT_PAGES = re.compile(
    r"(\.csv$|/pdf/$|/logout/|/admin/|/accounts/password/reset|/switch-school/|/remove/$|/delete/$)"
)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and not NOT_PAGES.search(parts.path):
            paths.append(parts.path)
    return paths


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# The outermost elements sticking out past the window's right edge, to say what to fix.
CULPRITS = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getBoundingClientRect().right <= window.innerWidth + 1) continue;
    if (out.some(o => o.contains(el)) || el.closest('.table-responsive')) continue;
    out.push(el);
  }
  return out.slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
    + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
}"""


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_a_role_scrolls_sideways_on_a_phone(phone, login, live_server, demo_trust, username):
    page = phone
    login(page, username)
    seen = {_kind("/")}
    wide = [f"/ is {extra}px too wide"] if (extra := _overflow(page)) > 0 else []
    frontier = _links(page, live_server.url)
    for _depth in range(2):
        following = []
        for path in frontier:
            if _kind(path) in seen:
                continue
            seen.add(_kind(path))
            try:
                response = page.goto(f"{live_server.url}{path}")
            except PlaywrightError as error:
                # A link to a download (a CSV, PDF or JSON file) is not a page.
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or response.status != 200:
                continue
            page.wait_for_load_state("load")
            if (extra := _overflow(page)) > 0:
                wide.append(f"{path} is {extra}px too wide: {page.evaluate(CULPRITS)}")
            following += _links(page, live_server.url)
        frontier = following
    assert len(seen) >= ROLES[username], sorted(seen)
    assert wide == [], "\n".join(wide)


def test_on_a_phone_the_register_filters_fold_behind_one_button(phone, login, assert_accessible, demo_trust):
    login(phone, "senco")
    phone.get_by_role("button", name="Show or hide the menu").click()
    phone.get_by_role("link", name="SEN register", exact=True).click()
    status = phone.get_by_label("SEN status")
    assert phone.get_by_label("Name or UPN").is_visible()
    assert not status.is_visible()
    phone.get_by_role("button", name="More filters").click()
    status.select_option(label="EHC plan")
    phone.get_by_role("button", name="Show pupils").click()
    phone.wait_for_url("**status=ehc_plan**")
    # htmx swaps the results alone: the panel the user is working in stays open.
    assert phone.get_by_label("SEN status").is_visible()
    # Opened afresh (a bookmark, Back), the panel shows itself and the button says why.
    phone.reload()
    assert phone.get_by_label("SEN status").is_visible()
    more = phone.get_by_role("button", name="More filters (1 in use)")
    assert more.get_attribute("aria-expanded") == "true"
    assert _overflow(phone) <= 0
    assert_accessible(phone)


def test_on_a_desktop_the_register_filters_show_without_a_button(page, login, demo_trust):
    login(page, "senco")
    page.get_by_role("link", name="SEN register", exact=True).click()
    assert page.get_by_label("SEN status").is_visible()
    assert not page.get_by_role("button", name="More filters").is_visible()
