"""Impact of interventions: entry-to-exit change, cost per pupil and per unit of progress, and
the impact page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules.impact import InterventionImpact, PupilResult, caution_for, gain_of, unit_of
from pupils.factories import PupilFactory
from tests.provision.test_costs import money


def result(pupil_id, entry, exit_score, cost="100"):
    return PupilResult(
        pupil_id=pupil_id,
        group_id=1,
        entry=None if entry is None else Decimal(entry),
        exit=None if exit_score is None else Decimal(exit_score),
        cost=Decimal(cost),
    )


def test_gain_is_exit_minus_entry_only_when_both_were_measured():
    assert (gain_of(Decimal(85), Decimal(91)), gain_of(Decimal(85), None), gain_of(None, Decimal(91))) == (
        Decimal(6),
        None,
        None,
    )


def test_only_exit_measured_placements_count_towards_the_averages():
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="standardised",
        results=[result(1, "85", "91"), result(2, "80", "79"), result(3, "88", None), result(4, None, "90")],
        total_cost=Decimal("400"),
    )
    assert (impact.pupils_placed, impact.pupils_measured, impact.improved) == (4, 2, 1)
    assert (impact.total_gain, impact.average_gain) == (Decimal(5), Decimal("2.5"))


def test_cost_per_pupil_is_the_whole_cost_over_pupils_placed_and_per_unit_uses_the_measured_pupils():
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="standardised",
        results=[result(1, "85", "91", "150"), result(2, "80", "84", "150"), result(3, "88", None, "100")],
        total_cost=Decimal("450"),  # £50 of it unallocated
    )
    # £450 / 3 pupils; (£150 + £150) / (6 + 4) points.
    assert (impact.cost_per_pupil, impact.cost_per_unit, impact.one_unit) == (
        Decimal(150),
        Decimal(30),
        "point",
    )


@pytest.mark.parametrize("gains", [[("85", "85")], [("85", "80"), ("80", "82")], []])
def test_no_gain_above_zero_means_no_measurable_gain(gains):
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="standardised",
        results=[result(index, entry, exit_score) for index, (entry, exit_score) in enumerate(gains)],
        total_cost=Decimal("300"),
    )
    assert impact.cost_per_unit is None


def test_reading_ages_carry_a_caution_and_are_counted_in_months():
    assert (unit_of("reading_age"), "unsuitable for tracking" in caution_for("reading_age")) == (
        "months of reading or spelling age",
        True,
    )
    assert (unit_of("standardised"), caution_for("standardised")) == ("standardised score points", "")


@pytest.fixture
def reading(school):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    intervention = InterventionFactory(school=school, name="Reading boost", staff_rate=rate)
    # 10 weeks of 3 x 30 min at £18 = £270, three pupils all the way through: £90 each.
    group = ProvisionGroupFactory(
        intervention=intervention, name="Boost A", starts_on=date(2026, 6, 1), ends_on=date(2026, 8, 9)
    )
    pupils = [
        PupilFactory(school=school, first_name=name, last_name="Reader") for name in ("Ann", "Ben", "Cal")
    ]
    for pupil, (entry, exit_score) in zip(pupils, [(82, 90), (85, 87), (88, None)], strict=True):
        PlacementFactory(group=group, pupil=pupil, entry_score=entry, exit_score=exit_score)
    return intervention


def test_the_impact_page_shows_each_intervention_with_its_figures(client, senco, reading):
    client.force_login(senco)
    response = client.get(reverse("provision:impact"))
    [item] = response.context["interventions"]
    impact = item.impact
    assert (impact.pupils_placed, impact.pupils_measured, impact.improved, impact.average_gain) == (
        3,
        2,
        2,
        Decimal(5),
    )
    assert (money(impact.total_cost), money(impact.cost_per_pupil), money(impact.cost_per_unit)) == (
        Decimal("270.00"),
        Decimal("90.00"),
        Decimal("18.00"),  # (£90 + £90) / 10 points
    )
    assert [(row.pupil.first_name, row.result.gain) for row in item.rows] == [
        ("Ann", Decimal(8)),
        ("Ben", Decimal(2)),
        ("Cal", None),
    ]
    html = response.content.decode()
    assert ("£18.00 per point" in html, "Awaiting exit measure" in html, "+8.0" in html) == (True, True, True)


def test_an_intervention_with_no_gain_says_so(client, senco, school):
    group = ProvisionGroupFactory(intervention=InterventionFactory(school=school, name="Maths recap"))
    PlacementFactory(group=group, entry_score=90, exit_score=88)
    client.force_login(senco)
    [item] = client.get(reverse("provision:impact")).context["interventions"]
    assert (
        item.impact.cost_per_unit,
        "No measurable gain" in client.get(reverse("provision:impact")).content.decode(),
    ) == (
        None,
        True,
    )


def test_a_reading_age_intervention_shows_the_caution(client, head, school):
    intervention = InterventionFactory(school=school, name="Word wasp", measure_kind="reading_age")
    PlacementFactory(group=ProvisionGroupFactory(intervention=intervention), entry_score=84, exit_score=90)
    client.force_login(head)
    html = client.get(reverse("provision:impact")).content.decode()
    assert (
        "Reading and spelling ages are unsuitable for tracking progress" in html,
        "per month" in html,
    ) == (
        True,
        True,
    )


def test_another_schools_interventions_are_not_shown(client, senco, reading, other_school):
    PlacementFactory(group=ProvisionGroupFactory(intervention=InterventionFactory(school=other_school)))
    client.force_login(senco)
    assert [
        item.intervention for item in client.get(reverse("provision:impact")).context["interventions"]
    ] == [reading]


@pytest.mark.parametrize(("persona", "status"), [("senco", 200), ("head", 200)])
def test_the_senco_team_and_leadership_open_the_impact_page(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:impact")).status_code == status


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_everyone_else_gets_403_on_the_impact_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:impact")).status_code == 403


@pytest.mark.parametrize("groups", [1, 3])
def test_impact_queries_stay_flat(client, senco, school, groups, django_assert_max_num_queries):
    for index in range(groups):
        group = ProvisionGroupFactory(
            intervention=InterventionFactory(school=school, name=f"Programme {index}")
        )
        PlacementFactory.create_batch(3, group=group, entry_score=80, exit_score=85)
    client.force_login(senco)
    with django_assert_max_num_queries(12):
        client.get(reverse("provision:impact"))
