"""factory_boy factories for pupils' records: deterministic (sequences, never random Faker data),
used by the tests and by `seed_demo`. All names are invented; none is a real pupil's."""

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from pupils.models import (
    Gender,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
    upn_check_letter,
)
from pupils.services.register import sync_current_sen_status
from senco.factories import BOYS, GIRLS, SURNAMES, SchoolFactory, UserFactory


def make_upn(*, la_code: str, establishment: str, year_of_issue: int, serial: int) -> str:
    """A valid permanent UPN built from its parts, check letter first (DfE, "Unique pupil
    numbers (UPN)" guidance)."""
    body = f"{la_code}{establishment}{year_of_issue % 100:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body


def make_temporary_upn(*, la_code: str, establishment: str, year_of_issue: int, serial: int) -> str:
    """A valid temporary UPN: a two-digit serial and a final letter where a permanent UPN has its
    last digit (DfE, "Unique pupil numbers (UPN)" guidance)."""
    body = f"{la_code}{establishment}{year_of_issue % 100:02d}{serial % 100:02d}A"
    return upn_check_letter(body) + body


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    gender = factory.Sequence(lambda n: Gender.MALE if n % 2 else Gender.FEMALE)
    first_name = factory.LazyAttributeSequence(
        lambda pupil, n: (BOYS if pupil.gender == Gender.MALE else GIRLS)[(n // 2) % 20]
    )
    last_name = factory.Sequence(lambda n: SURNAMES[(n * 11 + 3) % len(SURNAMES)])
    year_group = 3
    # Born in the right school year for their NC year in 2026/27: NC year follows age on the
    # 31 August before the school year (DfE school census guide).
    date_of_birth = factory.LazyAttributeSequence(
        lambda pupil, n: date(2026 - pupil.year_group - 5, 9, 1) + timedelta(days=(n * 37) % 365)
    )
    upn = factory.LazyAttributeSequence(
        lambda pupil, n: make_upn(
            la_code=pupil.school.la_code,
            establishment=pupil.school.urn[-4:],
            year_of_issue=pupil.date_of_birth.year + 4,
            serial=n,
        )
    )
    admitted_on = factory.LazyAttribute(lambda pupil: date(pupil.date_of_birth.year + 4, 9, 1))


class TeachingGroupFactory(DjangoModelFactory):
    class Meta:
        model = TeachingGroup
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")

    @factory.post_generation
    def pupils(self, create, extracted, **kwargs):
        if create and extracted:
            self.pupils.add(*extracted)

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.add(*extracted)

    @factory.post_generation
    def assistants(self, create, extracted, **kwargs):
        if create and extracted:
            self.assistants.add(*extracted)


class SenStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = SenStatusChange

    pupil = factory.SubFactory(PupilFactory)
    status = SenStatus.SEN_SUPPORT
    primary_need = factory.LazyAttribute(
        lambda change: (
            NeedType.objects.get(code="SLCN") if change.status in ("sen_support", "ehc_plan") else None
        )
    )
    effective_from = date(2026, 9, 14)
    reason = "Assessed by the SENCO after a teacher's concern; agreed with parents."
    parents_informed_on = factory.LazyAttribute(lambda change: change.effective_from)
    parents_informed_how = "Meeting with parents"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        change = super()._create(model_class, *args, **kwargs)
        # As the status services do: the pupil row keeps a copy of the entry in force.
        sync_current_sen_status(pupil_ids=[change.pupil_id], today=timezone.localdate())
        return change


class CarerFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Carer"

    pupil = factory.SubFactory(PupilFactory)
    name = factory.LazyAttribute(lambda carer: f"Ms {carer.pupil.last_name}")
    relationship = "Mother"
    phone = factory.Sequence(lambda n: f"07700 900{n % 1000:03d}")  # Ofcom's drama range
    email = factory.Sequence(lambda n: f"carer{n}@example.org")


class ContactLogEntryFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.ContactLogEntry"

    pupil = factory.SubFactory(PupilFactory)
    kind = "meeting"
    occurred_on = date(2026, 10, 8)
    participants = "Mother, class teacher, SENCO"
    summary = "Talked through the reading plan and how it is going at home."
    agreed_actions = "Read together for ten minutes each evening."
    recorded_by = factory.SubFactory(UserFactory)


class PassportFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Passport"

    pupil = factory.SubFactory(PupilFactory)
    version = 1
    strengths = "Kind to younger children; brilliant at Lego models."
    important_to_me = "My dog Biscuit and my grandad."
    how_to_support = "Tell me what is happening next; give me one instruction at a time."
    staff_should = "Seat near the front; check understanding quietly; give a movement break."
    pupil_voice = "I like it when I know what is coming."
    parent_voice = "He worries at the start of the day."
    written_on = date(2026, 9, 24)
    written_by = factory.SubFactory(UserFactory)


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.Concern"

    pupil = factory.SubFactory(PupilFactory)
    raised_by = factory.SubFactory(UserFactory)
    raised_on = date(2026, 10, 5)
    area = "cognition"
    observed = "Struggles to blend sounds; guesses words from the first letter."
    evidence = "Phonics screening practice: 18/40 on 1 October."
    already_tried = "Daily five-minute phonics catch-up at the start of the lesson for three weeks."


class SubjectAccessRequestFactory(DjangoModelFactory):
    class Meta:
        model = "pupils.SubjectAccessRequest"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    requester_name = factory.Sequence(lambda n: f"Jordan {SURNAMES[n % len(SURNAMES)]}")
    requester_relationship = "parent"
    received_on = date(2026, 11, 2)
    identity_checked_how = "Known to the school office."
    identity_checked_on = date(2026, 11, 2)
    logged_by = factory.SubFactory(UserFactory)


class LegalHoldFactory(DjangoModelFactory):
    """A legal hold in force on a leaver's record."""

    class Meta:
        model = "pupils.LegalHold"

    pupil = factory.SubFactory(PupilFactory, left_on=date(2012, 7, 20))
    reason = "litigation"
    detail = factory.Sequence(lambda n: f"Letter before claim, reference LBC/{n:04d}")
    placed_by = factory.SubFactory(UserFactory)


class DisposalProposalFactory(DjangoModelFactory):
    """A proposal awaiting the headteacher's approval for a leaver long past their retention
    period (born in 1980, left in 1996)."""

    class Meta:
        model = "pupils.DisposalRecord"

    pupil = factory.SubFactory(
        PupilFactory, year_group=11, date_of_birth=date(1980, 3, 4), left_on=date(1996, 7, 19)
    )
    school = factory.LazyAttribute(lambda record: record.pupil.school)
    record_kind = "Pupil record"
    born_in = factory.LazyAttribute(lambda record: record.pupil.date_of_birth.year)
    left_in = factory.LazyAttribute(lambda record: record.pupil.left_on.year)
    retention_rule = "Date of birth + 25 years"
    proposed_by = factory.SubFactory(UserFactory)


class ImportRunFactory(DjangoModelFactory):
    """An MIS import run, queued to apply a one-row file (a content of bytes, as uploaded)."""

    class Meta:
        model = "pupils.ImportRun"

    school = factory.SubFactory(SchoolFactory)
    requested_by = factory.SubFactory(UserFactory)
    file_name = factory.Sequence(lambda n: f"pupils-{n}.csv")
    content = b"upn,legal_first_name\n"
    digest = factory.LazyAttribute(lambda run: hashlib.sha256(run.content).hexdigest())
    fingerprint = "0" * 64
