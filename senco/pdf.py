"""The only place that renders PDFs (R13). Every PDF template extends `pdf_base.html`, and
`static/css/pdf.css` styles them all."""

import gc
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = "css/pdf.css"

_pausing = threading.Lock()
_renders_pausing = 0  # renders under way in this process that paused the cyclic collector


@contextmanager
def _cyclic_collector_paused():
    """Python's cyclic garbage collector paused for the duration of one render.

    WeasyPrint builds hundreds of thousands of linked objects (a box, a style and a line for
    every cell); each time the collector runs it walks all of them again, and it runs more often
    the more there are: a third to a half of the time of a long PDF (docs/decisions/pdfs.md).
    Reference counting still frees what is not in a cycle, and what is gets collected once the
    collector runs again after the render. Renders in other threads of the process share the
    pause: the collector comes back when the last one ends. One the collector was already off
    for (someone else's choice) leaves it as it was."""
    global _renders_pausing
    with _pausing:
        pause = _renders_pausing > 0 or gc.isenabled()
        if pause:
            _renders_pausing += 1
            gc.disable()
    try:
        yield
    finally:
        if pause:
            with _pausing:
                _renders_pausing -= 1
                if _renders_pausing == 0:
                    gc.enable()


def _static_fetcher(url: str, *args, **kwargs):
    """Serve /static/ files from disk so rendering never makes a network request."""
    from weasyprint.urls import default_url_fetcher

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    for start in (prefix, "file://" + prefix):
        if url.startswith(start):
            path = finders.find(url[len(start) :])
            if path:
                return default_url_fetcher("file://" + path)
    raise ValueError(f"PDFs may only load static files, not {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint is heavy and only the PDF views need it.
    from weasyprint import CSS, HTML

    with _cyclic_collector_paused():
        html = render_to_string(template_name, context)
        # Handed over by path, not linked from the template: a missing stylesheet then fails
        # loudly instead of printing an unstyled PDF, and the hashed names of collected files
        # never matter.
        stylesheet = CSS(filename=finders.find(STYLESHEET))
        document = HTML(string=html, base_url="/", url_fetcher=_static_fetcher)
        return document.write_pdf(stylesheets=[stylesheet])


def pdf_response(template_name: str, context: dict, *, filename: str) -> HttpResponse:
    """The PDF, shown in the browser's viewer (inline) and saved under `filename`. The view's
    access declaration marks it private and not to be stored, as every page of pupil data is."""
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
