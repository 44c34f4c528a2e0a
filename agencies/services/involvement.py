"""Writes about outside professionals' work with a pupil: involvement logged, reports uploaded
to private storage, a report's health marking, its recommendations as advice, and advice taken
up in a SEN support plan or an EHC plan. Each writes its own audit row (R3), naming the record, never what it
says; reading or downloading a report is audited by the view's `open_record`."""

import re
from collections import Counter
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from agencies.models import Advice, Agency, EhcPlan, Involvement, Referral, Report
from agencies.rules import check_report_size, identify_report
from provision.models import PlanStatus, SupportPlan
from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.models import User

INVOLVEMENT_FIELDS = ("agency", "referral", "kind", "happened_on", "professional", "notes")
REPORT_FIELDS = (
    "agency",
    "involvement",
    "referral",
    "title",
    "written_on",
    "received_on",
    "is_health_information",
)


def _not_ahead(day: date | None, *, today: date, field: str, what: str) -> None:
    if day and day > today:
        raise ValidationError({field: f"{what} cannot be after today."})


@refuses_leavers("pupil")
@transaction.atomic
def record_involvement(
    *,
    pupil: Pupil,
    agency: Agency,
    kind: str,
    happened_on: date,
    professional: str = "",
    notes: str = "",
    referral: Referral | None = None,
    by: User,
    today: date,
) -> Involvement:
    """Log a visit, assessment or meeting with an outside professional, naming the referral it
    came from if any (one of the pupil's, refused beside `referral` otherwise).
    Side effects: audit row `involvement.recorded`."""
    _not_ahead(happened_on, today=today, field="happened_on", what="The date")
    involvement = Involvement(
        school=pupil.school,
        pupil=pupil,
        agency=agency,
        referral=referral,
        kind=kind,
        happened_on=happened_on,
        professional=professional,
        notes=notes,
        recorded_by=by,
    )
    involvement.full_clean()
    involvement.save()
    audit.record("involvement.recorded", by=by, obj=involvement, fields=list(INVOLVEMENT_FIELDS))
    return involvement


def _clean_name(name: str, extension: str) -> str:
    """The uploaded name reduced to a safe file name for the download's suggestion: letters,
    digits, spaces, dots, hyphens and underscores, at most 150 characters, with the extension
    its content showed."""
    stem = re.sub(r"[^\w .-]+", "", PurePath(name).stem).strip(" .") or "report"
    return f"{stem[:150]}{extension}"


def _split_advice(recommendations: str) -> list[str]:
    return [line.strip(" -•*\t") for line in recommendations.splitlines() if line.strip(" -•*\t")]


@refuses_leavers("pupil")
@transaction.atomic
def upload_report(
    *,
    pupil: Pupil,
    agency: Agency,
    title: str,
    written_on: date,
    received_on: date,
    file: UploadedFile,
    involvement: Involvement | None = None,
    referral: Referral | None = None,
    is_health_information: bool = False,
    recommendations: str = "",
    by: User,
    today: date,
) -> Report:
    """Keep a professional's report: its type is told from its content (`identify_report`:
    empty, oversize, unknown or misnamed files are refused, keyed to `file`); it is stored
    through the default storage under a random name; each line of `recommendations` becomes a
    piece of advice. It names the referral it answers: `referral`, or else the involvement's (a
    referral of the pupil's, refused beside `referral` otherwise).

    Side effects: the file written to storage (removed again if the report is refused after);
    audit rows `report.uploaded` and `advice.added` for each recommendation."""
    _not_ahead(received_on, today=today, field="received_on", what="The day it was received")
    max_bytes = settings.REPORT_UPLOAD_MAX_MB * 1024 * 1024
    check_report_size(file.size or 0, max_bytes=max_bytes)  # before reading it all
    file.seek(0)
    data = file.read(max_bytes + 1)
    kind = identify_report(data, name=file.name or "", max_bytes=max_bytes)
    report = Report(
        school=pupil.school,
        pupil=pupil,
        agency=agency,
        involvement=involvement,
        referral=referral or (involvement.referral if involvement else None),
        title=title,
        written_on=written_on,
        received_on=received_on,
        is_health_information=is_health_information,
        file_type=kind.key,
        file_size=len(data),
        original_name=_clean_name(file.name or "", kind.extension),
        uploaded_by=by,
    )
    report.full_clean(exclude=["file"])
    report.file.save("upload", ContentFile(data), save=False)
    try:
        report.save()
        audit.record("report.uploaded", by=by, obj=report, summary=kind.label, fields=list(REPORT_FIELDS))
        for text in _split_advice(recommendations):
            _add_advice(report=report, text=text, by=by)
    except BaseException:
        report.file.delete(save=False)
        raise
    return report


@refuses_leavers("report")
@transaction.atomic
def mark_report_health_information(
    *, report: Report, is_health_information: bool, by: User, today: date
) -> Report:
    """Mark a report as health information (the SENCO team and the head alone read it, and the
    advice taken from it) or take the marking off. Side effects: audit row `report.changed`."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.is_health_information == is_health_information:
        return current
    current.is_health_information = is_health_information
    current.full_clean()
    current.save(update_fields=["is_health_information"])
    audit.record(
        "report.changed",
        by=by,
        obj=current,
        summary="marked as health information" if is_health_information else "health marking removed",
        fields=["is_health_information"],
    )
    return current


def _add_advice(*, report: Report, text: str, by: User) -> Advice:
    advice = Advice(school=report.school, pupil=report.pupil, report=report, text=text, added_by=by)
    advice.full_clean()
    advice.save()
    audit.record("advice.added", by=by, obj=advice, fields=["text"])
    return advice


@refuses_leavers("report")
@transaction.atomic
def add_advice(*, report: Report, text: str, by: User, today: date) -> Advice:
    """Record one recommendation from the report. Side effects: audit row `advice.added`."""
    if not text.strip():
        raise ValidationError({"text": "Write the recommendation."})
    return _add_advice(report=report, text=text.strip(), by=by)


@refuses_leavers("advice")
@transaction.atomic
def action_advice(
    *, advice: Advice, plan: SupportPlan | EhcPlan, actioned_on: date, by: User, today: date
) -> Advice:
    """Record that `plan` takes the advice up on `actioned_on`: a SEN support plan (CoP 6.61)
    not yet reviewed, or the pupil's EHC plan in force (CoP 9.69). The plan must be the pupil's;
    advice already taken up is refused, so two people cannot link it to different plans at once.
    Errors are keyed to `plan`. Side effects: audit row `advice.actioned`."""
    current = Advice.objects.select_for_update().select_related("report").get(pk=advice.pk)
    if current.is_actioned:
        raise ValidationError({"plan": "This advice has already been taken up in a plan."})
    if plan.pupil_id != current.pupil_id:
        raise ValidationError({"plan": "Choose one of this pupil's plans."})
    is_ehc_plan = isinstance(plan, EhcPlan)
    if is_ehc_plan and plan.ceased_on is not None:
        raise ValidationError({"plan": "That EHC plan has ceased: take the advice up in a plan in force."})
    if not is_ehc_plan and plan.status == PlanStatus.REVIEWED:
        raise ValidationError({"plan": "That plan has been reviewed: take the advice up in the current one."})
    _not_ahead(actioned_on, today=today, field="actioned_on", what="The day it was taken up")
    link = "actioned_in_ehc_plan" if is_ehc_plan else "actioned_in"
    setattr(current, link, plan)
    current.actioned_on = actioned_on
    current.actioned_by = by
    try:
        current.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        plan_fields = ("actioned_in", "actioned_in_ehc_plan")
        raise ValidationError({"plan" if key in plan_fields else key: errors[key] for key in errors}) from exc
    current.save(update_fields=[link, "actioned_on", "actioned_by"])
    audit.record("advice.actioned", by=by, obj=current, summary=str(plan), fields=[link, "actioned_on"])
    return current


def remove_reports_for_disposal(pupil: Pupil) -> dict[str, int]:
    """Delete the pupil's involvement, reports and advice, and the reports' stored files, for the
    disposal of their record (`pupils.services.retention`, which runs it in its transaction and
    audits the disposal). The cascade from the pupil would leave the files behind; they are
    deleted once the disposal commits, so a disposal that fails keeps them with their rows."""
    names = list(Report.objects.filter(pupil=pupil).values_list("file", flat=True))
    deleted = Counter(Report.objects.filter(pupil=pupil).delete()[1])
    deleted.update(Involvement.objects.filter(pupil=pupil).delete()[1])
    storage = Report._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return dict(deleted)
