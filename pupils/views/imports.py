"""The MIS import: upload a file and see what it would change (nothing is written), then apply it.

Between the two steps the file's bytes stay on the server, in the user's session, under the
SHA-256 of the content; the confirmation form carries only that digest and the fingerprint of
the plan that was shown. Applying reads the bytes back, checks the digest and validates every
row again, so nothing the browser sends back is trusted. (We chose this over a signed payload
in the page: a 2 MB file would travel back and forth through the browser, and a hidden field
that large can exceed Django's request size limit.) One file waits per session, compressed; it
is dropped once applied, when another is uploaded, or when the session ends.
"""

import base64
import hashlib
import zlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from pupils.forms import ApplyForm, UploadForm
from pupils.permissions import IMPORTERS
from pupils.rules import COLUMNS, MAX_BYTES
from pupils.services.imports import ImportPlan, ImportRefused, apply_import, plan_import
from senco.access import allow

SESSION_KEY = "pupils_mis_import"


def _keep(request, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    request.session[SESSION_KEY] = {
        "digest": digest,
        "content": base64.b64encode(zlib.compress(content)).decode(),
    }
    return digest


def _kept(request, digest: str) -> bytes | None:
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("digest") != digest:
        return None
    content = zlib.decompress(base64.b64decode(stored["content"]))
    return content if hashlib.sha256(content).hexdigest() == digest else None


def _preview(request, plan: ImportPlan, digest: str, error: str = ""):
    can_apply = not plan.problems and plan.has_changes
    form = ApplyForm(initial={"digest": digest, "fingerprint": plan.fingerprint}) if can_apply else None
    context = {"plan": plan, "apply_form": form, "error": error}
    return render(request, "pupils/import_preview.html", context)


def _apply(request):
    form = ApplyForm(request.POST)
    content = _kept(request, form.cleaned_data["digest"]) if form.is_valid() else None
    if content is None:
        messages.error(request, "That file is no longer waiting to be imported: please upload it again.")
        return redirect("pupils:import")
    try:
        plan = apply_import(
            school=request.user.school,
            content=content,
            fingerprint=form.cleaned_data["fingerprint"],
            by=request.user,
            today=timezone.localdate(),
        )
    except ImportRefused as exc:
        return _preview(request, exc.plan, form.cleaned_data["digest"], error=str(exc))
    del request.session[SESSION_KEY]
    done = f"The file is imported: {plan.counts()}." if plan.has_changes else "Nothing to change."
    messages.success(request, done)
    return redirect("pupils:import")


@allow(*IMPORTERS)
def mis_import(request):
    if request.method == "POST" and "digest" in request.POST:
        return _apply(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        request.session.pop(SESSION_KEY, None)
        content = form.cleaned_data["file"].read(MAX_BYTES + 1)
        plan = plan_import(school=request.user.school, content=content, today=timezone.localdate())
        digest = _keep(request, content) if not plan.problems and plan.has_changes else ""
        return _preview(request, plan, digest)
    return render(request, "pupils/import_upload.html", {"form": form, "columns": COLUMNS})
