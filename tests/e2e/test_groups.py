"""Provision in practice in the browser: the SENCO builds a group from the catalogue, adds two
pupils with entry scores, and the demo TA records a session with one pupil absent, then corrects
the record when the wrong pupil was ticked. Every page is checked by axe."""

from decimal import Decimal

import pytest
from django.utils import timezone

from provision.models import DeliveredSession, Placement, ProvisionGroup
from pupils.models import Pupil
from senco.models import User

pytestmark = pytest.mark.e2e


def two_pupils_not_in_the_ta_class():
    """Two Year 4 pupils, whom the demo TA cannot see until they join the TA's group."""
    return list(
        Pupil.objects.filter(school__name="Oakfield Primary School", year_group=4, placements=None).order_by(
            "pk"
        )[:2]
    )


def test_senco_builds_a_group_and_the_ta_records_a_session(
    page, live_server, login, assert_accessible, demo_trust
):
    today = timezone.localdate().isoformat()
    ta = User.objects.get(username="ta")
    pupils = two_pupils_not_in_the_ta_class()

    login(page, "senco")
    page.get_by_role("link", name="Interventions").click()
    assert_accessible(page)
    page.get_by_role("link", name="Phonics catch-up").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a group from this intervention").click()
    assert_accessible(page)
    assert page.get_by_label("Sessions a week").input_value() == "4"
    page.get_by_label("Name").fill("Year 4 phonics boost")
    page.get_by_label(f"{ta} (Teaching assistant)").check()
    page.get_by_role("button", name="Set up the group").click()
    assert_accessible(page)
    group = ProvisionGroup.objects.get(name="Year 4 phonics boost")
    assert (group.sessions_per_week, group.minutes_per_session, list(group.staff.all())) == (4, 20, [ta])

    for pupil in pupils:
        page.get_by_role("combobox", name="Pupil").select_option(str(pupil.pk))
        page.get_by_role("button", name="Add to the group").click()
        assert_accessible(page)
    for pupil, score in zip(pupils, ["14", "19"], strict=True):
        page.get_by_role("link", name=f"Measures for {pupil.full_name}").click()
        assert_accessible(page)
        page.get_by_label("Entry score").fill(score)
        page.get_by_label("Entry measure taken on").fill(today)
        page.get_by_role("button", name="Save the measures").click()
        assert_accessible(page)
    entry_scores = list(
        Placement.objects.filter(group=group).order_by("pupil_id").values_list("entry_score", flat=True)
    )
    assert entry_scores == [Decimal("14.0"), Decimal("19.0")]

    page.get_by_role("button", name="Sign out").click()
    login(page, "ta")
    page.get_by_role("link", name="Provision groups").click()
    assert_accessible(page)
    page.get_by_role("link", name="Year 4 phonics boost").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a session").click()
    assert_accessible(page)
    page.get_by_label(pupils[1].full_name).check()
    page.get_by_label("Notes").fill("Worked on split digraphs.")
    page.get_by_role("button", name="Record the session").click()
    assert_accessible(page)
    session = DeliveredSession.objects.get(group=group)
    assert (session.status, list(session.absent.all()), session.recorded_by) == ("delivered", [pupils[1]], ta)
    assert page.get_by_role("cell", name=pupils[1].full_name, exact=True).count() == 1

    # The wrong pupil was ticked: the TA corrects the record from the delivery log.
    page.get_by_role("link", name="Correct the session of").click()
    assert_accessible(page)
    page.get_by_label(pupils[1].full_name).uncheck()
    page.get_by_label(pupils[0].full_name).check()
    page.get_by_role("button", name="Save the correction").click()
    assert_accessible(page)
    session.refresh_from_db()
    assert list(session.absent.all()) == [pupils[0]]


def test_senco_pages_for_rates_catalogue_and_delivery_pass_axe(
    page, live_server, login, assert_accessible, demo_trust
):
    group = ProvisionGroup.objects.get(name="Year 3 language group")
    login(page, "senco")
    for path in [
        "/provision/staff-rates/",
        "/provision/staff-rates/add/",
        "/provision/interventions/add/",
        "/provision/groups/",
        "/provision/delivery/",
        f"/provision/groups/{group.pk}/",
        f"/provision/groups/{group.pk}/edit/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.get_by_role("button", name="Save the group").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/provision/interventions/add/")
    page.get_by_role("button", name="Save the entry").click()  # empty: errors on every required field
    assert_accessible(page)
    page.goto(f"{live_server.url}/provision/delivery/")
    first_row = page.get_by_role("row").nth(1)
    assert ("Year 2 phonics catch-up" in first_row.inner_text(), "Below 80%" in first_row.inner_text()) == (
        True,
        True,
    )
