"""factory_boy factories for plans and provision: deterministic, used by the tests and by
`seed_demo`."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from provision.rules.budget import FROM_THE_START
from provision.rules.impact import usual_direction
from pupils.factories import PupilFactory
from pupils.models import (
    TeachingGroup,
)
from senco.factories import SchoolFactory


class SupportPlanFactory(DjangoModelFactory):
    """A finalised SEN support plan (cycle 1) with one outcome; the pupil needs SEN support."""

    class Meta:
        model = "provision.SupportPlan"
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda plan: plan.pupil.school)
    cycle = 1
    status = "active"
    started_on = date(2026, 9, 21)
    review_due_on = date(2026, 12, 14)
    finalised_on = factory.LazyAttribute(lambda plan: plan.started_on)
    assessment = "Reading fluency well below peers from the same starting point."
    strategies = "Pre-teach key vocabulary; visual timetable."
    arrangements = "Class teacher plans; TA runs reading sessions three times a week."

    @factory.post_generation
    def outcomes(self, create, extracted, **kwargs):
        if not create:
            return
        from provision.models import PlanOutcome

        for position, text in enumerate(extracted or ["Read 60 words a minute aloud from a Year 3 book."]):
            PlanOutcome.objects.create(
                plan=self,
                area="cognition",
                description=text,
                success_criteria="Measured termly.",
                position=position,
            )


class StaffRateFactory(DjangoModelFactory):
    """A staff rate whose `hourly_cost` has always applied (its first amount, from the start)."""

    class Meta:
        model = "provision.StaffRate"
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = "Teaching assistant"
    hourly_cost = 18

    @classmethod
    def _create(cls, model_class, *args, hourly_cost, **kwargs):
        from provision.models import StaffRateAmount

        rate = super()._create(model_class, *args, **kwargs)
        StaffRateAmount.objects.get_or_create(
            staff_rate=rate, applies_from=FROM_THE_START, defaults={"hourly_cost": hourly_cost}
        )
        return rate


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = "provision.Intervention"

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Phonics catch-up {n}")
    area = "cognition"
    group_size = 4
    sessions_per_week = 3
    minutes_per_session = 30
    typical_weeks = 10
    measure_name = "Standardised reading score"
    measure_kind = "standardised"
    better_when = factory.LazyAttribute(lambda intervention: usual_direction(intervention.measure_kind))
    cost_basis = "staff_time"
    staff_rate = factory.LazyAttribute(lambda intervention: StaffRateFactory(school=intervention.school))
    # Its first cost, from the start.
    fixed_cost = None
    resources_cost = 0

    @classmethod
    def _create(cls, model_class, *args, fixed_cost, resources_cost, **kwargs):
        from provision.models import InterventionCost

        intervention = super()._create(model_class, *args, **kwargs)
        InterventionCost.objects.create(
            intervention=intervention,
            applies_from=FROM_THE_START,
            fixed_cost=fixed_cost,
            resources_cost=resources_cost,
        )
        return intervention


class ProvisionGroupFactory(DjangoModelFactory):
    """A running group, with its intervention-kind teaching group kept in step."""

    class Meta:
        model = "provision.ProvisionGroup"
        skip_postgeneration_save = True

    intervention = factory.SubFactory(InterventionFactory)
    school = factory.LazyAttribute(lambda group: group.intervention.school)
    name = factory.Sequence(lambda n: f"Intervention group {n}")
    # Cut to the teaching group's own limit, as `provision.services.groups` does for a long name.
    teaching_group = factory.LazyAttribute(
        lambda group: TeachingGroup.objects.create(
            school=group.school,
            name=group.name[: TeachingGroup._meta.get_field("name").max_length],
            kind="intervention",
        )
    )
    starts_on = date(2026, 9, 14)
    ends_on = date(2026, 12, 11)
    sessions_per_week = factory.LazyAttribute(lambda group: group.intervention.sessions_per_week)
    minutes_per_session = factory.LazyAttribute(lambda group: group.intervention.minutes_per_session)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)
            self.teaching_group.assistants.add(*extracted)


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = "provision.Placement"
        skip_postgeneration_save = True

    group = factory.SubFactory(ProvisionGroupFactory)
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..group.school"))
    joined_on = factory.LazyAttribute(lambda placement: placement.group.starts_on)
    # A score is taken on a day: by default the day the pupil joined, and the group's last day.
    entry_score = None
    entry_measured_on = factory.LazyAttribute(
        lambda placement: placement.joined_on if placement.entry_score is not None else None
    )
    exit_score = None
    exit_measured_on = factory.LazyAttribute(
        lambda placement: placement.group.ends_on if placement.exit_score is not None else None
    )

    @factory.post_generation
    def in_teaching_group(self, create, extracted, **kwargs):
        if create:
            self.group.teaching_group.pupils.add(self.pupil)
