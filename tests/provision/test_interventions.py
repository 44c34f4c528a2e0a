"""Staff rates and the intervention catalogue: who sees the costs, who edits, and the rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.models import CostBasis, Intervention, InterventionCost, StaffMemberRate, StaffRate
from provision.services.budget import STAFF_MEMBER_RATE_FIELDS, change_staff_rate, set_staff_member_rate
from provision.services.interventions import INTERVENTION_FIELDS, create_intervention, update_intervention
from senco.concurrency import STALE_MESSAGE, version_token
from senco.factories import staff_member
from senco.models import AuditEvent, Role

TODAY = date(2026, 12, 2)


@pytest.fixture
def rate(school):
    return StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("16.50"))


@pytest.fixture
def intervention(school, rate):
    return InterventionFactory(school=school, name="Phonics catch-up", staff_rate=rate)


@pytest.fixture
def other_rate(other_school):
    return StaffRateFactory(school=other_school, name="Teaching assistant", hourly_cost=Decimal("17.00"))


@pytest.fixture
def other_intervention(other_school, other_rate):
    return InterventionFactory(school=other_school, name="Their phonics", staff_rate=other_rate)


def intervention_data(**overrides):
    data = {
        "name": "Talk Boost",
        "area": "communication",
        "description": "Ten weeks of language games in a small group.",
        "delivered_by": "ta",
        "group_size": "4",
        "sessions_per_week": "3",
        "minutes_per_session": "30",
        "typical_weeks": "10",
        "measure_name": "Talk Boost progress tracker",
        "measure_kind": "checklist",
        "cost_basis": "staff_time",
        "staff_rate": "",
        "staff_per_session": "1",
        "fixed_cost": "",
        "resources_cost": "0",
        "is_active": "on",
    }
    return data | overrides


# Staff rates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_senco_team_leadership_and_admin_see_the_hourly_costs(client, request, rate, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:staff_rates"))
    assert (response.status_code, "£16.50" in response.content.decode()) == (200, True)


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_everyone_else_gets_403_on_staff_rates(client, request, rate, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:staff_rates")).status_code == 403


def test_the_list_shows_only_this_schools_rates(client, senco, rate, other_rate):
    client.force_login(senco)
    response = client.get(reverse("provision:staff_rates"))
    assert [row.rate.pk for row in response.context["rates"]] == [rate.pk]


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_senco_and_admin_add_a_staff_rate(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(
        reverse("provision:staff_rate_add"), {"name": "Higher-level TA", "hourly_cost": "19.00"}
    )
    assert response.status_code == 302
    rate = StaffRate.objects.get(school=user.school, name="Higher-level TA")
    # A new rate's hourly cost applies from the start.
    assert list(rate.amounts.values_list("applies_from", "hourly_cost")) == [(date.min, Decimal("19.00"))]
    assert (
        AuditEvent.objects.filter(action="provision.staff_rate_created", object_id=str(rate.pk)).count() == 1
    )


def test_the_head_sees_but_cannot_change_rates(client, head, rate):
    client.force_login(head)
    assert client.get(reverse("provision:staff_rate_add")).status_code == 403
    assert client.get(reverse("provision:staff_rate_edit", args=[rate.pk])).status_code == 403
    assert client.get(reverse("provision:staff_rates")).context["can_edit"] is False


def test_a_duplicate_rate_name_is_refused_with_what_was_typed_kept(client, senco, rate):
    client.force_login(senco)
    response = client.post(
        reverse("provision:staff_rate_add"), {"name": "teaching assistant", "hourly_cost": "20"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["There is already a staff rate called “teaching assistant”."]
    }
    assert response.context["form"]["hourly_cost"].value() == "20"


def test_a_rate_without_a_cost_re_renders_with_an_error(client, senco):
    client.force_login(senco)
    response = client.post(reverse("provision:staff_rate_add"), {"name": "Teacher", "hourly_cost": ""})
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["hourly_cost"])


def test_changing_a_rate_audits_only_the_fields_changed(client, senco, rate, today_is):
    today_is(date(2026, 10, 1))
    client.force_login(senco)
    response = client.post(
        reverse("provision:staff_rate_edit", args=[rate.pk]),
        {"name": "Teaching assistant", "hourly_cost": "17.25", "applies_from": "2026-09-01"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="provision.staff_rate_changed")
    assert (rate.amounts.last().hourly_cost, event.fields) == (Decimal("17.25"), ["hourly_cost"])


def test_update_staff_rate_refuses_another_rates_name(senco, rate):
    teacher_rate = StaffRateFactory(school=senco.school, name="Teacher", hourly_cost=45)
    with pytest.raises(ValidationError, match="already a staff rate"):
        change_staff_rate(
            rate=teacher_rate,
            name="Teaching Assistant",
            hourly_cost=Decimal(45),
            applies_from=None,
            today=date(2026, 9, 1),
            by=senco,
        )


@pytest.mark.parametrize("n", [1, 3])
def test_staff_rates_page_queries_stay_flat(client, senco, n, django_assert_max_num_queries):
    for index in range(n):
        rate = StaffRateFactory(school=senco.school, name=f"Rate {index}")
        member = staff_member(role=Role.TA, school=senco.school)
        set_staff_member_rate(
            school=senco.school,
            staff=member,
            staff_rate=rate,
            applies_from=TODAY,
            today=TODAY,
            version="",
            by=senco,
        )
    client.force_login(senco)
    with django_assert_max_num_queries(7):  # one of them each rate's hourly costs from their days
        client.get(reverse("provision:staff_rates"))


# The rate each member of staff is costed at --------------------------------------------------


def test_the_staff_rates_page_lists_who_runs_groups_and_at_which_rate(
    client, senco, ta, teacher, rate, today_is
):
    today_is(TODAY)
    set_staff_member_rate(
        school=senco.school, staff=ta, staff_rate=rate, applies_from=TODAY, today=TODAY, version="", by=senco
    )
    client.force_login(senco)
    response = client.get(reverse("provision:staff_rates"))
    rows = {str(row.staff): row.staff_rate for row in response.context["staff"]}
    assert (rows["Tara Green"], rows["Tom Evans"]) == (rate, None)
    assert "Each intervention's rate" in response.content.decode()


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_senco_and_admin_set_a_tas_own_rate_and_it_is_audited(client, request, ta, rate, persona, today_is):
    today_is(TODAY)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("provision:staff_member_rate", args=[ta.pk])
    shown = client.get(url).context["form"].initial["version"]
    response = client.post(url, {"staff_rate": str(rate.pk), "applies_from": "2026-12-02", "version": shown})
    assert (response.status_code, response["Location"]) == (302, reverse("provision:staff_rates"))
    assert StaffMemberRate.objects.get(staff=ta).staff_rate == rate
    event = AuditEvent.objects.get(action="provision.staff_member_rate_set")
    assert (event.actor, event.summary) == (user, "Tara Green: Teaching assistant from 2 December 2026")


def test_clearing_a_rate_costs_them_at_each_interventions_rate_again(client, senco, ta, rate, today_is):
    today_is(TODAY)
    row = set_staff_member_rate(
        school=senco.school, staff=ta, staff_rate=rate, applies_from=TODAY, today=TODAY, version="", by=senco
    )
    client.force_login(senco)
    version = version_token(row, fields=STAFF_MEMBER_RATE_FIELDS)
    response = client.post(
        reverse("provision:staff_member_rate", args=[ta.pk]),
        {"staff_rate": "", "applies_from": "2026-12-02", "version": version},
    )
    assert (response.status_code, StaffMemberRate.objects.count()) == (302, 0)


def test_a_rate_set_by_someone_else_meanwhile_is_refused_and_the_choice_kept(
    client, senco, school_admin, ta, rate, today_is
):
    today_is(TODAY)
    teacher_rate = StaffRateFactory(school=senco.school, name="Teacher", hourly_cost=45)
    client.force_login(senco)
    url = reverse("provision:staff_member_rate", args=[ta.pk])
    shown = client.get(url).context["form"].initial["version"]
    set_staff_member_rate(
        school=senco.school,
        staff=ta,
        staff_rate=rate,
        applies_from=TODAY,
        today=TODAY,
        version="",
        by=school_admin,
    )
    response = client.post(
        url, {"staff_rate": str(teacher_rate.pk), "applies_from": "2026-12-02", "version": shown}
    )
    form = response.context["form"]
    assert (response.status_code, StaffMemberRate.objects.get(staff=ta).staff_rate) == (200, rate)
    assert (form.non_field_errors(), form["staff_rate"].value()) == (
        [STALE_MESSAGE.format(what="member of staff's rate")],
        str(teacher_rate.pk),
    )


def test_only_staff_who_may_run_groups_here_have_a_rate(client, senco, governor, other_school_senco):
    client.force_login(senco)
    for person in (governor, other_school_senco):
        assert client.get(reverse("provision:staff_member_rate", args=[person.pk])).status_code == 404


def test_the_head_reads_the_staff_list_but_cannot_set_a_rate(client, head, ta):
    client.force_login(head)
    response = client.get(reverse("provision:staff_rates"))
    assert (response.status_code, response.context["can_edit"]) == (200, False)
    assert client.get(reverse("provision:staff_member_rate", args=[ta.pk])).status_code == 403


# The catalogue -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin", "teacher", "ta"])
def test_staff_browse_the_catalogue(client, request, intervention, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("provision:interventions"),
        reverse("provision:intervention_detail", args=[intervention.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, "Phonics catch-up" in response.content.decode()) == (200, True)


@pytest.mark.parametrize("persona", ["teacher", "ta"])
def test_teachers_and_tas_never_see_cost_fields(client, request, intervention, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("provision:interventions"),
        reverse("provision:intervention_detail", args=[intervention.pk]),
    ):
        page = client.get(url).content.decode()
        assert ("£" in page, "16.50" in page, "Cost basis" in page) == (False, False, False)


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_cost_readers_see_the_cost_basis(client, request, intervention, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("provision:intervention_detail", args=[intervention.pk])).content.decode()
    assert "Teaching assistant (£16.50 an hour) × 1" in page


def test_governors_get_403_on_the_catalogue(client, governor, intervention):
    client.force_login(governor)
    assert client.get(reverse("provision:interventions")).status_code == 403
    assert client.get(reverse("provision:intervention_detail", args=[intervention.pk])).status_code == 403


@pytest.mark.parametrize("name", ["provision:intervention_detail", "provision:intervention_edit"])
def test_another_schools_intervention_is_404(client, senco, other_intervention, name):
    client.force_login(senco)
    assert client.get(reverse(name, args=[other_intervention.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["head", "school_admin", "teacher", "ta"])
def test_only_the_senco_team_writes_the_catalogue(client, request, intervention, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:intervention_add")).status_code == 403
    assert client.post(reverse("provision:intervention_edit", args=[intervention.pk]), {}).status_code == 403


def test_deputy_senco_adds_an_intervention_priced_by_staff_time(client, school, rate):
    deputy = staff_member(role=Role.DEPUTY_SENCO, school=school)
    client.force_login(deputy)
    response = client.post(reverse("provision:intervention_add"), intervention_data(staff_rate=str(rate.pk)))
    intervention = Intervention.objects.get(school=school, name="Talk Boost")
    assert response["Location"] == reverse("provision:intervention_detail", args=[intervention.pk])
    assert (intervention.staff_rate, intervention.measure_kind) == (rate, "checklist")
    assert AuditEvent.objects.filter(action="provision.intervention_created", actor=deputy).count() == 1


def test_staff_time_without_a_rate_is_a_form_error_on_the_rate(client, senco):
    client.force_login(senco)
    response = client.post(reverse("provision:intervention_add"), intervention_data())
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "staff_rate": ["Choose the staff rate that prices this intervention."]
    }
    assert response.context["form"]["description"].value() == "Ten weeks of language games in a small group."


def test_a_bought_in_programme_needs_its_fixed_cost(client, senco):
    client.force_login(senco)
    response = client.post(reverse("provision:intervention_add"), intervention_data(cost_basis="fixed"))
    assert response.context["form"].errors == {
        "fixed_cost": ["Enter what the bought-in programme costs per group."]
    }
    response = client.post(
        reverse("provision:intervention_add"), intervention_data(cost_basis="fixed", fixed_cost="450")
    )
    assert response.status_code == 302
    cost = InterventionCost.objects.get(intervention__name="Talk Boost")
    assert (cost.applies_from, cost.fixed_cost) == (date.min, Decimal("450.00"))


def test_another_schools_staff_rate_cannot_be_chosen(client, senco, other_rate):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"), intervention_data(staff_rate=str(other_rate.pk))
    )
    assert list(response.context["form"].errors) == ["staff_rate"]


def test_a_duplicate_intervention_name_is_a_form_error(client, senco, intervention, rate):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"),
        intervention_data(name="phonics catch-up", staff_rate=str(rate.pk)),
    )
    assert response.context["form"].errors == {
        "name": ["The catalogue already has an intervention called “phonics catch-up”."]
    }


def test_negative_amounts_are_refused(client, senco, rate):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"), intervention_data(staff_rate=str(rate.pk), resources_cost="-5")
    )
    assert response.context["form"].errors == {"resources_cost": ["Enter an amount of £0 or more."]}
    response = client.post(reverse("provision:staff_rate_add"), {"name": "Teacher", "hourly_cost": "-45"})
    assert response.context["form"].errors == {"hourly_cost": ["Enter an amount of £0 or more."]}


def test_zero_sessions_a_week_is_refused(client, senco, rate):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"),
        intervention_data(staff_rate=str(rate.pk), sessions_per_week="0"),
    )
    assert list(response.context["form"].errors) == ["sessions_per_week"]


def test_editing_an_entry_audits_the_fields_changed(client, senco, intervention, rate):
    client.force_login(senco)
    data = intervention_data(name="Phonics catch-up", area="cognition", staff_rate=str(rate.pk))
    data |= {"measure_name": intervention.measure_name, "measure_kind": intervention.measure_kind}
    data |= {"group_size": "4", "description": "", "delivered_by": "ta"}
    response = client.post(reverse("provision:intervention_edit", args=[intervention.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="provision.intervention_changed")
    assert event.fields == []  # nothing but the same values was posted
    data["typical_weeks"] = "12"
    client.post(reverse("provision:intervention_edit", args=[intervention.pk]), data)
    assert AuditEvent.objects.filter(action="provision.intervention_changed").first().fields == [
        "typical_weeks"
    ]


def test_services_refuse_unknown_fields_and_keep_rules(senco, rate):
    with pytest.raises(TypeError):
        create_intervention(school=senco.school, by=senco, colour="blue")
    intervention = create_intervention(
        school=senco.school,
        by=senco,
        name="Precision teaching",
        area="cognition",
        measure_name="Words read correctly in a minute",
        cost_basis=CostBasis.STAFF_TIME,
        staff_rate=rate,
    )
    with pytest.raises(ValidationError, match="bought-in programme"):
        update_intervention(intervention=intervention, by=senco, cost_basis=CostBasis.FIXED)


@pytest.mark.parametrize("n", [1, 3])
def test_catalogue_queries_stay_flat(client, senco, rate, n, django_assert_max_num_queries):
    InterventionFactory.create_batch(n, school=senco.school, staff_rate=rate)
    client.force_login(senco)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("provision:interventions"))
    assert len(response.context["interventions"]) == n


def test_empty_school_catalogue_pages_answer(client, senco):
    client.force_login(senco)
    statuses = [
        client.get(reverse(name)).status_code
        for name in ("provision:interventions", "provision:intervention_add", "provision:staff_rates")
    ]
    assert statuses == [200, 200, 200]


# Which way is better on the intervention's measure (issue 10, 3) -------------------------------


@pytest.mark.parametrize(
    ("kind", "chosen", "stored"),
    [
        ("difficulties", "", "lower"),
        ("standardised", "", "higher"),
        ("checklist", "", "higher"),
        ("checklist", "lower", "lower"),
    ],
)
def test_a_measure_says_which_way_is_better_usually_from_its_kind(client, senco, rate, kind, chosen, stored):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"),
        intervention_data(staff_rate=str(rate.pk), measure_kind=kind, better_when=chosen),
    )
    assert (response.status_code, Intervention.objects.get(name="Talk Boost").better_when) == (302, stored)


@pytest.mark.parametrize(
    ("kind", "chosen"), [("standardised", "lower"), ("reading_age", "lower"), ("difficulties", "higher")]
)
def test_a_direction_against_the_kind_of_measure_is_a_form_error(client, senco, rate, kind, chosen):
    client.force_login(senco)
    response = client.post(
        reverse("provision:intervention_add"),
        intervention_data(staff_rate=str(rate.pk), measure_kind=kind, better_when=chosen),
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["better_when"])
    assert response.context["form"]["better_when"].value() == chosen


def test_the_catalogue_entry_says_which_way_is_better(client, senco, school, rate):
    intervention = InterventionFactory(
        school=school, staff_rate=rate, measure_name="SDQ total difficulties", measure_kind="difficulties"
    )
    client.force_login(senco)
    html = client.get(reverse("provision:intervention_detail", args=[intervention.pk])).content.decode()
    assert "Lower scores are better" in html


# The range of possible scores ------------------------------------------------------------------


def test_a_checklist_out_of_30_is_entered_with_its_range_and_shown(client, senco, rate):
    client.force_login(senco)
    data = intervention_data(staff_rate=str(rate.pk), measure_lowest="", measure_highest="30")
    response = client.post(reverse("provision:intervention_add"), data)
    intervention = Intervention.objects.get(name="Talk Boost")
    assert (response.status_code, intervention.measure_lowest, intervention.measure_highest) == (
        302,
        None,
        Decimal(30),
    )
    html = client.get(reverse("provision:intervention_detail", args=[intervention.pk])).content.decode()
    assert "scored from 0 to 30" in html


def test_a_range_that_does_not_run_upwards_is_a_form_error_keeping_what_was_typed(client, senco, rate):
    client.force_login(senco)
    data = intervention_data(staff_rate=str(rate.pk), measure_lowest="30", measure_highest="10")
    response = client.post(reverse("provision:intervention_add"), data)
    form = response.context["form"]
    assert (response.status_code, list(form.errors), form["measure_lowest"].value()) == (
        200,
        ["measure_highest"],
        "30",
    )
    assert not Intervention.objects.filter(name="Talk Boost").exists()


def test_the_database_refuses_a_range_that_does_not_run_upwards(school, rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        InterventionFactory(school=school, staff_rate=rate, measure_lowest=10, measure_highest=10)


def test_narrowing_the_range_below_recorded_scores_is_refused_and_names_how_many(senco, intervention, rate):
    group = ProvisionGroupFactory(intervention=intervention)
    PlacementFactory(group=group, entry_score=Decimal(84))
    PlacementFactory(group=group, entry_score=Decimal(95), exit_score=Decimal(101))
    fields = {name: getattr(intervention, name) for name in INTERVENTION_FIELDS}
    with pytest.raises(ValidationError) as refused:
        update_intervention(intervention=intervention, by=senco, **fields | {"measure_highest": Decimal(90)})
    assert refused.value.message_dict == {
        "measure_highest": [
            "Scores already recorded for 1 pupil fall outside the new range, from 40 to 90: correct them "
            "on their groups' scores pages first, or keep a range that holds them."
        ]
    }
    # A range that holds them is saved, and so is any other change while the range stays.
    fields["measure_highest"] = Decimal(120)
    update_intervention(intervention=intervention, by=senco, **fields)
    update_intervention(intervention=intervention, by=senco, **fields | {"name": "Reading catch-up"})
    intervention.refresh_from_db()
    assert (intervention.name, intervention.measure_highest) == ("Reading catch-up", Decimal(120))


def test_an_entry_holding_scores_outside_its_range_can_still_be_renamed(senco, school, rate):
    # Scores recorded before the range was set (the factory writes past the service's check).
    intervention = InterventionFactory(
        school=school, staff_rate=rate, measure_kind="checklist", measure_highest=30
    )
    PlacementFactory(group=ProvisionGroupFactory(intervention=intervention), entry_score=Decimal(35))
    fields = {name: getattr(intervention, name) for name in INTERVENTION_FIELDS}
    update_intervention(intervention=intervention, by=senco, **fields | {"name": "Language checklist"})
    assert Intervention.objects.get(pk=intervention.pk).name == "Language checklist"
