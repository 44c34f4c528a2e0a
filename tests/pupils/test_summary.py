"""The pupil page's panel registry: other apps contribute panels without the page importing them."""

from datetime import date

import pytest

from pupils import pupil_page as summary
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import Carer, ContactLogEntry, Passport
from pupils.pupil_page import SummaryPanel, register_panel, rendered_panels, summary_panels
from senco.demo.seed_summary import seed_summary


@pytest.fixture
def registered():
    """Register panel functions for one test only, leaving the real registry as it was."""
    added = []

    def add(function):
        if function not in summary._panel_functions:
            added.append(function)
        return register_panel(function)

    yield add
    for function in added:
        summary._panel_functions.remove(function)


def only(panels, titles):
    return [panel.title for panel in panels if panel.title in titles]


def test_panels_come_in_order_and_a_function_returning_none_adds_nothing(registered, senco, taught_pupil):
    registered(lambda pupil, user: SummaryPanel("Second", "t.html", order=20))
    registered(lambda pupil, user: SummaryPanel("First", "t.html", order=5))
    registered(lambda pupil, user: None)
    panels = summary_panels(taught_pupil, senco)
    assert only(panels, {"First", "Second"}) == ["First", "Second"]


def test_a_panel_function_sees_the_pupil_and_the_viewing_user(registered, senco, teacher, taught_pupil):
    registered(lambda pupil, user: SummaryPanel("For the SENCO", "t.html") if user == senco else None)
    assert only(summary_panels(taught_pupil, senco), {"For the SENCO"}) == ["For the SENCO"]
    assert only(summary_panels(taught_pupil, teacher), {"For the SENCO"}) == []


def test_registering_the_same_function_twice_shows_its_panel_once(registered, senco, taught_pupil):
    def twice(pupil, user):
        return SummaryPanel("Twice", "t.html")

    registered(twice)
    registered(twice)
    assert only(summary_panels(taught_pupil, senco), {"Twice"}) == ["Twice"]


def test_a_panel_is_rendered_with_its_own_context(registered, senco, taught_pupil):
    registered(
        lambda pupil, user: SummaryPanel(
            "Plan", "provision/panels/current_plan.html", {"pupil": pupil, "plan": None, "can_edit": True}
        )
    )
    rendered = next(panel for panel in rendered_panels(taught_pupil, senco) if panel.title == "Plan")
    assert "There is no open SEN support plan." in rendered.html
    assert f"/provision/pupils/{taught_pupil.pk}/plans/" in rendered.html


def test_the_demo_seed_gives_every_second_primary_pupil_on_sen_support_a_passport_carers_and_contacts(
    school, senco
):
    pupils = PupilFactory.create_batch(4, school=school)
    for pupil in pupils:
        SenStatusChangeFactory(pupil=pupil)
    today = date(2026, 9, 3)
    seed_summary(school=school, senco=senco, today=today)
    with_passports = sorted(Passport.objects.values_list("pupil_id", flat=True))
    assert with_passports == [pupils[0].pk, pupils[2].pk]
    assert sorted(set(Carer.objects.values_list("pupil_id", flat=True))) == with_passports
    dates = list(ContactLogEntry.objects.values_list("occurred_on", flat=True))
    assert (len(dates), min(dates) >= date(2026, 9, 1), max(dates) <= today) == (3, True, True)
    assert Passport.objects.get(pupil=pupils[0]).how_to_support.startswith(
        "Tell me about changes"
    )  # SLCN: communication


def test_the_demo_seed_leaves_secondary_schools_alone(other_school, other_school_senco):
    other_school.phase = "secondary"
    other_school.save()
    SenStatusChangeFactory(pupil=PupilFactory(school=other_school))
    seed_summary(school=other_school, senco=other_school_senco, today=date(2026, 11, 24))
    assert Passport.objects.count() == 0
