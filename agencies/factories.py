"""factory_boy factories for the agencies app: deterministic, used by the tests and by
`seed_demo`. Each feature appends its own block."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory

# EHC plans and annual reviews ------------------------------------------------------------------


class EhcPlanFactory(DjangoModelFactory):
    """A plan in force with version 1 (one need, one outcome, one provision item). It writes no
    SEN status: `agencies.services.ehc_plans.issue_ehc_plan` does that where a test needs it."""

    class Meta:
        model = "agencies.EhcPlan"
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    local_authority = "Oakshire County Council"
    issued_on = date(2025, 11, 3)

    @factory.post_generation
    def versions(self, create, extracted, **kwargs):
        if not create:
            return
        from agencies.models import EhcNeed, EhcOutcome, EhcPlanVersion, EhcProvision

        version = EhcPlanVersion.objects.create(
            plan=self,
            number=1,
            issued_on=self.issued_on,
            section_a="Loves drawing and football; wants to be a vet.",
            section_c="Diagnosed with autism by community paediatrics.",
            section_i="Oakfield Primary School (mainstream).",
        )
        EhcNeed.objects.create(version=version, description="Difficulty with social communication.")
        EhcOutcome.objects.create(
            version=version,
            description="Take part in a small-group activity for 20 minutes with one prompt.",
            achieve_by=date(self.issued_on.year + 1, 7, 17),
        )
        EhcProvision.objects.create(
            version=version,
            description="Small-group social communication sessions.",
            delivered_by="Teaching assistant trained by the speech and language therapist",
            hours_per_week=Decimal("1.5"),
        )


class AnnualReviewFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.AnnualReview"

    plan = factory.SubFactory(EhcPlanFactory)
    meeting_on = date(2026, 10, 14)
    year_group = factory.LazyAttribute(lambda review: review.plan.pupil.year_group)
