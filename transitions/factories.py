"""Factories for the transitions app's models, shared by the tests and the demo (deterministic:
sequences, never random data). Each feature appends its own block."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory
from senco.factories import staff_member
from senco.models import Role


class TransitionPlanFactory(DjangoModelFactory):
    """A planned move with no checklist: `transitions.services.transition_plans.
    start_transition_plan` writes the usual one where a test needs it."""

    class Meta:
        model = "transitions.TransitionPlan"

    pupil = factory.SubFactory(PupilFactory, year_group=6)
    kind = "primary_to_secondary"
    destination = "Riverside Academy"
    moves_on = date(2027, 9, 2)
    key_adult = "Mrs Khan, Year 7 pastoral lead"


class ChecklistItemFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.ChecklistItem"

    plan = factory.SubFactory(TransitionPlanFactory)
    label = factory.Sequence(lambda n: f"Step {n}")


# --- adulthood ----------------------------------------------------------------------------------


class PfaOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.PfaOutcome"

    pupil = factory.SubFactory(PupilFactory, year_group=10)
    area = "employment"
    outcome = "By the end of Year 11, to have completed a week's work experience in a garage."
    steps = "Careers adviser meeting in the spring term; practice travelling to the placement."


def _senco_of(record) -> object:
    return staff_member(role=Role.SENCO, school=record.pupil.school)


class Form8Factory(DjangoModelFactory):
    """A Form 8 in order (Part 1 before the assessment), by a Level 7 assessor, with no scores:
    add them with Form8ScoreFactory."""

    class Meta:
        model = "transitions.Form8"

    pupil = factory.SubFactory(PupilFactory, year_group=10)
    part1_on = date(2026, 9, 14)
    part1_by = "Form tutor and SENCO"
    assessed_on = date(2026, 10, 5)
    assessor_name = factory.Sequence(lambda n: f"Assessor {n}")
    assessor_qualification = "level_7"
    recorded_by = factory.LazyAttribute(_senco_of)


class Form8ScoreFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.Form8Score"

    form8 = factory.SubFactory(Form8Factory)
    area = "processing_speed"
    test_name = factory.Sequence(lambda n: f"Speed test {n}")
    standard_score = 82


class AccessArrangementFactory(DjangoModelFactory):
    """Supervised rest breaks on the SENCO's evidence, not yet seen as the normal way of working:
    add a NormalWayRecordFactory to make it ready."""

    class Meta:
        model = "transitions.AccessArrangement"

    pupil = factory.SubFactory(PupilFactory, year_group=10)
    kind = "rest_breaks"
    evidence = "other"
    other_evidence = "Anxiety in timed tasks, seen in lessons and the SENCO's observation."
    recorded_by = factory.LazyAttribute(_senco_of)


class NormalWayRecordFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.NormalWayRecord"

    arrangement = factory.SubFactory(AccessArrangementFactory)
    observed_on = date(2026, 11, 2)
    where = factory.Sequence(lambda n: f"Year 10 science test {n}")
    recorded_by = factory.LazyAttribute(
        lambda record: staff_member(role=Role.TEACHER, school=record.arrangement.pupil.school)
    )
