"""The evidence pack for an EHC needs assessment request: one PDF per pupil."""

from django.utils import timezone

from agencies.permissions import AGENCY_WORKERS
from agencies.selectors.evidence_pack import evidence_pack
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.pdf import pdf_response


@allow(*AGENCY_WORKERS)
def evidence_pack_pdf(request, pk: int):
    """The SENCO team asks the local authority for an assessment, so they alone export the whole
    record in one document; the export is audited like every read of the record."""
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.evidence_pack_exported", pk=pk)
    today = timezone.localdate()
    context = {"pack": evidence_pack(request.user, pupil=pupil, today=today), "today": today}
    filename = f"ehc-evidence-pack-{pupil.pk}.pdf"
    return pdf_response("agencies/evidence_pack_pdf.html", context, filename=filename)
