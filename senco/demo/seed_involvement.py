"""Demo involvement of outside professionals at every school: for the first pupils (by id) with a
SEN support plan in its Do stage, an educational psychologist's or speech and language
therapist's visit, the report that followed (a real one-page PDF, stored as an upload would be)
and its recommendations: some taken up in the plan, some waiting, one waiting more than half a
term; and one CAMHS letter marked as health information. Deterministic: pupils by position,
texts from fixed lists, dates counted back from `today`, so the seed's random generator is
untouched. All names are invented."""

import uuid
from datetime import date, timedelta

from django.core.files.base import ContentFile

from agencies.models import Advice, Agency, Involvement, Report
from provision.models import PlanStatus, SupportPlan
from senco.demo.seed_calendar import latest_school_day
from senco.models import School, User
from senco.rules import SchoolCalendar

SERVICES = {
    "ep": ("Educational Psychology Service", "Dr R Okafor, educational psychologist", "assessment"),
    "salt": ("Speech and Language Therapy Service", "M Byrne, speech and language therapist", "observation"),
    "camhs": ("CAMHS", "Dr S Lowe, clinical psychologist", "clinic"),
}
RECOMMENDATIONS = {
    "ep": [
        "Give instructions one step at a time, with a visual prompt on the desk.",
        "Pre-teach the key vocabulary of each new topic.",
        "Daily precision teaching of high-frequency words, ten minutes.",
    ],
    "salt": [
        "Use a visual timetable and warn of changes in advance.",
        "Check understanding by asking for the instruction back, not 'Do you understand?'.",
    ],
    "camhs": ["A quiet space to go to, agreed in advance, when anxiety rises."],
}
# (service, days before today the report arrived, recommendations taken up)
EXAMPLES = [("ep", 12, 0), ("salt", 45, 1), ("ep", 80, 0), ("salt", 20, 2), ("camhs", 30, 0)]


def _pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` in Helvetica (ISO 32000-1: catalog, pages, page,
    font, contents, and the cross-reference table with each object's byte offset)."""
    text = " ".join(f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 56 780 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _agency(school: School, kind: str) -> Agency:
    """The school's own service of that kind, from the usual ones its directory starts with."""
    agency = Agency.objects.filter(school=school, kind=kind).order_by("pk").first()
    if agency is None:
        agency = Agency.objects.create(school=school, name=SERVICES[kind][0], kind=kind)
    return agency


def seed_involvement(*, school: School, senco: User, today: date, calendar: SchoolCalendar) -> None:
    plans = SupportPlan.objects.filter(school=school, status=PlanStatus.ACTIVE).select_related("pupil")
    for plan, (kind, days_ago, taken_up) in zip(plans.order_by("pupil_id"), EXAMPLES, strict=False):
        pupil = plan.pupil
        name, professional, what = SERVICES[kind]
        agency = _agency(school, kind)
        arrived = today - timedelta(days=days_ago)
        received_on = latest_school_day(calendar, arrived, not_before=plan.started_on)
        written_on = received_on - timedelta(days=4)
        involvement = Involvement.objects.create(
            school=school,
            pupil=pupil,
            agency=agency,
            kind=what,
            happened_on=written_on - timedelta(days=14),
            professional=professional,
            notes="Met the class teacher and the SENCO; spoke with parents by phone afterwards.",
            recorded_by=senco,
        )
        title = f"{name}: report on {pupil.first_name}"
        report = Report(
            school=school,
            pupil=pupil,
            agency=agency,
            involvement=involvement,
            title=title,
            written_on=written_on,
            received_on=received_on,
            is_health_information=kind == "camhs",
            file_type="pdf",
            original_name=f"{name} report.pdf",
            uploaded_by=senco,
        )
        data = _pdf([title, f"Seen on {involvement.happened_on:%-d %B %Y}.", *RECOMMENDATIONS[kind]])
        report.file_size = len(data)
        report.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
        report.save()
        for position, text in enumerate(RECOMMENDATIONS[kind]):
            taken = position < taken_up
            Advice.objects.create(
                school=school,
                pupil=pupil,
                report=report,
                text=text,
                added_by=senco,
                actioned_in=plan if taken else None,
                actioned_on=min(received_on + timedelta(days=7), today) if taken else None,
                actioned_by=senco if taken else None,
            )
