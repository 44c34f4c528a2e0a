"""Register health: each check finds exactly the pupils with that problem, and only those.

Most of these rows cannot be typed in (the model's clean() and constraints refuse them), so the
tests write them as an import would: `bulk_create` and `update`, bypassing clean().
"""

from contextlib import contextmanager
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from pupils.factories import PupilFactory, SenStatusChangeFactory, make_temporary_upn
from pupils.models import NeedType, SenStatus, SenStatusChange
from pupils.selectors.leavers import due_for_review, leavers
from pupils.selectors.register_health import CHECKS, register_health, register_health_count
from pupils.services.register import sync_current_sen_status
from senco.deadlines import monitoring_decision_due
from senco.factories import AcademicYearFactory, TermFactory, english_school_year
from senco.models import Season
from senco.rules import SchoolCalendar

TODAY = date(2026, 11, 24)
URL = reverse("pupils:register_health")


def came_from(key: str) -> str:
    """The query that sends the SENCO back to the section `key` of register health after a fix."""
    return "next=" + quote(f"{URL}#{key}", safe="")


TERMS_2026 = [
    (date(2026, 9, 3), date(2026, 12, 18)),
    (date(2027, 1, 5), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 7, 22)),
]


def imported(pupil, status, *, primary=None, secondary=None, **fields):
    """A history entry as bad imported data arrives: no clean()."""
    fields.setdefault("effective_from", date(2026, 9, 14))
    fields.setdefault("parents_informed_on", fields["effective_from"])
    change = SenStatusChange.objects.bulk_create(
        [
            SenStatusChange(
                pupil=pupil,
                status=status,
                primary_need=NeedType.objects.get(code=primary) if primary else None,
                secondary_need=NeedType.objects.get(code=secondary) if secondary else None,
                reason="Imported from the MIS",
                **fields,
            )
        ]
    )[0]
    sync_current_sen_status(pupil_ids=[pupil.pk], today=TODAY)  # as the import does after its writes
    return change


@contextmanager
def without_secondary_need_constraint():
    """A database restored from before the constraint existed, where (b) can still be found."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            cursor.execute("ALTER TABLE pupils_senstatuschange DROP CONSTRAINT secondary_need_needs_primary")
            yield  # the test's transaction rolls the DDL back


def found(user, today=TODAY):
    """The pupils app's own checks. Checks other apps contribute (provision's "no plan") are
    tested with those apps."""
    own = {check.key for check in CHECKS}
    return {
        section.check.key: [problem.pupil.last_name for problem in section.problems]
        for section in register_health(user, today=today)
        if section.check.key in own
    }


def nothing_but(**problems):
    return {check.key: problems.get(check.key, []) for check in CHECKS}


def test_a_clean_register_has_no_problems(senco, school):
    SenStatusChangeFactory(pupil=PupilFactory(school=school), status=SenStatus.SEN_SUPPORT)
    SenStatusChangeFactory(
        pupil=PupilFactory(school=school), status=SenStatus.EHC_PLAN, ehc_plan_date=date(2026, 9, 14)
    )
    SenStatusChangeFactory(
        pupil=PupilFactory(school=school), status=SenStatus.MONITORING, effective_from=date(2026, 11, 2)
    )
    assert found(senco) == nothing_but()


@pytest.mark.parametrize("status", [SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN])
def test_a_finds_sen_support_or_ehc_plan_with_no_primary_need(senco, school, status):
    imported(PupilFactory(school=school, last_name="Needless"), status, ehc_plan_date=None)
    expected = {"no_primary_need": ["Needless"]}
    if status == SenStatus.EHC_PLAN:
        expected["ehc_plan_without_date"] = ["Needless"]
    assert found(senco) == nothing_but(**expected)


def test_b_finds_a_secondary_need_without_a_primary(senco, school):
    with without_secondary_need_constraint():
        imported(PupilFactory(school=school, last_name="Second"), SenStatus.SEN_SUPPORT, secondary="SLCN")
        result = found(senco)
    assert result == nothing_but(no_primary_need=["Second"], secondary_without_primary=["Second"])


def test_b_names_the_secondary_need(senco, school):
    with without_secondary_need_constraint():
        imported(PupilFactory(school=school), SenStatus.SEN_SUPPORT, secondary="HI")
        sections = {section.check.key: section for section in register_health(senco, today=TODAY)}
    assert sections["secondary_without_primary"].problems[0].detail == (
        "SEN support since 14 Sep 2026; secondary need HI"
    )


def test_a_finds_a_pupil_on_sen_support_with_no_primary_need(senco, school):
    imported(PupilFactory(school=school, last_name="Unranked"), SenStatus.SEN_SUPPORT)
    sections = {section.check.key: section for section in register_health(senco, today=TODAY)}
    assert [(p.pupil.last_name, p.detail) for p in sections["no_primary_need"].problems] == [
        ("Unranked", "SEN support since 14 Sep 2026")
    ]


def temporary(school, serial=1):
    return make_temporary_upn(
        la_code=school.la_code, establishment=school.urn[-4:], year_of_issue=2026, serial=serial
    )


def test_g_finds_pupils_on_roll_with_a_temporary_upn(senco, school):
    # The MIS import matches pupils by UPN: once the MIS has the permanent one, the next import
    # would not find this record and would add the pupil again, without their SEN history.
    PupilFactory(school=school, last_name="Temporary", upn=temporary(school, 1))
    watched = PupilFactory(school=school, last_name="Watched", upn=temporary(school, 2), year_group=5)
    SenStatusChangeFactory(pupil=watched, status=SenStatus.MONITORING, effective_from=date(2026, 11, 2))
    PupilFactory(school=school, last_name="Gone", upn=temporary(school, 3), left_on=date(2026, 7, 22))
    PupilFactory(school=school, last_name="Permanent")
    sections = {section.check.key: section for section in register_health(senco, today=TODAY)}
    assert [(p.pupil.last_name, p.detail) for p in sections["temporary_upn"].problems] == [
        ("Temporary", f"UPN {temporary(school, 1)}"),
        ("Watched", f"UPN {temporary(school, 2)}; Monitoring since 2 Nov 2026"),
    ]
    assert found(senco) == nothing_but(temporary_upn=["Temporary", "Watched"])


def test_g_the_senco_team_and_the_office_correct_a_temporary_upn_on_the_record(
    client, senco, head, school_admin, school
):
    pupil = PupilFactory(school=school, first_name="Tia", last_name="Temporary", upn=temporary(school))
    edit = reverse("pupils:edit", args=[pupil.pk]) + "?" + came_from("temporary_upn")
    link = f'href="{edit}">Correct Tia Temporary' + "'s UPN</a>"
    shown = []
    for user in (senco, school_admin, head):
        client.force_login(user)
        shown.append(link in client.get(URL).content.decode())
    assert shown == [True, True, False]


def test_c_finds_an_ehc_plan_with_no_plan_date(senco, school):
    SenStatusChangeFactory(pupil=PupilFactory(school=school, last_name="Undated"), status=SenStatus.EHC_PLAN)
    SenStatusChangeFactory(
        pupil=PupilFactory(school=school, last_name="Dated"),
        status=SenStatus.EHC_PLAN,
        ehc_plan_date=date(2026, 9, 14),
    )
    assert found(senco) == nothing_but(ehc_plan_without_date=["Undated"])


@pytest.mark.parametrize(
    ("status", "is_problem"),
    [
        (SenStatus.MONITORING, True),
        (SenStatus.SEN_SUPPORT, True),
        (SenStatus.EHC_PLAN, True),
        (SenStatus.NO_SEN, False),
    ],
)
def test_d_finds_leavers_still_recorded_with_an_sen_status(senco, school, status, is_problem):
    pupil = PupilFactory(school=school, last_name="Gone", left_on=TODAY)
    imported(pupil, status, primary="SLCN" if status in ("sen_support", "ehc_plan") else None)
    PupilFactory(school=school, last_name="Leaving", left_on=TODAY + timedelta(days=1))
    assert found(senco)["leaver_on_register"] == (["Gone"] if is_problem else [])


def test_d_leavers_are_not_checked_for_anything_else(senco, school):
    pupil = PupilFactory(school=school, last_name="Gone", left_on=date(2026, 7, 22))
    imported(pupil, SenStatus.EHC_PLAN, parents_informed_on=None)
    assert found(senco) == nothing_but(leaver_on_register=["Gone"])


def test_d_is_fixed_by_taking_the_leaver_off(client, senco, school):
    pupil = PupilFactory(school=school, last_name="Gone", left_on=date(2026, 7, 22))
    imported(pupil, SenStatus.SEN_SUPPORT, primary="SLCN")
    client.force_login(senco)
    client.post(reverse("pupils:leaver_off_register", args=[pupil.pk]))
    assert found(senco) == nothing_but()


@pytest.mark.parametrize("status", [SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN])
def test_e_finds_sen_provision_with_parents_not_informed(senco, school, status):
    SenStatusChangeFactory(
        pupil=PupilFactory(school=school, last_name="Untold"),
        status=status,
        parents_informed_on=None,
        ehc_plan_date=date(2026, 9, 14) if status == SenStatus.EHC_PLAN else None,
    )
    assert found(senco) == nothing_but(parents_not_informed=["Untold"])


def test_e_looks_at_the_current_status_only(senco, school):
    pupil = PupilFactory(school=school, last_name="Told")
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2026, 1, 5), parents_informed_on=None)
    SenStatusChangeFactory(
        pupil=pupil,
        status=SenStatus.EHC_PLAN,
        effective_from=date(2026, 9, 14),
        ehc_plan_date=date(2026, 9, 14),
    )
    monitored = PupilFactory(school=school, last_name="Watched")
    SenStatusChangeFactory(
        pupil=monitored, status=SenStatus.MONITORING, effective_from=TODAY, parents_informed_on=None
    )
    assert found(senco) == nothing_but()


@pytest.mark.parametrize(
    ("started_on", "due"),
    [
        (date(2026, 9, 3), (date(2027, 1, 5), "school term dates")),  # first day of autumn
        (date(2026, 9, 7), (date(2027, 1, 8), "school term dates")),  # same point of spring, a Saturday
        (date(2026, 12, 10), (date(2027, 3, 25), "school term dates")),  # spring's last day is Good Friday
        (date(2026, 12, 25), (date(2027, 4, 12), "school term dates")),  # holiday: from the spring term
        (date(2027, 5, 4), (date(2027, 8, 3), "13 weeks: no term dates recorded")),  # none after summer
        (date(2026, 8, 20), (date(2026, 11, 19), "13 weeks: no term dates recorded")),  # before any term
    ],
)
def test_monitoring_decision_due_counts_one_term_of_school_time(started_on, due):
    calendar = SchoolCalendar(years=frozenset({2026}), terms=tuple(TERMS_2026))
    assert monitoring_decision_due(started_on, calendar) == due


@pytest.mark.parametrize(
    ("started_on", "due"),
    [
        (date(2026, 10, 13), date(2027, 2, 12)),  # the same point is in February half-term
        (date(2026, 9, 1), date(2027, 1, 5)),  # the spring term opens with an INSET day
    ],
)
def test_a_monitoring_decision_falls_on_a_school_day_of_the_next_term(started_on, due):
    calendar = SchoolCalendar(
        years=frozenset({2026}),
        terms=tuple((row.starts_on, row.ends_on) for row in english_school_year(2026)[:3]),
        closures=tuple((row.starts_on, row.ends_on) for row in english_school_year(2026)[3:]),
    )
    assert monitoring_decision_due(started_on, calendar) == (due, "school term dates")


def test_monitoring_decision_due_is_13_weeks_without_term_dates():
    assert monitoring_decision_due(date(2024, 2, 29), SchoolCalendar()) == (
        date(2024, 5, 30),
        "13 weeks: no term dates recorded",
    )


def test_a_school_year_with_only_some_terms_recorded_is_not_used():
    calendar = SchoolCalendar(terms=tuple(TERMS_2026[:2]))
    assert monitoring_decision_due(date(2026, 9, 7), calendar) == (
        date(2026, 12, 7),
        "13 weeks: no term dates recorded",
    )


def _terms(school):
    year = AcademicYearFactory(school=school, start_year=2026)
    for season, (starts_on, ends_on) in zip(
        [Season.AUTUMN, Season.SPRING, Season.SUMMER], TERMS_2026, strict=True
    ):
        TermFactory(academic_year=year, season=season, starts_on=starts_on, ends_on=ends_on)


def _monitored(school, since, last_name="Watched"):
    pupil = PupilFactory(school=school, last_name=last_name)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.MONITORING, primary_need=None, effective_from=since)
    return pupil


def test_f_without_term_dates_monitoring_is_overdue_after_13_weeks(senco, school):
    _monitored(school, date(2026, 9, 3))
    assert (found(senco, date(2026, 12, 3)), found(senco, date(2026, 12, 4))) == (
        nothing_but(),
        nothing_but(monitoring_overdue=["Watched"]),
    )


def test_f_with_the_schools_term_dates_holidays_do_not_count(senco, school):
    _terms(school)
    _monitored(school, date(2026, 9, 3))
    assert (found(senco, date(2027, 1, 5)), found(senco, date(2027, 1, 6))) == (
        nothing_but(),
        nothing_but(monitoring_overdue=["Watched"]),
    )


def test_f_another_schools_terms_are_not_used(senco, school, other_school):
    _terms(other_school)
    _monitored(school, date(2026, 9, 3))
    assert found(senco, date(2026, 12, 10)) == nothing_but(monitoring_overdue=["Watched"])


def test_f_a_later_decision_ends_the_problem(senco, school):
    pupil = _monitored(school, date(2026, 1, 5))
    SenStatusChangeFactory(
        pupil=pupil, status=SenStatus.NO_SEN, primary_need=None, effective_from=date(2026, 4, 20)
    )
    assert found(senco) == nothing_but()


def test_f_says_when_the_decision_was_due_and_why(senco, school):
    _monitored(school, date(2026, 6, 1))
    section = next(s for s in register_health(senco, today=TODAY) if s.check.key == "monitoring_overdue")
    assert section.problems[0].detail == (
        "Monitoring since 1 Jun 2026; a decision was due by 31 Aug 2026 (13 weeks: no term dates recorded)"
    )


def test_another_schools_problems_never_show(senco, other_school):
    SenStatusChangeFactory(pupil=PupilFactory(school=other_school), status=SenStatus.EHC_PLAN)
    assert found(senco) == nothing_but()


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_senco_team_leadership_and_administrator_open_register_health(client, request, persona, school):
    PupilFactory(school=school, upn=temporary(school))
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert (response.status_code, response.context["total"]) == (200, 1)


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_others_get_403_on_register_health(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def _one_of_each_fixable_problem(school):
    """A pupil for each check fixed on the status page, named after what puts it right."""
    no_need = PupilFactory(school=school, first_name="Nia", last_name="Correct")
    imported(no_need, SenStatus.SEN_SUPPORT)
    undated = PupilFactory(school=school, first_name="Una", last_name="Correct")
    SenStatusChangeFactory(pupil=undated, status=SenStatus.EHC_PLAN)
    uninformed = PupilFactory(school=school, first_name="Ivy", last_name="Correct")
    imported(uninformed, SenStatus.SEN_SUPPORT, primary="SLCN", parents_informed_on=None)
    watched = PupilFactory(school=school, first_name="Wes", last_name="Decide")
    SenStatusChangeFactory(pupil=watched, status=SenStatus.MONITORING, effective_from=date(2025, 1, 6))
    return no_need, undated, uninformed, watched


def test_each_line_links_the_senco_to_the_page_that_puts_it_right(client, senco, school):
    # A correction keeps the date the status began; only a monitoring decision starts today.
    no_need, undated, uninformed, watched = _one_of_each_fixable_problem(school)
    client.force_login(senco)
    html = client.get(URL).content.decode()
    for pupil, key in (
        (no_need, "no_primary_need"),
        (undated, "ehc_plan_without_date"),
        (uninformed, "parents_not_informed"),
    ):
        correct = reverse("pupils:change_status", args=[pupil.pk]) + "?correct=1&amp;" + came_from(key)
        assert f'href="{correct}">Correct {pupil.full_name}' + "'s current status entry</a>" in html
    decide = reverse("pupils:change_status", args=[watched.pk]) + "?" + came_from("monitoring_overdue")
    assert f'href="{decide}">Record a decision on Wes Decide' + "'s SEN status</a>" in html
    record = reverse("pupils:detail", args=[watched.pk])
    assert f'<a href="{record}">Open Wes Decide' + "'s record</a>" in html


def test_leadership_and_the_office_get_the_record_link_only(client, head, school_admin, school):
    no_need, *_ = _one_of_each_fixable_problem(school)
    status_page = reverse("pupils:change_status", args=[no_need.pk])
    record = reverse("pupils:detail", args=[no_need.pk])
    for user in (head, school_admin):
        client.force_login(user)
        html = client.get(URL).content.decode()
        assert (status_page in html, f'<a href="{record}">' in html) == (False, True)


def test_following_the_correction_link_puts_parents_informed_right_without_moving_the_date(
    client, senco, school
):
    *_, uninformed, _ = _one_of_each_fixable_problem(school)
    client.force_login(senco)
    form = client.get(reverse("pupils:change_status", args=[uninformed.pk]), {"correct": "1"}).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "parents_informed_on": "2026-09-15",
        "parents_informed_how": "Letter home",
        "reason": "Correction: parents were told by letter.",
    }
    client.post(reverse("pupils:change_status", args=[uninformed.pk]) + "?correct=1", data)
    assert "Correct" not in found(senco)["parents_not_informed"]
    current = uninformed.sen_history.first()
    assert (current.status, current.effective_from, current.primary_need.code) == (
        SenStatus.SEN_SUPPORT,
        date(2026, 9, 14),
        "SLCN",
    )


def test_only_the_senco_team_is_offered_the_take_off_button(client, senco, head, school):
    pupil = PupilFactory(school=school, left_on=date(2026, 7, 22))
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2025, 9, 8))
    action = reverse("pupils:leaver_off_register", args=[pupil.pk])
    shown = []
    for user in (senco, head):
        client.force_login(user)
        shown.append(action in client.get(URL).content.decode())
    assert shown == [True, False]


@pytest.mark.parametrize("n", [1, 3])
def test_register_health_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    _terms(school)
    for index in range(n):
        imported(PupilFactory(school=school), SenStatus.SEN_SUPPORT, parents_informed_on=None)
        SenStatusChangeFactory(pupil=PupilFactory(school=school), status=SenStatus.EHC_PLAN)
        imported(PupilFactory(school=school, left_on=date(2026, 7, 22)), SenStatus.MONITORING)
        _monitored(school, date(2025, 1, 6) + timedelta(days=index))
        PupilFactory(school=school, upn=temporary(school, index))
    client.force_login(senco)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    # Five problems of this app's checks and a temporary UPN each time, and provision's "no
    # plan" for the pupils on SEN support and with an EHC plan.
    assert response.context["total"] == 8 * n


def test_the_home_pages_count_is_the_number_of_problems_the_page_lists(senco, school):
    _terms(school)
    imported(PupilFactory(school=school), SenStatus.SEN_SUPPORT, primary="SLCN", parents_informed_on=None)
    imported(PupilFactory(school=school), SenStatus.SEN_SUPPORT, primary=None)
    imported(PupilFactory(school=school), SenStatus.EHC_PLAN, primary="SLCN", ehc_plan_date=None)
    imported(PupilFactory(school=school, left_on=date(2026, 7, 22)), SenStatus.MONITORING)
    _monitored(school, date(2025, 1, 6))
    _monitored(school, TODAY - timedelta(days=7))  # still within its term: not a problem
    PupilFactory(school=school, upn=temporary(school))
    listed = sum(len(section.problems) for section in register_health(senco, today=TODAY))
    # One of each of this app's checks, and provision's "no plan" for the three on the register.
    assert register_health_count(senco, today=TODAY) == listed == 9


def test_home_page_shows_the_problem_count_and_links_to_the_page(client, senco, school):
    PupilFactory(school=school, upn=temporary(school))
    imported(PupilFactory(school=school, left_on=date(2026, 7, 22)), SenStatus.MONITORING)
    client.force_login(senco)
    response = client.get(reverse("home"))
    assert response.context["register_problems"] == 2
    assert f'<a href="{URL}">Register health: 2 problems to fix</a>' in response.content.decode()


def test_teachers_home_page_has_no_register_health(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("home"))
    assert ("register_problems" in response.context, URL in response.content.decode()) == (False, False)


def test_empty_school_register_health_answers_200(client, senco):
    client.force_login(senco)
    response = client.get(URL)
    assert (
        response.status_code,
        response.context["total"],
        "No problems found." in response.content.decode(),
    ) == (
        200,
        0,
        True,
    )


def test_demo_primary_has_a_few_leavers_and_a_couple_of_deliberate_problems(db):
    from senco.demo.seed import build_demo_trust, default_plans
    from senco.models import User

    build_demo_trust(seed=7, today=TODAY, plans=default_plans()[:1])
    senco = User.objects.get(username="senco")
    counts = {key: len(names) for key, names in found(senco).items()}
    ignored = {"parents_not_informed", "temporary_upn"}
    assert {key: n for key, n in counts.items() if key not in ignored} == {
        "no_primary_need": 1,
        "secondary_without_primary": 0,
        "ehc_plan_without_date": 1,
        "leaver_on_register": 1,
        "monitoring_overdue": 2,
    }
    left = leavers(senco, today=TODAY)
    assert (left.count(), due_for_review(left, today=TODAY, sen_years=31, record_years=25).count()) == (4, 1)
