"""The only place that renders PDFs (R13)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


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
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="/", url_fetcher=_static_fetcher).write_pdf()
