"""The only place that renders PDFs (R13). Every PDF template extends `pdf_base.html`, and
`static/css/pdf.css` styles them all."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = "css/pdf.css"


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

    html = render_to_string(template_name, context)
    # Handed over by path, not linked from the template: a missing stylesheet then fails loudly
    # instead of printing an unstyled PDF, and the hashed names of collected files never matter.
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    return HTML(string=html, base_url="/", url_fetcher=_static_fetcher).write_pdf(stylesheets=[stylesheet])


def pdf_response(template_name: str, context: dict, *, filename: str) -> HttpResponse:
    """The PDF, shown in the browser's viewer (inline) and saved under `filename`. The view's
    access declaration marks it private and not to be stored, as every page of pupil data is."""
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
