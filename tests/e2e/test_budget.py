"""The notional SEN budget in the browser: the SENCO adds a year's in-class support, records a
pupil's element 3 top-up and sets a TA's own rate, and every page passes axe."""

import re
from decimal import Decimal

import pytest

from provision.models import StaffMemberRate, TopUp
from pupils.models import Pupil
from senco.models import SenSpend, User

pytestmark = pytest.mark.e2e


def test_senco_adds_other_spend_a_top_up_and_a_tas_rate(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = Pupil.objects.filter(school__name="Oakfield Primary School", top_ups=None).order_by("pk").first()
    ta = User.objects.get(username="ta")

    login(page, "senco")
    page.goto(f"{live_server.url}/provision/budget/")
    assert_accessible(page)
    page.get_by_role("link", name="Add other spend for").click()
    assert_accessible(page)
    page.get_by_label("What it pays for").select_option("in_class_support")
    page.get_by_label("Description").fill("TA in Year 6 for maths, 5 hours a week")
    page.get_by_label("Hours in the year").fill("190")
    page.get_by_label("Hourly cost (£)").fill("16.50")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    line = SenSpend.objects.get(description="TA in Year 6 for maths, 5 hours a week")
    cell = page.get_by_role("cell", name="TA in Year 6 for maths, 5 hours a week", exact=True)
    assert (line.hours, cell.is_visible()) == (Decimal(190), True)

    page.get_by_role("link", name=re.compile(r"^Record a top-up for \d{4}-\d{2}$")).click()
    assert_accessible(page)
    page.get_by_label("Pupil").select_option(str(pupil.pk))
    page.get_by_label("Top-up for the year (£)").fill("8250")
    page.get_by_role("button", name="Save the top-up").click()
    assert_accessible(page)
    assert TopUp.objects.get(pupil=pupil).amount == Decimal(8250)

    page.goto(f"{live_server.url}/provision/staff-rates/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Change {ta}'s rate").click()
    assert_accessible(page)
    page.get_by_label("Costed at").select_option(label="Higher-level teaching assistant")
    page.get_by_role("button", name="Save the rate").click()
    assert StaffMemberRate.objects.get(staff=ta).staff_rate.name == "Higher-level teaching assistant"
