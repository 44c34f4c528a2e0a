"""The report file rules (type from content, size) and the half-term flag on advice."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.rules import DOC, DOCX, JPEG, PDF, PNG, identify_report
from senco.deadlines import advice_unactioned_flag_on
from senco.rules import SchoolCalendar

LIMIT = 1024 * 1024
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def docx_bytes(*, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if word else "xl/workbook.xml", "<document/>")
    return buffer.getvalue()


def refusal(data: bytes, name: str, max_bytes: int = LIMIT) -> str:
    with pytest.raises(ValidationError) as caught:
        identify_report(data, name=name, max_bytes=max_bytes)
    return " ".join(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (PDF_BYTES, "EP report.pdf", PDF),
        (PNG_BYTES, "scan.PNG", PNG),
        (JPEG_BYTES, "photo.jpg", JPEG),
        (JPEG_BYTES, "photo.jpeg", JPEG),
        (docx_bytes(), "SALT report.docx", DOCX),
        (OLE2 + "WordDocument".encode("utf-16-le"), "old report.doc", DOC),
    ],
)
def test_each_accepted_format_is_known_by_its_content(data, name, kind):
    assert identify_report(data, name=name, max_bytes=LIMIT) == kind


def test_a_png_renamed_to_look_like_a_pdf_is_refused_saying_what_it_really_is():
    message = refusal(PNG_BYTES, "report.pdf")
    assert message.startswith("This file is a PNG image, but its name says it is a PDF.")


def test_a_text_file_renamed_to_look_like_a_pdf_is_refused_whatever_its_name():
    message = refusal(b"<script>alert(1)</script> not a report", "report.pdf")
    assert message.startswith("This file called “.pdf” is not a PDF, a Word document (.docx or .doc)")


def test_an_excel_file_is_not_taken_for_a_word_document_although_both_are_ole2_or_zip():
    assert "is not a PDF" in refusal(OLE2, "figures.doc")
    assert "is not a PDF" in refusal(docx_bytes(word=False), "figures.docx")


def test_a_zip_that_is_broken_is_refused_not_an_error():
    assert "is not a PDF" in refusal(b"PK\x03\x04 broken", "report.docx")


def test_an_empty_file_is_refused():
    assert refusal(b"", "report.pdf") == "The file is empty. Choose the report's file again."


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    message = refusal(PDF_BYTES + b"\0" * LIMIT, "big.pdf")
    assert message.startswith("The file is 1.0 MB: the largest report we keep is 1.0 MB.")


def test_a_file_exactly_at_the_limit_is_taken():
    data = PDF_BYTES + b"\0" * (LIMIT - len(PDF_BYTES))
    assert identify_report(data, name="big.pdf", max_bytes=LIMIT) == PDF


# Half a term: six school weeks, with the real dates of autumn 2026 (October half-term 26-30 October).
AUTUMN_2026 = SchoolCalendar(
    years=frozenset({2026}),
    terms=(
        (date(2026, 9, 1), date(2026, 12, 18)),
        (date(2027, 1, 4), date(2027, 3, 26)),
        (date(2027, 4, 12), date(2027, 7, 21)),
    ),
    closures=((date(2026, 10, 26), date(2026, 10, 30)),),
)


def test_advice_is_flagged_after_six_school_weeks_the_half_term_not_counting():
    assert advice_unactioned_flag_on(date(2026, 10, 12), AUTUMN_2026) == date(2026, 12, 1)


def test_without_term_dates_six_weeks_of_weekdays_count():
    assert advice_unactioned_flag_on(date(2026, 10, 12), SchoolCalendar()) == date(2026, 11, 24)


def test_advice_received_late_in_the_autumn_term_is_flagged_after_christmas():
    # Received Monday 30 November 2026: 14 school days to 18 December, then 16 from 4 January
    # (an INSET day counts as the school is open; bank holidays 25, 28 December and 1 January
    # fall in the holiday anyway).
    assert advice_unactioned_flag_on(date(2026, 11, 30), AUTUMN_2026) == date(2027, 1, 26)
