"""The SENCO writes a pupil passport; the class teacher opens the pupil's page and reads how best
to support them. Every page is checked by axe."""

import pytest

from pupils.models import Passport, Pupil

pytestmark = pytest.mark.e2e

HOW_TO_SUPPORT = "Tell me what is coming next and give me one instruction at a time."


def pupil_in_3a_without_a_passport() -> Pupil:
    return (
        Pupil.objects.filter(
            school__name="Oakfield Primary School", teaching_groups__name="3A", passports=None
        )
        .order_by("pk")
        .first()
    )


def test_senco_writes_a_passport_and_the_class_teacher_reads_it(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_in_3a_without_a_passport()
    first_name = pupil.preferred_first_name or pupil.first_name
    login(page, "senco")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Write a pupil passport").click()
    assert_accessible(page)
    page.get_by_label("My strengths").fill("Brilliant at building models; kind to younger children.")
    page.get_by_label("What is important to me").fill("My grandad and my dog.")
    page.get_by_label("How best to support me").fill(HOW_TO_SUPPORT)
    page.get_by_label("What staff should do").fill("Use the visual timetable; seat near the front.")
    page.get_by_label(f"In {first_name}'s own words").fill("I like knowing what happens next.")
    page.get_by_label("Parents' and carers' words").fill("Mornings are the hardest part of the day.")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url(f"{live_server.url}/pupils/{pupil.pk}/passport/")
    assert_accessible(page)
    assert list(Passport.objects.filter(pupil=pupil).values_list("version", "how_to_support")) == [
        (1, HOW_TO_SUPPORT)
    ]

    page.get_by_role("button", name="Sign out").click()
    login(page, "teacher")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    assert page.get_by_role("heading", name="How best to support me").is_visible()
    assert page.get_by_text(HOW_TO_SUPPORT).is_visible()
    page.get_by_role("link", name="Open the pupil passport").click()
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == f"Pupil passport: {pupil.full_name}"


def test_senco_adds_a_carer_and_logs_a_meeting_from_the_pupil_page(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_in_3a_without_a_passport()
    login(page, "senco")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Add a parent or carer").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Ms Jo Example")
    page.get_by_label("Relationship").fill("Mother")
    page.get_by_label("Phone").fill("07700 900321")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Log contact with parents, carers or the pupil").click()
    assert_accessible(page)
    page.get_by_label("Kind").select_option("meeting")
    page.get_by_label("Who took part").fill("Mother, class teacher, SENCO")
    page.get_by_label("Summary").fill("Agreed the new reading plan.")
    page.get_by_label("Agreed actions").fill("Read together for ten minutes each evening.")
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_url(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    assert page.get_by_role("cell", name="Ms Jo Example").is_visible()
    assert page.get_by_text("07700 900321").is_visible()
