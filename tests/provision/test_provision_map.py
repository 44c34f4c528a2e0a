"""The provision map page and each pupil's provision page: who may see them, what the filters
and groupings show, the budget figures, and that queries do not grow with placements."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules.budget import FinancialYear, financial_year_of
from provision.services.budget import record_top_up
from pupils.factories import PupilFactory, SenStatusChangeFactory, TeachingGroupFactory
from pupils.models import NeedType, SenStatus
from senco.factories import SenBudgetFactory, english_school_year, staff_member
from senco.models import AuditEvent, Role
from senco.services.calendar import save_school_year
from tests.provision.test_costs import money

YEAR_2026 = {"year": "2026"}


@pytest.fixture
def phonics(school):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    return InterventionFactory(school=school, name="Phonics catch-up", area="cognition", staff_rate=rate)


@pytest.fixture
def group(phonics, ta):
    # Monday 1 June to Sunday 9 August 2026: 10 weeks of 3 x 30 min at £18 an hour = £270.
    return ProvisionGroupFactory(
        intervention=phonics,
        name="Phonics Y3",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=3,
        minutes_per_session=30,
        staff=[ta],
    )


@pytest.fixture
def placed(group, taught_pupil, untaught_pupil):
    """The taught pupil all ten weeks (£202.50); the untaught one from week six (£67.50)."""
    PlacementFactory(group=group, pupil=taught_pupil)
    PlacementFactory(group=group, pupil=untaught_pupil, joined_on=date(2026, 7, 6))
    return group


def map_rows(response):
    return [
        (row.pupil.full_name, row.intervention.name, money(row.share)) for row in response.context["map"].rows
    ]


def test_senco_sees_who_gets_what_how_often_from_whom_and_each_pupils_share(client, senco, placed):
    client.force_login(senco)
    response = client.get(reverse("provision:map"), YEAR_2026)
    assert map_rows(response) == [
        ("Noah Elsewhere", "Phonics catch-up", Decimal("67.50")),
        ("Ava Taught", "Phonics catch-up", Decimal("202.50")),
    ]
    html = response.content.decode()
    assert ("3 × 30 min a week" in html, "Tara Green" in html, "6 Jul 2026" in html) == (True, True, True)
    assert money(response.context["map"].total) == Decimal("270.00")


@pytest.mark.parametrize(
    ("persona", "impact_link"), [("head", True), ("school_admin", False), ("senco", True)]
)
def test_the_senco_team_leadership_and_the_administrator_open_the_map(client, request, persona, impact_link):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:map"))
    assert (response.status_code, reverse("provision:impact") in response.content.decode()) == (
        200,
        impact_link,
    )


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
@pytest.mark.parametrize("name", ["provision:map", "provision:map_pdf"])
def test_teachers_tas_and_governors_get_403_on_the_map(client, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403


def test_another_schools_provision_and_budget_do_not_appear(client, senco, placed, other_school):
    other = ProvisionGroupFactory(intervention=InterventionFactory(school=other_school, name="Their group"))
    PlacementFactory(group=other, joined_on=date(2026, 9, 14))
    SenBudgetFactory(school=other_school, financial_year=2026, notional_sen_budget=999999)
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {"year": "2026"})
    assert [name for _, name, _ in map_rows(response)] == ["Phonics catch-up", "Phonics catch-up"]
    assert response.context["map"].budget.notional_sen_budget is None


def test_filtering_by_year_group_keeps_each_pupils_share_of_the_whole_group(client, senco, placed):
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "year_group": "3"})
    assert map_rows(response) == [("Ava Taught", "Phonics catch-up", Decimal("202.50"))]


def test_search_finds_a_pupil_by_name_or_upn(client, senco, placed, untaught_pupil):
    client.force_login(senco)
    by_name = client.get(reverse("provision:map"), {**YEAR_2026, "q": "elsew"})
    by_upn = client.get(reverse("provision:map"), {**YEAR_2026, "q": untaught_pupil.upn})
    assert (map_rows(by_name), map_rows(by_upn)) == (
        [("Noah Elsewhere", "Phonics catch-up", Decimal("67.50"))],
    ) * 2


def test_filtering_by_sen_status_counts_pupils_without_history_as_not_on_the_register(
    client, senco, placed, taught_pupil
):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    support = client.get(reverse("provision:map"), {**YEAR_2026, "status": "sen_support"})
    none = client.get(reverse("provision:map"), {**YEAR_2026, "status": "no_sen"})
    assert ([row[0] for row in map_rows(support)], [row[0] for row in map_rows(none)]) == (
        ["Ava Taught"],
        ["Noah Elsewhere"],
    )


def test_filtering_by_area_of_need_uses_the_pupils_primary_need(client, senco, placed, taught_pupil):
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, primary_need=NeedType.objects.get(code="SEMH")
    )
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "area": "semh"})
    assert [row[0] for row in map_rows(response)] == ["Ava Taught"]


def test_filtering_by_primary_need_as_on_the_register(client, senco, placed, taught_pupil):
    semh = NeedType.objects.get(code="SEMH")
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, primary_need=semh)
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "primary_need": str(semh.pk)})
    assert [row[0] for row in map_rows(response)] == ["Ava Taught"]
    assert response.context["filters"].applied() == [f"Primary need: {semh.name}"]


def test_filtering_by_teaching_group_as_on_the_register(client, senco, placed, class_3a):
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "group": str(class_3a.pk)})
    assert [row[0] for row in map_rows(response)] == ["Ava Taught"]
    assert response.context["filters"].applied() == ["Teaching group: 3A"]


def test_another_schools_teaching_group_is_not_a_filter_choice(client, senco, placed, other_school):
    theirs = TeachingGroupFactory(school=other_school, name="Theirs")
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "group": str(theirs.pk)})
    assert (list(response.context["filters"].form.errors), len(map_rows(response))) == (["group"], 2)


def test_filtering_by_a_flag(client, senco, placed, untaught_pupil):
    untaught_pupil.pupil_premium = True
    untaught_pupil.save()
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "pupil_premium": "on"})
    assert [row[0] for row in map_rows(response)] == ["Noah Elsewhere"]


def test_filtering_by_intervention_shows_its_rows_but_the_flag_uses_all_provision(
    client, senco, school, placed, taught_pupil
):
    costly = InterventionFactory(
        school=school, name="Speech therapy", cost_basis="fixed", fixed_cost=Decimal("6000"), staff_rate=None
    )
    PlacementFactory(group=ProvisionGroupFactory(intervention=costly, name="SALT 1:1"), pupil=taught_pupil)
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "intervention": placed.intervention.pk})
    rows = response.context["map"].rows
    assert [(row.pupil.full_name, row.intervention.name, row.over_threshold) for row in rows] == [
        ("Noah Elsewhere", "Phonics catch-up", False),
        ("Ava Taught", "Phonics catch-up", True),  # £202.50 + £6,000 this year
    ]
    assert "Over £6,000 without a top-up (£6,202.50 this year)" in response.content.decode()


@pytest.mark.parametrize(
    ("group_by", "titles"),
    [
        ("pupil", ["Noah Elsewhere", "Ava Taught", "Zara Zed"]),
        ("year_group", ["Year 3", "Year 5"]),
        ("area", ["Cognition and learning", "Social, emotional and mental health"]),
        ("intervention", ["Calm club", "Phonics catch-up"]),
    ],
)
def test_the_map_groups_by_pupil_year_group_area_or_intervention(
    client, senco, school, placed, group_by, titles
):
    calm = InterventionFactory(school=school, name="Calm club", area="semh")
    pupil = PupilFactory(school=school, first_name="Zara", last_name="Zed", year_group=3)
    PlacementFactory(group=ProvisionGroupFactory(intervention=calm), pupil=pupil)
    client.force_login(senco)
    response = client.get(reverse("provision:map"), {**YEAR_2026, "group_by": group_by})
    sections = response.context["map"].sections
    assert [section.title for section in sections] == titles
    assert sum(section.total for section in sections) == response.context["map"].total


def test_bad_filter_values_re_render_with_errors_and_the_current_year(client, senco, placed):
    client.force_login(senco)
    response = client.get(
        reverse("provision:map"), {"year": "1066", "group_by": "shoe size", "year_group": "x"}
    )
    errors = response.context["filters"].form.errors
    assert (response.status_code, sorted(errors)) == (200, ["group_by", "year", "year_group"])
    assert response.context["map"].financial_year == financial_year_of(timezone.localdate())
    assert "Select a valid choice" in response.content.decode()


def test_the_map_defaults_to_the_financial_year_containing_today(
    client, senco, school, phonics, taught_pupil
):
    today = timezone.localdate()
    group = ProvisionGroupFactory(intervention=phonics, starts_on=today, ends_on=today)
    PlacementFactory(group=group, pupil=taught_pupil)
    client.force_login(senco)
    response = client.get(reverse("provision:map"))
    assert (response.context["map"].financial_year, [row[0] for row in map_rows(response)]) == (
        financial_year_of(today),
        ["Ava Taught"],
    )


def test_a_group_spanning_31_march_shows_only_its_days_in_the_chosen_year(
    client, senco, phonics, taught_pupil
):
    # 2 March to 26 April 2027 at £20 x 1 h x 2 a week = £320: £171.43 in 2026-27, £148.57 in 2027-28.
    phonics.staff_rate = StaffRateFactory(school=phonics.school, name="Teacher", hourly_cost=20)
    phonics.save()
    group = ProvisionGroupFactory(
        intervention=phonics,
        starts_on=date(2027, 3, 2),
        ends_on=date(2027, 4, 26),
        sessions_per_week=2,
        minutes_per_session=60,
    )
    PlacementFactory(group=group, pupil=taught_pupil)
    client.force_login(senco)
    rows = {
        year: [
            (row.starts_on, row.ends_on, money(row.share))
            for row in client.get(reverse("provision:map"), {"year": year}).context["map"].rows
        ]
        for year in ("2026", "2027")
    }
    assert rows == {
        "2026": [(date(2027, 3, 2), date(2027, 3, 31), Decimal("171.43"))],
        "2027": [(date(2027, 4, 1), date(2027, 4, 26), Decimal("148.57"))],
    }


def test_totals_are_set_against_the_notional_budget_with_the_element_2_and_3_split(
    client, senco, school, placed, phonics, taught_pupil
):
    # Only the taught pupil is on the SEN register: the other's £67.50 is spent but not element 2.
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
    SenBudgetFactory(school=school, financial_year=2026, notional_sen_budget=150000)
    record_top_up(pupil=taught_pupil, financial_year=2026, amount=Decimal(40000), by=senco)
    ProvisionGroupFactory(
        intervention=phonics, name="Nobody yet", starts_on=date(2026, 6, 1), ends_on=date(2026, 8, 9)
    )
    client.force_login(senco)
    response = client.get(reverse("provision:map"), YEAR_2026)
    budget = response.context["map"].budget
    assert (budget.notional_sen_budget, budget.element3_income) == (Decimal(150000), Decimal(40000))
    figures = (
        budget.spent,
        budget.element2,
        budget.above_threshold,
        budget.not_on_register,
        budget.unallocated,
    )
    assert tuple(money(x) for x in figures) == (
        Decimal("540.00"),
        Decimal("202.50"),
        Decimal("0.00"),
        Decimal("67.50"),
        Decimal("270.00"),
    )
    html = response.content.decode()
    assert ("£150,000.00" in html, "£149,460.00" in html, "£40,000.00" in html) == (True, True, True)


def test_the_map_says_which_school_years_are_costed_without_term_dates(client, senco, school, placed):
    save_school_year(school=school, start_year=2026, rows=english_school_year(2026), by=senco)
    client.force_login(senco)
    response = client.get(reverse("provision:map"), YEAR_2026)  # April 2026 to March 2027
    html = response.content.decode()
    assert response.context["map"].missing_term_dates == ["2025/26"]
    assert ("No term dates are recorded for 2025/26" in html, "for 2026/27" in html) == (True, False)


def test_the_map_flags_a_pupil_over_6000_without_a_top_up_and_names_the_top_up_of_one_with(
    client, senco, school, taught_pupil, untaught_pupil
):
    costly = InterventionFactory(
        school=school, cost_basis="fixed", fixed_cost=Decimal("6500"), staff_rate=None
    )
    for pupil in (taught_pupil, untaught_pupil):
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
        PlacementFactory(group=ProvisionGroupFactory(intervention=costly), pupil=pupil)
    record_top_up(pupil=untaught_pupil, financial_year=2026, amount=Decimal(9000), by=senco)
    client.force_login(senco)
    response = client.get(reverse("provision:map"), YEAR_2026)
    html = response.content.decode()
    flags = {row.pupil.full_name: row.pupil_year.without_top_up for row in response.context["map"].rows}
    assert flags == {"Ava Taught": True, "Noah Elsewhere": False}
    assert ("Over £6,000 without a top-up" in html, "top-up £9,000.00" in html) == (True, True)
    provision = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk])).content.decode()
    assert "Over £6,000 without a top-up" in provision


ELEMENT_1 = (
    "Element 1: core funding for every pupil (AWPU)",
    "Not costed: not SEN provision",
)


def test_the_budget_panel_explains_element_1_before_elements_2_and_3(client, senco, placed):
    client.force_login(senco)
    html = client.get(reverse("provision:map"), YEAR_2026).content.decode().replace("&#x27;", "'")
    positions = [html.find(text) for text in (*ELEMENT_1, "Element 2:", "Element 3:")]
    assert (-1 in positions, positions == sorted(positions)) == (False, True)


def test_an_empty_school_shows_an_empty_map_without_a_budget(client, senco):
    client.force_login(senco)
    response = client.get(reverse("provision:map"))
    assert (response.status_code, response.context["map"].rows, response.context["map"].budget.spent) == (
        200,
        [],
        Decimal(0),
    )
    assert "Not recorded" in response.content.decode()


def test_the_navigation_offers_the_provision_map_to_whole_school_staff_only(client, senco, teacher):
    client.force_login(senco)
    assert "Provision map" in client.get(reverse("home")).content.decode()
    client.force_login(teacher)
    assert "Provision map" not in client.get(reverse("home")).content.decode()


def build_placements(school, count: int, staff) -> None:
    """`count` placements: groups of five pupils in two interventions, with SEN statuses."""
    interventions = [
        InterventionFactory(school=school, name="Reading boost"),
        InterventionFactory(school=school, name="Lego therapy", area="communication"),
    ]
    for index in range(count // 5):
        group = ProvisionGroupFactory(intervention=interventions[index % 2], staff=[staff])
        for pupil in PupilFactory.create_batch(5, school=school, year_group=3 + index % 4):
            SenStatusChangeFactory(pupil=pupil)
            PlacementFactory(group=group, pupil=pupil)


@pytest.mark.parametrize("count", [30, 300])
@pytest.mark.parametrize("group_by", ["pupil", "intervention"])
def test_map_queries_do_not_grow_with_placements(
    client, senco, ta, count, group_by, django_assert_max_num_queries
):
    SenBudgetFactory(school=senco.school, financial_year=2026)
    build_placements(senco.school, count, ta)
    client.force_login(senco)
    # 20 for the map (two of them the term dates, one the interventions' costs from their days,
    # one the day's check that every pupil's status copy is in force), plus the filter form's
    # primary need and teaching group choices.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("provision:map"), {**YEAR_2026, "group_by": group_by})
    assert len(response.context["map"].rows) == count


# Each pupil's provision page.


def test_senco_sees_a_pupils_provision_with_costs_and_year_totals(client, senco, placed, taught_pupil):
    client.force_login(senco)
    response = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    provision = response.context["provision"]
    assert [(row.group.name, money(row.share)) for row in provision.rows] == [
        ("Phonics Y3", Decimal("202.50"))
    ]
    assert [(str(year.financial_year), money(year.provision.total)) for year in provision.year_totals] == [
        ("2026-27", Decimal("202.50"))
    ]
    assert "£202.50" in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher", "ta"])
def test_the_pupils_teacher_and_ta_see_the_provision_without_costs(
    client, request, placed, taught_pupil, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    html = response.content.decode()
    assert (response.status_code, "Phonics catch-up" in html, "Tara Green" in html) == (200, True, True)
    assert ("202.50" in html, "£" in html, response.context["provision"].year_totals) == (False, False, [])


@pytest.mark.parametrize("persona", ["head", "school_admin"])
def test_leadership_and_the_administrator_see_costs_on_the_pupils_page(
    client, request, placed, taught_pupil, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    assert "£202.50" in response.content.decode()


def test_a_teacher_gets_404_for_the_provision_of_a_pupil_they_do_not_teach(
    client, teacher, placed, untaught_pupil
):
    client.force_login(teacher)
    assert client.get(reverse("provision:pupil_provision", args=[untaught_pupil.pk])).status_code == 404


def test_governors_get_403_on_a_pupils_provision(client, governor, taught_pupil):
    client.force_login(governor)
    assert client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk])).status_code == 403


def test_opening_a_pupils_provision_is_audited(client, ta, placed, taught_pupil):
    client.force_login(ta)
    client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    event = AuditEvent.objects.get(action="pupil.viewed")
    assert (event.actor, event.pupil_id) == (ta, taught_pupil.pk)


def test_a_pupil_over_6000_in_a_year_is_flagged_on_their_page(client, senco, school, taught_pupil):
    costly = InterventionFactory(
        school=school, name="Speech therapy", cost_basis="fixed", fixed_cost=Decimal("6500"), staff_rate=None
    )
    PlacementFactory(group=ProvisionGroupFactory(intervention=costly), pupil=taught_pupil)
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
    client.force_login(senco)
    response = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    assert [
        (year.financial_year, year.provision.over_threshold)
        for year in response.context["provision"].year_totals
    ] == [(FinancialYear(2026), True)]


def test_the_6000_threshold_year_follows_an_academys_september_financial_year(
    client, senco, school, taught_pupil
):
    school.financial_year_starts = 9
    school.save()
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 1, 5))
    costly = InterventionFactory(
        school=school, name="Speech therapy", cost_basis="fixed", fixed_cost=Decimal("4000"), staff_rate=None
    )
    for starts_on in (date(2027, 6, 7), date(2027, 10, 4)):  # both in April's 2027-28
        group = ProvisionGroupFactory(intervention=costly, starts_on=starts_on, ends_on=starts_on)
        PlacementFactory(group=group, pupil=taught_pupil)
    client.force_login(senco)
    response = client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))
    assert [
        (str(year.financial_year), year.provision.total, year.provision.over_threshold)
        for year in response.context["provision"].year_totals
    ] == [("2027-28", Decimal(4000), False), ("2026-27", Decimal(4000), False)]
    assert "1 September to 31 August" in client.get(reverse("provision:map")).content.decode()


@pytest.mark.parametrize("groups", [1, 3])
def test_pupil_provision_queries_stay_flat(
    client, senco, school, taught_pupil, groups, django_assert_max_num_queries
):
    staff = staff_member(role=Role.TA, school=school)
    for _ in range(groups):
        group = ProvisionGroupFactory(intervention=InterventionFactory(school=school), staff=[staff])
        PlacementFactory(group=group, pupil=taught_pupil)
        PlacementFactory(group=group)
    client.force_login(senco)
    # 3 of them its audit row's (PostgreSQL), one the interventions' costs from their days.
    with django_assert_max_num_queries(17):
        client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk]))


@pytest.mark.parametrize(
    ("starts_on", "ends_on"), [(date(9999, 12, 30), date(9999, 12, 31)), (date(1, 1, 1), date(1, 1, 7))]
)
def test_a_group_stored_at_the_ends_of_the_calendar_does_not_break_the_pages(
    client, senco, phonics, taught_pupil, starts_on, ends_on
):
    far = ProvisionGroupFactory(intervention=phonics, starts_on=starts_on, ends_on=ends_on)
    PlacementFactory(group=far, pupil=taught_pupil)
    client.force_login(senco)
    pages = [
        client.get(reverse("provision:impact")),
        client.get(reverse("provision:pupil_provision", args=[taught_pupil.pk])),
        client.get(reverse("provision:map"), {"year": str(starts_on.year)}),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
