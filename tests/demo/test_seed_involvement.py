"""The demo's outside professionals: reports that open as PDFs, advice taken up and waiting."""

import io

import pypdf
import pytest
from django.urls import reverse

from agencies.models import Advice, Report
from senco.deadlines import advice_unactioned_flag_on
from senco.models import User
from senco.selectors import school_calendar
from tests.demo.conftest import DAY


@pytest.mark.django_db
def test_each_demo_school_has_reports_stored_as_readable_pdfs_one_of_them_health_information(demo):
    for school in {report.school for report in Report.objects.select_related("school")}:
        reports = Report.objects.filter(school=school)
        assert reports.filter(is_health_information=True).count() == 1
        with reports.first().file.open("rb") as stored:
            text = pypdf.PdfReader(io.BytesIO(stored.read())).pages[0].extract_text()
        assert text.startswith(reports.first().title)


@pytest.mark.django_db
def test_the_demo_sencos_advice_list_has_advice_taken_up_waiting_and_flagged(demo, client):
    senco = User.objects.get(username="senco")
    advice = list(Advice.objects.filter(school=senco.current_school).select_related("report"))
    calendar = school_calendar(senco.current_school)
    flagged = [
        a
        for a in advice
        if not a.actioned_in_id and advice_unactioned_flag_on(a.report.received_on, calendar) <= DAY
    ]
    assert (
        any(a.actioned_in_id for a in advice),
        any(not a.actioned_in_id for a in advice),
        bool(flagged),
    ) == (
        True,
        True,
        True,
    )
    client.force_login(senco)
    assert client.get(reverse("agencies:advice_list")).status_code == 200
