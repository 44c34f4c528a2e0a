"""Term dates: entered by the school office or the SENCO team, imported from a file all or
nothing, copied forward a year, and read back as the calendar every school-day rule uses."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from senco.factories import AcademicYearFactory, TermFactory, english_school_year, staff_member
from senco.models import AuditEvent, Closure, Role, Term
from senco.rules import academic_year_of
from senco.selectors import school_calendar, school_year_rows
from senco.services.calendar import save_school_year

GOOD_FILE = (
    b"kind,starts_on,ends_on,name\n"
    b"autumn,2026-09-01,2026-12-18,\n"
    b"half_term,2026-10-26,2026-10-30,October half-term\n"
    b"spring,2027-01-04,2027-03-26,\n"
    b"summer,2027-04-12,2027-07-21,\n"
)


def formset_data(rows, *, extra=0):
    data = {"form-TOTAL_FORMS": str(len(rows) + extra), "form-INITIAL_FORMS": "0"}
    for index, (kind, first, last) in enumerate(rows):
        data |= {f"form-{index}-kind": kind, f"form-{index}-starts_on": first, f"form-{index}-ends_on": last}
    return data


def test_the_school_administrator_enters_a_years_terms_and_closures(client, school_admin):
    client.force_login(school_admin)
    rows = [
        ("autumn", "2026-09-01", "2026-12-18"),
        ("half_term", "2026-10-26", "2026-10-30"),
        ("spring", "2027-01-04", "2027-03-26"),
        ("summer", "2027-04-12", "2027-07-21"),
    ]
    response = client.post(reverse("senco:calendar_year", args=[2026]), formset_data(rows, extra=2))
    assert response.status_code == 302
    assert list(Term.objects.values_list("season", "starts_on")) == [
        ("autumn", date(2026, 9, 1)),
        ("spring", date(2027, 1, 4)),
        ("summer", date(2027, 4, 12)),
    ]
    assert list(Closure.objects.values_list("kind", "ends_on")) == [("half_term", date(2026, 10, 30))]
    assert AuditEvent.objects.filter(action="calendar.saved", actor=school_admin).count() == 1


def test_a_year_with_problems_saves_nothing_and_keeps_what_was_typed(client, senco):
    client.force_login(senco)
    rows = [("autumn", "2026-09-01", "2026-12-18"), ("half_term", "2027-04-01", "2027-04-09")]
    response = client.post(reverse("senco:calendar_year", args=[2026]), formset_data(rows))
    assert response.status_code == 200
    assert response.context["problems"] == [
        "2026/27 needs one spring term (0 given).",
        "2026/27 needs one summer term (0 given).",
        "The half term from 01/04/2027 is not inside a term of 2026/27.",
    ]
    assert 'value="2027-04-01"' in response.content.decode()
    assert Term.objects.count() == 0


def test_saving_a_year_again_replaces_it_rather_than_adding_to_it(senco):
    for _ in range(2):
        save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)
    assert Term.objects.count() == 3
    assert school_year_rows(senco.school, start_year=2026) == sorted(
        english_school_year(2026), key=lambda row: (row.starts_on, row.kind)
    )


def test_a_good_file_is_imported(client, senco):
    client.force_login(senco)
    upload = {"file": _file(GOOD_FILE)}
    response = client.post(reverse("senco:calendar_import"), upload)
    assert response.status_code == 302
    assert school_calendar(senco.school).years == frozenset({2026})
    assert AuditEvent.objects.filter(action="calendar.imported").count() == 1


def test_a_file_with_one_bad_year_changes_nothing_and_lists_every_problem(client, senco):
    client.force_login(senco)
    content = GOOD_FILE + b"autumn,2027-09-01,2027-12-17,\n"  # 2027/28 lacks two terms
    response = client.post(reverse("senco:calendar_import"), {"file": _file(content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "2027/28 needs one spring term (0 given).",
        "2027/28 needs one summer term (0 given).",
    ]
    assert Term.objects.count() == 0


def test_copying_forward_starts_next_year_52_weeks_on_and_opens_it_for_editing(client, senco):
    save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)
    client.force_login(senco)
    response = client.post(reverse("senco:calendar_copy", args=[2026]))
    assert response.url == reverse("senco:calendar_year", args=[2027])
    autumn = Term.objects.get(academic_year__start_year=2027, season="autumn")
    assert (autumn.starts_on, autumn.ends_on) == (date(2027, 8, 31), date(2027, 12, 17))
    assert Closure.objects.filter(academic_year__start_year=2027).count() == 5


def test_copying_forward_never_overwrites_a_year_already_entered(client, senco):
    for year in (2026, 2027):
        save_school_year(school=senco.school, start_year=year, rows=english_school_year(year), by=senco)
    client.force_login(senco)
    response = client.post(reverse("senco:calendar_copy", args=[2026]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["2027/28 already has term dates."]
    assert school_year_rows(senco.school, start_year=2027) == sorted(
        english_school_year(2027), key=lambda row: (row.starts_on, row.kind)
    )


def test_the_term_dates_page_says_plainly_which_years_are_missing(client, senco, head):
    this_year = academic_year_of(timezone.localdate())
    save_school_year(school=senco.school, start_year=this_year, rows=english_school_year(this_year), by=senco)
    client.force_login(head)
    response = client.get(reverse("senco:calendar"))
    assert response.context["missing"] == [f"{this_year + 1}/{(this_year + 2) % 100:02d}"]
    assert response.context["can_edit"] is False


def test_the_head_reads_term_dates_but_may_not_change_them(client, head):
    client.force_login(head)
    response = client.post(reverse("senco:calendar_year", args=[2026]), formset_data([]))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_classroom_staff_and_governors_get_403_for_term_dates(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("senco:calendar")).status_code == 403
    assert client.get(reverse("senco:calendar_year", args=[2026])).status_code == 403


def test_the_term_dates_page_shows_only_the_users_school(client, senco, other_school):
    TermFactory(academic_year=AcademicYearFactory(school=other_school, start_year=2031))
    client.force_login(senco)
    response = client.get(reverse("senco:calendar"))
    assert list(response.context["years"]) == []


def test_a_year_counts_as_covered_only_with_all_three_terms(senco, django_assert_num_queries):
    TermFactory(academic_year=AcademicYearFactory(school=senco.school, start_year=2025))
    save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)
    with django_assert_num_queries(1):
        calendar = school_calendar(senco.school)
    assert calendar.years == frozenset({2026})
    assert len(calendar.terms) == 4
    assert len(calendar.closures) == 5


def test_a_year_outside_the_range_is_not_found(client, senco):
    client.force_login(senco)
    assert client.get(reverse("senco:calendar_year", args=[9999])).status_code == 404


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("term-dates.csv", content, content_type="text/csv")


def test_another_schools_term_dates_never_fill_our_form_and_are_never_copied(client, senco, other_school):
    other_senco = staff_member(role=Role.SENCO, school=other_school)
    save_school_year(school=other_school, start_year=2026, rows=english_school_year(2026), by=other_senco)
    client.force_login(senco)
    response = client.get(reverse("senco:calendar_year", args=[2026]))
    assert [form.initial for form in response.context["formset"]] == [{}] * 4
    client.post(reverse("senco:calendar_copy", args=[2026]))
    assert Term.objects.filter(academic_year__school=senco.school).count() == 0
    assert Term.objects.filter(academic_year__start_year=2027).count() == 0


@pytest.mark.parametrize("years", [1, 3])
def test_the_term_dates_page_queries_stay_flat(client, senco, years, django_assert_max_num_queries):
    for year in range(2026, 2026 + years):
        save_school_year(school=senco.school, start_year=year, rows=english_school_year(year), by=senco)
    client.force_login(senco)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("senco:calendar"))
    assert [str(year) for year in response.context["years"]] == [
        f"{y}/{(y + 1) % 100:02d}" for y in range(2025 + years, 2025, -1)
    ]
