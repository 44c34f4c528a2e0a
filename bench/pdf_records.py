"""One pupil's record, for timing the PDFs other than the provision map. Over seven years (the
largest plausible: on SEN support from Reception to Year 6) or fewer: three plan cycles a year,
each reviewed, commented on and kept in two versions; ten contacts with home a year; a passport
agreed each year; an intervention a term, with notes on its sessions; concerns, status changes
and top-ups. The latest cycle is the longest plan a SENCO would write (eight outcomes, a page of
text in each part). Built with the factories and plain model rows, as the demo builds its history.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

SENTENCES = [
    "Reads aloud with growing confidence when the text is pre-taught the day before.",
    "Needs instructions broken into single steps, with a visual prompt left on the desk.",
    "Settles best when greeted at the door and told what the morning holds.",
    "Works well in a small group with a familiar adult; finds the whole-class carpet hard.",
    "Has begun to use the word mat without a reminder in writing lessons.",
    "Becomes anxious at transitions; a two-minute warning and a job to do on the way help.",
    "Can now blend and segment most CVC words; adjacent consonants remain insecure.",
    "Parents report that homework takes a long time and often ends in tears.",
    "Speech and language therapy advice: model vocabulary, expand short answers, allow time.",
    "Made good progress in number bonds to ten with daily practice using concrete apparatus.",
]


def prose(rng: random.Random, characters: int) -> str:
    """About `characters` of plausible text, in sentences."""
    text = []
    while sum(len(sentence) + 1 for sentence in text) < characters:
        text.append(rng.choice(SENTENCES))
    return " ".join(text)


@dataclass
class Record:
    pupil: object
    plan: object  # the latest cycle, reviewed: the longest plan
    version: int  # the number of its last kept version
    sar: object  # a subject access request about the pupil


def build_record(*, school, senco, today: date, years: int = 7, first_name: str = "Harriet") -> Record:
    from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory
    from provision.models import (
        DeliveredSession,
        OutcomeProgress,
        PlanOutcome,
        PlanReview,
        PlanVersion,
        ReviewComment,
        SupportPlan,
        TopUp,
    )
    from provision.services.plans import plan_snapshot
    from pupils.factories import (
        CarerFactory,
        ConcernFactory,
        ContactLogEntryFactory,
        PassportFactory,
        PupilFactory,
        SenStatusChangeFactory,
        SubjectAccessRequestFactory,
    )

    rng = random.Random(2026)
    first_day = date(today.year - years, 9, 4)
    pupil = PupilFactory(
        school=school,
        first_name=first_name,
        last_name="Ashworth-Okonkwo",
        year_group=6,
        admitted_on=first_day,
    )
    for index, status in enumerate(["monitoring", "sen_support", "sen_support", "sen_support"]):
        SenStatusChangeFactory(
            pupil=pupil, status=status, effective_from=first_day + timedelta(days=200 * index)
        )
    for relationship in ("Mother", "Father", "Grandmother"):
        CarerFactory(pupil=pupil, relationship=relationship, name=f"{relationship} of {first_name}")
    for year in range(years):
        autumn = first_day + timedelta(weeks=52 * year)
        PassportFactory(
            pupil=pupil,
            version=year + 1,
            written_on=autumn + timedelta(days=20),
            written_by=senco,
            **{
                field: prose(rng, 500)
                for field in (
                    "strengths",
                    "important_to_me",
                    "how_to_support",
                    "staff_should",
                    "pupil_voice",
                    "parent_voice",
                )
            },
        )
        for contact in range(10):
            ContactLogEntryFactory(
                pupil=pupil,
                occurred_on=autumn + timedelta(days=30 * contact + 3),
                recorded_by=senco,
                summary=prose(rng, 400),
                agreed_actions=prose(rng, 150),
            )
    for concern in range(min(years, 3)):
        ConcernFactory(pupil=pupil, raised_by=senco, raised_on=first_day + timedelta(days=60 + 90 * concern))
    TopUp.objects.bulk_create(
        TopUp(school=school, pupil=pupil, financial_year=today.year - back, amount=7200 + 300 * back)
        for back in range(1, min(years, 3) + 1)
    )

    # Three reviewed cycles a year, the last of them the longest plan.
    plan = previous = None
    cycles = 3 * years
    for cycle in range(1, cycles + 1):
        started_on = first_day + timedelta(weeks=17 * (cycle - 1))
        longest = cycle == cycles
        size = 1500 if longest else 600
        plan = SupportPlan.objects.create(
            school=school,
            pupil=pupil,
            cycle=cycle,
            previous=previous,
            status="reviewed",
            started_on=started_on,
            review_due_on=started_on + timedelta(weeks=12),
            shared_with_parents_on=started_on + timedelta(days=3),
            finalised_on=started_on,
            finalised_by=senco,
            assessment=prose(rng, size),
            strategies=prose(rng, size),
            arrangements=prose(rng, size),
        )
        outcomes = PlanOutcome.objects.bulk_create(
            PlanOutcome(
                plan=plan,
                area=["cognition", "communication", "semh", "sensory_physical"][number % 4],
                description=prose(rng, 300 if longest else 160),
                success_criteria=prose(rng, 200 if longest else 90),
                position=number,
            )
            for number in range(8 if longest else 4)
        )
        review = PlanReview.objects.create(
            plan=plan,
            held_on=plan.review_due_on,
            evidence=prose(rng, size),
            parent_view=prose(rng, 300),
            parent_view_on=plan.review_due_on,
            pupil_view=prose(rng, 200),
            pupil_view_on=plan.review_due_on,
            next_steps=prose(rng, 300),
            decision="continue",
            invited="Mother, father, class teacher, SENCO",
            attended="Mother, class teacher, SENCO",
            declined="Father sent apologies",
            parents_at_meeting="came",
            finalised_on=plan.review_due_on,
            finalised_by=senco,
        )
        ratings = ["met", "partly_met", "not_met"]
        OutcomeProgress.objects.bulk_create(
            OutcomeProgress(review=review, outcome=outcome, rating=ratings[number % 3], note=prose(rng, 120))
            for number, outcome in enumerate(outcomes)
        )
        ReviewComment.objects.bulk_create(
            ReviewComment(plan=plan, author=senco, body=prose(rng, 300)) for _ in range(2)
        )
        progress = {str(outcome.pk): [ratings[number % 3], ""] for number, outcome in enumerate(outcomes)}
        PlanVersion.objects.bulk_create(
            PlanVersion(plan=plan, number=number, reason=reason, made_by=senco, snapshot=snapshot)
            for number, reason, snapshot in [
                (1, "Finalised", plan_snapshot(plan, outcomes=outcomes, review=None, progress={})),
                (2, "Reviewed", plan_snapshot(plan, outcomes=outcomes, review=review, progress=progress)),
            ]
        )
        previous = plan

    # An intervention a term, with notes on some of its sessions.
    for term in range(cycles):
        starts_on = first_day + timedelta(weeks=17 * term + 2)
        group = ProvisionGroupFactory(
            intervention=InterventionFactory(school=school, name=f"Intervention {years}-{term + 1}"),
            name=f"Group {years}-{term + 1}",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=10),
        )
        PlacementFactory(group=group, pupil=pupil, joined_on=starts_on, target=prose(rng, 120))
        DeliveredSession.objects.bulk_create(
            DeliveredSession(
                group=group,
                held_on=starts_on + timedelta(days=7 * week),
                recorded_by=senco,
                notes=prose(rng, 100) if week % 3 == 0 else "",
            )
            for week in range(10)
        )
    sar = SubjectAccessRequestFactory(pupil=pupil, logged_by=senco, received_on=today)
    return Record(pupil=pupil, plan=plan, version=2, sar=sar)
