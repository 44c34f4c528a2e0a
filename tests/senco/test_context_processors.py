"""The menu: each item is offered to exactly the roles its view's own declaration lets in."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from senco.context_processors import NAVIGATION, navigation
from senco.factories import staff_member
from senco.models import Role
from tests.senco.test_access import all_url_patterns

VIEWS = {name: pattern.callback for _, pattern, name in all_url_patterns()}


def menu_labels(client, user) -> list[str]:
    client.force_login(user)
    return [item["label"] for item in client.get(reverse("home")).context["nav_items"]]


@pytest.mark.parametrize("role", Role.values)
def test_each_menu_item_is_offered_to_exactly_the_roles_its_view_declares(client, school, role):
    expected = [label for label, name in NAVIGATION if role in VIEWS[name].access]
    assert menu_labels(client, staff_member(role=role, school=school)) == expected


def test_a_menu_item_follows_its_view_when_the_declaration_changes(client, school, monkeypatch):
    senco, governor = (staff_member(role=role, school=school) for role in (Role.SENCO, Role.GOVERNOR))
    before = ("SEN register" in menu_labels(client, senco), "SEN register" in menu_labels(client, governor))
    monkeypatch.setattr(VIEWS["pupils:register"], "access", frozenset({Role.GOVERNOR}))
    after = ("SEN register" in menu_labels(client, senco), "SEN register" in menu_labels(client, governor))
    assert (before, after) == ((True, False), (False, True))


def test_someone_with_no_school_gets_no_menu(senco):
    senco.memberships.all().delete()
    request = RequestFactory().get("/")
    request.user = type(senco).objects.get(pk=senco.pk)
    assert navigation(request) == {"nav_items": []}


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.SENCO, ["SEN register", "Register health", "Notional SEN budget"]),
        (Role.HEAD, ["SEN register", "Register health", "Notional SEN budget"]),
        (Role.ADMIN, ["SEN register", "Register health", "Notional SEN budget"]),
        (Role.TEACHER, ["My pupils"]),
        (Role.TA, ["My pupils"]),
        (Role.GOVERNOR, []),
    ],
)
def test_my_pupils_register_health_and_the_budget_are_in_the_menu_for_who_may_open_them(
    client, school, role, offered
):
    watched = ["My pupils", "SEN register", "Register health", "Notional SEN budget"]
    labels = menu_labels(client, staff_member(role=role, school=school))
    assert [label for label in labels if label in watched] == offered
