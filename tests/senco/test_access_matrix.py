"""Every URL pattern against every role it does not declare, and against signed-out visitors.

`allow()` refuses a role before the view runs, so dummy values fill the URL's parameters: the
refusal must come whatever the record. Per-app tests cover the allowed roles and other schools.
"""

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.urls.converters import IntConverter

from senco.factories import staff_member
from senco.models import Role
from tests.senco.conftest import all_url_patterns

METHODS = ("get", "post")


def _dummy_url(pattern, name: str) -> str:
    kwargs = {
        key: 7 if isinstance(converter, IntConverter) else "dummy"
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


# (URL name, URL with dummy parameters, the roles its view declares), for every non-public view.
DECLARED = sorted(
    (name, _dummy_url(pattern, name), pattern.callback.access)
    for _, pattern, name in all_url_patterns()
    if isinstance(pattern.callback.access, frozenset)
)


@pytest.mark.parametrize(("name", "url", "roles"), DECLARED, ids=[name for name, _, _ in DECLARED])
def test_roles_a_view_does_not_declare_get_403_for_get_and_post(client, school, name, url, roles):
    refused = [role for role in Role.values if role not in roles]
    answers = {}
    for role in refused:
        client.force_login(staff_member(role=role, school=school))
        for method in METHODS:
            answers[role, method] = getattr(client, method)(url).status_code
    assert answers == {(role, method): 403 for role in refused for method in METHODS}


@pytest.mark.parametrize(("name", "url", "roles"), DECLARED, ids=[name for name, _, _ in DECLARED])
def test_signed_out_visitors_are_sent_to_sign_in_from_every_view(client, db, name, url, roles):
    answers = {method: getattr(client, method)(url) for method in METHODS}
    expected = redirect_to_login(url)["Location"]
    assert {method: (r.status_code, r["Location"]) for method, r in answers.items()} == dict.fromkeys(
        METHODS, (302, expected)
    )


def test_the_matrix_reaches_views_with_parameters():
    # The passport version views had no wrong-role test before this matrix.
    names = {name for name, _, _ in DECLARED}
    assert {"pupils:passport_version", "pupils:passport_version_pdf", "provision:plan_pdf"} <= names
