"""From a draft to a plan in parents' hands: finalising after a confirmation page, the plan page's
next steps, and the PDF for parents (DRAFT on every page of a draft, the SENCO to contact, the
pupil's needs in plain words)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from provision.factories import SupportPlanFactory
from provision.models import PlanStatus, PlanVersion, SupportPlan
from pupils.factories import SenStatusChangeFactory
from pupils.models import NeedType, SenStatus
from senco.factories import staff_member
from senco.models import Role
from tests.provision.conftest import amend
from tests.provision.test_plans_sharing import share

# Long enough that the plan runs past one page of A4.
STEP = "read a short passage aloud with a partner, then talk about it."
LONG = "\n".join(f"Step {n}: {STEP}" for n in range(60))


@pytest.fixture
def draft(taught_pupil):
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, primary_need=NeedType.objects.get(code="SLCN")
    )
    return SupportPlanFactory(
        pupil=taught_pupil, status=PlanStatus.DRAFT, finalised_on=None, outcomes=["Say 50 new words."]
    )


def pdf_pages(client, plan, name="provision:plan_pdf", *args) -> list[str]:
    response = client.get(reverse(name, args=[plan.pk, *args]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


# Finalising, after a confirmation page ---------------------------------------------------------


def test_finalise_first_asks_and_says_what_finalising_means(client, senco, draft):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_finalise", args=[draft.pk]))
    html = response.content.decode()
    assert (response.status_code, '<h1 class="h2">Finalise this plan?</h1>' in html) == (200, True)
    for words in ["kept as version 1", "read-only", "an amendment", "no longer marked DRAFT"]:
        assert words in html, words
    draft.refresh_from_db()
    assert (draft.status, draft.versions.count()) == (PlanStatus.DRAFT, 0)


def test_the_confirmation_names_the_parts_not_yet_written(client, senco, draft):
    SupportPlan.objects.filter(pk=draft.pk).update(strategies="", arrangements=" ")
    client.force_login(senco)
    html = client.get(reverse("provision:plan_finalise", args=[draft.pk])).content.decode()
    assert "Not written yet: strategies and provision (plan); who does what (do)." in html


def test_confirming_finalises_and_lands_on_the_plan_with_the_next_steps(client, senco, draft):
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_finalise", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    draft.refresh_from_db()
    assert (draft.status, list(draft.versions.values_list("number", flat=True))) == (PlanStatus.ACTIVE, [1])
    html = response.content.decode()
    assert "Next: download it for parents" in html
    pdf = reverse("provision:plan_pdf", args=[draft.pk])
    assert f'class="btn btn-primary" href="{pdf}" download>Download for parents (PDF)' in html
    assert '<button class="btn btn-primary" type="submit">Record the date it was shared</button>' in html


def test_the_plan_page_of_a_draft_links_to_the_confirmation_not_a_one_click_finalise(client, senco, draft):
    client.force_login(senco)
    html = client.get(draft.get_absolute_url()).content.decode()
    finalise = reverse("provision:plan_finalise", args=[draft.pk])
    assert f'<a class="btn btn-primary" href="{finalise}">Finalise the plan</a>' in html
    assert f'action="{finalise}"' not in html
    assert "Download the draft (PDF)" in html


def test_a_finalised_plan_is_not_asked_about_again(client, senco, plan):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_finalise", args=[plan.pk]), follow=True)
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert "This plan is already finalised." in response.content.decode()


def test_a_plan_without_outcomes_is_refused_on_the_confirmation_page(client, senco, draft):
    draft.outcomes.all().delete()
    client.force_login(senco)
    response = client.post(reverse("provision:plan_finalise", args=[draft.pk]), {"version": draft.version})
    assert (response.status_code, response.context["error"]) == (
        200,
        "Add at least one outcome before finalising the plan.",
    )
    assert SupportPlan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


@pytest.mark.parametrize("persona", ["head", "teacher", "ta"])
def test_only_the_senco_team_is_asked_to_finalise(client, request, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("provision:plan_finalise", args=[draft.pk])).status_code == 403


def test_another_schools_plan_is_not_found_on_the_confirmation_page(client, senco, other_school_pupil):
    other = SupportPlanFactory(pupil=other_school_pupil, status=PlanStatus.DRAFT, finalised_on=None)
    client.force_login(senco)
    assert client.get(reverse("provision:plan_finalise", args=[other.pk])).status_code == 404


# The plan page's main buttons follow what parents have -----------------------------------------


def primary_buttons(html: str) -> list[str]:
    return re.findall(r'class="btn btn-primary"[^>]*>([^<]+)<', html)


def test_sharing_is_the_main_thing_to_do_until_parents_have_the_plan_as_it_stands(client, senco, plan):
    client.force_login(senco)
    shared_buttons = ["Download for parents (PDF)", "Record the date it was shared"]
    assert primary_buttons(client.get(plan.get_absolute_url()).content.decode()) == shared_buttons
    share(plan, senco)
    assert primary_buttons(client.get(plan.get_absolute_url()).content.decode()) == ["Review the plan"]
    amend(plan, senco)
    assert primary_buttons(client.get(plan.get_absolute_url()).content.decode()) == shared_buttons


# The PDF for parents ---------------------------------------------------------------------------


def test_every_page_of_a_drafts_pdf_says_draft(client, senco, draft):
    SupportPlan.objects.filter(pk=draft.pk).update(strategies=LONG)
    client.force_login(senco)
    pages = pdf_pages(client, draft)
    assert len(pages) >= 2
    assert all("DRAFT" in text for text in pages)


def test_a_finalised_plans_pdf_says_draft_nowhere(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(strategies=LONG)
    client.force_login(senco)
    pages = pdf_pages(client, plan)
    assert (len(pages) >= 2, any("DRAFT" in text for text in pages)) == (True, False)


def test_the_pdf_names_the_senco_and_how_to_reach_them(client, senco, deputy, plan):
    client.force_login(deputy)
    text = "".join(pdf_pages(client, plan))
    assert "Sam Patel, by email at senco@example.org, or through the school office." in text
    assert "Dee Puty" not in text  # a deputy is named only when the school has no SENCO


def test_without_a_senco_the_pdf_names_the_deputy(client, deputy, plan):
    client.force_login(deputy)
    assert "Dee Puty, by email at deputy@example.org" in "".join(pdf_pages(client, plan))


def test_with_no_senco_team_the_pdf_points_parents_to_the_school_office(client, head, plan):
    client.force_login(head)
    text = " ".join("".join(pdf_pages(client, plan)).split())
    assert "the school's SENCO (special educational needs co-ordinator) through the school office" in text


def test_the_pdf_gives_the_primary_need_in_words_not_its_census_code(client, senco, draft):
    client.force_login(senco)
    text = "".join(pdf_pages(client, draft))
    assert "Main area of need: Speech, language and communication needs." in text
    assert "SLCN" not in text


def test_no_specialist_assessment_is_said_in_words_too(client, senco, plan):
    SenStatusChangeFactory(
        pupil=plan.pupil, status=SenStatus.SEN_SUPPORT, primary_need=NeedType.objects.get(code="NSA")
    )
    client.force_login(senco)
    text = "".join(pdf_pages(client, plan))
    assert "Main area of need: not yet identified by a specialist assessment." in text


def test_a_past_versions_pdf_gives_the_need_recorded_when_it_was_kept(client, senco, plan):
    SenStatusChangeFactory(
        pupil=plan.pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=date(2026, 10, 1),
        primary_need=NeedType.objects.get(code="SEMH"),
    )
    share(plan, senco)
    kept_on = PlanVersion.objects.get(plan=plan).made_at.date()
    SenStatusChangeFactory(
        pupil=plan.pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=kept_on + timedelta(days=1),
        primary_need=NeedType.objects.get(code="ASD"),
    )
    client.force_login(senco)
    text = "".join(pdf_pages(client, plan, "provision:plan_version_pdf", 1))
    assert ("Social, emotional and mental health" in text, "Autistic" in text) == (True, False)


@pytest.fixture
def deputy(school):
    return staff_member(
        role=Role.DEPUTY_SENCO,
        school=school,
        username="deputy",
        first_name="Dee",
        last_name="Puty",
        email="deputy@example.org",
    )
