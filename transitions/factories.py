"""Factories for the transitions app's models, shared by the tests and the demo (deterministic:
sequences, never random data). Each feature appends its own block."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory
from senco.factories import SchoolFactory, staff_member
from senco.models import Role
from transitions.rules import SECTIONS


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


def pack_of(pupil, *, made_on: date = date(2026, 7, 17), records: dict | None = None) -> dict:
    """A schema version 1 pack about `pupil` from their school, holding `records` (section name →
    list of records) and nothing else: what `transitions.selectors.transfer_packs.pack_content`
    makes, without the database."""
    sections = {name: list((records or {}).get(name, ())) for name, _ in SECTIONS}
    return {
        "schema": "senco-transfer-pack",
        "schema_version": 1,
        "made_on": made_on.isoformat(),
        "from_school": {
            "name": pupil.school.name,
            "urn": pupil.school.urn,
            "local_authority": pupil.school.local_authority,
        },
        "pupil": {
            "upn": pupil.upn,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "preferred_first_name": pupil.preferred_first_name,
            "preferred_last_name": pupil.preferred_last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "gender": pupil.gender,
            "year_group": pupil.year_group,
            "admitted_on": pupil.admitted_on.isoformat() if pupil.admitted_on else None,
            "left_on": pupil.left_on.isoformat() if pupil.left_on else None,
            "looked_after": pupil.looked_after,
            "previously_looked_after": pupil.previously_looked_after,
            "eal": pupil.eal,
            "young_carer": pupil.young_carer,
        },
        "sen_status": {
            "status": "sen_support",
            "primary_need": "SPLD",
            "secondary_need": None,
            "since": "2024-09-09",
        },
        "health_documents_included": False,
        "sections": sections,
    }


class TransferPackFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.TransferPack"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda pack: pack.pupil.school)
    schema_version = 1
    made_on = date(2026, 7, 17)
    content = factory.LazyAttribute(lambda pack: pack_of(pack.pupil))
    made_by = factory.LazyAttribute(lambda pack: staff_member(role=Role.SENCO, school=pack.school))


class IncomingPackFactory(DjangoModelFactory):
    """A pack uploaded at `school`, about a pupil of another school, awaiting review."""

    class Meta:
        model = "transitions.IncomingPack"
        exclude = ["from_pupil"]

    school = factory.SubFactory(SchoolFactory)
    from_pupil = factory.SubFactory(PupilFactory, year_group=6)
    came_by = "upload"
    from_school_name = factory.LazyAttribute(lambda arrival: arrival.from_pupil.school.name)
    content = factory.LazyAttribute(lambda arrival: pack_of(arrival.from_pupil))
    upn = factory.LazyAttribute(lambda arrival: arrival.from_pupil.upn)
    pupil_name = factory.LazyAttribute(lambda arrival: arrival.from_pupil.legal_name)
