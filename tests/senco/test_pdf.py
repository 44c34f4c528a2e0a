"""The PDF base template, its stylesheet and the one helper that answers with a PDF."""

import io

import pytest
from pypdf import PdfReader

from senco.pdf import pdf_response

# A PDF template as the app's are written: it extends the base and fills its blocks.
WIDE = (
    '{% extends "pdf_base.html" %}{% block body_class %}landscape{% endblock %}'
    "{% block footer %}Footer of {{ name }}{% endblock %}"
    "{% block content %}{% for n in rows %}<p>Row {{ n }}</p>{% endfor %}{% endblock %}"
)
PLAIN = '{% extends "pdf_base.html" %}{% block content %}<p>Only {{ name }}</p>{% endblock %}'


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [settings.BASE_DIR / "templates"],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"wide.html": WIDE, "plain.html": PLAIN}),
                    "django.template.loaders.filesystem.Loader",
                ]
            },
        }
    ]


def page_sizes_and_texts(response) -> list[tuple[tuple[int, int], str]]:
    reader = PdfReader(io.BytesIO(response.content))
    return [
        ((round(float(page.mediabox.width)), round(float(page.mediabox.height))), page.extract_text())
        for page in reader.pages
    ]


def test_a_pdf_is_shown_inline_under_its_filename(test_templates):
    response = pdf_response("plain.html", {"name": "Ava"}, filename="plain-1.pdf")
    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "application/pdf",
        'inline; filename="plain-1.pdf"',
    )


def test_a_plain_pdf_is_a4_portrait_and_numbers_its_page(test_templates):
    pages = page_sizes_and_texts(pdf_response("plain.html", {"name": "Ava"}, filename="plain.pdf"))
    assert [(size, "Only Ava" in text, "Page 1 of 1" in text) for size, text in pages] == [
        ((595, 842), True, True)
    ]


def test_a_landscape_pdf_repeats_its_footer_on_every_page(test_templates):
    response = pdf_response("wide.html", {"name": "the map", "rows": range(80)}, filename="wide.pdf")
    pages = page_sizes_and_texts(response)
    assert len(pages) > 1
    assert [(size, "Footer of the map" in text) for size, text in pages] == [((842, 595), True)] * len(pages)
