"""Entry and exit scores: a whole group's on one grid, saved all or nothing, and one pupil's on
their own page; both refuse a score the measure cannot give and a save over someone else's."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory
from provision.models import Placement
from provision.services.groups import MEASURE_FIELDS, add_pupil, end_placement, score_field
from pupils.factories import PupilFactory
from senco.concurrency import STALE_MESSAGE, version_token
from senco.models import AuditEvent
from tests.provision.conftest import MONDAY, TODAY

OUT_OF_30 = "35 is above the highest score this measure gives: enter a score from 0 to 30."


@pytest.fixture
def intervention(school):
    """The demo TA's kind of intervention: a checklist out of 30."""
    return InterventionFactory(
        school=school,
        name="Speech and language programme",
        measure_name="Language progress checklist (out of 30)",
        measure_kind="checklist",
        measure_highest=30,
    )


@pytest.fixture
def placements(group, pupils):
    """The untaught pupil (Noah Elsewhere), then the taught one (Ava Taught): the grid's order."""
    return list(Placement.objects.filter(group=group).order_by("pupil__last_name"))


def grid_url(group) -> str:
    return reverse("provision:group_scores", args=[group.pk])


def as_posted(form, **typed) -> dict:
    """What the browser posts for `form` as drawn, with `typed` over it."""
    data = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else str(value) for name, value in (data | typed).items()}


def typed(placement, **values) -> dict:
    """One pupil's row as typed: {"entry_score": "12"} to {"entry_score_<id>": "12"}."""
    return {score_field(name, placement.pk): value for name, value in values.items()}


def stored(placement) -> tuple:
    placement.refresh_from_db()
    return tuple(getattr(placement, name) for name in MEASURE_FIELDS)


# The grid ----------------------------------------------------------------------------------------


def test_the_grid_lists_every_pupil_in_the_group_now_each_input_named_for_them(
    client, senco, ta, group, placements, today_is
):
    today_is(TODAY)
    end_placement(placement=placements[0], left_on=date(2026, 11, 10), by=senco, today=TODAY)
    ben = PupilFactory(school=group.school, first_name="Ben", last_name="Adams")
    add_pupil(group=group, pupil=ben, joined_on=MONDAY, by=senco)
    client.force_login(ta)
    response = client.get(grid_url(group))
    form = response.context["form"]
    html = response.content.decode()
    assert [placement.pupil for placement, _ in form.rows()] == [ben, placements[1].pupil]
    assert [cell.label for _, cell in form.rows()[1][1]] == [
        f"{column} for Ava Taught" for column in ("Entry score", "Entry date", "Exit score", "Exit date")
    ]
    labels = ("Entry score", "Entry date", "Exit score", "Exit date")
    for name, label in zip(MEASURE_FIELDS, labels, strict=True):
        cell = form[score_field(name, placements[1].pk)]
        hidden = '<span class="visually-hidden"> for Ava Taught</span>'
        assert f'<label class="score-label" for="{cell.id_for_label}">{label}{hidden}</label>' in html
    assert form["measured_on"].value() == TODAY
    # One row for each pupil whose scores the grid shows, so each one's trail finds it.
    events = AuditEvent.objects.filter(action="provision.group_scores_viewed")
    assert sorted((event.object_id, event.actor, event.pupil_id) for event in events) == sorted(
        (str(group.pk), ta, pupil.pk) for pupil in (ben, placements[1].pupil)
    )


def test_the_ta_records_entry_scores_for_the_whole_group_in_one_save(client, ta, group, placements, today_is):
    today_is(TODAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    noah, ava = placements
    data = as_posted(
        form, measured_on="2026-11-02", **typed(noah, entry_score="18"), **typed(ava, entry_score="12")
    )
    response = client.post(grid_url(group), data)
    assert response["Location"] == reverse("provision:group_detail", args=[group.pk])
    assert [stored(p) for p in placements] == [
        (Decimal("18.0"), date(2026, 11, 2), None, None),
        (Decimal("12.0"), date(2026, 11, 2), None, None),
    ]
    events = AuditEvent.objects.filter(action="provision.measures_recorded")
    assert sorted((e.pupil_id, e.fields) for e in events) == sorted(
        (p.pupil_id, ["entry_measured_on", "entry_score"]) for p in (noah, ava)
    )
    detail = client.get(response["Location"]).content.decode()
    assert ("18.0" in detail, "12.0" in detail) == (True, True)


def test_exit_scores_take_the_grids_date_unless_a_row_gives_its_own(client, ta, group, placements, today_is):
    today_is(TODAY)
    for placement, entry in zip(placements, (18, 12), strict=True):
        Placement.objects.filter(pk=placement.pk).update(entry_score=entry, entry_measured_on=MONDAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    noah, ava = placements
    data = as_posted(
        form,
        **typed(noah, exit_score="24"),
        **typed(ava, exit_score="30", exit_measured_on="2026-11-13"),
    )
    assert client.post(grid_url(group), data).status_code == 302
    assert [stored(p)[2:] for p in placements] == [
        (Decimal("24.0"), TODAY),
        (Decimal("30.0"), date(2026, 11, 13)),  # 30 is the top of a checklist out of 30
    ]


def test_one_wrong_row_saves_nothing_and_its_error_sits_in_that_row_keeping_what_was_typed(
    client, ta, group, placements, today_is
):
    today_is(TODAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    noah, ava = placements
    data = as_posted(form, **typed(noah, entry_score="20"), **typed(ava, entry_score="35"))
    response = client.post(grid_url(group), data)
    form = response.context["form"]
    wrong = score_field("entry_score", ava.pk)
    assert (response.status_code, form.errors) == (200, {wrong: [OUT_OF_30]})
    assert [stored(p) for p in placements] == [(None, None, None, None)] * 2
    assert (form[score_field("entry_score", noah.pk)].value(), form[wrong].value()) == ("20", "35")
    html = response.content.decode()
    assert f'<div class="invalid-feedback" id="id_{wrong}_error">{OUT_OF_30} </div>' in html
    assert f'aria-describedby="id_{wrong}_error"' in html
    assert f'<a class="alert-link" href="#id_{wrong}">Entry score for Ava Taught: {OUT_OF_30}</a>' in html
    assert not AuditEvent.objects.filter(action="provision.measures_recorded").exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"exit_score": "20"}, "exit_score", "Record the entry measure first"),
        ({"entry_measured_on": "2026-11-02"}, "entry_score", "Enter the entry score, or clear the date."),
        ({"entry_score": "12", "entry_measured_on": "2026-11-16"}, "entry_measured_on", "in the future"),
        ({"entry_score": "-1"}, "entry_score", "-1 is below the lowest score this measure gives"),
    ],
)
def test_every_rule_of_one_pupils_page_holds_on_each_row(
    client, ta, group, placements, today_is, row, field, message
):
    today_is(TODAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    response = client.post(grid_url(group), as_posted(form, **typed(placements[1], **row)))
    errors = response.context["form"].errors
    assert (list(errors), message in errors[score_field(field, placements[1].pk)][0]) == (
        [score_field(field, placements[1].pk)],
        True,
    )


def test_a_grid_date_in_the_future_is_refused_on_that_field(client, ta, group, placements, today_is):
    today_is(TODAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    data = as_posted(form, measured_on="2026-11-16", **typed(placements[0], entry_score="10"))
    response = client.post(grid_url(group), data)
    assert response.context["form"].errors == {"measured_on": ["This date is in the future."]}
    assert stored(placements[0]) == (None, None, None, None)


def test_saving_the_grid_unchanged_writes_nothing(client, ta, group, placements, today_is):
    today_is(TODAY)
    client.force_login(ta)
    form = client.get(grid_url(group)).context["form"]
    assert client.post(grid_url(group), as_posted(form)).status_code == 302
    assert not AuditEvent.objects.filter(action="provision.measures_recorded").exists()


# Two people at once (R9) -------------------------------------------------------------------------


def test_a_second_save_of_the_same_grid_is_refused_keeps_what_was_typed_and_then_goes_through(
    client, senco, ta, group, placements, today_is
):
    today_is(TODAY)
    ava = placements[1]
    client.force_login(ta)
    drawn = client.get(grid_url(group)).context["form"]
    client.force_login(senco)
    client.post(grid_url(group), as_posted(drawn, **typed(ava, entry_score="12")))
    client.force_login(ta)
    response = client.post(grid_url(group), as_posted(drawn, **typed(ava, entry_score="14")))
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors()) == (
        200,
        [STALE_MESSAGE.format(what="group's scores")],
    )
    assert (form[score_field("entry_score", ava.pk)].value(), stored(ava)[0]) == ("14", Decimal("12.0"))
    # The TA has looked: saving the redrawn grid goes through.
    assert client.post(grid_url(group), as_posted(form)).status_code == 302
    assert stored(ava)[0] == Decimal("14.0")


def test_a_pupils_scores_saved_on_their_own_page_make_an_open_grid_stale(
    client, ta, group, placements, today_is
):
    today_is(TODAY)
    noah, ava = placements
    client.force_login(ta)
    drawn = client.get(grid_url(group)).context["form"]
    page = client.get(reverse("provision:placement_measures", args=[noah.pk])).context["form"]
    client.post(
        reverse("provision:placement_measures", args=[noah.pk]),
        as_posted(page, entry_score="9", entry_measured_on="2026-11-02"),
    )
    response = client.post(grid_url(group), as_posted(drawn, **typed(ava, entry_score="12")))
    assert (response.status_code, stored(noah)[0], stored(ava)[0]) == (200, Decimal("9.0"), None)


# One pupil's page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "saved"), [("30", True), ("35", False)])
def test_one_pupils_page_takes_30_and_refuses_35_on_a_checklist_out_of_30(
    client, ta, placements, today_is, score, saved
):
    today_is(TODAY)
    url = reverse("provision:placement_measures", args=[placements[1].pk])
    client.force_login(ta)
    page = client.get(url)
    assert "Language progress checklist (out of 30): Checklist score, scored from 0 to 30." in (
        page.content.decode()
    )
    data = as_posted(page.context["form"], entry_score=score, entry_measured_on="2026-11-02")
    response = client.post(url, data)
    if saved:
        assert (response.status_code, stored(placements[1])[0]) == (302, Decimal(score))
    else:
        assert (response.status_code, response.context["form"].errors) == (200, {"entry_score": [OUT_OF_30]})


def test_without_a_range_a_checklist_takes_any_score_from_0(client, ta, group, placements, today_is):
    today_is(TODAY)
    group.intervention.measure_highest = None
    group.intervention.save()
    url = reverse("provision:placement_measures", args=[placements[1].pk])
    client.force_login(ta)
    form = client.get(url).context["form"]
    response = client.post(url, as_posted(form, entry_score="500", entry_measured_on="2026-11-02"))
    assert (response.status_code, stored(placements[1])[0]) == (302, Decimal(500))


def test_a_second_save_on_one_pupils_page_from_the_same_version_is_refused(
    client, senco, ta, placements, today_is
):
    today_is(TODAY)
    url = reverse("provision:placement_measures", args=[placements[1].pk])
    client.force_login(ta)
    form = client.get(url).context["form"]
    first = as_posted(form, entry_score="12", entry_measured_on="2026-11-02")
    assert client.post(url, first).status_code == 302
    response = client.post(url, as_posted(form, entry_score="13", entry_measured_on="2026-11-02"))
    redrawn = response.context["form"]
    assert (redrawn.non_field_errors(), redrawn["entry_score"].value(), stored(placements[1])[0]) == (
        [STALE_MESSAGE.format(what="pupil's scores")],
        "13",
        Decimal("12.0"),
    )
    assert redrawn["version"].value() == version_token(placements[1], fields=MEASURE_FIELDS)


# Who may use it ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("senco", 200), ("ta", 200), ("head", 403), ("governor", 403), ("school_admin", 403)],
)
def test_whoever_records_one_pupils_measures_records_the_grid(
    client, request, group, placements, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(grid_url(group)).status_code == status
    assert client.post(grid_url(group)).status_code == status


@pytest.mark.parametrize("persona", ["teacher", "other_ta"])
def test_classroom_staff_who_do_not_deliver_the_group_get_404(client, request, group, placements, persona):
    client.force_login(request.getfixturevalue(persona))
    assert (client.get(grid_url(group)).status_code, client.post(grid_url(group)).status_code) == (404, 404)


def test_another_schools_group_grid_is_404(client, senco, other_school):
    theirs = ProvisionGroupFactory(intervention=InterventionFactory(school=other_school))
    PlacementFactory(group=theirs)
    client.force_login(senco)
    assert client.get(grid_url(theirs)).status_code == 404


def test_the_group_page_offers_record_scores_to_those_who_record(client, ta, head, group, placements):
    link = f'href="{grid_url(group)}">Record scores</a>'
    client.force_login(ta)
    assert link in client.get(reverse("provision:group_detail", args=[group.pk])).content.decode()
    client.force_login(head)
    assert link not in client.get(reverse("provision:group_detail", args=[group.pk])).content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_the_grid_queries_stay_flat(client, senco, ta, group, n, django_assert_max_num_queries):
    for number in range(n):
        pupil = PupilFactory(school=group.school, last_name=f"Pupil {number}")
        add_pupil(group=group, pupil=pupil, joined_on=MONDAY, by=senco)
    client.force_login(ta)
    # Opening the grid is audited: the pupils shown, then their rows chained and inserted at
    # once (one query more on PostgreSQL, for the chain's lock).
    with django_assert_max_num_queries(11):
        response = client.get(grid_url(group))
    assert len(response.context["form"].rows()) == n
