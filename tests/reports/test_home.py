from datetime import date

import pytest
from django.urls import resolve, reverse

from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.factories import MembershipFactory, staff_member
from senco.models import Role
from senco.reports.selectors import governor_status_summary, sen_status_counts, suppress


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")])
def test_small_counts_are_suppressed_for_governors(count, shown):
    assert suppress(count) == shown


def test_senco_home_counts_pupils_by_status(client, senco, school):
    pupils = PupilFactory.create_batch(4, school=school)
    SenStatusChangeFactory(pupil=pupils[0], status=SenStatus.EHC_PLAN)
    SenStatusChangeFactory(pupil=pupils[1], status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    response = client.get(reverse("home"))
    assert [(row.status, row.count) for row in response.context["status_counts"]] == [
        ("no_sen", 2),
        ("monitoring", 0),
        ("sen_support", 1),
        ("ehc_plan", 1),
    ]


def test_the_caseload_cards_name_the_census_code_and_never_say_not_on_the_register(client, senco, school):
    # The register lists monitored pupils, so "not on the SEN register" beside them misleads.
    client.force_login(senco)
    response = client.get(reverse("home"))
    assert [row.label for row in response.context["status_counts"]] == [
        "No SEN (N)",
        "Monitoring (recorded as N in the census)",
        "SEN support (K)",
        "EHC plan (E)",
    ]
    assert "Not on the SEN register" not in response.content.decode()


def test_leavers_are_not_counted(senco, school):
    SenStatusChangeFactory(pupil=PupilFactory(school=school, left_on=date(2026, 7, 22)))
    assert sum(row.count for row in sen_status_counts(senco, today=date(2026, 9, 1))) == 0


def test_a_pupil_leaving_tomorrow_is_still_on_roll_today(senco, governor, school):
    today = date(2026, 7, 21)
    SenStatusChangeFactory(
        pupil=PupilFactory(school=school, left_on=date(2026, 7, 22)),
        status=SenStatus.SEN_SUPPORT,
        effective_from=date(2026, 1, 5),
    )
    counts = {row.status: row.count for row in sen_status_counts(senco, today=today)}
    assert counts["sen_support"] == 1
    assert governor_status_summary(governor, today=today)[2]["count"] == "fewer than 5"
    assert sum(row.count for row in sen_status_counts(senco, today=date(2026, 7, 22))) == 0


def test_governor_sees_only_suppressed_aggregates(client, governor, school):
    for pupil in PupilFactory.create_batch(6, school=school)[:3]:
        SenStatusChangeFactory(pupil=pupil, effective_from=date(2026, 1, 5))
    assert governor_status_summary(governor, today=date(2026, 9, 1)) == [
        {"label": "EHC plan (census E)", "count": "0", "percent": "0.0%"},
        {"label": "SEN support (census K)", "count": "fewer than 5", "percent": "fewer than 5"},
        {"label": "Pupils on roll", "count": "6", "percent": ""},
    ]
    client.force_login(governor)
    html = client.get(reverse("home")).content.decode()
    assert "fewer than 5" in html


def test_governor_home_never_shows_a_pupils_name(client, governor, school):
    pupil = PupilFactory(school=school, first_name="Zebedee", last_name="Uniquename")
    SenStatusChangeFactory(pupil=pupil)
    client.force_login(governor)
    html = client.get(reverse("home")).content.decode()
    assert ("Zebedee" in html, "Uniquename" in html) == (False, False)


def test_teacher_home_lists_the_sen_pupils_in_their_groups_only(
    client, teacher, taught_pupil, untaught_pupil
):
    SenStatusChangeFactory(pupil=taught_pupil)
    SenStatusChangeFactory(pupil=untaught_pupil)
    client.force_login(teacher)
    response = client.get(reverse("home"))
    assert [pupil.last_name for pupil in response.context["my_pupils"]] == ["Taught"]


def test_other_schools_senco_home_counts_none_of_ours(client, other_school_senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil)
    client.force_login(other_school_senco)
    response = client.get(reverse("home"))
    assert sum(row.count for row in response.context["status_counts"]) == 0


@pytest.mark.parametrize("role", Role.values)
def test_home_links_to_the_audit_trail_for_exactly_the_roles_its_view_admits(client, school, role):
    client.force_login(staff_member(role=role, school=school))
    shown = "Read the audit trail" in client.get(reverse("home")).content.decode()
    assert shown == (role in resolve(reverse("senco:audit_trail")).func.access)


COUNTS = ("reviews_due_count", "below_target_count", "open_concerns_count", "my_open_concerns_count")


@pytest.mark.parametrize(
    ("role", "sections", "counts"),
    [
        (Role.SENCO, ["whole_school"], COUNTS[:3]),
        (Role.DEPUTY_SENCO, ["whole_school"], COUNTS[:3]),
        (Role.HEAD, ["whole_school"], COUNTS[:3]),
        (Role.SENIOR_LEADER, ["whole_school"], COUNTS[:3]),
        (Role.ADMIN, ["whole_school"], ()),
        (Role.TEACHER, ["classroom"], ("reviews_due_count", "my_open_concerns_count")),
        (Role.TA, ["classroom"], ("reviews_due_count", "my_open_concerns_count")),
        (Role.GOVERNOR, ["governor"], ()),
        (Role.TRUST_ADMIN, [], ()),
        (Role.EXAMS_OFFICER, [], ()),
    ],
)
def test_each_role_gets_its_own_parts_of_the_home_page(client, school, role, sections, counts):
    client.force_login(staff_member(role=role, school=school))
    context = client.get(reverse("home")).context
    assert (context["sections"], tuple(key for key in COUNTS if key in context)) == (sections, counts)


def test_a_user_with_several_roles_sees_each_part(client, school):
    user = staff_member(role=Role.SENCO, school=school)
    MembershipFactory(user=user, school=school, role=Role.TEACHER)
    client.force_login(user)
    context = client.get(reverse("home")).context
    assert (context["sections"], tuple(key for key in COUNTS if key in context)) == (
        ["whole_school", "classroom"],
        COUNTS,
    )


@pytest.mark.parametrize("persona", ["teacher", "ta"])
def test_a_group_with_two_teachers_and_a_ta_counts_each_pupil_once(
    client, request, school, class_3a, persona
):
    # The group is reached through its teachers and its assistants both: a count over that join
    # used to multiply each pupil by the staff on the other side (3A showed 60 for 30).
    class_3a.teachers.add(staff_member(role=Role.TEACHER, school=school))
    class_3a.pupils.add(*PupilFactory.create_batch(3, school=school))
    client.force_login(request.getfixturevalue(persona))
    groups = client.get(reverse("home")).context["groups"]
    assert [(group.name, group.pupil_count) for group in groups] == [("3A", 3)]


def test_a_groups_count_leaves_out_pupils_who_have_left(client, school, class_3a, teacher):
    class_3a.pupils.add(PupilFactory(school=school), PupilFactory(school=school, left_on=date(2020, 7, 22)))
    client.force_login(teacher)
    response = client.get(reverse("home"))
    assert [group.pupil_count for group in response.context["groups"]] == [1]
    assert "3A (1 pupil)" in response.content.decode()


def _grow_school(school, ta, n):
    """`n` of everything the SENCO's home counts: pupils on each status (the monitored ones
    overdue a decision), running groups with sessions, plans due and open concerns."""
    from datetime import timedelta

    from django.utils import timezone

    from provision.factories import PlacementFactory, ProvisionGroupFactory, SupportPlanFactory
    from pupils.factories import ConcernFactory

    today = timezone.localdate()
    for _ in range(n):
        for status in (SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN):
            pupil = PupilFactory(school=school)
            SenStatusChangeFactory(pupil=pupil, status=status, effective_from=today - timedelta(days=200))
        running = {"starts_on": today - timedelta(days=60), "ends_on": today + timedelta(days=30)}
        group = ProvisionGroupFactory(intervention__school=school, **running)
        group.staff.add(ta)
        PlacementFactory(group=group, pupil=pupil, joined_on=group.starts_on)
        SupportPlanFactory(pupil=pupil, school=school)
        ConcernFactory(pupil=pupil)


@pytest.mark.parametrize("n", [1, 3])
def test_the_sencos_home_makes_the_same_queries_whatever_the_size_of_the_school(
    client, senco, ta, school, n, django_assert_max_num_queries
):
    _grow_school(school, ta, n)
    client.force_login(senco)
    # The session, the user and their roles; the school calendar, read once (one query); the day's
    # check that every pupil's status copy is in force; status and need counts (one query, one
    # for the need types); register health (one aggregate, the monitored pupils' dates); plans
    # due; running groups and their sessions; open concerns; the statutory calendar's counts (EHC
    # requests, plans in force and their open reviews). The session is not saved: it was pushed on
    # less than a minute ago, at sign-in.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("home"))
    assert response.context["register_problems"] >= n  # the monitored pupils are overdue
