"""The SEN register: who sees it, what it lists, its filters, counts, pages and CSV export."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pupils.factories import PupilFactory, SenStatusChangeFactory, TeachingGroupFactory
from pupils.models import NeedType, Pupil, SenStatus, SenStatusChange, TeachingGroup
from pupils.services.register import sync_current_sen_status
from senco.factories import staff_member
from senco.models import AuditEvent, Role

URL = reverse("pupils:register")
CSV_URL = reverse("pupils:register_csv")


def on_register(school, status=SenStatus.SEN_SUPPORT, *, need="SLCN", secondary=None, **fields):
    pupil = PupilFactory(school=school, **fields)
    if status is not None:
        SenStatusChangeFactory(
            pupil=pupil,
            status=status,
            primary_need=NeedType.objects.get(code=need) if status in ("sen_support", "ehc_plan") else None,
            secondary_need=NeedType.objects.get(code=secondary) if secondary else None,
        )
    return pupil


def names(response):
    return [row.name for row in response.context["rows"]]


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


@pytest.fixture
def mixed(school):
    """One pupil of each status, in different years, with names that sort in a known order."""
    return {
        "ehc": on_register(
            school, SenStatus.EHC_PLAN, need="ASD", first_name="Ed", last_name="Carter", year_group=5
        ),
        "support": on_register(
            school, need="SEMH", secondary="SLCN", first_name="Sue", last_name="Adams", year_group=2
        ),
        "monitoring": on_register(
            school, SenStatus.MONITORING, first_name="Mo", last_name="Baker", year_group=6
        ),
        "no_sen": on_register(school, None, first_name="Nat", last_name="Dunn", year_group=1),
        "was_sen": on_register(school, SenStatus.NO_SEN, first_name="Wes", last_name="Evans", year_group=3),
    }


def test_senco_sees_pupils_with_an_sen_status_by_default_sorted_by_name(client, senco, mixed):
    response = get(client, senco)
    assert names(response) == ["Sue Adams", "Mo Baker", "Ed Carter"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("ehc_plan", ["Ed Carter"]),
        ("sen_support", ["Sue Adams"]),
        ("monitoring", ["Mo Baker"]),
        ("none", ["Nat Dunn", "Wes Evans"]),
        ("all", ["Sue Adams", "Mo Baker", "Ed Carter", "Nat Dunn", "Wes Evans"]),
    ],
)
def test_status_filter_chooses_one_status_those_not_on_the_register_or_everyone_on_roll(
    client, senco, mixed, status, expected
):
    assert names(get(client, senco, status=status)) == expected


def test_not_on_the_register_leaves_out_leavers_and_combines_with_a_name_search(client, senco, school, mixed):
    on_register(school, None, first_name="Nat", last_name="Gone", left_on=date(2020, 7, 22))
    response = get(client, senco, status="none", q="nat")
    assert (names(response), response.context["counts"]["total"]) == (["Nat Dunn"], 1)
    assert "Not on the register (no SEN)" in response.content.decode()


def test_counts_show_each_status_and_the_total_matching(client, senco, mixed):
    counts = get(client, senco).context["counts"]
    assert (counts["ehc_plan"], counts["sen_support"], counts["monitoring"], counts["total"]) == (1, 1, 1, 3)


def test_counts_follow_the_filters(client, senco, mixed):
    counts = get(client, senco, year_group=5).context["counts"]
    assert (counts["ehc_plan"], counts["sen_support"], counts["monitoring"], counts["total"]) == (1, 0, 0, 1)


def test_a_filter_changed_in_the_browser_gets_only_the_results(client, senco, mixed):
    # htmx sends HX-Request; the page swaps the results in and keeps its filters (R17).
    client.force_login(senco)
    response = client.get(URL, {"year_group": 5}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert ([t.name for t in response.templates], names(response)) == (
        ["pupils/partials/register_results.html", "partials/pagination.html"],
        ["Ed Carter"],
    )
    assert (
        html.lstrip().startswith('<p id="register-status"'),
        "1 pupil matches the filters." in html,
        "<form" in html,
    ) == (True, True, False)


def test_the_register_without_htmx_is_the_whole_page_with_the_same_results(client, senco, mixed):
    client.force_login(senco)
    response = client.get(URL, {"year_group": 5})
    html = response.content.decode()
    assert (
        "pupils/register.html" in [t.name for t in response.templates],
        "pupils/partials/register_results.html" in [t.name for t in response.templates],
        names(response),
        html.count('id="register-results"'),
        '<h2 id="filters-heading"' in html,
    ) == (True, True, ["Ed Carter"], 1, True)


@pytest.mark.parametrize(
    ("query", "in_use"),
    [({}, 0), ({"q": "Ed", "sort": "year"}, 0), ({"status": "ehc_plan", "year_group": 5, "eal": "on"}, 3)],
)
def test_the_folded_filters_open_and_say_how_many_are_in_use(client, senco, mixed, query, in_use):
    # On a phone all but the name search fold behind one button; set ones must not hide there.
    client.force_login(senco)
    html = client.get(URL, query).content.decode()
    opened = 'id="register-filters" class="collapse show d-md-block"' in html
    assert (opened, f"More filters ({in_use} in use)" in html) == (in_use > 0, in_use > 0)


def test_the_register_tells_caches_it_differs_with_and_without_htmx(client, senco, mixed):
    client.force_login(senco)
    response = client.get(URL)
    assert ("HX-Request" in response["Vary"], response["Cache-Control"]) == (True, "private, no-store")


def test_rows_show_year_group_status_needs_and_flags(client, senco, school, mixed):
    TeachingGroupFactory(school=school, name="2B", pupils=[mixed["support"]])
    Pupil.objects.filter(pk=mixed["support"].pk).update(pupil_premium=True, eal=True)
    row = get(client, senco, status="sen_support").context["rows"][0]
    assert (row.name, row.year, row.registration_group, row.status, row.primary_need, row.secondary_need) == (
        "Sue Adams",
        "Year 2",
        "2B",
        "SEN support",
        "SEMH",
        "SLCN",
    )
    assert row.flags == [("PP", "Pupil premium"), ("EAL", "English as an additional language")]


def test_registration_group_is_preferred_to_the_class(client, senco, school, mixed):
    TeachingGroupFactory(school=school, name="Maths 5", pupils=[mixed["ehc"]], kind="set")
    TeachingGroupFactory(school=school, name="5C", pupils=[mixed["ehc"]], kind="class")
    TeachingGroupFactory(school=school, name="10RG", pupils=[mixed["ehc"]], kind="registration")
    assert get(client, senco, status="ehc_plan").context["rows"][0].registration_group == "10RG"


def test_name_links_to_the_pupil_page(client, senco, mixed):
    html = get(client, senco).content.decode()
    assert f'href="{reverse("pupils:detail", args=[mixed["ehc"].pk])}"' in html


def test_filter_by_primary_need(client, senco, mixed):
    asd = NeedType.objects.get(code="ASD")
    assert names(get(client, senco, primary_need=asd.pk)) == ["Ed Carter"]


def test_filter_by_broad_area_of_the_primary_need(client, senco, mixed):
    assert names(get(client, senco, area="semh")) == ["Sue Adams"]
    assert names(get(client, senco, area="communication")) == ["Ed Carter"]


def test_filter_by_year_group(client, senco, mixed):
    assert names(get(client, senco, year_group=6)) == ["Mo Baker"]


def test_filter_by_teaching_group(client, senco, school, mixed):
    group = TeachingGroupFactory(school=school, name="Phonics", pupils=[mixed["ehc"], mixed["no_sen"]])
    assert names(get(client, senco, group=group.pk)) == ["Ed Carter"]


def test_another_schools_group_cannot_be_chosen(client, senco, other_school, mixed):
    theirs = TeachingGroupFactory(school=other_school, name="Theirs")
    response = get(client, senco, group=theirs.pk)
    assert (response.status_code, list(response.context["filter"].form.errors)) == (200, ["group"])


@pytest.mark.parametrize(
    "flag",
    ["looked_after", "previously_looked_after", "pupil_premium", "free_school_meals", "eal", "young_carer"],
)
def test_filter_by_each_flag(client, senco, mixed, flag):
    Pupil.objects.filter(pk=mixed["monitoring"].pk).update(**{flag: True})
    Pupil.objects.filter(pk=mixed["no_sen"].pk).update(**{flag: True})
    assert names(get(client, senco, **{flag: "on"})) == ["Mo Baker"]


@pytest.mark.parametrize("term", ["carter", "ED", "ed carter", "Teddy"])
def test_search_matches_legal_or_preferred_names(client, senco, mixed, term):
    Pupil.objects.filter(pk=mixed["ehc"].pk).update(preferred_first_name="Teddy")
    assert names(get(client, senco, q=term)) == ["Teddy Carter"]


def test_search_matches_the_upn(client, senco, mixed):
    assert names(get(client, senco, q=mixed["support"].upn.lower())) == ["Sue Adams"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Sue Adams", "Mo Baker", "Ed Carter"]),
        ("year", ["Sue Adams", "Ed Carter", "Mo Baker"]),
        ("status", ["Ed Carter", "Sue Adams", "Mo Baker"]),
        ("need", ["Ed Carter", "Sue Adams", "Mo Baker"]),
    ],
)
def test_sort_orders(client, senco, mixed, sort, expected):
    assert names(get(client, senco, sort=sort)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "last_name; DROP TABLE pupils_pupil"}, "sort"),
        ({"status": "statement"}, "status"),
        ({"year_group": "14"}, "year_group"),
        ({"primary_need": "999999"}, "primary_need"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_filter_values_re_render_with_the_error_and_the_default_list(client, senco, mixed, params, field):
    response = get(client, senco, **params)
    assert (response.status_code, list(response.context["filter"].form.errors), names(response)) == (
        200,
        [field],
        ["Sue Adams", "Mo Baker", "Ed Carter"],
    )
    assert "Some filters could not be used" in response.content.decode()


def test_leavers_and_other_schools_pupils_are_not_on_the_register(client, senco, school, other_school):
    today = timezone.localdate()
    on_register(school, first_name="Stays", last_name="Here")
    on_register(school, first_name="Left", last_name="Already", left_on=today - timedelta(days=1))
    on_register(other_school, first_name="Other", last_name="School")
    assert names(get(client, senco)) == ["Stays Here"]


@pytest.mark.parametrize("persona", ["senco", "head", "school_admin"])
def test_senco_team_leadership_and_administrator_open_the_register(client, request, persona, mixed):
    assert get(client, request.getfixturevalue(persona)).status_code == 200


def test_deputy_senco_and_senior_leader_open_the_register(client, school, mixed):
    for role in (Role.DEPUTY_SENCO, Role.SENIOR_LEADER):
        assert get(client, staff_member(role=role, school=school)).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor"])
def test_classroom_staff_and_governors_get_403(client, request, persona, taught_pupil):
    client.force_login(request.getfixturevalue(persona))
    assert (client.get(URL).status_code, client.get(CSV_URL).status_code) == (403, 403)


def test_another_schools_senco_sees_none_of_our_pupils(client, other_school_senco, mixed):
    assert names(get(client, other_school_senco, status="all")) == []


def test_fifty_pupils_a_page(client, senco, school):
    make_register(school, 51)
    first, second = get(client, senco), get(client, senco, page=2)
    assert (len(first.context["rows"]), len(second.context["rows"]), first.context["counts"]["total"]) == (
        50,
        1,
        51,
    )


def test_pagination_links_keep_the_filters(client, senco, school):
    make_register(school, 51)
    Pupil.objects.filter(school=school).update(pupil_premium=True)
    html = get(client, senco, year_group=3, pupil_premium="on").content.decode()
    assert "year_group=3&amp;pupil_premium=on&amp;page=2" in html


def test_register_is_second_in_the_menu_for_the_senco_and_my_pupils_for_the_teacher(client, senco, teacher):
    first_two = []
    for user in (senco, teacher):
        client.force_login(user)
        first_two.append([item["label"] for item in client.get(reverse("home")).context["nav_items"]][:2])
    assert first_two == [["Home", "SEN register"], ["Home", "My pupils"]]


def test_teachers_menu_has_no_register(client, teacher):
    client.force_login(teacher)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert "SEN register" not in labels


def make_register(school, n):
    """`n` pupils on SEN support, each in a class, made in bulk."""
    pupils = Pupil.objects.bulk_create(PupilFactory.build(school=school) for _ in range(n))
    slcn, asd = NeedType.objects.get(code="SLCN"), NeedType.objects.get(code="ASD")
    SenStatusChange.objects.bulk_create(
        SenStatusChange(
            pupil=pupil,
            status=SenStatus.SEN_SUPPORT,
            primary_need=slcn,
            secondary_need=asd,
            effective_from=date(2026, 9, 14),
            reason="Imported",
        )
        for pupil in pupils
    )
    sync_current_sen_status(pupil_ids=[pupil.pk for pupil in pupils], today=date(2026, 9, 14))
    group = TeachingGroupFactory(school=school, name="3A-bulk")
    TeachingGroup.pupils.through.objects.bulk_create(
        TeachingGroup.pupils.through(teachinggroup=group, pupil=pupil) for pupil in pupils
    )
    return pupils


@pytest.mark.parametrize("n", [50, 500])
def test_register_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    make_register(school, n)
    client.force_login(senco)
    # The paginator is told the count the status counts add up to: no count of its own.
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"sort": "need"})
    assert response.context["counts"]["total"] == n


@pytest.mark.parametrize("n", [50, 500])
def test_csv_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    make_register(school, n)
    client.force_login(senco)
    # 3 of them its audit row's (PostgreSQL), 1 the day's check that every status copy is in force
    with django_assert_max_num_queries(11):
        response = client.get(CSV_URL)
    assert len(read_csv(response)) == n + 1


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_exports_every_page_with_the_same_filters_and_columns(client, senco, school, mixed):
    make_register(school, 60)
    client.force_login(senco)
    response = client.get(CSV_URL, {"status": "sen_support", "page": 1})
    rows = read_csv(response)
    sue = mixed["support"]
    assert (len(rows), rows[1]) == (
        62,
        [
            "Sue Adams",
            sue.upn,
            sue.date_of_birth.isoformat(),
            "Year 2",
            "",
            "SEN support",
            "K",
            "SEMH",
            "SLCN",
            "",
        ],
    )


def test_csv_rows_match_the_page(client, senco, school, mixed):
    Pupil.objects.filter(pk=mixed["ehc"].pk).update(looked_after=True, young_carer=True)
    client.force_login(senco)
    page_rows = [row.cells() for row in client.get(URL, {"sort": "status"}).context["rows"]]
    assert read_csv(client.get(CSV_URL, {"sort": "status"}))[1:] == page_rows
    ed = mixed["ehc"]
    assert page_rows[0] == [
        "Ed Carter",
        ed.upn,
        ed.date_of_birth.isoformat(),
        "Year 5",
        "",
        "EHC plan",
        "E",
        "ASD",
        "",
        "LAC YC",
    ]


def test_csv_is_a_download_named_after_the_school_and_date(client, senco, mixed):
    client.force_login(senco)
    response = client.get(CSV_URL)
    today = timezone.localdate()
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        f'attachment; filename="sen-register-oakfield-primary-school-{today:%Y-%m-%d}.csv"',
    )


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_cannot_start_a_formula(client, senco, school, name):
    on_register(school, first_name=name, last_name="Zed")
    client.force_login(senco)
    assert read_csv(client.get(CSV_URL))[1][0] == f"'{name} Zed"


def test_csv_keeps_accents_readable(client, senco, school):
    on_register(school, first_name="Zoë", last_name="Nowak-Øster")
    client.force_login(senco)
    assert read_csv(client.get(CSV_URL))[1][0] == "Zoë Nowak-Øster"


def test_each_export_writes_one_audit_row_with_the_filters_and_row_count(client, senco, school, mixed):
    make_register(school, 60)
    client.force_login(senco)
    client.get(CSV_URL, {"status": "sen_support", "year_group": 3, "pupil_premium": "", "q": ""})
    event = AuditEvent.objects.get(action="register.exported")
    assert (event.actor, event.school, event.pupil_id, event.summary) == (
        senco,
        school,
        None,
        "60 pupils; SEN status: SEN support; Year 3",
    )


def test_export_summary_names_every_filter_but_not_the_search_words(client, senco, school, mixed):
    group = TeachingGroupFactory(school=school, name="5C", pupils=[mixed["ehc"]])
    client.force_login(senco)
    client.get(
        CSV_URL,
        {
            "primary_need": NeedType.objects.get(code="ASD").pk,
            "area": "communication",
            "group": group.pk,
            "looked_after": "on",
            "q": "Carter",
        },
    )
    Pupil.objects.filter(pk=mixed["ehc"].pk).update(looked_after=True)
    client.get(CSV_URL, {"group": group.pk, "looked_after": "on", "q": "Carter"})
    summaries = list(
        AuditEvent.objects.filter(action="register.exported").order_by("id").values_list("summary", flat=True)
    )
    assert summaries == [
        "0 pupils; SEN status: Any SEN status (monitoring, SEN support, EHC plan); primary need: ASD; "
        "area: Communication and interaction; group: 5C; Looked after; name or UPN search",
        "1 pupil; SEN status: Any SEN status (monitoring, SEN support, EHC plan); group: 5C; Looked after; "
        "name or UPN search",
    ]
    assert "Carter" not in " ".join(summaries)


def test_viewing_the_register_writes_no_audit_row(client, senco, mixed):
    get(client, senco)
    assert AuditEvent.objects.filter(action="register.exported").count() == 0


def test_register_page_offers_the_csv_of_the_same_filters(client, senco, mixed):
    html = get(client, senco, year_group=5, page=1).content.decode()
    assert f'href="{CSV_URL}?year_group=5"' in html


def test_empty_school_register_answers_200_with_zero_counts(client, senco):
    response = get(client, senco)
    assert (response.status_code, response.context["counts"]["total"], names(response)) == (200, 0, [])


def test_the_csv_has_the_upn_date_of_birth_and_the_census_codes_to_check_before_the_census(
    client, senco, mixed
):
    client.force_login(senco)
    rows = read_csv(client.get(CSV_URL, {"sort": "status"}))
    assert rows[0] == [
        "Name",
        "UPN",
        "Date of birth",
        "Year",
        "Registration group",
        "SEN status",
        "Census SEN provision",
        "Primary need",
        "Secondary need",
        "Flags",
    ]
    pupils = [mixed["ehc"], mixed["support"], mixed["monitoring"]]
    assert [row[1:3] + row[5:9] for row in rows[1:]] == [
        [p.upn, p.date_of_birth.isoformat(), status, code, primary, secondary]
        for p, (status, code, primary, secondary) in zip(
            pupils,
            [("EHC plan", "E", "ASD", ""), ("SEN support", "K", "SEMH", "SLCN"), ("Monitoring", "N", "", "")],
            strict=True,
        )
    ]


def test_the_counts_say_how_the_census_records_each_status(client, senco, mixed):
    html = get(client, senco).content.decode()
    cards = ["EHC plan (E)", "SEN support (K)", "Monitoring (recorded as N in the census)"]
    assert [f'<h2 class="h6 card-title">{label}</h2>' in html for label in cards] == [True, True, True]
