"""My pupils: a teacher's or TA's whole groups, on the SEN register or not, found by name, each a
click from logging a concern."""

import re
from datetime import date

import pytest
from django.urls import reverse

from pupils.factories import PupilFactory, SenStatusChangeFactory, TeachingGroupFactory
from pupils.models import Concern, GroupKind, NeedType, SenStatus
from senco.factories import staff_member
from senco.models import Role

URL = reverse("pupils:my_pupils")


def names(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


@pytest.mark.parametrize("persona", ["teacher", "ta"])
def test_teachers_and_tas_see_every_pupil_of_their_groups_but_no_other(
    client, request, school, class_3a, taught_pupil, untaught_pupil, persona
):
    on_support = PupilFactory(school=school, first_name="Bea", last_name="Supported", year_group=3)
    class_3a.pupils.add(on_support)
    SenStatusChangeFactory(pupil=on_support, status=SenStatus.SEN_SUPPORT)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert (response.status_code, names(response)) == (200, ["Bea Supported", "Ava Taught"])
    assert untaught_pupil.full_name not in response.content.decode()


@pytest.mark.parametrize("persona", ["senco", "head", "governor", "school_admin"])
def test_roles_without_a_class_of_their_own_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_another_schools_teacher_sees_none_of_ours(client, other_school, taught_pupil):
    client.force_login(staff_member(role=Role.TEACHER, school=other_school))
    response = client.get(URL)
    assert (response.status_code, names(response)) == (200, [])


def test_pupils_who_have_left_are_not_listed(client, teacher, school, class_3a, taught_pupil):
    class_3a.pupils.add(PupilFactory(school=school, last_name="Gone", left_on=date(2020, 7, 22)))
    client.force_login(teacher)
    assert names(client.get(URL)) == ["Ava Taught"]


def test_each_row_shows_year_registration_group_and_the_sen_status_where_there_is_one(
    client, teacher, school, class_3a, taught_pupil
):
    TeachingGroupFactory(school=school, name="Reg 3", kind=GroupKind.REGISTRATION, pupils=[taught_pupil])
    supported = PupilFactory(school=school, first_name="Bea", last_name="Supported", year_group=3)
    class_3a.pupils.add(supported)
    SenStatusChangeFactory(
        pupil=supported, status=SenStatus.SEN_SUPPORT, primary_need=NeedType.objects.get(code="SLCN")
    )
    taken_off = PupilFactory(school=school, first_name="Cal", last_name="Off", year_group=3)
    class_3a.pupils.add(taken_off)
    SenStatusChangeFactory(pupil=taken_off, status=SenStatus.NO_SEN, primary_need=None)
    client.force_login(teacher)
    html = client.get(URL).content.decode()
    rows = {
        name: html.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Ava Taught", "Bea Supported", "Cal Off")
    }
    assert ("Year 3" in rows["Ava Taught"], "Reg 3" in rows["Ava Taught"], "3A" in rows["Bea Supported"]) == (
        True,
        True,
        True,
    )
    # A pupil with no status, or taken off the register, shows no status at all.
    assert (
        "SEN support (SLCN)" in rows["Bea Supported"],
        "No SEN" in rows["Ava Taught"] + rows["Cal Off"],
    ) == (
        True,
        False,
    )


def test_the_search_finds_a_pupil_by_any_part_of_their_name(client, teacher, school, class_3a, taught_pupil):
    class_3a.pupils.add(
        PupilFactory(school=school, first_name="Robert", preferred_first_name="Bobby", last_name="Jones")
    )
    client.force_login(teacher)
    found = [names(client.get(URL, {"q": words})) for words in ("bobby", "JON", "ava taught", "nobody")]
    assert found == [["Bobby Jones"], ["Bobby Jones"], ["Ava Taught"], []]


def test_the_search_field_has_a_label_and_keeps_what_was_typed(client, teacher, taught_pupil):
    client.force_login(teacher)
    html = client.get(URL, {"q": "Ava"}).content.decode()
    label = re.search(r'<label\s+for="id_q"[^>]*>\s*([^<]+?)\s*</label>', html)
    assert (label and label[1], 'value="Ava"' in html, "None of your pupils" in html) == (
        "Search by name",
        True,
        False,
    )
    assert "None of your pupils match that name." in client.get(URL, {"q": "Zed"}).content.decode()


def test_each_row_offers_log_a_concern_for_that_pupil(client, teacher, taught_pupil):
    client.force_login(teacher)
    html = client.get(URL).content.decode()
    add = reverse("pupils:concern_add", args=[taught_pupil.pk])
    assert (f'href="{add}"' in html, f'href="{taught_pupil.get_absolute_url()}"' in html) == (True, True)


def test_a_teacher_logs_a_concern_about_a_pupil_not_on_the_register(client, teacher, taught_pupil):
    client.force_login(teacher)
    url = reverse("pupils:concern_add", args=[taught_pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "area": "semh",
            "observed": "Withdrawn at playtimes for three weeks.",
            "evidence": "Playground log.",
            "already_tried": "A buddy at lunch.",
        },
    )
    assert (response.status_code, Concern.objects.get().pupil) == (302, taught_pupil)


@pytest.mark.parametrize("n", [1, 3])
def test_my_pupils_queries_stay_flat(client, teacher, school, class_3a, n, django_assert_max_num_queries):
    for pupil in PupilFactory.create_batch(n, school=school):
        class_3a.pupils.add(pupil)
        SenStatusChangeFactory(pupil=pupil)
        TeachingGroupFactory(school=school, kind=GroupKind.REGISTRATION, pupils=[pupil])
    client.force_login(teacher)
    with django_assert_max_num_queries(7):
        response = client.get(URL)
    assert len(response.context["rows"]) == n


def test_the_teachers_home_page_links_to_my_pupils(client, teacher, class_3a):
    client.force_login(teacher)
    assert f'href="{URL}">My pupils</a>' in client.get(reverse("home")).content.decode()
