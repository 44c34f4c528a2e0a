from datetime import date

from pupils.factories import SenStatusChangeFactory
from pupils.models import NeedType, SenStatus
from pupils.selectors.records import pupils_visible_to, with_sen_status, within_reach
from pupils.services.records import change_sen_status
from senco.factories import MembershipFactory
from senco.models import Role


def _names(user):
    return sorted(pupil.last_name for pupil in pupils_visible_to(user))


def test_senco_head_and_admin_see_every_pupil_of_their_school_only(
    senco, head, school_admin, taught_pupil, untaught_pupil, other_school_pupil
):
    assert _names(senco) == _names(head) == _names(school_admin) == ["Elsewhere", "Taught"]


def test_teacher_and_ta_see_only_the_pupils_in_their_groups(teacher, ta, taught_pupil, untaught_pupil):
    assert _names(teacher) == _names(ta) == ["Taught"]


def test_a_pupil_in_two_of_a_teachers_groups_appears_once(teacher, taught_pupil, class_3a):
    from pupils.factories import TeachingGroupFactory

    TeachingGroupFactory(
        school=taught_pupil.school, name="Maths set 2", teachers=[teacher], pupils=[taught_pupil]
    )
    assert _names(teacher) == ["Taught"]


def test_governors_see_no_pupils(governor, taught_pupil, untaught_pupil):
    assert _names(governor) == []


def test_other_schools_senco_sees_none_of_ours(other_school_senco, taught_pupil, other_school_pupil):
    assert _names(other_school_senco) == ["Away"]


def test_a_teacher_who_is_also_senco_sees_the_whole_school(teacher, school, taught_pupil, untaught_pupil):
    MembershipFactory(user=teacher, school=school, role=Role.SENCO)
    assert _names(type(teacher).objects.get(pk=teacher.pk)) == ["Elsewhere", "Taught"]


def test_current_status_is_the_latest_entry_of_the_history(senco, taught_pupil):
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.MONITORING, primary_need=None, effective_from=date(2026, 1, 5)
    )
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 3, 2))
    pupil = with_sen_status(pupils_visible_to(senco), today=date(2026, 11, 24)).get(pk=taught_pupil.pk)
    assert (pupil.sen_status, pupil.primary_need_code) == (SenStatus.SEN_SUPPORT, "SLCN")


def test_a_pupil_with_no_history_is_not_on_the_register(senco, taught_pupil):
    pupil = with_sen_status(pupils_visible_to(senco), today=date(2026, 11, 24)).get(pk=taught_pupil.pk)
    assert (pupil.sen_status, pupil.sen_status_label) == (None, "No SEN (N)")


def test_change_sen_status_refuses_a_date_more_than_six_months_ahead(senco, taught_pupil):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="six months ahead"):
        change_sen_status(
            pupil=taught_pupil,
            status=SenStatus.SEN_SUPPORT,
            primary_need=NeedType.objects.get(code="SPLD"),
            effective_from=date(2027, 5, 25),
            reason="Assessment",
            by=senco,
            today=date(2026, 11, 24),
        )


def test_within_reach_asks_only_the_roles_granting_the_capability(school, ta, taught_pupil, untaught_pupil):
    MembershipFactory(user=ta, school=school, role=Role.ADMIN)
    classroom, office = (Role.TEACHER, Role.TA), (Role.ADMIN,)
    answers = {
        (roles, pupil.first_name): within_reach(ta, pupil, roles=roles)
        for roles in (classroom, office, (Role.GOVERNOR,))
        for pupil in (taught_pupil, untaught_pupil)
    }
    assert answers == {
        (classroom, "Ava"): True,
        (classroom, "Noah"): False,  # the administrator's reach is not the TA's
        (office, "Ava"): True,
        (office, "Noah"): True,
        ((Role.GOVERNOR,), "Ava"): False,  # a role the user does not hold grants nothing
        ((Role.GOVERNOR,), "Noah"): False,
    }


def test_within_reach_needs_no_query_for_a_whole_school_role(
    senco, untaught_pupil, django_assert_num_queries
):
    assert senco.roles == {Role.SENCO}  # a request's user has their roles already
    with django_assert_num_queries(0):
        assert within_reach(senco, untaught_pupil, roles=(Role.SENCO,))


def test_within_reach_asks_once_for_a_teacher_whatever_the_capability(
    teacher, taught_pupil, django_assert_num_queries
):
    assert teacher.roles == {Role.TEACHER}
    with django_assert_num_queries(1):
        answers = [
            within_reach(teacher, taught_pupil, roles=roles)
            for roles in ((Role.TEACHER,), (Role.TA, Role.TEACHER))
        ]
    assert answers == [True, True]


def test_within_reach_never_crosses_schools(senco, other_school_pupil):
    assert within_reach(senco, other_school_pupil, roles=(Role.SENCO,)) is False
