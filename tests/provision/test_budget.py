"""The notional SEN budget: who may set and read it, the audited service, and concurrent edits."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory
from provision.models import TopUp
from provision.rules.budget import FinancialYear, financial_year_of
from provision.selectors.budget import budget_years
from provision.services.budget import (
    BUDGET_FIELDS,
    add_sen_spend,
    record_top_up,
    set_sen_budget,
    update_sen_spend,
    update_top_up,
)
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.concurrency import STALE_MESSAGE, StaleEdit, version_token
from senco.demo.seed_costs import seed_costs
from senco.factories import SenBudgetFactory, staff_member
from senco.models import AuditEvent, Role, SenBudget, SenSpend

THIS_YEAR = financial_year_of(timezone.localdate()).start_year


def budget_post(**overrides):
    data = {
        "financial_year": str(THIS_YEAR),
        "notional_sen_budget": "152000.00",
        "version": "",
    }
    return data | overrides


def token(budget: SenBudget | None) -> str:
    return version_token(budget, fields=BUDGET_FIELDS)


def test_the_senco_records_a_years_budget_and_it_is_audited(client, senco, school):
    client.force_login(senco)
    response = client.post(reverse("provision:budget"), budget_post())
    budget = SenBudget.objects.get(school=school)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('provision:budget')}?year={THIS_YEAR}",
    )
    assert (budget.financial_year, budget.notional_sen_budget) == (THIS_YEAR, Decimal("152000.00"))
    event = AuditEvent.objects.get(action="sen_budget.set")
    assert (event.actor, event.school, event.fields) == (senco, school, ["notional_sen_budget"])


def test_the_administrator_changes_a_budget_and_it_is_audited(client, school_admin, school):
    budget = SenBudgetFactory(school=school, financial_year=THIS_YEAR, notional_sen_budget=150000)
    client.force_login(school_admin)
    data = budget_post(notional_sen_budget="151500.00", version=token(budget))
    assert client.post(reverse("provision:budget"), data).status_code == 302
    assert SenBudget.objects.get(school=school).notional_sen_budget == Decimal(151500)
    assert AuditEvent.objects.get(action="sen_budget.set").fields == ["notional_sen_budget"]


def test_a_second_save_from_a_stale_page_is_refused_and_the_typed_figures_kept(client, senco, head, school):
    budget = SenBudgetFactory(school=school, financial_year=THIS_YEAR, notional_sen_budget=150000)
    shown = token(budget)
    set_sen_budget(
        school=school,
        financial_year=THIS_YEAR,
        notional_sen_budget=Decimal(155000),
        version=shown,
        by=senco,
    )
    client.force_login(senco)
    response = client.post(
        reverse("provision:budget"), budget_post(notional_sen_budget="149999", version=shown)
    )
    form, saved = response.context["form"], SenBudget.objects.get(school=school)
    assert (response.status_code, saved.notional_sen_budget) == (200, Decimal(155000))
    message = STALE_MESSAGE.format(what="year's budget")
    assert (form.non_field_errors(), escape(message) in response.content.decode()) == ([message], True)
    assert (form["notional_sen_budget"].value(), form["version"].value()) == ("149999", token(saved))
    # The form now carries the saved budget's token, so saving again goes through.
    again = client.post(reverse("provision:budget"), form.data)
    saved.refresh_from_db()
    assert (again.status_code, saved.notional_sen_budget) == (302, Decimal(149999))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("notional_sen_budget", "-5", "greater than or equal to 0"),
        ("notional_sen_budget", "lots", "Enter a number"),
        ("notional_sen_budget", "12345678901234", "no more than 12 digits"),
        ("financial_year", "1999", "Select a valid choice"),
    ],
)
def test_bad_figures_re_render_with_errors_and_what_was_typed(client, senco, school, field, value, message):
    client.force_login(senco)
    response = client.post(reverse("provision:budget"), budget_post(**{field: value}))
    assert (response.status_code, SenBudget.objects.count()) == (200, 0)
    assert message in " ".join(
        str(error) for errors in response.context["form"].errors.values() for error in errors
    )
    assert response.context["form"][field].value() == value


def test_leadership_reads_the_budget_without_a_form(client, head, school):
    SenBudgetFactory(school=school, financial_year=THIS_YEAR, notional_sen_budget=150000)
    client.force_login(head)
    response = client.get(reverse("provision:budget"))
    assert (
        response.status_code,
        response.context["can_edit"],
        "£150,000.00" in response.content.decode(),
    ) == (
        200,
        False,
        True,
    )
    assert '<form method="post" action="/provision/budget/"' not in response.content.decode()


def test_leadership_cannot_change_the_budget(client, head, school):
    client.force_login(head)
    assert client.post(reverse("provision:budget"), budget_post()).status_code == 403
    assert SenBudget.objects.count() == 0


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_classroom_staff_and_governors_get_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("provision:budget")).status_code,
        client.post(reverse("provision:budget"), budget_post()).status_code,
    ) == (403, 403)


def test_another_schools_budget_is_neither_shown_nor_changed(client, senco, school, other_school):
    theirs = SenBudgetFactory(school=other_school, financial_year=THIS_YEAR, notional_sen_budget=777777)
    client.force_login(senco)
    page = client.get(reverse("provision:budget"))
    client.post(reverse("provision:budget"), budget_post())
    theirs.refresh_from_db()
    assert ("777,777" in page.content.decode(), theirs.notional_sen_budget) == (False, Decimal("777777.00"))
    assert SenBudget.objects.get(school=school).notional_sen_budget == Decimal(152000)


def test_choosing_a_year_shows_its_figures_and_its_planned_spend(client, senco, school):
    SenBudgetFactory(school=school, financial_year=THIS_YEAR - 1, notional_sen_budget=140000)
    group = ProvisionGroupFactory(
        intervention=InterventionFactory(school=school),
        starts_on=date(THIS_YEAR - 1, 6, 1),
        ends_on=date(THIS_YEAR - 1, 8, 9),
    )  # 10 weeks of 3 x 30 min at £18: £270
    PlacementFactory(group=group)
    client.force_login(senco)
    response = client.get(reverse("provision:budget"), {"year": str(THIS_YEAR - 1)})
    form = response.context["form"]
    shown = SenBudget.objects.get(school=school, financial_year=THIS_YEAR - 1)
    assert (form.initial["notional_sen_budget"], form.initial["version"]) == (Decimal(140000), token(shown))
    assert (response.context["current"].spent, response.context["current"].remaining) == (
        Decimal(270),
        Decimal(139730),
    )


def test_the_service_refuses_a_negative_budget_and_a_stale_create(senco, school):
    with pytest.raises(ValidationError):
        set_sen_budget(
            school=school, financial_year=THIS_YEAR, notional_sen_budget=Decimal(-1), version="", by=senco
        )
    SenBudgetFactory(school=school, financial_year=THIS_YEAR)
    with pytest.raises(StaleEdit):
        set_sen_budget(
            school=school, financial_year=THIS_YEAR, notional_sen_budget=Decimal(1), version="", by=senco
        )
    assert AuditEvent.objects.filter(action="sen_budget.set").count() == 0


@pytest.mark.parametrize("years", [1, 3])
def test_budget_page_queries_stay_flat(client, senco, school, years, django_assert_max_num_queries):
    for offset in range(years):
        SenBudgetFactory(school=school, financial_year=THIS_YEAR - offset)
        PlacementFactory(
            group=ProvisionGroupFactory(
                intervention=InterventionFactory(school=school),
                starts_on=date(THIS_YEAR - offset, 6, 1),
                ends_on=date(THIS_YEAR - offset, 7, 1),
            )
        )
        record_top_up(
            pupil=PupilFactory(school=school), financial_year=THIS_YEAR - offset, amount=1, by=senco
        )
        for year in (THIS_YEAR, THIS_YEAR - offset):
            add_sen_spend(
                school=school,
                financial_year=year,
                kind="in_class_support",
                description="TA",
                hours=10,
                hourly_cost=Decimal("16.50"),
                by=senco,
            )
    client.force_login(senco)
    # One of them the interventions' costs from their days, one the day's check that every
    # pupil's status copy is in force.
    with django_assert_max_num_queries(16):
        client.get(reverse("provision:budget"))


def test_the_demo_plans_most_of_a_years_budget_with_other_spend_and_tops_up_ehc_plans(school):
    pupils = PupilFactory.create_batch(420, school=school)
    for pupil in pupils[:4]:
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN, ehc_plan_date=date(2026, 9, 1))
    SenBudgetFactory(school=school, financial_year=2026, notional_sen_budget=1)
    seed_costs(school=school, today=date(2026, 11, 24))
    first = sorted(SenSpend.objects.values_list("financial_year", "description", "hours", "amount"))
    seed_costs(school=school, today=date(2026, 11, 24))
    budgets = dict(
        SenBudget.objects.filter(school=school).values_list("financial_year", "notional_sen_budget")
    )
    assert budgets == {2026: Decimal(151200), 2025: Decimal(146664)}
    assert sorted(SenSpend.objects.values_list("financial_year", "description", "hours", "amount")) == first
    rows = budget_years(staff_member(role=Role.SENCO, school=school), years=[FinancialYear(2026)])
    year = rows[FinancialYear(2026)]
    # SENCO release two days a week, six EP days, SALT, training, licences and TAs in class.
    assert [row.spend.get_kind_display() for row in year.spend] == [
        "Bought-in services (EP, SALT and others)",
        "Bought-in services (EP, SALT and others)",
        "In-class support",
        "Other",
        "SENCO time",
        "Training",
    ]
    assert Decimal("0.89") * 151200 <= year.other_total <= Decimal("0.90") * 151200
    # Three of the four EHC plans have a top-up this year; the newest's banding is awaited.
    assert [row.pupil for row in year.top_ups] == sorted(
        pupils[:3], key=lambda p: (p.last_name, p.first_name, p.pk)
    )
    assert all(7000 <= row.top_up.amount <= 12000 for row in year.top_ups)
    assert TopUp.objects.filter(financial_year=2025).count() == 4


def test_an_academys_budget_page_runs_its_financial_years_from_september(client, senco, school, today_is):
    school.financial_year_starts = 9
    school.save()
    today_is(date(2027, 6, 1))  # in 2026-27 for an academy; 2027-28 for a maintained school
    group = ProvisionGroupFactory(
        intervention=InterventionFactory(school=school), starts_on=date(2027, 6, 7), ends_on=date(2027, 7, 4)
    )  # 4 weeks of 3 x 30 min at £18: £108
    PlacementFactory(group=group)
    client.force_login(senco)
    response = client.get(reverse("provision:budget"))
    year = response.context["year"]
    assert (str(year), year.starts_on, year.ends_on, response.context["current"].spent) == (
        "2026-27",
        date(2026, 9, 1),
        date(2027, 8, 31),
        Decimal(108),
    )
    assert "1 September 2026 to 31 August 2027" in response.content.decode()


def test_the_budget_page_says_when_a_years_weeks_are_counted_without_term_dates(
    client, senco, school, today_is
):
    today_is(date(2026, 11, 2))
    client.force_login(senco)
    html = client.get(reverse("provision:budget")).content.decode()
    assert (
        "No term dates are recorded for 2025/26 or 2026/27" in html,
        reverse("senco:calendar") in html,
    ) == (
        True,
        True,
    )


def test_the_administrator_sets_an_academy_year_and_it_is_audited(client, school_admin, school):
    client.force_login(school_admin)
    url = reverse("provision:financial_year_start")
    shown = client.get(url).context["form"].initial["version"]
    response = client.post(url, {"financial_year_starts": "9", "version": shown})
    school.refresh_from_db()
    assert (response.status_code, response["Location"], school.financial_year_starts) == (
        302,
        reverse("provision:budget"),
        9,
    )
    event = AuditEvent.objects.get(action="school.financial_year_start_set")
    assert (event.actor, event.school, event.fields) == (school_admin, school, ["financial_year_starts"])


def test_a_stale_financial_year_choice_is_refused_and_kept(client, senco, school_admin, school):
    client.force_login(senco)
    url = reverse("provision:financial_year_start")
    shown = client.get(url).context["form"].initial["version"]
    client.force_login(school_admin)
    client.post(url, {"financial_year_starts": "9", "version": shown})
    client.force_login(senco)
    response = client.post(url, {"financial_year_starts": "4", "version": shown})
    school.refresh_from_db()
    assert (response.status_code, school.financial_year_starts) == (200, 9)
    assert response.context["form"].non_field_errors() == [STALE_MESSAGE.format(what="financial year")]


def test_leadership_cannot_change_the_financial_year(client, head, school):
    client.force_login(head)
    response = client.post(reverse("provision:financial_year_start"), {"financial_year_starts": "9"})
    school.refresh_from_db()
    assert (response.status_code, school.financial_year_starts) == (403, 4)


# Other spend from the notional SEN budget: in-class support, SENCO time, bought-in services,
# training, each entered once a year (issue 10, item 2).


def spend_post(**overrides):
    data = {
        "financial_year": str(THIS_YEAR),
        "kind": "in_class_support",
        "description": "TA support in Year 4 classes, 15 hours a week for 38 weeks",
        "hours": "570",
        "hourly_cost": "16.50",
        "amount": "",
    }
    return data | overrides


def test_the_senco_adds_in_class_support_hours_and_the_years_spend_counts_them(client, senco, school):
    SenBudgetFactory(school=school, financial_year=THIS_YEAR, notional_sen_budget=150000)
    client.force_login(senco)
    url = f"{reverse('provision:spend_add')}?year={THIS_YEAR}"
    response = client.post(url, spend_post())
    spend = SenSpend.objects.get(school=school)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('provision:budget')}?year={THIS_YEAR}",
    )
    assert (spend.financial_year, spend.kind, spend.hours, spend.hourly_cost) == (
        THIS_YEAR,
        "in_class_support",
        Decimal(570),
        Decimal("16.50"),
    )
    assert AuditEvent.objects.get(action="sen_spend.added").actor == senco
    page = client.get(reverse("provision:budget"), {"year": str(THIS_YEAR)})
    current = page.context["current"]
    # 570 hours at £16.50: £9,405.
    assert (current.spent, current.remaining) == (Decimal("9405"), Decimal("140595"))
    assert "TA support in Year 4 classes" in page.content.decode()


def test_the_administrator_enters_a_bought_in_service_as_an_amount(client, school_admin, school):
    client.force_login(school_admin)
    data = spend_post(
        kind="bought_in_service",
        description="Educational psychologist: 6 days",
        hours="",
        hourly_cost="",
        amount="3300",
    )
    assert client.post(reverse("provision:spend_add"), data).status_code == 302
    assert SenSpend.objects.get(school=school).amount == Decimal(3300)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"hours": "570", "hourly_cost": "", "amount": ""}, ["hourly_cost"]),
        ({"hours": "", "hourly_cost": "", "amount": ""}, ["amount"]),
        ({"hours": "570", "amount": "3300"}, ["amount"]),
        ({"hours": "-5", "amount": ""}, ["hours"]),
    ],
)
def test_a_line_is_hours_at_an_hourly_cost_or_an_amount_and_bad_input_is_kept(
    client, senco, overrides, errors
):
    client.force_login(senco)
    data = spend_post() | overrides
    response = client.post(reverse("provision:spend_add"), data)
    form = response.context["form"]
    assert (response.status_code, sorted(form.errors), SenSpend.objects.count()) == (200, errors, 0)
    assert form["description"].value() == data["description"]


def test_a_change_over_someone_elses_is_refused_with_what_was_typed_kept(client, senco, school_admin, school):
    spend = add_sen_spend(
        school=school,
        financial_year=THIS_YEAR,
        kind="training",
        description="Autism awareness for TAs",
        amount=Decimal(600),
        by=senco,
    )
    client.force_login(senco)
    url = reverse("provision:spend_edit", args=[spend.pk])
    shown = client.get(url).context["form"].initial["version"]
    update_sen_spend(
        spend=spend, version=shown, description="Autism awareness", amount=Decimal(650), by=school_admin
    )
    data = spend_post(
        kind="training",
        description="Autism training",
        hours="",
        hourly_cost="",
        amount="700",
        version=str(shown),
    )
    response = client.post(url, data)
    spend.refresh_from_db()
    assert (response.status_code, spend.amount) == (200, Decimal(650))
    assert response.context["form"]["amount"].value() == "700"
    assert response.context["form"].non_field_errors() == [STALE_MESSAGE.format(what="spending line")]
    assert AuditEvent.objects.get(action="sen_spend.changed").fields == ["amount", "description"]


def test_a_line_is_removed_unless_it_changed_meanwhile(client, senco, school):
    spend = add_sen_spend(
        school=school,
        financial_year=THIS_YEAR,
        kind="other",
        description="Resources",
        amount=Decimal(250),
        by=senco,
    )
    client.force_login(senco)
    url = reverse("provision:spend_remove", args=[spend.pk])
    stale = client.post(url, {"version": str(spend.version - 1)})
    assert (stale.status_code, SenSpend.objects.count()) == (302, 1)
    done = client.post(url, {"version": str(spend.version)})
    assert (done.status_code, SenSpend.objects.count()) == (302, 0)
    assert AuditEvent.objects.filter(action="sen_spend.removed").count() == 1


def test_leadership_reads_the_other_spend_without_links_to_change_it(client, senco, head, school):
    spend = add_sen_spend(
        school=school,
        financial_year=THIS_YEAR,
        kind="senco_time",
        description="SENCO release",
        amount=Decimal(9000),
        by=senco,
    )
    client.force_login(head)
    html = client.get(reverse("provision:budget")).content.decode()
    assert ("SENCO release" in html, reverse("provision:spend_edit", args=[spend.pk]) in html) == (
        True,
        False,
    )
    assert client.post(reverse("provision:spend_add"), spend_post(amount="1")).status_code == 403


def test_the_map_panel_counts_every_kind_of_spend_so_remaining_means_something(client, senco, school):
    SenBudgetFactory(school=school, financial_year=2026, notional_sen_budget=150000)
    lines = [
        (
            "in_class_support",
            "TA support in class",
            {"hours": Decimal(4000), "hourly_cost": Decimal("16.50")},
        ),
        ("senco_time", "SENCO: two days a week", {"amount": Decimal(28000)}),
        ("bought_in_service", "Speech and language therapist", {"amount": Decimal(4200)}),
        ("training", "Precision teaching training", {"amount": Decimal(800)}),
    ]
    for kind, description, cost in lines:
        add_sen_spend(
            school=school, financial_year=2026, kind=kind, description=description, by=senco, **cost
        )
    add_sen_spend(
        school=school, financial_year=2025, kind="other", description="Last year", amount=Decimal(1), by=senco
    )
    client.force_login(senco)
    budget = client.get(reverse("provision:map"), {"year": "2026"}).context["map"].budget
    # £66,000 of in-class support (4,000 hours at £16.50) + £28,000 + £4,200 + £800.
    assert (budget.other_total, budget.spent, budget.remaining) == (
        Decimal(99000),
        Decimal(99000),
        Decimal(51000),
    )
    assert [(label, amount) for label, amount in budget.other_spend] == [
        ("In-class support", Decimal(66000)),
        ("SENCO time", Decimal(28000)),
        ("Bought-in services (EP, SALT and others)", Decimal(4200)),
        ("Training", Decimal(800)),
        ("Other", Decimal(0)),
    ]


# Element 3 top-up, recorded per pupil for a financial year (issue 10, item 2).


def top_up_post(pupil, **overrides):
    data = {
        "financial_year": str(THIS_YEAR),
        "pupil": str(pupil.pk),
        "amount": "8500",
        "note": "Band C, from the local authority's funding letter",
    }
    return data | overrides


def test_the_senco_records_a_pupils_top_up_and_the_years_element_3_income_is_their_sum(
    client, senco, school, taught_pupil, untaught_pupil
):
    client.force_login(senco)
    url = f"{reverse('provision:top_up_add')}?year={THIS_YEAR}"
    response = client.post(url, top_up_post(taught_pupil))
    client.post(url, top_up_post(untaught_pupil, amount="4000", note=""))
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('provision:budget')}?year={THIS_YEAR}",
    )
    top_up = TopUp.objects.get(pupil=taught_pupil)
    assert (top_up.financial_year, top_up.amount, top_up.school) == (THIS_YEAR, Decimal(8500), school)
    assert AuditEvent.objects.get(action="top_up.recorded", pupil_id=taught_pupil.pk).actor == senco
    page = client.get(reverse("provision:budget"), {"year": str(THIS_YEAR)})
    assert page.context["current"].element3_income == Decimal(12500)
    assert "Band C, from the local authority" in page.content.decode()


def test_a_second_top_up_for_the_same_pupil_and_year_is_a_form_error(client, senco, taught_pupil):
    record_top_up(pupil=taught_pupil, financial_year=THIS_YEAR, amount=Decimal(8000), by=senco)
    client.force_login(senco)
    response = client.post(reverse("provision:top_up_add"), top_up_post(taught_pupil, amount="9000"))
    form = response.context["form"]
    assert (response.status_code, list(form.errors), form["amount"].value()) == (200, ["pupil"], "9000")


def test_another_schools_pupil_cannot_be_given_a_top_up(client, senco, other_school_pupil):
    client.force_login(senco)
    response = client.post(reverse("provision:top_up_add"), top_up_post(other_school_pupil))
    assert (response.status_code, list(response.context["form"].errors), TopUp.objects.count()) == (
        200,
        ["pupil"],
        0,
    )


def test_a_top_up_changed_meanwhile_is_refused_and_removing_it_is_audited(
    client, senco, school_admin, taught_pupil
):
    top_up = record_top_up(pupil=taught_pupil, financial_year=THIS_YEAR, amount=Decimal(8000), by=senco)
    client.force_login(senco)
    url = reverse("provision:top_up_edit", args=[top_up.pk])
    shown = client.get(url).context["form"].initial["version"]
    update_top_up(top_up=top_up, version=shown, amount=Decimal(8200), note="", by=school_admin)
    response = client.post(url, {"amount": "8100", "note": "", "version": str(shown)})
    top_up.refresh_from_db()
    assert (response.status_code, top_up.amount, response.context["form"]["amount"].value()) == (
        200,
        Decimal(8200),
        "8100",
    )
    client.post(reverse("provision:top_up_remove", args=[top_up.pk]), {"version": str(top_up.version)})
    assert (TopUp.objects.count(), AuditEvent.objects.filter(action="top_up.removed").count()) == (0, 1)


def test_the_budget_page_lists_pupils_over_6000_without_a_top_up_and_ehc_plans_without_one(
    client, senco, school, taught_pupil, untaught_pupil
):
    costly = InterventionFactory(
        school=school, cost_basis="fixed", fixed_cost=Decimal("7000"), staff_rate=None
    )
    PlacementFactory(
        group=ProvisionGroupFactory(
            intervention=costly, starts_on=date(THIS_YEAR, 9, 14), ends_on=date(THIS_YEAR, 12, 11)
        ),
        pupil=taught_pupil,
    )
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(THIS_YEAR - 1, 9, 1)
    )
    SenStatusChangeFactory(
        pupil=untaught_pupil,
        status=SenStatus.EHC_PLAN,
        ehc_plan_date=date(THIS_YEAR - 1, 9, 1),
        effective_from=date(THIS_YEAR - 1, 9, 1),
    )
    client.force_login(senco)
    context = client.get(reverse("provision:budget"), {"year": str(THIS_YEAR)}).context
    over, ehc_plans = context["current"].over_without_top_up, context["ehc_plans_without_top_up"]
    assert ([row.pupil for row in over], list(ehc_plans)) == (
        [taught_pupil],
        [untaught_pupil],
    )


def test_leadership_reads_top_ups_without_links_to_change_them(client, senco, head, taught_pupil):
    top_up = record_top_up(pupil=taught_pupil, financial_year=THIS_YEAR, amount=Decimal(8000), by=senco)
    client.force_login(head)
    html = client.get(reverse("provision:budget")).content.decode()
    assert ("£8,000.00" in html, reverse("provision:top_up_edit", args=[top_up.pk]) in html) == (True, False)


def test_opening_a_pupils_top_up_is_audited_against_the_pupil(client, senco, taught_pupil):
    top_up = record_top_up(pupil=taught_pupil, financial_year=THIS_YEAR, amount=Decimal("8000"), by=senco)
    client.force_login(senco)
    client.get(reverse("provision:top_up_edit", args=[top_up.pk]))
    viewed = AuditEvent.objects.filter(action="top_up.viewed")
    assert list(viewed.values_list("actor", "pupil_id", "object_id")) == [
        (senco.pk, taught_pupil.pk, str(top_up.pk))
    ]
