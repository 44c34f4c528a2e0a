"""A user holding two roles may do to each pupil exactly what one of the two roles alone allows,
never more and never less (docs/decisions/roles-and-reach.md).

For every pair of roles, a user holds both at the school; for each role, a user holds it alone.
Every one of them teaches and supports class 3A and delivers the taught pupil's provision group,
as the conftest personas do. Three scenes: the taught pupil (in 3A, in a group they deliver), the
untaught pupil (neither), and the taught pupil's record in a group someone else delivers. For
every view whose URL takes an id (generated from the URL patterns, so a new view is covered) the
pair's answer to GET, and to POST for the main actions, is allowed (200 or a redirect) exactly
when one of the two single roles' answers is; and on the pupil page the pair sees exactly the
union of the headings, links, forms and chronology entries each role alone sees.
"""

import re
from itertools import combinations

import pytest
from django.test import Client
from django.urls import reverse

from provision.services.groups import MEASURE_FIELDS, scores_token
from pupils.factories import ContactLogEntryFactory, PupilFactory
from senco.concurrency import version_token
from senco.factories import staff_member
from senco.models import Membership, Role
from tests.senco.pupil_records import NOT_ABOUT_A_PUPIL, TAKING_IDS, build_scene, kwargs_for, unknown

# The same PDF is asked for by every user; each distinct one is laid out once (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("each_pdf_laid_out_once")

ROLES = list(Role.values)
PAIRS = list(combinations(ROLES, 2))
ALLOWED, REFUSED = {200, 302}, {403, 404}


def _concern_data(scene, user, kwargs) -> dict:
    return {
        "area": "cognition",
        "observed": "Reverses b and d.",
        "evidence": "Spelling test.",
        "already_tried": "-",
    }


def _measures_data(scene, user, kwargs) -> dict:
    placement = scene.records["placement"]
    placement.refresh_from_db()
    return {
        "version": version_token(placement, fields=MEASURE_FIELDS),
        "entry_score": "85",
        "entry_measured_on": placement.joined_on.isoformat(),
    }


def _scores_data(scene, user, kwargs) -> dict:
    placements = list(scene.group.placements.order_by("pk"))
    data = {"version": scores_token(placements), "measured_on": scene.group.starts_on.isoformat()}
    for placement in placements:
        data[f"entry_score_{placement.pk}"] = "90"
    return data


# The main actions, posted with what a user would type: raise a concern, comment on a plan,
# record one pupil's measures and a group's scores.
POSTED = {
    "pupils:concern_add": _concern_data,
    "provision:plan_comment": lambda scene, user, kwargs: {"body": "Reading at home every night."},
    "provision:placement_measures": _measures_data,
    "provision:group_scores": _scores_data,
}


# Scenes in which a group's own staff matter: records reached through a provision group.
THROUGH_A_GROUP = ("group", "session", "placement", "scores", "measures")


@pytest.fixture
def people(school, class_3a):
    """One user for each role alone and one for each pair, all teaching and supporting 3A, each
    with a signed-in client."""
    users = {}
    for roles in [(role,) for role in ROLES] + PAIRS:
        user = staff_member(role=roles[0], school=school, username="as-" + "-".join(roles))
        for role in roles[1:]:
            Membership.objects.create(user=user, school=school, role=role)
        class_3a.teachers.add(user)
        class_3a.assistants.add(user)
        user.client = Client()
        user.client.force_login(user)
        users[roles] = user
    return users


@pytest.fixture
def scenes(school, taught_pupil, untaught_pupil, people):
    everyone = list(people.values())
    return {
        "taught": build_scene(school, taught_pupil, delivered_by=everyone),
        "untaught": build_scene(school, untaught_pupil, delivered_by=[]),
        "taught, in a group they do not deliver": build_scene(
            school, PupilFactory(school=school, year_group=3), delivered_by=[]
        ),
    }


@pytest.fixture
def in_3a(scenes, class_3a):
    class_3a.pupils.add(scenes["taught, in a group they do not deliver"].pupil)


def _answer(user, method: str, url: str, data: dict | None = None) -> bool | None:
    """True if allowed, False if refused, None if the view does not answer `method`."""
    status = getattr(user.client, method)(url, data or {}).status_code
    if status == 405:
        return None
    assert status in ALLOWED | REFUSED, f"{method.upper()} {url} as {user.username}: {status}"
    return status in ALLOWED


@pytest.mark.parametrize(("name", "pattern"), TAKING_IDS, ids=[name for name, _ in TAKING_IDS])
def test_two_roles_reach_exactly_what_one_of_them_alone_reaches(people, scenes, in_3a, name, pattern):
    if message := unknown(name, pattern):
        pytest.fail(message)
    methods = ["get", "post"] if name in POSTED else ["get"]
    if name in NOT_ABOUT_A_PUPIL:
        scenes = {"taught": scenes["taught"]}  # the school's own record: the pupil is irrelevant
    elif not any(word in name for word in THROUGH_A_GROUP):
        scenes = {
            key: scene for key, scene in scenes.items() if key != "taught, in a group they do not deliver"
        }
    answers = {}
    for scene_name, scene in scenes.items():
        for method in methods:
            for roles, user in people.items():  # each role alone first, then the pairs
                if len(roles) == 2 and None in {answers[scene_name, method, (role,)] for role in ROLES}:
                    break  # a POST-only action answers GET with 405: nothing to compare
                kwargs = kwargs_for(name, pattern, scene, user)
                data = POSTED[name](scene, user, kwargs) if method == "post" else None
                answers[scene_name, method, roles] = _answer(user, method, reverse(name, kwargs=kwargs), data)
    wrong = {
        (scene_name, method, pair): answers[scene_name, method, pair]
        for scene_name, method, pair in answers
        if len(pair) == 2
        and answers[scene_name, method, pair]
        != (answers[scene_name, method, pair[:1]] or answers[scene_name, method, pair[1:]])
    }
    assert wrong == {}, f"{name}: pairs allowed (True) or refused (False) unlike either role alone"


# The pupil page: what each capability adds must come with that capability's own reach.

MAIN = re.compile(r"<main\b.*?</main>", re.S)
HEADING = re.compile(r"<h[23]\b[^>]*>(.*?)</h[23]>", re.S)
LINK = re.compile(r'\b(?:href|action)="([^"#]+)"')
ENTRY = re.compile(r"<tr><td>[^<]*</td><td>(.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")


def _shown(user, pupil) -> set[str]:
    """Headings, link and form targets and chronology entries of the pupil page as `user` sees it."""
    response = user.client.get(reverse("pupils:detail", args=[pupil.pk]))
    if response.status_code in REFUSED:
        return set()
    assert response.status_code == 200
    main = MAIN.search(response.content.decode()).group(0)
    headings = {"heading: " + " ".join(TAG.sub("", text).split()) for text in HEADING.findall(main)}
    links = {"link: " + url for url in LINK.findall(main)}
    entries = {"entry: " + " ".join(TAG.sub("", text).split()) for text in ENTRY.findall(main)}
    return headings | links | entries


def test_the_pupil_page_shows_a_pair_the_union_of_what_each_role_alone_sees(people, scenes, in_3a):
    for scene in scenes.values():
        ContactLogEntryFactory(pupil=scene.pupil, summary="Phoned about reading at home.")
    shown = {
        (scene_name, roles): _shown(user, scene.pupil)
        for scene_name, scene in scenes.items()
        for roles, user in people.items()
    }
    wrong = {}
    for scene_name in scenes:
        for pair in PAIRS:
            union = shown[scene_name, pair[:1]] | shown[scene_name, pair[1:]]
            pair_sees = shown[scene_name, pair]
            if pair_sees != union:
                wrong[scene_name, pair] = {"more": pair_sees - union, "less": union - pair_sees}
    assert wrong == {}
