"""Concern pages: who may use them, what they show, and how they handle bad and stale input."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pupils.factories import ConcernFactory, PupilFactory, SenStatusChangeFactory, TeachingGroupFactory
from pupils.models import Concern, ConcernDecision, ConcernStage, GroupKind, NeedType, SenStatus
from pupils.selectors.records import current_sen_status
from senco.concurrency import STALE_MESSAGE
from senco.models import AuditEvent

STALE_CONCERN = STALE_MESSAGE.format(what="concern")

CONCERN = {
    "area": "cognition",
    "observed": "Guesses words from the first letter.",
    "evidence": "Phonics check practice: 18 of 40.",
    "already_tried": "Daily catch-up for three weeks.",
}
ACTIONS = ["pupils:concern_acknowledge", "pupils:concern_gather", "pupils:concern_decide"]


@pytest.fixture
def other_concern(other_school_pupil, other_school_senco):
    return ConcernFactory(pupil=other_school_pupil, raised_by=other_school_senco)


def decision(concern, **fields):
    spld = NeedType.objects.get(code="SPLD")
    data = {
        "version": concern.version,
        "decision": ConcernDecision.SEN_SUPPORT,
        "decision_reason": "Less than expected progress despite catch-up.",
        "primary_need": spld.pk,
        "effective_from": timezone.localdate().isoformat(),
        "parents_informed_on": timezone.localdate().isoformat(),
        "parents_informed_how": "Meeting with mother",
    }
    return data | fields


# Logging a concern


@pytest.mark.parametrize("persona", ["teacher", "ta", "senco"])
def test_classroom_staff_and_the_senco_open_the_concern_form(client, request, taught_pupil, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("pupils:concern_add", args=[taught_pupil.pk]))
    assert (response.status_code, response.context["pupil"]) == (200, taught_pupil)


@pytest.mark.parametrize("persona", ["head", "governor", "school_admin"])
def test_other_roles_may_not_log_a_concern(client, request, taught_pupil, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pupils:concern_add", args=[taught_pupil.pk])).status_code == 403


def test_a_teacher_gets_404_logging_a_concern_about_a_pupil_they_do_not_teach(
    client, teacher, untaught_pupil
):
    client.force_login(teacher)
    response = client.post(reverse("pupils:concern_add", args=[untaught_pupil.pk]), CONCERN)
    assert (response.status_code, Concern.objects.count()) == (404, 0)


def test_logging_a_concern_sends_the_teacher_to_my_concerns(client, teacher, taught_pupil):
    client.force_login(teacher)
    response = client.post(reverse("pupils:concern_add", args=[taught_pupil.pk]), CONCERN)
    assert (response.status_code, response["Location"]) == (302, reverse("pupils:my_concerns"))
    concern = Concern.objects.get()
    assert (concern.pupil, concern.raised_by, concern.stage, concern.raised_on, concern.observed) == (
        taught_pupil,
        teacher,
        ConcernStage.RAISED,
        timezone.localdate(),
        CONCERN["observed"],
    )


def test_an_incomplete_concern_is_shown_again_with_what_was_typed(client, teacher, taught_pupil):
    client.force_login(teacher)
    response = client.post(reverse("pupils:concern_add", args=[taught_pupil.pk]), CONCERN | {"evidence": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["evidence"]
    assert CONCERN["observed"] in response.content.decode()
    assert Concern.objects.count() == 0


def test_a_concern_about_a_leaver_is_refused_with_a_reason(client, teacher, taught_pupil):
    taught_pupil.left_on = date(2025, 7, 18)
    taught_pupil.save()
    client.force_login(teacher)
    response = client.post(reverse("pupils:concern_add", args=[taught_pupil.pk]), CONCERN)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Ava Taught left on 18 July 2025; their record is kept read-only."
    ]


# My concerns


def test_my_concerns_shows_the_stage_and_once_decided_the_outcome(client, teacher, ta, concern, taught_pupil):
    decided = ConcernFactory(
        pupil=taught_pupil,
        raised_by=teacher,
        stage=ConcernStage.DECIDED,
        decision=ConcernDecision.MONITOR,
        decision_reason="Watch until half term, then review with the reading data.",
        decided_on=date(2026, 10, 9),
    )
    ConcernFactory(pupil=taught_pupil, raised_by=ta)
    client.force_login(teacher)
    response = client.get(reverse("pupils:my_concerns"))
    assert list(response.context["concerns"]) == [concern, decided]
    html = response.content.decode()
    assert "Watch until half term, then review with the reading data." in html
    assert "Not decided yet" in html


@pytest.mark.parametrize("persona", ["head", "governor", "school_admin"])
def test_my_concerns_is_403_for_roles_that_do_not_log_them(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pupils:my_concerns")).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_my_concerns_queries_stay_flat(client, teacher, taught_pupil, n, django_assert_max_num_queries):
    ConcernFactory.create_batch(n, pupil=taught_pupil, raised_by=teacher)
    client.force_login(teacher)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("pupils:my_concerns"))
    assert len(response.context["concerns"]) == n


# The queue


def test_the_queue_lists_open_concerns_oldest_first_marking_those_waiting_too_long(
    client, senco, concern, taught_pupil, ta, school, term_dates_2026, today_is
):
    today_is(date(2026, 11, 16))
    older = ConcernFactory(pupil=taught_pupil, raised_by=ta, raised_on=date(2026, 10, 1))
    TeachingGroupFactory(school=school, name="3 Oak", kind=GroupKind.REGISTRATION, pupils=[taught_pupil])
    client.force_login(senco)
    response = client.get(reverse("pupils:concern_queue"))
    # School days on the school's calendar: the October half-term does not count.
    assert [(c.pk, c.days_waiting, c.waiting_too_long) for c in response.context["concerns"]] == [
        (older.pk, 27, True),
        (concern.pk, 10, False),
    ]
    html = response.content.decode()
    assert (
        html.count("Waiting 27 school days"),
        html.count("Waiting 10 school days"),
        html.count("3 Oak"),
    ) == (
        1,
        0,
        2,
    )
    assert response.context["can_triage"] is True


def test_the_decided_tab_shows_the_registration_group_or_the_class(client, senco, concern):
    Concern.objects.filter(pk=concern.pk).update(stage="decided", decision="no_further_action")
    client.force_login(senco)
    html = client.get(reverse("pupils:concern_queue"), {"stage": "decided"}).content.decode()
    assert "<td>3A</td>" in html


def test_the_queue_filters_by_stage_and_has_a_decided_tab(client, senco, concern, taught_pupil, teacher):
    decided = ConcernFactory(pupil=taught_pupil, raised_by=teacher, stage="decided", decision="refer")
    client.force_login(senco)
    acknowledged = client.get(reverse("pupils:concern_queue"), {"stage": "acknowledged"})
    assert acknowledged.context["concerns"] == []
    tab = client.get(reverse("pupils:concern_queue"), {"stage": "decided"})
    assert list(tab.context["page"]) == [decided]
    assert [count for _, _, count in tab.context["tabs"]] == [1, 1, 0, 0, 1]


def test_the_head_reads_the_queue_but_may_not_triage(client, head, concern):
    client.force_login(head)
    response = client.get(reverse("pupils:concern_queue"))
    assert ([c.pk for c in response.context["concerns"]], response.context["can_triage"]) == (
        [concern.pk],
        False,
    )


def test_the_queue_does_not_show_another_schools_concerns(client, senco, other_concern):
    client.force_login(senco)
    response = client.get(reverse("pupils:concern_queue"))
    assert response.context["concerns"] == []
    assert (
        client.get(reverse("pupils:concern_queue"), {"stage": "decided"}).context["page"].paginator.count == 0
    )


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_the_queue_is_403_for_everyone_else(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pupils:concern_queue")).status_code == 403


@pytest.mark.parametrize("stage", ["", "decided"])
@pytest.mark.parametrize("n", [1, 3])
def test_the_queue_queries_stay_flat(client, senco, school, n, stage, django_assert_max_num_queries):
    for pupil in PupilFactory.create_batch(n, school=school):
        ConcernFactory(
            pupil=pupil, raised_by=senco, stage=stage or "raised", decision="monitor" if stage else ""
        )
    client.force_login(senco)
    # The open queue reads the school's calendar (two queries); both read registration groups.
    with django_assert_max_num_queries({"": 8, "decided": 7}[stage]):
        response = client.get(reverse("pupils:concern_queue"), {"stage": stage})
    rows = response.context["page"] if stage else response.context["concerns"]
    assert len(list(rows)) == n


# The concern page


@pytest.mark.parametrize("persona", ["senco", "head", "teacher"])
def test_the_senco_the_head_and_the_teacher_who_raised_it_read_the_concern(client, request, concern, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("pupils:concern_detail", args=[concern.pk]))
    assert (response.status_code, response.context["concern"]) == (200, concern)
    event = AuditEvent.objects.get(action="concern.viewed")
    assert (event.actor, event.pupil_id) == (user, concern.pupil.pk)


def test_only_the_senco_team_gets_the_triage_forms(client, senco, head, concern):
    client.force_login(senco)
    forms = client.get(reverse("pupils:concern_detail", args=[concern.pk])).context
    assert [
        forms.get(name) is not None for name in ("acknowledge_form", "gathering_form", "decide_form")
    ] == [
        True,
        True,
        True,
    ]
    client.force_login(head)
    assert client.get(reverse("pupils:concern_detail", args=[concern.pk])).context.get("decide_form") is None


def test_a_decided_concern_offers_no_more_triage(client, senco, concern):
    Concern.objects.filter(pk=concern.pk).update(stage="decided", decision="monitor")
    client.force_login(senco)
    context = client.get(reverse("pupils:concern_detail", args=[concern.pk])).context
    assert [context[name] for name in ("acknowledge_form", "gathering_form", "decide_form")] == [
        None,
        None,
        None,
    ]


def test_a_ta_gets_404_for_a_concern_a_teacher_raised(client, ta, concern):
    client.force_login(ta)
    assert client.get(reverse("pupils:concern_detail", args=[concern.pk])).status_code == 404


def test_a_teacher_gets_404_for_their_concern_about_a_pupil_they_no_longer_teach(
    client, teacher, concern, class_3a
):
    class_3a.teachers.remove(teacher)
    client.force_login(teacher)
    assert client.get(reverse("pupils:concern_detail", args=[concern.pk])).status_code == 404


def test_another_schools_concern_is_404(client, senco, other_concern):
    client.force_login(senco)
    assert client.get(reverse("pupils:concern_detail", args=[other_concern.pk])).status_code == 404
    for name in ACTIONS:
        assert client.post(reverse(name, args=[other_concern.pk]), {"version": 1}).status_code == 404


@pytest.mark.parametrize("persona", ["governor", "school_admin"])
def test_the_concern_page_is_403_for_governors_and_administrators(client, request, concern, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pupils:concern_detail", args=[concern.pk])).status_code == 403


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("persona", ["head", "teacher"])
def test_only_the_senco_team_triages(client, request, concern, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse(name, args=[concern.pk]), decision(concern)).status_code == 403
    concern.refresh_from_db()
    assert (concern.stage, concern.version) == (ConcernStage.RAISED, 1)


@pytest.mark.parametrize("name", ACTIONS)
def test_triage_actions_refuse_get(client, senco, concern, name):
    client.force_login(senco)
    assert client.get(reverse(name, args=[concern.pk])).status_code == 405


# Triage


def test_acknowledging_returns_to_the_concern(client, senco, concern):
    client.force_login(senco)
    response = client.post(reverse("pupils:concern_acknowledge", args=[concern.pk]), {"version": 1})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("pupils:concern_detail", args=[concern.pk]),
    )
    concern.refresh_from_db()
    assert concern.stage == ConcernStage.ACKNOWLEDGED


def test_gathering_without_notes_is_shown_again_with_an_error(client, senco, concern):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_gather", args=[concern.pk]), {"version": 1, "senco_notes": ""}
    )
    assert response.status_code == 200
    assert list(response.context["gathering_form"].errors) == ["senco_notes"]


def test_a_missing_version_is_explained_not_a_crash(client, senco, concern):
    client.force_login(senco)
    response = client.post(reverse("pupils:concern_acknowledge", args=[concern.pk]), {})
    assert response.status_code == 200
    assert "The form was incomplete: reload the page and try again." in response.content.decode()


def test_deciding_sen_support_changes_the_status_and_tells_the_teacher(
    client, senco, teacher, concern, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pupils:concern_decide", args=[concern.pk]), decision(concern))
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.stage, concern.decision) == (ConcernStage.DECIDED, ConcernDecision.SEN_SUPPORT)
    status = current_sen_status(concern.pupil, today=timezone.localdate())
    assert (status.status, status.primary_need.code) == (SenStatus.SEN_SUPPORT, "SPLD")
    [message] = mail.outbox
    assert message.to == [teacher.email]
    assert "Sign in to read the outcome: http://testserver/pupils/concerns/mine/" in message.body
    assert "SEN support" not in message.body


def test_a_leavers_concern_offers_only_the_decision_and_refuses_all_but_no_further_action(
    client, senco, concern
):
    concern.pupil.left_on = timezone.localdate()
    concern.pupil.save()
    client.force_login(senco)
    page = client.get(reverse("pupils:concern_detail", args=[concern.pk])).context
    assert (page["acknowledge_form"], page["gathering_form"], page["decide_form"] is not None) == (
        None,
        None,
        True,
    )
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]),
        decision(concern, decision=ConcernDecision.REFER, decision_reason="Refer to the new school."),
    )
    form = response.context["decide_form"]
    assert (response.status_code, form["decision_reason"].value()) == (200, "Refer to the new school.")
    assert form.errors["decision"][0].endswith("Close the concern with “No further action”.")
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]),
        decision(concern, decision=ConcernDecision.NO_FURTHER_ACTION, decision_reason="Left the school."),
    )
    concern.refresh_from_db()
    assert (response.status_code, concern.decision) == (302, ConcernDecision.NO_FURTHER_ACTION)


def test_a_decision_without_a_reason_keeps_what_was_typed(client, senco, concern):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]),
        decision(concern, decision_reason="", parents_informed_how="Phone call with father"),
    )
    assert response.status_code == 200
    assert list(response.context["decide_form"].errors) == ["decision_reason"]
    assert "Phone call with father" in response.content.decode()


def test_sen_support_for_a_pupil_already_on_the_register_is_refused_on_the_decision(client, senco, concern):
    SenStatusChangeFactory(pupil=concern.pupil, status=SenStatus.EHC_PLAN, effective_from=date(2026, 9, 14))
    client.force_login(senco)
    response = client.post(reverse("pupils:concern_decide", args=[concern.pk]), decision(concern))
    assert response.status_code == 200
    assert (
        response.context["decide_form"]
        .errors["decision"][0]
        .startswith("Ava Taught is already recorded as “EHC plan”")
    )
    concern.refresh_from_db()
    assert concern.stage == ConcernStage.RAISED


def test_sen_support_dated_before_the_current_status_is_refused_on_the_date(client, senco, concern):
    # Saved, the pupil would have stayed on monitoring while the concern said SEN support.
    began = timezone.localdate() - timedelta(days=5)
    SenStatusChangeFactory(pupil=concern.pupil, status=SenStatus.MONITORING, effective_from=began)
    typed = (timezone.localdate() - timedelta(days=30)).isoformat()
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]), decision(concern, effective_from=typed)
    )
    form = response.context["decide_form"]
    assert (response.status_code, form.errors["effective_from"], form["effective_from"].value()) == (
        200,
        [
            f"The current status (Monitoring) began on {began.day} {began:%B %Y}; "
            "a change must take effect on or after that date."
        ],
        typed,
    )
    assert [str(message) for message in response.context["messages"]] == []
    concern.refresh_from_db()
    assert (concern.stage, current_sen_status(concern.pupil, today=timezone.localdate()).status) == (
        ConcernStage.RAISED,
        SenStatus.MONITORING,
    )


def test_sen_support_without_a_primary_need_is_an_error_on_that_field(client, senco, concern):
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]), decision(concern, primary_need="")
    )
    assert response.status_code == 200
    assert response.context["decide_form"].errors["primary_need"] == [
        "A pupil on SEN support or with an EHC plan needs a primary need."
    ]


def test_a_stale_decision_is_refused_and_keeps_the_typed_text_with_the_new_version(client, senco, concern):
    client.force_login(senco)
    typed = decision(concern, decision_reason="My carefully typed reason.")
    client.post(reverse("pupils:concern_acknowledge", args=[concern.pk]), {"version": 1})  # a colleague
    response = client.post(reverse("pupils:concern_decide", args=[concern.pk]), typed)
    form = response.context["decide_form"]
    assert (response.status_code, form.non_field_errors()) == (200, [STALE_CONCERN])
    assert (form["decision_reason"].value(), form["version"].value()) == ("My carefully typed reason.", 2)
    concern.refresh_from_db()
    assert concern.stage == ConcernStage.ACKNOWLEDGED


def test_a_stale_decision_on_a_concern_decided_meanwhile_still_shows_the_typed_text(client, senco, concern):
    Concern.objects.filter(pk=concern.pk).update(stage="decided", decision="refer", version=2)
    client.force_login(senco)
    response = client.post(
        reverse("pupils:concern_decide", args=[concern.pk]), decision(concern, decision_reason="Kept text.")
    )
    page = response.content.decode()
    assert (response.status_code, STALE_CONCERN in page, "Kept text." in page) == (
        200,
        True,
        True,
    )


# Home page and navigation


def test_the_home_page_counts_open_concerns_for_the_senco_and_the_teacher(client, senco, teacher, concern):
    client.force_login(senco)
    assert client.get(reverse("home")).context["open_concerns_count"] == 1
    client.force_login(teacher)
    response = client.get(reverse("home"))
    assert (response.context["my_open_concerns_count"], response.context.get("open_concerns_count")) == (
        1,
        None,
    )


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        ("senco", ["Concerns", "My concerns"]),
        ("head", ["Concerns"]),
        ("teacher", ["My concerns"]),
        ("ta", ["My concerns"]),
        ("governor", []),
        ("school_admin", []),
    ],
)
def test_the_navigation_offers_the_right_concern_pages(client, request, persona, labels):
    client.force_login(request.getfixturevalue(persona))
    items = client.get(reverse("home")).context["nav_items"]
    assert [item["label"] for item in items if "oncerns" in item["label"]] == labels
