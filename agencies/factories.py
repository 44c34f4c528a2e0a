"""factory_boy factories for the agencies app: deterministic, used by the tests and by
`seed_demo`. Each feature keeps its factories in its own block below."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory
from senco.factories import SchoolFactory, staff_member
from senco.models import Role

# Directory: the involvement feature needs an agency to work with. The directory feature's own
# block supersedes this one when the branches meet.


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.Agency"
        django_get_or_create = ("school", "name")

    school = factory.SubFactory(SchoolFactory)
    name = "Educational Psychology Service"
    kind = "ep"


# Involvement ---------------------------------------------------------------------------------

# The smallest file each test needs to stand for a real PDF: its signature and an end marker.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _senco_of(school):
    return staff_member(role=Role.SENCO, school=school)


class InvolvementFactory(DjangoModelFactory):
    """An educational psychologist's visit on Monday 5 October 2026."""

    class Meta:
        model = "agencies.Involvement"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda involvement: involvement.pupil.school)
    agency = factory.LazyAttribute(lambda involvement: AgencyFactory(school=involvement.school))
    kind = "visit"
    happened_on = date(2026, 10, 5)
    professional = "Dr A Khan, educational psychologist"
    recorded_by = factory.LazyAttribute(lambda involvement: _senco_of(involvement.school))


class ReportFactory(DjangoModelFactory):
    """A PDF report dated Friday 9 October 2026, received Monday 12 October, not health
    information, stored through the default storage as an upload would be."""

    class Meta:
        model = "agencies.Report"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda report: report.pupil.school)
    agency = factory.LazyAttribute(lambda report: AgencyFactory(school=report.school))
    title = "Educational psychology assessment"
    written_on = date(2026, 10, 9)
    received_on = date(2026, 10, 12)
    file_type = "pdf"
    file = factory.django.FileField(data=MINIMAL_PDF, filename="upload")
    file_size = len(MINIMAL_PDF)
    original_name = "EP report.pdf"
    uploaded_by = factory.LazyAttribute(lambda report: _senco_of(report.school))


class AdviceFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.Advice"

    report = factory.SubFactory(ReportFactory)
    pupil = factory.LazyAttribute(lambda advice: advice.report.pupil)
    school = factory.LazyAttribute(lambda advice: advice.report.school)
    text = factory.Sequence(lambda n: f"Give instructions one step at a time, with a visual prompt ({n}).")
    added_by = factory.LazyAttribute(lambda advice: advice.report.uploaded_by)
