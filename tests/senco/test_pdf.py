"""The PDF base template, its stylesheet and the one helper that answers with a PDF."""

import gc
import io

import pytest
from pypdf import PdfReader

from senco.pdf import _cyclic_collector_paused, pdf_response, render_pdf

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


# The cyclic garbage collector is paused while a PDF is laid out -------------------------------


def test_the_cyclic_collector_does_not_run_while_a_pdf_is_laid_out(test_templates):
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        render_pdf("wide.html", {"name": "the map", "rows": range(300)})  # five pages
    finally:
        gc.callbacks.remove(count)
    # At most the one collection that follows the render, when the collector is back on.
    assert len(collections) <= 1
    assert gc.isenabled()


def test_the_collector_stays_paused_until_the_last_of_overlapping_renders_ends():
    with _cyclic_collector_paused():
        with _cyclic_collector_paused():
            inside_both = gc.isenabled()
        inside_the_first = gc.isenabled()
    assert (inside_both, inside_the_first, gc.isenabled()) == (False, False, True)


def test_a_render_that_fails_turns_the_collector_back_on():
    with pytest.raises(ZeroDivisionError), _cyclic_collector_paused():
        1 / 0  # noqa: B018 (the failure under test)
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off_after_a_pdf(test_templates):
    gc.disable()
    try:
        pdf_response("plain.html", {"name": "Ava"}, filename="plain.pdf")
        still_off = not gc.isenabled()
    finally:
        gc.enable()
    assert still_off
