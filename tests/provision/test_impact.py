"""Impact of interventions: entry-to-exit change, cost per pupil and per unit of progress, and
the impact page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules import impact as impact_rules
from provision.rules.impact import InterventionImpact, PupilResult, caution_for, unit_of
from pupils.factories import PupilFactory
from tests.provision.test_costs import money


def result(pupil_id, entry, exit_score, cost="100"):
    return PupilResult(
        pupil_id=pupil_id,
        group_id=1,
        measurement=measured(entry, exit_score, kind="standardised", better="higher"),
        cost=Decimal(cost),
    )


def test_gain_is_exit_minus_entry_only_when_both_were_measured():
    assert [
        measured(*scores, kind="standardised", better="higher").gain
        for scores in [
            ("85", "91"),
            ("85", None),
            (None, None),
        ]
    ] == [Decimal(6), None, None]


def test_only_exit_measured_placements_count_towards_the_averages():
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="standardised",
        better="higher",
        results=[result(1, "85", "91"), result(2, "80", "79"), result(3, "88", None), result(4, None, "90")],
        total_cost=Decimal("400"),
    )
    assert (impact.pupils_placed, impact.pupils_measured, impact.improved) == (4, 2, 1)
    assert (impact.total_gain, impact.average_gain) == (Decimal(5), Decimal("2.5"))


def test_cost_per_pupil_is_the_whole_cost_over_pupils_placed_and_per_unit_uses_the_measured_pupils():
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="standardised",
        better="higher",
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
        better="higher",
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
    with django_assert_max_num_queries(10):  # one of them the interventions' costs from their days
        client.get(reverse("provision:impact"))


# Which way is better, not yet measured against no measurable gain, and ratio gains (issue 10, 3).


def measured(entry, exit_score, *, kind="difficulties", better="lower", entry_on=None, exit_on=None):
    return impact_rules.Measurement(
        kind=kind,
        better=better,
        entry=None if entry is None else Decimal(entry),
        exit=None if exit_score is None else Decimal(exit_score),
        entry_on=entry_on or date(2026, 9, 14),
        exit_on=exit_on or (None if exit_score is None else date(2026, 12, 14)),
    )


def test_a_difficulties_score_such_as_an_sdq_total_is_better_lower_and_the_rest_higher():
    assert [
        impact_rules.usual_direction(kind)
        for kind in ("difficulties", "standardised", "reading_age", "checklist")
    ] == ["lower", "higher", "higher", "higher"]


def test_a_falling_sdq_total_is_an_improvement_and_a_rising_one_is_worse():
    results = [measured("20", "14"), measured("18", "18"), measured("15", "17"), measured("16", None)]
    assert [(m.change, m.gain, m.outcome_label) for m in results] == [
        (Decimal(-6), Decimal(6), "Improved"),
        (Decimal(0), Decimal(0), "No measurable gain"),
        (Decimal(2), Decimal(-2), "Worse than at entry"),
        (None, None, "Not yet measured"),
    ]


def test_a_checklist_marked_lower_is_better_follows_its_own_direction():
    errors = measured("12", "7", kind="checklist", better="lower")
    skills = measured("12", "7", kind="checklist", better="higher")
    assert (errors.outcome_label, skills.outcome_label) == ("Improved", "Worse than at entry")


def sdq_result(pupil_id, entry, exit_score, cost="100"):
    return PupilResult(
        pupil_id=pupil_id, group_id=1, measurement=measured(entry, exit_score), cost=Decimal(cost)
    )


def test_an_intervention_measured_lower_is_better_counts_and_costs_progress_in_that_direction():
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="difficulties",
        better="lower",
        results=[
            sdq_result(1, "20", "14"),
            sdq_result(2, "18", "18"),
            sdq_result(3, "15", "17"),
            sdq_result(4, "16", None),
        ],
        total_cost=Decimal("400"),
    )
    assert (impact.improved, impact.no_gain, impact.worse, impact.not_yet_measured) == (1, 1, 1, 1)
    # Gains in the better direction: 6, 0 and -2 points; the three measured places cost £300.
    assert (impact.total_gain, impact.average_change, impact.cost_per_unit) == (
        Decimal(4),
        Decimal(-4) / 3,
        Decimal(75),
    )
    assert impact.outcome_label == "Improved"


@pytest.mark.parametrize(
    ("scores", "outcome"),
    [
        ([("20", None), ("16", None)], "Not yet measured"),
        ([("20", "20"), ("16", None)], "No measurable gain"),
        ([("20", "22")], "Worse than at entry"),
    ],
)
def test_not_yet_measured_is_told_apart_from_no_measurable_gain(scores, outcome):
    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="difficulties",
        better="lower",
        results=[sdq_result(index, entry, exit_score) for index, (entry, exit_score) in enumerate(scores)],
        total_cost=Decimal("200"),
    )
    assert (impact.outcome_label, impact.cost_per_unit) == (outcome, None)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 9, 14), date(2026, 12, 14), Decimal(3)),
        (date(2026, 9, 14), date(2026, 9, 29), Decimal("0.5")),  # 15 of September's 30 days
        (date(2027, 1, 31), date(2027, 2, 28), Decimal(1)),  # a month from 31 January ends on the 28th
        (date(2028, 2, 29), date(2029, 2, 28), Decimal(12)),  # leap day to the next year
        (date(2026, 9, 14), date(2026, 9, 14), Decimal(0)),
    ],
)
def test_months_elapsed_are_calendar_months_and_a_fraction_of_the_next(start, end, months):
    assert impact_rules.months_between(start, end) == months


def test_a_reading_age_shows_its_ratio_gain_months_gained_over_months_elapsed():
    reading = measured("84", "90", kind="reading_age", better="higher")  # 14 Sep to 14 Dec 2026
    same_day = measured("84", "86", kind="reading_age", better="higher", exit_on=date(2026, 9, 14))
    standardised = measured("84", "90", kind="standardised", better="higher")
    assert (reading.months_elapsed, reading.ratio_gain) == (Decimal(3), Decimal(2))
    assert (same_day.ratio_gain, standardised.ratio_gain) == (None, None)


def test_an_interventions_ratio_gain_is_months_gained_over_months_elapsed_across_its_pupils():
    def reading(pupil_id, entry, exit_score, exit_on):
        m = measured(entry, exit_score, kind="reading_age", better="higher", exit_on=exit_on)
        return PupilResult(pupil_id=pupil_id, group_id=1, measurement=m, cost=Decimal(100))

    impact = InterventionImpact(
        intervention_id=1,
        measure_kind="reading_age",
        better="higher",
        results=[
            reading(1, "84", "90", date(2026, 12, 14)),  # 6 months in 3
            reading(2, "100", "102", date(2026, 11, 14)),  # 2 months in 2
            reading(3, "96", None, None),
        ],
        total_cost=Decimal(300),
    )
    assert impact.ratio_gain == Decimal("1.6")  # 8 months gained in 5


@pytest.fixture
def sdq(school):
    intervention = InterventionFactory(
        school=school,
        name="Social skills group",
        measure_name="SDQ total difficulties (teacher)",
        measure_kind="difficulties",
    )
    group = ProvisionGroupFactory(intervention=intervention, name="Friends club")
    pupils = {
        name: PupilFactory(school=school, first_name=name, last_name="Social")
        for name in ("Ava", "Bea", "Cy", "Dee")
    }
    for name, (entry, exit_score) in zip(pupils, [(20, 14), (18, 18), (15, 17), (16, None)], strict=True):
        PlacementFactory(group=group, pupil=pupils[name], entry_score=entry, exit_score=exit_score)
    return pupils


def test_the_impact_page_counts_a_falling_sdq_total_as_improvement(client, senco, sdq):
    client.force_login(senco)
    response = client.get(reverse("provision:impact"))
    [item] = response.context["interventions"]
    assert [row.pupil.first_name for row in item.rows if row.result.improved] == ["Ava"]
    assert (item.impact.improved, item.impact.no_gain, item.impact.worse) == (1, 1, 1)
    assert [(row.pupil.first_name, row.result.measurement.outcome_label) for row in item.rows] == [
        ("Ava", "Improved"),
        ("Bea", "No measurable gain"),
        ("Cy", "Worse than at entry"),
        ("Dee", "Not yet measured"),
    ]
    html = response.content.decode()
    assert ("Lower scores are better" in html, "per point of progress" in html) == (True, True)


def test_an_intervention_with_no_exit_scores_yet_is_not_yet_measured_rather_than_no_gain(
    client, senco, school
):
    group = ProvisionGroupFactory(intervention=InterventionFactory(school=school, name="Maths recap"))
    PlacementFactory.create_batch(2, group=group, entry_score=90)
    client.force_login(senco)
    html = client.get(reverse("provision:impact")).content.decode()
    assert ("Not yet measured" in html, "No measurable gain" in html) == (True, False)


def test_the_impact_page_shows_a_reading_age_ratio_gain(client, senco, school):
    intervention = InterventionFactory(
        school=school, name="Word wasp", measure_name="Reading age", measure_kind="reading_age"
    )
    PlacementFactory(
        group=ProvisionGroupFactory(intervention=intervention),
        entry_score=84,
        entry_measured_on=date(2026, 9, 14),
        exit_score=90,
        exit_measured_on=date(2026, 12, 14),
    )
    client.force_login(senco)
    response = client.get(reverse("provision:impact"))
    [item] = response.context["interventions"]
    html = response.content.decode()
    assert (item.impact.ratio_gain, "Ratio gain 2.0" in html) == (Decimal(2), True)


def test_a_pupils_provision_page_follows_the_measures_direction(client, senco, sdq):
    client.force_login(senco)
    pages = {
        name: client.get(reverse("provision:pupil_provision", args=[pupil.pk])).content.decode()
        for name, pupil in sdq.items()
    }
    assert [
        ("Improved" in pages[name], "No measurable gain" in pages[name], "Worse than at entry" in pages[name])
        for name in ("Ava", "Bea", "Cy")
    ] == [(True, False, False), (False, True, False), (False, False, True)]
    assert ("Not yet measured" in pages["Dee"], "(lower scores are better)" in pages["Ava"]) == (True, True)


def test_a_pupils_provision_page_shows_a_reading_age_ratio_gain(client, senco, school):
    intervention = InterventionFactory(school=school, name="Word wasp", measure_kind="reading_age")
    placement = PlacementFactory(
        group=ProvisionGroupFactory(intervention=intervention),
        entry_score=84,
        entry_measured_on=date(2026, 9, 14),
        exit_score=90,
        exit_measured_on=date(2026, 12, 14),
    )
    client.force_login(senco)
    html = client.get(reverse("provision:pupil_provision", args=[placement.pupil_id])).content.decode()
    assert "ratio gain 2.0" in html


# The range of possible scores --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lowest", "highest", "expected"),
    [
        ("checklist", None, "30", (Decimal(0), Decimal(30))),  # a checklist out of 30
        ("checklist", None, None, (Decimal(0), None)),  # no range given: anything from 0
        ("standardised", None, None, (Decimal(40), Decimal(160))),
        ("standardised", "55", "145", (Decimal(55), Decimal(145))),  # the test's own floor and ceiling
        ("reading_age", None, None, (Decimal(0), Decimal(240))),
        ("other", "-3", "3", (Decimal(-3), Decimal(3))),  # a measure that goes below zero
    ],
)
def test_the_range_is_the_entrys_own_or_the_usual_one_for_its_kind(kind, lowest, highest, expected):
    given = [Decimal(bound) if bound else None for bound in (lowest, highest)]
    assert impact_rules.score_range(kind, *given) == expected


@pytest.mark.parametrize(
    ("score", "problem"),
    [
        ("0", ""),
        ("30", ""),
        ("29.5", ""),
        ("35", "35 is above the highest score this measure gives: enter a score from 0 to 30."),
        ("30.1", "30.1 is above the highest score this measure gives: enter a score from 0 to 30."),
        ("-1", "-1 is below the lowest score this measure gives: enter a score from 0 to 30."),
    ],
)
def test_a_score_outside_a_checklist_out_of_30_is_refused(score, problem):
    assert impact_rules.score_problem(Decimal(score), lowest=Decimal(0), highest=Decimal(30)) == problem


def test_with_no_highest_any_score_from_0_up_is_accepted():
    problems = [
        impact_rules.score_problem(Decimal(score), lowest=Decimal(0), highest=None)
        for score in ("0", "500", "-1")
    ]
    assert problems == [
        "",
        "",
        "-1 is below the lowest score this measure gives: enter a score of 0 or more.",
    ]


@pytest.mark.parametrize(
    ("kind", "lowest", "highest", "problem"),
    [
        ("checklist", None, "30", ""),
        ("checklist", "10", "10", "The highest possible score must be above the lowest."),
        ("checklist", "20", "10", "The highest possible score must be above the lowest."),
        (
            "standardised",
            None,
            "30",
            "The highest possible score must be above the lowest, which is 40 for this kind of measure "
            "unless you give another.",
        ),
        ("standardised", "0", "30", ""),
    ],
)
def test_a_range_must_run_upwards_counting_the_usual_lowest(kind, lowest, highest, problem):
    given = [Decimal(bound) if bound else None for bound in (lowest, highest)]
    assert impact_rules.range_problem(kind, *given) == problem
