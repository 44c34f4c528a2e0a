"""Every page or file that shows a pupil's record writes an audit row naming the pupil (house
style R3): views open records through `senco.access.open_record`, which records the read.

The walk requests every view whose URL takes an id, with GET, as the first role it lets in, on a
record built around one pupil (tests/senco/pupil_records.py), and requires a new row naming that
pupil. A view answering GET with 405 (a POST-only action) shows nothing; a view whose record is not
about a pupil, or whose page shows no pupil, is named below with the reason.
"""

import pytest
from django.urls import reverse

from pupils.factories import PupilFactory
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from tests.senco.pupil_records import NOT_ABOUT_A_PUPIL, TAKING_IDS, build_scene, kwargs_for, unknown

# Pages about a pupil's records that show no pupil: nothing to audit.
SHOW_NO_PUPIL = {
    "provision:group_edit": "the group's name, dates and staff: its pupils are not on the page",
    "provision:session_delete": "asks to confirm deleting the session of a day: no pupil is named",
    "pupils:subject_access_export": "the state of a request's export, polled every second: no pupil is named",
}
EXEMPT = {**NOT_ABOUT_A_PUPIL, **SHOW_NO_PUPIL}


@pytest.mark.parametrize(("name", "pattern"), TAKING_IDS, ids=[name for name, _ in TAKING_IDS])
def test_every_page_showing_a_pupils_record_audits_the_read_naming_the_pupil(client, school, name, pattern):
    if message := unknown(name, pattern):
        pytest.fail(message)
    if name in EXEMPT:
        pytest.skip(EXEMPT[name])
    role = next(role for role in Role.values if role in pattern.callback.access)
    user = staff_member(role=role, school=school)
    scene = build_scene(school, PupilFactory(school=school), delivered_by=[user])
    url = reverse(name, kwargs=kwargs_for(name, pattern, scene, user))
    client.force_login(user)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    if response.status_code == 405:
        return  # a POST-only action: it shows nothing, and its service audits what it does
    assert response.status_code == 200, f"{name} answered {response.status_code}"
    named = set(AuditEvent.objects.filter(id__gt=before).values_list("pupil_id", flat=True))
    assert scene.pupil.pk in named, f"{name} showed the pupil's record and wrote no audit row naming them"


def test_the_exemptions_name_only_urls_that_exist():
    names = {name for name, _ in TAKING_IDS}
    assert sorted(EXEMPT.keys() - names) == []
