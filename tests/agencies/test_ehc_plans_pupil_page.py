"""The pupil page's EHC plan panel, action and chronology events."""

from datetime import date

from django.urls import reverse

from agencies.factories import AnnualReviewFactory, EhcPlanFactory
from pupils.factories import SenStatusChangeFactory
from pupils.models import SenStatus
from pupils.pupil_page import all_contributions

TODAY = date(2026, 11, 20)


def _panel(contribution):
    return next((panel for panel in contribution.panels if panel.title == "EHC plan"), None)


def test_the_senco_sees_the_plan_its_next_review_and_its_history(senco, taught_pupil):
    plan = EhcPlanFactory(pupil=taught_pupil, issued_on=date(2025, 12, 15))
    AnnualReviewFactory(
        plan=plan, meeting_on=date(2026, 11, 2), closed_on=date(2026, 11, 2), recommendation="maintain"
    )
    contribution = all_contributions(senco, pupil=taught_pupil, today=TODAY)
    panel = _panel(contribution)
    events = [(e.on, e.title) for e in contribution.events if e.kind in ("ehc_plan", "annual_review")]
    assert (panel.context["whole"], panel.context["review_due_on"], panel.context["overdue"]) == (
        True,
        date(2027, 11, 2),
        False,
    )
    assert events == [
        (date(2026, 11, 2), "EHC plan annual review held"),
        (date(2025, 12, 15), "EHC plan issued"),
    ]


def test_a_teacher_sees_a_link_to_outcomes_and_provision_and_no_history(teacher, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.EHC_PLAN, effective_from=date(2025, 11, 3))
    taught_pupil.refresh_from_db()
    EhcPlanFactory(pupil=taught_pupil)
    contribution = all_contributions(teacher, pupil=taught_pupil, today=TODAY)
    events = [e for e in contribution.events if e.kind in ("ehc_plan", "annual_review")]
    assert (_panel(contribution).context["whole"], events) == (False, [])


def test_the_senco_is_offered_to_record_a_plan_where_there_is_none_and_a_teacher_is_not(
    senco, teacher, taught_pupil
):
    record = reverse("agencies:ehc_plans_record", args=[taught_pupil.pk])
    offered = {
        who: [
            a.url for a in all_contributions(user, pupil=taught_pupil, today=TODAY).actions if a.url == record
        ]
        for who, user in (("senco", senco), ("teacher", teacher))
    }
    assert offered == {"senco": [record], "teacher": []}


def test_the_pupil_page_shows_the_panel(client, senco, taught_pupil):
    EhcPlanFactory(pupil=taught_pupil)
    client.force_login(senco)
    response = client.get(taught_pupil.get_absolute_url())
    assert "Open the EHC plan" in response.content.decode()
