"""How often a group runs and how many pupils it takes, in the same words on every page and PDF
that shows them (`provision.rules.groups`, through the `provision_words` filters)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules.groups import how_often, up_to_pupils


@pytest.mark.parametrize(
    ("sessions", "minutes", "short", "long"),
    [
        (3, 30, "3 × 30 min a week", "3 sessions a week of 30 minutes"),
        (1, 45, "1 × 45 min a week", "1 session a week of 45 minutes"),
        (5, 1, "5 × 1 min a week", "5 sessions a week of 1 minute"),
    ],
)
def test_how_often_reads_in_full_with_the_right_plurals(sessions, minutes, short, long):
    assert (how_often(sessions, minutes), how_often(sessions, minutes, long=True)) == (short, long)


@pytest.mark.parametrize(("size", "words"), [(1, "up to 1 pupil"), (6, "up to 6 pupils")])
def test_a_group_size_has_the_right_plural(size, words):
    assert up_to_pupils(size) == words


@pytest.fixture
def one_to_one(school, ta, taught_pupil):
    """A 1:1 once a week for one week, with the taught pupil in it."""
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    intervention = InterventionFactory(
        school=school,
        name="Lego therapy",
        staff_rate=rate,
        group_size=1,
        sessions_per_week=1,
        minutes_per_session=20,
        typical_weeks=1,
    )
    group = ProvisionGroupFactory(
        intervention=intervention,
        name="Ava 1:1",
        starts_on=date(2026, 9, 7),
        ends_on=date(2026, 12, 11),
        staff=[ta],
    )
    PlacementFactory(group=group, pupil=taught_pupil, joined_on=date(2026, 9, 7))
    return group


def html_of(client, name, *args, **query) -> str:
    return client.get(reverse(name, args=args), query).content.decode()


def test_every_page_that_shows_a_pattern_says_it_the_same_way(client, senco, one_to_one):
    client.force_login(senco)
    intervention, pupil = one_to_one.intervention, one_to_one.placements.get().pupil
    for page in [
        html_of(client, "provision:map", year="2026"),
        html_of(client, "provision:pupil_provision", pupil.pk),
    ]:
        assert "<td>1 × 20 min a week" in page
    assert "<td>up to 1 pupil, 1 × 20 min a week, 1 week</td>" in html_of(client, "provision:interventions")
    detail = html_of(client, "provision:intervention_detail", intervention.pk)
    assert (
        "1 session a week of 20 minutes" in detail,
        "1 pupil</dd>" in detail,
        "1 week</dd>" in detail,
    ) == (
        True,
        True,
        True,
    )
    assert "1 session a week of 20 minutes, withdrawal" in html_of(
        client, "provision:group_detail", one_to_one.pk
    )
