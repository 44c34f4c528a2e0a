"""Pupil passport pages: read and print, write the next version, download for a supply teacher."""

from functools import partial

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from pupils.forms import PARENT_VOICE_LABEL, PassportForm, passport_initial, pupil_voice_label
from pupils.permissions import PASSPORT_READERS, PASSPORT_WRITERS
from pupils.selectors.passports import passport_versions
from pupils.selectors.records import pupils_visible_to, within_reach
from pupils.services.passports import save_passport
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale, version_token
from senco.pdf import pdf_response


def _chosen(versions: list, version: int | None):
    """The version asked for (the latest by default); an unknown number is a 404."""
    if version is None:
        return versions[0] if versions else None
    chosen = next((passport for passport in versions if passport.version == version), None)
    if chosen is None:
        raise Http404("No such version of this passport.")
    return chosen


def _version(version: int | None) -> str:
    # What the audit row says was read: a version asked for by number (else the latest).
    return f"Version {version}" if version else ""


def _labels(pupil) -> dict:
    return {"pupil_voice_label": pupil_voice_label(pupil), "parent_voice_label": PARENT_VOICE_LABEL}


@allow(*PASSPORT_READERS)
def passport(request, pk: int, version: int | None = None):
    pupils = pupils_visible_to(request.user).select_related("school")
    pupil = open_record(request, pupils, read="passport.viewed", summary=_version(version), pk=pk)
    versions = list(passport_versions(request.user, pupil=pupil))
    shown = _chosen(versions, version)
    can_edit = within_reach(request.user, pupil, roles=PASSPORT_WRITERS)
    context = {
        "pupil": pupil,
        "passport": shown,
        "versions": versions,
        "is_latest": not versions or shown == versions[0],
        "can_edit": can_edit and not pupil.has_left(timezone.localdate()),
        **_labels(pupil),
    }
    return render(request, "pupils/passport.html", context)


@allow(*PASSPORT_WRITERS)
def passport_edit(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="passport.viewed", pk=pk)
    today = timezone.localdate()
    latest = passport_versions(request.user, pupil=pupil).first()
    initial = passport_initial(latest, version=version_token(latest), today=today)
    form = PassportForm(request.POST or None, initial=initial, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        based_on = form.cleaned_data["version"]
        try:
            save_passport(
                pupil=pupil, based_on=based_on, by=request.user, today=today, **form.passport_fields()
            )
            return redirect("pupils:passport", pupil.pk)
        except StaleEdit as exc:
            latest = passport_versions(request.user, pupil=pupil).first()
            form = redraw_stale(partial(PassportForm, pupil=pupil), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"pupil": pupil, "form": form, "latest": latest}
    return render(request, "pupils/passport_edit.html", context)


@allow(*PASSPORT_READERS)
def passport_pdf(request, pk: int, version: int | None = None):
    pupils = pupils_visible_to(request.user).select_related("school")
    pupil = open_record(request, pupils, read="passport.downloaded", summary=_version(version), pk=pk)
    shown = _chosen(list(passport_versions(request.user, pupil=pupil)), version)
    if shown is None:
        raise Http404("This pupil has no passport yet.")
    context = {"pupil": pupil, "passport": shown, **_labels(pupil)}
    return pdf_response(
        "pupils/passport_pdf.html", context, filename=f"pupil-passport-{pupil.pk}-v{shown.version}.pdf"
    )
