"""The MIS import: upload a file and see what it would change (nothing is written), then apply
it in the background and follow it on its own page.

Between the check and the apply the file's bytes stay on the server, in the user's session,
under the SHA-256 of the content; the confirmation form carries only that digest and the
fingerprint of the plan that was shown. Applying reads the bytes back, checks the digest and
hands them to an import run (`pupils.services.import_runs.start_import`), whose task validates
every row again, so nothing the browser sends back is trusted. (We chose this over a signed
payload in the page: a 2 MB file would travel back and forth through the browser, and a hidden
field that large can exceed Django's request size limit.) One file waits per session,
compressed; it is dropped once queued, when another is uploaded, or when the session ends.
"""

import base64
import hashlib
import zlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from pupils.forms import ApplyForm, UploadForm
from pupils.permissions import IMPORTERS
from pupils.rules import COLUMNS, MAX_BYTES
from pupils.selectors.import_runs import import_runs_visible_to, run_progress
from pupils.services.import_runs import retry_import, start_import
from pupils.services.imports import ImportPlan, plan_import
from senco.access import allow

SESSION_KEY = "pupils_mis_import"
# The runs listed on the upload page, newest first, to follow one or see how it ended.
RECENT_RUNS = 5


def _keep(request, content: bytes, name: str) -> str:
    digest = hashlib.sha256(content).hexdigest()
    request.session[SESSION_KEY] = {
        "digest": digest,
        "name": name,
        "content": base64.b64encode(zlib.compress(content)).decode(),
    }
    return digest


def _kept(request, digest: str) -> tuple[bytes | None, str]:
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("digest") != digest:
        return None, ""
    content = zlib.decompress(base64.b64decode(stored["content"]))
    return (content if hashlib.sha256(content).hexdigest() == digest else None), stored.get("name", "")


def _preview(request, plan: ImportPlan, digest: str, error: str = ""):
    can_apply = not plan.problems and plan.has_changes
    form = ApplyForm(initial={"digest": digest, "fingerprint": plan.fingerprint}) if can_apply else None
    context = {"plan": plan, "apply_form": form, "error": error}
    return render(request, "pupils/import_preview.html", context)


def _apply(request):
    form = ApplyForm(request.POST)
    content, name = _kept(request, form.cleaned_data["digest"]) if form.is_valid() else (None, "")
    if content is None:
        messages.error(request, "That file is no longer waiting to be imported: please upload it again.")
        return redirect("pupils:import")
    try:
        run = start_import(
            school=request.user.school,
            content=content,
            file_name=name,
            fingerprint=form.cleaned_data["fingerprint"],
            by=request.user,
        )
    except ValidationError as exc:
        plan = plan_import(school=request.user.school, content=content, today=timezone.localdate())
        return _preview(request, plan, form.cleaned_data["digest"], error=exc.messages[0])
    del request.session[SESSION_KEY]
    return redirect("pupils:import_run", pk=run.pk)


@allow(*IMPORTERS)
def mis_import(request):
    if request.method == "POST" and "digest" in request.POST:
        return _apply(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        request.session.pop(SESSION_KEY, None)
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_BYTES + 1)
        plan = plan_import(school=request.user.school, content=content, today=timezone.localdate())
        digest = _keep(request, content, upload.name) if not plan.problems and plan.has_changes else ""
        return _preview(request, plan, digest)
    now = timezone.now()
    runs = [(run, run_progress(run, now=now)) for run in import_runs_visible_to(request.user)[:RECENT_RUNS]]
    return render(request, "pupils/import_upload.html", {"form": form, "columns": COLUMNS, "runs": runs})


@allow(*IMPORTERS)
@vary_on_headers("HX-Request")
def import_run(request, pk: int):
    """One import: its progress while it runs (for htmx's polling, the progress alone), then
    its result or every problem; POST runs a failed or interrupted one again."""
    run = get_object_or_404(import_runs_visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            retry_import(run=run, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("pupils:import_run", pk=run.pk)
    progress = run_progress(run, now=timezone.now())
    htmx = request.headers.get("HX-Request")
    template = "pupils/partials/import_run_progress.html" if htmx else "pupils/import_run.html"
    return render(request, template, {"run": run, "progress": progress})
