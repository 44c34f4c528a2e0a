from django.urls import reverse

from senco.models import AuditEvent


def test_teacher_opens_a_pupil_they_teach_and_the_view_is_audited(client, teacher, taught_pupil):
    client.force_login(teacher)
    response = client.get(reverse("pupils:detail", args=[taught_pupil.pk]))
    assert (response.status_code, response.context["pupil"]) == (200, taught_pupil)
    event = AuditEvent.objects.get(action="pupil.viewed")
    assert (event.actor, event.pupil_id, event.path) == (
        teacher,
        taught_pupil.pk,
        f"/pupils/{taught_pupil.pk}/",
    )


def test_teacher_gets_404_for_a_pupil_they_do_not_teach(client, teacher, untaught_pupil):
    client.force_login(teacher)
    assert client.get(reverse("pupils:detail", args=[untaught_pupil.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="pupil.viewed").count() == 0


def test_governor_gets_403_for_any_pupil_page(client, governor, taught_pupil):
    client.force_login(governor)
    assert client.get(reverse("pupils:detail", args=[taught_pupil.pk])).status_code == 403
