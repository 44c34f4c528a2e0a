"""What kind of file a professional's report is, told from its first bytes, never from its name
or the type the browser claims: both are whatever the sender's computer made of them, and a
script or a web page renamed `report.pdf` must not be stored as a PDF and handed back to staff.

`identify_report(data, name=...)` answers with a `ReportType` or raises `ValidationError` with a
message for the upload form's file field. Pure: bytes in, answer out (R11)."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class ReportType:
    key: str  # stored on the report
    label: str  # in messages and on the page
    media_type: str  # sent back on download
    extensions: tuple[str, ...]  # names a file of this type may have; the first is stored

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = ReportType("pdf", "a PDF", "application/pdf", (".pdf",))
DOCX = ReportType(
    "docx",
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
DOC = ReportType("doc", "a Word 97-2003 document", "application/msword", (".doc",))
PNG = ReportType("png", "a PNG image", "image/png", (".png",))
JPEG = ReportType("jpeg", "a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
REPORT_TYPES = {kind.key: kind for kind in (PDF, DOCX, DOC, PNG, JPEG)}
REPORT_TYPE_CHOICES = [(kind.key, kind.label[2:].capitalize()) for kind in REPORT_TYPES.values()]
ACCEPTED_EXTENSIONS = tuple(ext for kind in REPORT_TYPES.values() for ext in kind.extensions)

# The signatures (magic numbers) of the formats we accept: PDF 1.7 (ISO 32000-1, 7.5.2) opens
# with "%PDF-"; PNG (RFC 2083, 3.1) with its 8-byte signature; JPEG (ITU T.81, B.1.1.2) with the
# start-of-image marker and the next marker's 0xFF; Word 97-2003 is an OLE2 compound file
# ([MS-CFB] 2.2) holding a "WordDocument" stream ([MS-DOC] 2.1.1); a .docx is a ZIP
# (PKWARE APPNOTE 4.3.7) holding word/document.xml (ECMA-376 Part 2).
_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ZIP_MAGIC = b"PK\x03\x04"

WHAT_WE_TAKE = "a PDF, a Word document (.docx or .doc) or a PNG or JPEG image"


def _sniff(data: bytes) -> ReportType | None:
    if data.startswith(_PDF_MAGIC):
        return PDF
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_OLE2_MAGIC):
        # Excel, PowerPoint and Outlook files are OLE2 too: only a Word stream makes it a .doc.
        return DOC if _WORD_STREAM in data else None
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())  # the directory only: nothing is decompressed
        except zipfile.BadZipFile:
            return None
        return DOCX if {"[Content_Types].xml", "word/document.xml"} <= names else None
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_report_size(size: int, *, max_bytes: int) -> None:
    """Refuse a file of `size` bytes over `max_bytes` (the REPORT_UPLOAD_MAX_MB setting)."""
    if size > max_bytes:
        raise ValidationError(
            {
                "file": f"The file is {_megabytes(size)}: the largest report we keep is "
                f"{_megabytes(max_bytes)}. Save it smaller (for a scan, at a lower resolution) and "
                "upload it again."
            }
        )


def identify_report(data: bytes, *, name: str, max_bytes: int) -> ReportType:
    """The type of the report in `data`, uploaded as `name`, no bigger than `max_bytes`.

    Refused, with a message for the file field: an empty file; one over the limit; one whose
    content is none of the accepted formats, whatever it is called; and one whose content is an
    accepted format but whose name says another (a PNG called `report.pdf`): the name is what
    staff will see and open it by, so it must not lie about what the file is."""
    if not data:
        raise ValidationError({"file": "The file is empty. Choose the report's file again."})
    check_report_size(len(data), max_bytes=max_bytes)
    kind = _sniff(data)
    extension = PurePath(name).suffix.lower()
    if kind is None:
        called = f" called “{extension}”" if extension else ""
        raise ValidationError(
            {
                "file": f"This file{called} is not {WHAT_WE_TAKE}: its contents say otherwise, "
                "whatever its name. Save the report in one of those formats and upload that."
            }
        )
    if extension not in kind.extensions:
        named = REPORT_TYPES_BY_EXTENSION.get(extension)
        if named:
            says = f"its name says it is {named.label}"
        else:
            says = f"its name ends “{extension}”" if extension else "its name has no extension"
        raise ValidationError(
            {
                "file": f"This file is {kind.label}, but {says}. Rename it to end {kind.extension} "
                "if that is right, or upload the report itself."
            }
        )
    return kind


REPORT_TYPES_BY_EXTENSION = {ext: kind for kind in REPORT_TYPES.values() for ext in kind.extensions}
