"""Factories for the transitions app's models, shared by the tests and the demo (deterministic:
sequences, never random data). Each feature appends its own block."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory

# --- transition_plans ---------------------------------------------------------------------------


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
