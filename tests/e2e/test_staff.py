"""Staff and roles in the browser: the demo head opens Staff and roles from the menu, looks at
who teaches each class, gives the demo teacher a second role and takes it away again, and opens
the form to add a member of staff. axe on every page."""

import pytest

from senco.models import AuditEvent, Membership, Role, User

pytestmark = pytest.mark.e2e


def open_staff_and_roles(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff and roles").click()


def test_the_head_grants_a_role_and_revokes_it(page, login, assert_accessible, demo_trust):
    teacher = User.objects.get(username="teacher")
    login(page, "head")
    open_staff_and_roles(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Staff and roles"
    assert_accessible(page)

    page.get_by_role("link", name="Who teaches each class").click()
    assert page.get_by_role("row").filter(has_text="3A").filter(has_text=str(teacher)).count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Change staff of 3A").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Who teaches 3A"
    assert page.get_by_role("checkbox", name=str(teacher)).is_checked()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    open_staff_and_roles(page)
    page.get_by_role("link", name=str(teacher)).click()
    assert page.get_by_role("heading", level=1).inner_text() == str(teacher)
    assert_accessible(page)

    page.get_by_label("Role to give").select_option(label="Teaching assistant")
    page.get_by_role("button", name="Give the role").click()
    assert page.get_by_text(f"{teacher} is now Teaching assistant here.").is_visible()
    assert_accessible(page)
    assert set(Membership.objects.filter(user=teacher).values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.TA,
    }

    page.get_by_role("button", name="Remove the role Teaching assistant").click()
    assert page.get_by_text(f"{teacher} is no longer Teaching assistant here.").is_visible()
    assert_accessible(page)
    assert list(Membership.objects.filter(user=teacher).values_list("role", flat=True)) == [Role.TEACHER]
    assert list(
        AuditEvent.objects.filter(action__startswith="staff.role_").values_list("action", flat=True)
    ) == [
        "staff.role_revoked",
        "staff.role_granted",
    ]

    open_staff_and_roles(page)
    page.get_by_role("link", name="Add a member of staff").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add a member of staff"
    assert_accessible(page)
