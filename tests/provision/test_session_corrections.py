"""Correcting and deleting a recorded session: the rules for recording apply again, two people
correcting one record cannot overwrite each other, every change is audited by field name, and
the delivered-against-planned figures follow the corrected log."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from provision.factories import InterventionFactory, ProvisionGroupFactory
from provision.models import DeliveredSession
from provision.selectors.delivery import group_deliveries, with_pupil_deliveries
from provision.selectors.groups import placements_for_page
from provision.services.delivery import SESSION_FIELDS, correct_session, delete_session, record_session
from provision.services.groups import add_pupil, end_placement
from pupils.factories import PupilFactory
from senco.concurrency import STALE_MESSAGE, StaleEdit, version_token
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from senco.rules import SchoolCalendar
from tests.provision.conftest import DAYS, TODAY


@pytest.fixture
def session(ta, group, pupils):
    """Wednesday 4 November, recorded by the TA as delivered with Ava absent."""
    return record_session(
        group=group,
        held_on=DAYS[1],
        status="delivered",
        absent=pupils[:1],
        notes="Good focus",
        by=ta,
        today=TODAY,
    )


def session_fingerprint(session) -> str:
    return version_token(session, fields=SESSION_FIELDS)


def correct(session, *, by, **changes):
    """Correct `session` from what it holds now, changing only `changes`."""
    session.refresh_from_db()
    fields = {
        "held_on": session.held_on,
        "status": session.status,
        "cancelled_reason": session.cancelled_reason,
        "absent": list(session.absent.all()),
        "notes": session.notes,
    }
    version = changes.pop("version", None) or session_fingerprint(session)
    return correct_session(session=session, version=version, by=by, today=TODAY, **fields | changes)


def corrections():
    return list(
        AuditEvent.objects.filter(action="provision.session_corrected").values_list("fields", flat=True)
    )


# The service: rules, audit and figures ---------------------------------------------------------


def test_the_ta_corrects_a_pupil_ticked_absent_by_mistake(ta, session, pupils):
    correct(session, by=ta, absent=pupils[1:])
    session.refresh_from_db()
    newly_absent = AuditEvent.objects.filter(action="provision.pupil_absent").order_by("pk")
    assert list(session.absent.all()) == pupils[1:]
    assert corrections() == [["absent"]]
    # Ava's absence was audited when recorded; the correction adds only Noah's.
    assert list(newly_absent.values_list("pupil_id", flat=True)) == [pupils[0].pk, pupils[1].pk]


def test_the_audit_row_names_the_changed_fields_and_none_of_what_was_typed(ta, session):
    correct(session, by=ta, status="cancelled", cancelled_reason="Fire drill", absent=[], notes="")
    event = AuditEvent.objects.get(action="provision.session_corrected")
    assert (event.fields, event.summary, event.object_id, event.actor) == (
        ["absent", "cancelled_reason", "notes", "status"],
        "",
        str(session.pk),
        ta,
    )


def test_saving_without_a_change_writes_nothing(ta, session):
    correct(session, by=ta)
    assert corrections() == []


def test_a_session_recorded_delivered_but_cancelled_stops_counting_once_corrected(
    senco, ta, group, pupils, session
):
    for day in DAYS[2:]:
        record_session(group=group, held_on=day, status="delivered", by=ta, today=TODAY)

    def figures():
        group_delivery = group_deliveries([group], today=TODAY, calendar=SchoolCalendar())[group.pk]
        placements = with_pupil_deliveries(
            group, placements_for_page(senco, group=group), today=TODAY, calendar=SchoolCalendar()
        )
        attended = {p.pupil: (p.delivery.delivered, p.delivery.planned) for p in placements}
        return (group_delivery.delivered, group_delivery.planned), attended

    ava, noah = pupils
    assert figures() == ((5, 6), {ava: (4, 6), noah: (5, 6)})
    correct(session, by=ta, status="cancelled", cancelled_reason="TA covering Year 5", absent=[])
    assert figures() == ((4, 6), {ava: (4, 6), noah: (4, 6)})


def test_moving_a_session_to_the_right_day_moves_it_into_the_counted_weeks(ta, group, pupils):
    # Recorded for Monday 16 November (next week, not yet counted) when it was held on Friday 13th.
    wrong_day = record_session(
        group=group, held_on=date(2026, 11, 16), status="delivered", by=ta, today=date(2026, 11, 16)
    )
    assert group_deliveries([group], today=TODAY, calendar=SchoolCalendar())[group.pk].delivered == 0
    correct(wrong_day, by=ta, held_on=date(2026, 11, 13))
    assert group_deliveries([group], today=TODAY, calendar=SchoolCalendar())[group.pk].delivered == 1


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"held_on": date(2026, 11, 16)},
            {"held_on": ["Record a session on the day it happens or afterwards."]},
        ),
        (
            {"held_on": date(2026, 10, 30), "absent": []},
            {"held_on": ["The group runs from 2 November to 11 December 2026."]},
        ),
        (
            {"held_on": DAYS[0]},
            {"held_on": ["A session on Monday 2 November 2026 is already recorded for this group."]},
        ),
        (
            {"status": "cancelled", "absent": []},
            {"cancelled_reason": ["Say why the session was cancelled."]},
        ),
        (
            {"status": "cancelled", "cancelled_reason": "Trip"},
            {"absent": ["A cancelled session has no absences: untick the pupils or mark it delivered."]},
        ),
    ],
)
def test_a_correction_follows_the_rules_for_recording(ta, group, session, changes, errors):
    record_session(group=group, held_on=DAYS[0], status="delivered", by=ta, today=TODAY)
    with pytest.raises(ValidationError) as error:
        correct(session, by=ta, **changes)
    session.refresh_from_db()
    assert (error.value.message_dict, session.held_on, session.status) == (errors, DAYS[1], "delivered")
    assert corrections() == []


def test_only_pupils_in_the_group_on_the_new_day_can_be_absent(senco, ta, group, session):
    late = add_pupil(group=group, pupil=PupilFactory(school=senco.school), joined_on=DAYS[3], by=senco).pupil
    with pytest.raises(ValidationError) as error:
        correct(session, by=ta, absent=[late])
    assert error.value.message_dict == {
        "absent": ["Only pupils in the group on that day can be marked absent."]
    }


def test_the_same_day_is_not_a_clash_with_itself(ta, session):
    corrected = correct(session, by=ta, notes="Good focus; Ava left early")
    assert (corrected.held_on, corrected.notes, corrections()) == (
        DAYS[1],
        "Good focus; Ava left early",
        [["notes"]],
    )


def test_a_second_correction_from_the_same_fingerprint_is_refused(senco, ta, session):
    opened = session_fingerprint(session)
    correct(session, by=senco, notes="SENCO's note", version=opened)
    with pytest.raises(StaleEdit) as stale:
        correct(session, by=ta, notes="TA's note", version=opened)
    session.refresh_from_db()
    assert (session.notes, stale.value.current.notes, corrections()) == (
        "SENCO's note",
        "SENCO's note",
        [["notes"]],
    )


def test_a_correction_of_a_deleted_record_is_refused(senco, ta, session):
    opened = session_fingerprint(session)
    DeliveredSession.objects.get(pk=session.pk).delete()
    with pytest.raises(StaleEdit) as stale:
        correct_session(
            session=session, version=opened, held_on=DAYS[1], status="delivered", by=ta, today=TODAY
        )
    assert stale.value.current is None


def test_a_pupil_the_ta_no_longer_sees_stays_absent_when_the_ta_corrects(senco, ta, group, pupils):
    noah = pupils[1]  # the TA sees Noah only through this group
    session = record_session(
        group=group, held_on=DAYS[1], status="delivered", absent=[noah], by=ta, today=TODAY
    )
    placement = group.placements.get(pupil=noah)
    end_placement(placement=placement, left_on=DAYS[3], by=senco, today=TODAY)
    correct(session, by=ta, absent=[], notes="Short session")
    assert (list(session.absent.all()), corrections()) == ([noah], [["notes"]])
    # Moving the session to a day after Noah left would leave him absent from a group he was not in.
    with pytest.raises(ValidationError) as error:
        correct(session, by=ta, absent=[], held_on=DAYS[4])
    assert list(error.value.message_dict) == ["held_on"]


def test_only_those_who_record_for_the_group_may_correct_it(head, other_ta, other_school_senco, session):
    for user in (head, other_ta, other_school_senco):
        with pytest.raises(PermissionDenied):
            correct(session, by=user, notes="Not mine to change")
    assert corrections() == []


def test_the_senco_team_may_correct_a_session_a_ta_recorded(school, session):
    deputy = staff_member(role=Role.DEPUTY_SENCO, school=school, username="deputy")
    assert correct(session, by=deputy, notes="Checked").notes == "Checked"


def test_the_person_who_recorded_it_or_the_senco_team_may_delete_a_session(
    senco, ta, other_ta, group, session
):
    group.staff.add(other_ta)
    with pytest.raises(PermissionDenied):
        delete_session(session=session, by=other_ta)
    first_pk = session.pk
    delete_session(session=session, by=ta)
    recorded = record_session(group=group, held_on=DAYS[2], status="delivered", by=ta, today=TODAY)
    second_pk = recorded.pk
    delete_session(session=recorded, by=senco)
    deleted = AuditEvent.objects.filter(action="provision.session_deleted").order_by("pk")
    assert DeliveredSession.objects.count() == 0
    assert list(deleted.values_list("actor", "object_id", "summary")) == [
        (ta.pk, str(first_pk), "Session of 2026-11-04"),
        (senco.pk, str(second_pk), "Session of 2026-11-06"),
    ]


# The pages -----------------------------------------------------------------------------------


def correct_url(session):
    return reverse("provision:session_correct", args=[session.group_id, session.pk])


def delete_url(session):
    return reverse("provision:session_delete", args=[session.group_id, session.pk])


def form_data(session, **overrides):
    return {
        "held_on": session.held_on.isoformat(),
        "status": session.status,
        "cancelled_reason": session.cancelled_reason,
        "absent": [pupil.pk for pupil in session.absent.all()],
        "notes": session.notes,
        "version": session_fingerprint(session),
    } | overrides


def test_the_delivery_log_offers_correct_beside_each_session_to_those_who_record(client, ta, head, session):
    client.force_login(ta)
    page = client.get(reverse("provision:group_detail", args=[session.group_id])).content.decode()
    client.force_login(head)
    read_only = client.get(reverse("provision:group_detail", args=[session.group_id])).content.decode()
    assert (page.count(correct_url(session)), read_only.count(correct_url(session))) == (1, 0)


def test_the_correction_form_starts_from_the_record(client, ta, session, pupils):
    client.force_login(ta)
    response = client.get(correct_url(session))
    form = response.context["form"]
    assert (form["held_on"].value(), form["notes"].value(), list(form["absent"].value())) == (
        DAYS[1],
        "Good focus",
        [pupils[0].pk],
    )
    assert (response.context["can_delete"], delete_url(session) in response.content.decode()) == (True, True)


def test_a_correction_is_saved_and_the_ta_returns_to_the_group(client, ta, session, pupils, today_is):
    today_is(TODAY)
    client.force_login(ta)
    response = client.post(correct_url(session), form_data(session, absent=[pupils[1].pk]))
    assert response["Location"] == reverse("provision:group_detail", args=[session.group_id])
    assert list(session.absent.all()) == [pupils[1]]


def test_a_bad_correction_re_renders_and_keeps_what_was_typed(client, ta, session, today_is):
    today_is(TODAY)
    client.force_login(ta)
    response = client.post(
        correct_url(session), form_data(session, status="cancelled", absent=[], notes="Hall in use")
    )
    form = response.context["form"]
    assert (response.status_code, form.errors) == (
        200,
        {"cancelled_reason": ["Say why the session was cancelled."]},
    )
    assert (form["status"].value(), form["notes"].value()) == ("cancelled", "Hall in use")
    session.refresh_from_db()
    assert (session.status, session.notes) == ("delivered", "Good focus")


def test_a_stale_correction_is_refused_keeping_the_typed_values_and_goes_through_when_saved_again(
    client, senco, ta, session, today_is
):
    today_is(TODAY)
    opened = form_data(session)
    client.force_login(senco)
    client.post(correct_url(session), opened | {"notes": "SENCO's note"})
    client.force_login(ta)
    response = client.post(correct_url(session), opened | {"notes": "TA's note"})
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["notes"].value()) == (
        200,
        [STALE_MESSAGE.format(what="session record")],
        "TA's note",
    )
    session.refresh_from_db()
    assert session.notes == "SENCO's note"
    again = client.post(
        correct_url(session), opened | {"notes": "TA's note", "version": form["version"].value()}
    )
    session.refresh_from_db()
    assert (again.status_code, session.notes) == (302, "TA's note")


def test_a_record_deleted_before_the_correction_is_saved_is_404(client, senco, ta, session, today_is):
    today_is(TODAY)
    opened = form_data(session)
    client.force_login(senco)
    client.post(delete_url(session))
    client.force_login(ta)
    assert client.post(correct_url(session), opened).status_code == 404


@pytest.mark.parametrize("persona", ["head", "governor", "school_admin"])
def test_roles_that_do_not_record_get_403(client, request, persona, session):
    client.force_login(request.getfixturevalue(persona))
    answers = [client.get(url).status_code for url in (correct_url(session), delete_url(session))]
    assert answers == [403, 403]


def test_another_schools_session_is_404(client, other_school_senco, session):
    client.force_login(other_school_senco)
    answers = [client.get(url).status_code for url in (correct_url(session), delete_url(session))]
    assert answers == [404, 404]


def test_staff_who_do_not_deliver_the_group_get_404(client, teacher, other_ta, session):
    for user in (teacher, other_ta):
        client.force_login(user)
        answers = [client.get(url).status_code for url in (correct_url(session), delete_url(session))]
        assert answers == [404, 404]


def test_a_session_is_reached_only_through_its_own_group(client, ta, school, session):
    elsewhere = ProvisionGroupFactory(intervention=InterventionFactory(school=school))
    elsewhere.staff.add(ta)
    client.force_login(ta)
    url = reverse("provision:session_correct", args=[elsewhere.pk, session.pk])
    assert client.get(url).status_code == 404


def test_deleting_asks_first_and_deletes_only_on_post(client, ta, session):
    client.force_login(ta)
    confirm = client.get(delete_url(session))
    assert (confirm.status_code, DeliveredSession.objects.count()) == (200, 1)
    response = client.post(delete_url(session))
    assert (response["Location"], DeliveredSession.objects.count()) == (
        reverse("provision:group_detail", args=[session.group_id]),
        0,
    )


def test_a_ta_who_did_not_record_the_session_may_correct_but_not_delete_it(client, other_ta, group, session):
    group.staff.add(other_ta)
    client.force_login(other_ta)
    page = client.get(correct_url(session))
    assert (page.context["can_delete"], delete_url(session) in page.content.decode()) == (False, False)
    assert [client.get(delete_url(session)).status_code, client.post(delete_url(session)).status_code] == [
        403,
        403,
    ]
    assert DeliveredSession.objects.count() == 1
