"""Where a SENCO lands after a change: back at register health's list when the change was made
from it (only ever a page of this site), and on the pupil's page, with the next step offered,
after putting a pupil on SEN support."""

from datetime import timedelta
from html import unescape
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from tests.pupils.conftest import need
from tests.pupils.test_register_health import temporary
from tests.pupils.test_status_change import post_data

HEALTH = reverse("pupils:register_health")
BACK = f"{HEALTH}#ehc_plan_without_date"


def with_query(url: str, query: dict) -> str:
    return url + "".join(
        f"{'&' if index else '?'}{key}={quote(value, safe='')}"
        for index, (key, value) in enumerate(query.items())
    )


def status_url(pupil, **query) -> str:
    return with_query(reverse("pupils:change_status", args=[pupil.pk]), query)


def edit_url(pupil, **query) -> str:
    return with_query(reverse("pupils:edit", args=[pupil.pk]), query)


def record_data(client, pupil, **changes) -> dict:
    """What the record form posts for `pupil` as it is, with `changes`."""
    form = client.get(edit_url(pupil)).context["form"]
    return {name: form[name].value() or "" for name in form.fields} | changes


def text_of(response) -> str:
    return unescape(response.content.decode())


# Register health's fixes send the SENCO back to the list ----------------------------------------


def test_a_correction_from_register_health_returns_to_its_section(client, senco, untaught_pupil):
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    response = client.post(status_url(untaught_pupil, correct="1", next=BACK), post_data(), follow=True)
    assert response.redirect_chain == [(BACK, 302)]
    assert "The correction to Noah Elsewhere's SEN status is saved." in text_of(response)


def test_cancel_on_a_fix_opened_from_register_health_goes_back_there(client, senco, untaught_pupil):
    client.force_login(senco)
    for url in (status_url(untaught_pupil, next=BACK), edit_url(untaught_pupil, next=BACK)):
        html = client.get(url).content.decode()
        assert f'<a class="btn btn-link" href="{BACK}">Cancel</a>' in html, url


def test_a_record_fixed_from_register_health_returns_there(client, senco, school):
    pupil = PupilFactory(school=school, first_name="Tia", last_name="Temporary", upn=temporary(school))
    client.force_login(senco)
    data = record_data(client, pupil, upn="A123456789012")
    back = f"{HEALTH}#temporary_upn"
    response = client.post(edit_url(pupil, next=back), data)
    assert (response.status_code, response["Location"]) == (302, back)
    pupil.refresh_from_db()
    assert pupil.upn == "A123456789012"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/pupils/",
        "//evil.example.com/pupils/",
        "/\\evil.example.com/",
        "javascript:alert(1)",
        "pupils/register-health/",  # not a path from the site's root
        "http://testserver/pupils/register-health/",  # this site, but not a path
    ],
)
def test_a_next_that_is_not_a_path_on_this_site_is_ignored(client, senco, untaught_pupil, next_url):
    client.force_login(senco)
    response = client.post(status_url(untaught_pupil, next=next_url), post_data())
    assert (response.status_code, response["Location"]) == (302, untaught_pupil.get_absolute_url())
    html = client.get(status_url(untaught_pupil, next=next_url)).content.decode()
    assert f'<a class="btn btn-link" href="{untaught_pupil.get_absolute_url()}">Cancel</a>' in html


def test_a_refused_change_keeps_the_way_back_to_register_health(client, senco, untaught_pupil):
    client.force_login(senco)
    response = client.post(status_url(untaught_pupil, next=BACK), post_data(reason=""))
    assert (response.status_code, response.context["next"]) == (200, BACK)


# After putting a pupil on SEN support, the pupil's page offers the plan -----------------------


def test_after_putting_a_pupil_on_sen_support_the_senco_lands_on_their_page_with_the_plan_offered(
    client, senco, untaught_pupil
):
    client.force_login(senco)
    response = client.post(status_url(untaught_pupil), post_data(), follow=True)
    assert response.redirect_chain == [(untaught_pupil.get_absolute_url(), 302)]
    html = text_of(response)
    assert (
        "Noah Elsewhere's SEN status is changed to SEN support. What to do next is under Actions, below."
        in html
    )
    start = reverse("provision:plan_start", args=[untaught_pupil.pk])
    assert f'<form method="post" action="{start}"' in html
    assert f'<input type="hidden" name="started_on" value="{timezone.localdate().isoformat()}">' in html
    assert '<button class="btn btn-primary" type="submit">Start the SEN support plan</button>' in html


def test_a_change_off_the_register_says_nothing_about_next_steps(client, senco, untaught_pupil):
    SenStatusChangeFactory(pupil=untaught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    data = post_data(
        status=SenStatus.NO_SEN, primary_need="", reason="Caught up after support; parents agreed."
    )
    response = client.post(status_url(untaught_pupil), data, follow=True)
    html = text_of(response)
    assert "Noah Elsewhere's SEN status is changed to No SEN (N)." in html
    assert ("What to do next" in html, "Start the SEN support plan" in html) == (False, False)


def test_an_ehc_plan_is_offered_its_support_plan(client, senco, untaught_pupil):
    client.force_login(senco)
    data = post_data(status=SenStatus.EHC_PLAN, primary_need=need("ASD").pk, ehc_plan_date="2026-09-01")
    html = text_of(client.post(status_url(untaught_pupil), data, follow=True))
    assert '<button class="btn btn-primary" type="submit">Start the support plan (EHC plan)</button>' in html


def test_a_change_agreed_ahead_says_when_it_takes_effect_and_offers_no_plan_yet(
    client, senco, untaught_pupil
):
    client.force_login(senco)
    ahead = timezone.localdate() + timedelta(days=14)
    data = post_data(effective_from=ahead.isoformat())
    html = text_of(client.post(status_url(untaught_pupil), data, follow=True))
    assert f"Noah Elsewhere's SEN status will change to SEN support on {ahead:%d/%m/%Y}." in html
    assert ("What to do next" in html, "Start the SEN support plan" in html) == (False, False)
