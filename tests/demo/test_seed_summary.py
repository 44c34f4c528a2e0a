"""The demo trust's passports, carers and contact log (`senco.demo.seed_summary`)."""

from datetime import date

from provision.factories import SupportPlanFactory
from provision.models import ParentsAtReview, PlanReview
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import Carer, ContactLogEntry, Gender, Passport, SenStatus
from senco.demo.seed_calendar import seed_calendar
from senco.demo.seed_summary import seed_summary


def test_every_pupil_on_the_register_or_monitored_gets_carers_a_passport_and_contacts_and_no_one_else(
    school, senco
):
    on_support, monitored, not_on_register, never_assessed = PupilFactory.create_batch(4, school=school)
    SenStatusChangeFactory(pupil=on_support, effective_from=date(2026, 9, 14))
    SupportPlanFactory(pupil=on_support, started_on=date(2026, 9, 14), review_due_on=date(2026, 12, 14))
    SenStatusChangeFactory(pupil=monitored, status=SenStatus.MONITORING, effective_from=date(2026, 10, 5))
    SenStatusChangeFactory(pupil=not_on_register, status=SenStatus.NO_SEN)
    today = date(2026, 11, 24)
    seed_summary(school=school, senco=senco, today=today, calendar=seed_calendar(school=school, today=today))
    recorded = [on_support.pk, monitored.pk]
    assert sorted(Passport.objects.values_list("pupil_id", flat=True)) == recorded
    assert sorted(set(Carer.objects.values_list("pupil_id", flat=True))) == recorded
    assert list(
        ContactLogEntry.objects.order_by("pupil_id", "occurred_on").values_list(
            "pupil_id", "kind", "occurred_on"
        )
    ) == [
        (on_support.pk, "meeting", date(2026, 9, 14)),  # agreeing the plan
        (on_support.pk, "call", date(2026, 10, 19)),  # 25 school days in
        (monitored.pk, "meeting", date(2026, 10, 5)),  # telling parents monitoring has begun
    ]
    assert never_assessed.contact_log.count() == 0


def test_a_review_this_school_year_gives_a_second_passport_in_the_words_said_at_it(school, senco):
    pupil = PupilFactory(school=school, gender=Gender.FEMALE)
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2026, 6, 1))
    first = SupportPlanFactory(
        pupil=pupil, status="reviewed", started_on=date(2026, 6, 1), review_due_on=date(2026, 9, 15)
    )
    PlanReview.objects.create(
        plan=first,
        held_on=date(2026, 9, 15),
        parents_at_meeting=ParentsAtReview.CAME,
        attended="Mother, class teacher, SENCO",
        parent_view="Much happier this term.",
        parent_view_on=date(2026, 9, 15),
        pupil_view="I like the group.",
        pupil_view_on=date(2026, 9, 10),
        decision="continue",
        finalised_on=date(2026, 9, 15),
    )
    SupportPlanFactory(
        pupil=pupil, cycle=2, previous=first, started_on=date(2026, 9, 15), review_due_on=date(2026, 12, 15)
    )
    today = date(2026, 11, 24)
    seed_summary(school=school, senco=senco, today=today, calendar=seed_calendar(school=school, today=today))
    passports = list(pupil.passports.order_by("version").values_list("version", "written_on", "pupil_voice"))
    contacts = list(pupil.contact_log.order_by("occurred_on").values_list("occurred_on", "kind"))
    assert passports == [
        (1, date(2026, 6, 1), "I don't like it when it is noisy. I like the quiet table."),  # SLCN
        (2, date(2026, 9, 15), "I like the group."),
    ]
    assert contacts == [
        (date(2026, 6, 1), "meeting"),
        (date(2026, 9, 10), "pupil_views"),
        (date(2026, 9, 15), "meeting"),
        (date(2026, 10, 20), "call"),  # 25 school days into the open cycle
    ]
    assert "let her use her help card" in pupil.passports.get(version=1).staff_should


def test_on_the_first_day_of_a_school_year_a_pupil_with_no_contact_yet_has_a_letter_home(school, senco):
    pupil = PupilFactory(school=school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.MONITORING, effective_from=date(2027, 6, 28))
    today = date(2027, 9, 1)  # a Wednesday; the autumn term opens with two INSET days
    seed_summary(school=school, senco=senco, today=today, calendar=seed_calendar(school=school, today=today))
    assert list(pupil.contact_log.order_by("occurred_on").values_list("occurred_on", "kind")) == [
        (date(2027, 6, 28), "call"),
        (date(2027, 9, 1), "letter"),
    ]
