"""Provision groups: built from the catalogue, kept in step with their teaching group so the
staff who deliver them see their pupils, with pupils' entry and exit measures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory
from provision.models import Placement, ProvisionGroup
from provision.rules.groups import default_end
from provision.services.groups import MEASURE_FIELDS, add_pupil, create_group, end_placement
from pupils.factories import PupilFactory
from pupils.models import GroupKind
from pupils.pupil_page import all_contributions
from pupils.selectors.records import pupils_visible_to
from senco.concurrency import STALE_MESSAGE, version_token
from senco.models import AuditEvent
from senco.rules import SchoolCalendar

TODAY = date(2026, 11, 24)


@pytest.fixture
def intervention(school):
    return InterventionFactory(
        school=school, name="Phonics catch-up", group_size=2, sessions_per_week=4, minutes_per_session=20
    )


@pytest.fixture
def group(senco, ta, intervention):
    """A group the TA delivers, built by the service."""
    return create_group(
        intervention=intervention,
        name="Year 3 phonics",
        starts_on=date(2026, 11, 2),
        staff=[ta],
        by=senco,
        today=TODAY,
    )


@pytest.fixture
def other_group(other_school):
    return ProvisionGroupFactory(intervention=InterventionFactory(school=other_school))


def group_data(**overrides):
    data = {
        "name": "Year 3 phonics",
        "starts_on": "2026-11-02",
        "ends_on": "",
        "sessions_per_week": "",
        "minutes_per_session": "",
        "schedule": "Mon–Thu 9:10",
        "setting": "withdrawal",
    }
    return data | overrides


# Building a group from the catalogue ----------------------------------------------------------


def test_the_add_page_starts_from_the_chosen_catalogue_entry(client, senco, intervention):
    client.force_login(senco)
    response = client.get(reverse("provision:group_add") + f"?intervention={intervention.pk}")
    form = response.context["form"]
    assert (
        form["intervention"].value(),
        form["sessions_per_week"].value(),
        form["minutes_per_session"].value(),
    ) == (
        intervention.pk,
        4,
        20,
    )


def test_a_group_built_from_the_catalogue_copies_its_pattern_and_names_its_teaching_group(
    client, senco, teacher, ta, intervention
):
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_add"), group_data(intervention=intervention.pk, staff=[teacher.pk, ta.pk])
    )
    group = ProvisionGroup.objects.get(name="Year 3 phonics")
    assert response["Location"] == reverse("provision:group_detail", args=[group.pk])
    assert (group.sessions_per_week, group.minutes_per_session, group.ends_on) == (4, 20, date(2027, 1, 10))
    teaching_group = group.teaching_group
    assert (teaching_group.name, teaching_group.kind, teaching_group.school) == (
        "Year 3 phonics (intervention)",
        GroupKind.INTERVENTION,
        senco.school,
    )
    assert (list(teaching_group.teachers.all()), list(teaching_group.assistants.all())) == ([teacher], [ta])
    assert AuditEvent.objects.filter(action="provision.group_created", object_id=str(group.pk)).count() == 1


def test_teaching_group_names_stay_unique_in_the_school(senco, intervention):
    names = [
        create_group(
            intervention=intervention, name="Year 3 phonics", starts_on=TODAY, staff=[], by=senco, today=TODAY
        ).teaching_group.name
        for _ in range(3)
    ]
    long = create_group(
        intervention=intervention, name="A" * 100, starts_on=TODAY, staff=[], by=senco, today=TODAY
    )
    assert names == [
        "Year 3 phonics (intervention)",
        "Year 3 phonics 2 (intervention)",
        "Year 3 phonics 3 (intervention)",
    ]
    assert long.teaching_group.name == "A" * 35 + " (intervention)"


def test_a_group_cannot_end_before_it_starts(client, senco, intervention):
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_add"), group_data(intervention=intervention.pk, ends_on="2026-10-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_on": ["The group must end on or after the day it starts."]
    }
    assert response.context["form"]["schedule"].value() == "Mon–Thu 9:10"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_on": "9999-12-30"}, "starts_on"),
        ({"starts_on": "0001-01-01"}, "starts_on"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
    ],
)
def test_far_off_group_dates_are_form_errors_not_failures(client, senco, intervention, overrides, field):
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_add"), group_data(intervention=intervention.pk, **overrides)
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, [field])
    assert ProvisionGroup.objects.count() == 0


def test_a_group_runs_for_at_most_two_school_years(senco, intervention):
    with pytest.raises(ValidationError) as error:
        create_group(
            intervention=intervention,
            name="G",
            starts_on=date(2026, 11, 2),
            ends_on=date(2028, 11, 1),
            staff=[],
            by=senco,
            today=TODAY,
        )
    assert error.value.message_dict == {
        "ends_on": [
            "A group runs for at most 104 weeks (two school years): end it by 29 October 2028, "
            "then start a new group to carry on."
        ]
    }


def test_a_group_starts_within_five_years_of_today(senco, intervention):
    with pytest.raises(ValidationError) as error:
        create_group(
            intervention=intervention, name="G", starts_on=date(2062, 11, 2), staff=[], by=senco, today=TODAY
        )
    assert error.value.message_dict == {
        "starts_on": ["Choose a date from 24/11/2021 to 24/11/2031 (no more than 5 years from today)."]
    }


def test_staff_of_another_school_cannot_deliver_a_group(senco, intervention, other_school_senco):
    with pytest.raises(ValidationError) as error:
        create_group(
            intervention=intervention,
            name="G",
            starts_on=TODAY,
            staff=[other_school_senco],
            by=senco,
            today=TODAY,
        )
    assert list(error.value.message_dict) == ["staff"]


def test_a_governor_cannot_be_named_to_deliver(client, senco, governor, intervention):
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_add"), group_data(intervention=intervention.pk, staff=[governor.pk])
    )
    assert list(response.context["form"].errors) == ["staff"]


def test_an_intervention_out_of_use_cannot_start_a_group(client, senco, intervention):
    intervention.is_active = False
    intervention.save()
    client.force_login(senco)
    response = client.post(reverse("provision:group_add"), group_data(intervention=intervention.pk))
    assert list(response.context["form"].errors) == ["intervention"]


@pytest.mark.parametrize("chosen", ["abc", "999999"])
def test_a_bad_or_unknown_intervention_in_the_address_is_ignored(client, senco, intervention, chosen):
    client.force_login(senco)
    response = client.get(reverse("provision:group_add") + f"?intervention={chosen}")
    assert (response.status_code, response.context["chosen"]) == (200, None)


def test_group_add_works_with_an_empty_catalogue(client, senco):
    client.force_login(senco)
    response = client.get(reverse("provision:group_add"))
    assert (response.status_code, response.context["has_interventions"]) == (200, False)


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "school_admin", "governor"])
def test_only_the_senco_team_sets_up_groups(client, request, persona, intervention):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:group_add")).status_code == 403


# Who sees which group ------------------------------------------------------------------------


def test_the_senco_team_and_leadership_see_every_group_of_the_school(client, senco, head, group, other_group):
    unstaffed = ProvisionGroupFactory(intervention=group.intervention)
    for user in (senco, head):
        client.force_login(user)
        response = client.get(reverse("provision:groups"))
        assert sorted(g.pk for g in response.context["groups"]) == sorted([group.pk, unstaffed.pk])


def test_teachers_and_tas_see_only_the_groups_they_deliver(client, ta, teacher, group):
    ProvisionGroupFactory(intervention=group.intervention)
    client.force_login(ta)
    assert [g.pk for g in client.get(reverse("provision:groups")).context["groups"]] == [group.pk]
    client.force_login(teacher)
    assert list(client.get(reverse("provision:groups")).context["groups"]) == []


@pytest.mark.parametrize("persona", ["governor", "school_admin"])
def test_governors_and_the_administrator_get_403_on_groups(client, request, persona, group):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:groups")).status_code == 403
    assert client.get(reverse("provision:group_detail", args=[group.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["senco", "head", "ta"])
def test_readers_open_a_group_they_may_see(client, request, persona, group):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:group_detail", args=[group.pk]))
    assert (response.status_code, response.context["group"]) == (200, group)


def test_opening_a_group_is_audited_naming_the_group_while_it_has_no_pupils(client, senco, group):
    client.force_login(senco)
    client.get(reverse("provision:group_detail", args=[group.pk]))
    events = AuditEvent.objects.filter(action="provision.group_viewed", object_id=str(group.pk))
    assert [event.pupil_id for event in events] == [None]


def test_opening_a_group_is_audited_once_for_each_pupil_the_page_shows(client, senco, group):
    pupils = [PlacementFactory(group=group).pupil for _ in range(2)]
    client.force_login(senco)
    client.get(reverse("provision:group_detail", args=[group.pk]))
    events = AuditEvent.objects.filter(action="provision.group_viewed", object_id=str(group.pk))
    assert sorted(event.pupil_id for event in events) == sorted(pupil.pk for pupil in pupils)


def test_a_ta_or_teacher_outside_the_group_gets_404(client, teacher, other_ta, group):
    for user in (teacher, other_ta):
        client.force_login(user)
        assert client.get(reverse("provision:group_detail", args=[group.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["provision:group_detail", "provision:group_edit", "provision:session_add", "provision:placement_add"],
)
def test_another_schools_group_is_404(client, senco, other_group, name):
    client.force_login(senco)
    response = client.post(reverse(name, args=[other_group.pk])) if "placement" in name else None
    response = response or client.get(reverse(name, args=[other_group.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_groups_list_queries_stay_flat(client, senco, ta, intervention, n, django_assert_max_num_queries):
    for _ in range(n):
        group = ProvisionGroupFactory(intervention=intervention, staff=[ta])
        PlacementFactory(group=group)
    client.force_login(senco)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("provision:groups"))
    assert len(response.context["groups"]) == n


# Pupils in and out ---------------------------------------------------------------------------


def test_adding_a_pupil_lets_the_staff_who_deliver_the_group_see_them_and_nobody_else(
    client, senco, ta, teacher, other_ta, group, untaught_pupil
):
    assert untaught_pupil not in pupils_visible_to(ta)
    client.force_login(senco)
    response = client.post(
        reverse("provision:placement_add", args=[group.pk]),
        {"pupil": untaught_pupil.pk, "joined_on": "2026-11-09", "target": "Blend CVC words"},
    )
    assert response.status_code == 302
    placement = Placement.objects.get(group=group)
    assert (placement.pupil, placement.joined_on, placement.target) == (
        untaught_pupil,
        date(2026, 11, 9),
        "Blend CVC words",
    )
    assert list(group.teaching_group.pupils.all()) == [untaught_pupil]
    assert (
        untaught_pupil in pupils_visible_to(ta),
        untaught_pupil in pupils_visible_to(teacher),
        untaught_pupil in pupils_visible_to(other_ta),
    ) == (True, False, False)
    event = AuditEvent.objects.get(action="provision.pupil_added")
    assert (event.pupil_id, event.object_id) == (untaught_pupil.pk, str(placement.pk))


def test_taking_a_pupil_out_ends_the_access_it_gave(client, senco, ta, group, untaught_pupil):
    placement = add_pupil(group=group, pupil=untaught_pupil, joined_on=date(2026, 11, 2), by=senco)
    client.force_login(senco)
    response = client.post(reverse("provision:placement_end", args=[placement.pk]), {"left_on": "2026-11-20"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.left_on, untaught_pupil in pupils_visible_to(ta)) == (date(2026, 11, 20), False)
    assert AuditEvent.objects.get(action="provision.pupil_removed").pupil_id == untaught_pupil.pk


def test_a_pupil_of_another_school_cannot_be_chosen(client, senco, group, other_school_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("provision:placement_add", args=[group.pk]),
        {"pupil": other_school_pupil.pk, "joined_on": "2026-11-09"},
    )
    assert (response.status_code, list(response.context["placement_form"].errors)) == (200, ["pupil"])
    assert Placement.objects.count() == 0


def test_going_over_the_group_size_warns_but_adds(client, senco, group):
    pupils = PupilFactory.create_batch(3, school=senco.school)
    for pupil in pupils[:2]:
        add_pupil(group=group, pupil=pupil, joined_on=date(2026, 11, 2), by=senco)
    client.force_login(senco)
    response = client.post(
        reverse("provision:placement_add", args=[group.pk]),
        {"pupil": pupils[2].pk, "joined_on": "2026-11-09"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert group.placements.count() == 3
    assert "This group now has 3 pupils; Phonics catch-up is designed for groups of up to 2." in messages[1]
    assert response.context["size_warning"].startswith("This group now has 3 pupils")


def test_a_pupil_joins_a_group_once_and_only_while_it_runs(senco, group, taught_pupil):
    with pytest.raises(ValidationError) as error:
        add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 10, 1), by=senco)
    assert list(error.value.message_dict) == ["joined_on"]
    add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 2), by=senco)
    with pytest.raises(ValidationError, match="already been in this group"):
        add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 3), by=senco)


def test_a_bad_add_keeps_what_was_typed(client, senco, group, taught_pupil):
    client.force_login(senco)
    response = client.post(
        reverse("provision:placement_add", args=[group.pk]),
        {"pupil": taught_pupil.pk, "joined_on": "2027-03-01", "target": "Read 40 words a minute"},
    )
    form = response.context["placement_form"]
    assert (response.status_code, list(form.errors), form["target"].value()) == (
        200,
        ["joined_on"],
        "Read 40 words a minute",
    )


def test_leaving_before_joining_re_renders_with_the_error(client, senco, group, taught_pupil):
    placement = add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 9), by=senco)
    client.force_login(senco)
    response = client.post(reverse("provision:placement_end", args=[placement.pk]), {"left_on": "2026-11-03"})
    assert (response.status_code, response.context["end_error_pk"]) == (200, placement.pk)
    assert response.context["end_form"].errors == {
        "left_on": ["The pupil joined on 9 November 2026: choose that day or later."]
    }


def test_a_leaving_date_cannot_be_in_the_future(senco, group, taught_pupil):
    placement = add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 9), by=senco)
    with pytest.raises(ValidationError, match="once it has come"):
        end_placement(placement=placement, left_on=date(2026, 12, 1), by=senco, today=TODAY)


@pytest.mark.parametrize("persona", ["head", "ta", "teacher"])
def test_only_the_senco_team_adds_and_removes_pupils(client, request, persona, senco, group, taught_pupil):
    placement = add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 9), by=senco)
    client.force_login(request.getfixturevalue(persona))
    add = client.post(reverse("provision:placement_add", args=[group.pk]), {"pupil": taught_pupil.pk})
    end = client.post(reverse("provision:placement_end", args=[placement.pk]), {"left_on": "2026-11-10"})
    assert (add.status_code, end.status_code) == (403, 403)


def test_placement_end_for_another_school_is_404(client, senco, other_group):
    placement = PlacementFactory(group=other_group)
    client.force_login(senco)
    assert (
        client.post(
            reverse("provision:placement_end", args=[placement.pk]), {"left_on": "2026-11-10"}
        ).status_code
        == 404
    )


def test_the_pupil_choice_offers_only_pupils_not_yet_in_the_group(
    client, senco, group, taught_pupil, untaught_pupil
):
    add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 9), by=senco)
    client.force_login(senco)
    form = client.get(reverse("provision:group_detail", args=[group.pk])).context["placement_form"]
    assert list(form.fields["pupil"].queryset) == [untaught_pupil]


# Editing a group -----------------------------------------------------------------------------


def edit_data(group, **overrides):
    data = {
        "name": group.name,
        "starts_on": group.starts_on.isoformat(),
        "ends_on": group.ends_on.isoformat(),
        "sessions_per_week": str(group.sessions_per_week),
        "minutes_per_session": str(group.minutes_per_session),
        "schedule": group.schedule,
        "setting": group.setting,
        "version": str(group.version),
    }
    return data | overrides


def test_changing_staff_moves_access_with_them(client, senco, ta, other_ta, group, untaught_pupil):
    add_pupil(group=group, pupil=untaught_pupil, joined_on=date(2026, 11, 9), by=senco)
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_edit", args=[group.pk]),
        edit_data(group, name="Phonics B", staff=[other_ta.pk]),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.version, group.teaching_group.name) == (
        "Phonics B",
        2,
        "Phonics B (intervention)",
    )
    assert (untaught_pupil in pupils_visible_to(ta), untaught_pupil in pupils_visible_to(other_ta)) == (
        False,
        True,
    )
    assert AuditEvent.objects.get(action="provision.group_changed").fields == ["name", "staff"]


def test_a_second_edit_from_the_same_version_is_refused_and_keeps_the_text(client, senco, ta, group):
    client.force_login(senco)
    first = client.post(
        reverse("provision:group_edit", args=[group.pk]), edit_data(group, schedule="Mon 9:00", staff=[ta.pk])
    )
    second = client.post(
        reverse("provision:group_edit", args=[group.pk]), edit_data(group, schedule="Fri 2:00", staff=[ta.pk])
    )
    group.refresh_from_db()
    assert (first.status_code, second.status_code, group.schedule) == (302, 200, "Mon 9:00")
    form = second.context["form"]
    assert (form.non_field_errors(), form["schedule"].value(), form["version"].value()) == (
        [STALE_MESSAGE.format(what="group")],
        "Fri 2:00",
        2,
    )


def test_moving_a_groups_end_far_off_is_a_form_error(client, senco, ta, group):
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_edit", args=[group.pk]),
        edit_data(group, ends_on="9999-12-31", staff=[ta.pk]),
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["ends_on"])
    group.refresh_from_db()
    assert group.ends_on == date(2027, 1, 10)


def test_group_dates_cannot_move_away_from_recorded_sessions(client, senco, ta, group):
    from provision.services.delivery import record_session

    record_session(group=group, held_on=date(2026, 11, 3), status="delivered", by=ta, today=TODAY)
    client.force_login(senco)
    response = client.post(
        reverse("provision:group_edit", args=[group.pk]),
        edit_data(group, starts_on="2026-11-05", staff=[ta.pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Sessions are recorded outside these dates: keep the dates around every session."
    ]


def test_a_group_cannot_start_after_or_end_before_a_pupil_joined_and_the_message_names_them(
    client, senco, ta, group, taught_pupil
):
    add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 9), by=senco)
    client.force_login(senco)
    url = reverse("provision:group_edit", args=[group.pk])
    late_start = client.post(url, edit_data(group, starts_on="2026-11-10", staff=[ta.pk]))
    early_end = client.post(url, edit_data(group, ends_on="2026-11-06", staff=[ta.pk]))
    name = taught_pupil.full_name
    assert late_start.context["form"].errors == {
        "starts_on": [f"The group cannot start after a pupil joined it: {name} joined on 9 November 2026."]
    }
    assert early_end.context["form"].errors == {
        "ends_on": [f"The group cannot end before a pupil joined it: {name} joined on 9 November 2026."]
    }
    group.refresh_from_db()
    assert (group.starts_on, group.ends_on) == (date(2026, 11, 2), date(2027, 1, 10))


def test_a_group_cannot_end_before_the_last_day_of_a_pupil_taken_out(client, senco, ta, group, taught_pupil):
    placement = add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 2), by=senco)
    end_placement(placement=placement, left_on=date(2026, 11, 20), by=senco, today=TODAY)
    client.force_login(senco)
    url = reverse("provision:group_edit", args=[group.pk])
    too_early = client.post(url, edit_data(group, ends_on="2026-11-18", staff=[ta.pk]))
    assert too_early.context["form"].errors == {
        "ends_on": [
            f"The group cannot end before a pupil's last day in it: {taught_pupil.full_name} "
            "was in it until 19 November 2026."
        ]
    }
    # Their last day in the group is the day before they were taken out: ending then is fine.
    assert client.post(url, edit_data(group, ends_on="2026-11-19", staff=[ta.pk])).status_code == 302


@pytest.mark.parametrize("persona", ["head", "ta"])
def test_only_the_senco_team_edits_groups(client, request, persona, group):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:group_edit", args=[group.pk])).status_code == 403


# Entry and exit measures ---------------------------------------------------------------------


@pytest.fixture
def placement(senco, group, taught_pupil):
    return add_pupil(group=group, pupil=taught_pupil, joined_on=date(2026, 11, 2), by=senco)


def measures(placement, **values):
    """The measures form's data for `placement`, with its token as the form would carry it."""
    placement.refresh_from_db()
    version = version_token(placement, fields=MEASURE_FIELDS)
    blank = {"entry_score": "", "entry_measured_on": "", "exit_score": "", "exit_measured_on": ""}
    return blank | {"version": version} | values


def test_the_ta_who_delivers_records_an_entry_score(client, ta, placement):
    client.force_login(ta)
    response = client.post(
        reverse("provision:placement_measures", args=[placement.pk]),
        measures(placement, entry_score="84", entry_measured_on="2026-11-02"),
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.entry_score, placement.entry_measured_on) == (Decimal("84.0"), date(2026, 11, 2))
    event = AuditEvent.objects.get(action="provision.measures_recorded")
    assert (event.pupil_id, event.fields) == (placement.pupil_id, ["entry_measured_on", "entry_score"])


def test_the_measures_page_names_the_instrument_and_is_audited(client, senco, placement):
    client.force_login(senco)
    response = client.get(reverse("provision:placement_measures", args=[placement.pk]))
    assert "Standardised reading score" in response.content.decode()
    assert AuditEvent.objects.get(action="provision.placement_viewed").pupil_id == placement.pupil_id


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"exit_score": "95", "exit_measured_on": "2026-11-20"}, ["exit_score"]),
        ({"entry_score": "84"}, ["entry_measured_on"]),
        ({"entry_measured_on": "2026-11-02"}, ["entry_score"]),
        ({"entry_score": "840", "entry_measured_on": "2026-11-02"}, ["entry_score"]),
        (
            {
                "entry_score": "84",
                "entry_measured_on": "2026-11-10",
                "exit_score": "90",
                "exit_measured_on": "2026-11-03",
            },
            ["exit_measured_on"],
        ),
        ({"entry_score": "84", "entry_measured_on": "2027-01-04"}, ["entry_measured_on"]),
    ],
)
def test_measures_follow_the_rules_and_keep_what_was_typed(client, senco, placement, values, errors):
    client.force_login(senco)
    response = client.post(
        reverse("provision:placement_measures", args=[placement.pk]), measures(placement, **values)
    )
    assert (response.status_code, sorted(response.context["form"].errors)) == (200, errors)
    assert response.context["form"]["entry_score"].value() == values.get("entry_score", "")


def test_measures_pages_refuse_leadership_and_hide_from_staff_outside_the_group(
    client, head, other_ta, placement
):
    client.force_login(head)
    assert client.get(reverse("provision:placement_measures", args=[placement.pk])).status_code == 403
    client.force_login(other_ta)
    assert client.get(reverse("provision:placement_measures", args=[placement.pk])).status_code == 404


def test_another_schools_placement_measures_are_404(client, senco, other_group):
    placement = PlacementFactory(group=other_group)
    client.force_login(senco)
    assert client.get(reverse("provision:placement_measures", args=[placement.pk])).status_code == 404


# Chronology ----------------------------------------------------------------------------------


def test_chronology_shows_provision_started_and_ended(senco, teacher, placement, group):
    end_placement(placement=placement, left_on=date(2026, 11, 20), by=senco, today=TODAY)
    events = [
        (event.on, event.title, event.detail, event.url)
        for event in all_contributions(senco, pupil=placement.pupil, today=TODAY).events
        if event.kind == "provision"
    ]
    url = reverse("provision:group_detail", args=[group.pk])
    assert events == [
        (date(2026, 11, 20), "Provision ended", "Phonics catch-up (Year 3 phonics)", url),
        (date(2026, 11, 2), "Provision started", "Phonics catch-up (Year 3 phonics)", url),
    ]
    # The class teacher sees the event but may not open a group they do not deliver.
    teacher_events = [
        (e.title, e.url)
        for e in all_contributions(teacher, pupil=placement.pupil, today=TODAY).events
        if e.kind == "provision"
    ]
    assert teacher_events == [("Provision ended", ""), ("Provision started", "")]


def test_chronology_shows_a_finished_group_as_ended(senco, intervention, taught_pupil):
    group = ProvisionGroupFactory(
        intervention=intervention, starts_on=date(2025, 9, 8), ends_on=date(2025, 11, 28)
    )
    PlacementFactory(group=group, pupil=taught_pupil)
    titles = [
        (e.on, e.title)
        for e in all_contributions(senco, pupil=taught_pupil, today=TODAY).events
        if e.kind == "provision"
    ]
    assert titles == [(date(2025, 11, 28), "Provision ended"), (date(2025, 9, 8), "Provision started")]


def test_the_administrator_sees_no_provision_events(school_admin, placement):
    assert [
        e
        for e in all_contributions(school_admin, pupil=placement.pupil, today=TODAY).events
        if e.kind == "provision"
    ] == []


def test_the_measures_page_says_which_way_is_better(client, senco, school, taught_pupil):
    intervention = InterventionFactory(
        school=school,
        name="Social skills",
        measure_name="SDQ total difficulties",
        measure_kind="difficulties",
    )
    placement = PlacementFactory(group=ProvisionGroupFactory(intervention=intervention), pupil=taught_pupil)
    client.force_login(senco)
    html = client.get(reverse("provision:placement_measures", args=[placement.pk])).content.decode()
    assert "Lower scores are better" in html


@pytest.mark.parametrize(
    "scores",
    [
        {"entry_score": 84, "entry_measured_on": None},
        {"entry_score": None, "exit_score": 90, "exit_measured_on": date(2026, 12, 11)},
        {"entry_score": None, "entry_measured_on": date(2026, 9, 14)},
    ],
)
def test_a_score_is_stored_only_with_its_date_and_an_exit_only_after_an_entry(db, scores):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(**scores)


# The proposed end date on the school's calendar ------------------------------------------------


def test_a_ten_week_group_runs_ten_teaching_weeks_over_the_christmas_holiday(
    client, senco, ta, intervention, term_dates_2026, today_is
):
    # From Monday 2 November 2026: seven weeks to 18 December, two weeks' holiday, then the
    # weeks of 4 (an INSET day and four teaching days), 11 and 18 January 2027.
    today_is(date(2026, 11, 2))
    client.force_login(senco)
    page = client.get(reverse("provision:group_add"), {"intervention": intervention.pk})
    client.post(reverse("provision:group_add"), group_data(intervention=intervention.pk, staff=[ta.pk]))
    group = ProvisionGroup.objects.get(name="Year 3 phonics")
    assert (page.context["form"].initial["ends_on"], group.ends_on) == (date(2027, 1, 24), date(2027, 1, 24))
    assert "No term dates are recorded" not in page.content.decode()


def test_without_term_dates_the_proposed_end_counts_every_week_and_the_page_says_so(
    client, senco, intervention, today_is
):
    today_is(date(2026, 11, 2))
    client.force_login(senco)
    response = client.get(reverse("provision:group_add"), {"intervention": intervention.pk})
    assert response.context["form"].initial["ends_on"] == date(2027, 1, 10)
    assert "No term dates are recorded for 2026/27" in response.content.decode()


@pytest.mark.parametrize(
    ("starts_on", "weeks", "ends_on"),
    [
        (date(2026, 11, 2), 10, date(2027, 1, 10)),  # without term dates: ten 7-day weeks
        (date(2026, 11, 4), 1, date(2026, 11, 10)),  # a Wednesday start ends on a Tuesday
        (date(2026, 11, 2), 0, date(2026, 11, 8)),  # never shorter than a week
        (date(2026, 11, 2), 500, date(2028, 10, 29)),  # never longer than two school years
    ],
)
def test_a_groups_default_end_without_term_dates(starts_on, weeks, ends_on):
    assert default_end(SchoolCalendar(), starts_on, weeks) == ends_on
