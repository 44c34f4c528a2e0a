"""Pages for outside professionals' work with a pupil: the pupil's involvement, reports and
advice; logging an involvement; uploading a report; a report's page (its advice, its health
marking) and its download; taking advice up in a plan; and the school's advice list for the
SENCO. Reports are read only through `report_download`, which checks access and audits the read:
the files are never served any other way."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies.forms.involvement import (
    ActionAdviceForm,
    AdviceForm,
    HealthMarkingForm,
    InvolvementForm,
    ReportUploadForm,
)
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS
from agencies.rules import REPORT_TYPES
from agencies.selectors import involvement as selectors
from agencies.services import involvement as services
from pupils.selectors.records import pupils_visible_to, within_reach
from senco.access import allow, open_record
from senco.selectors import school_calendar


def _can_work(request, pupil) -> bool:
    return within_reach(request.user, pupil, roles=AGENCY_WORKERS) and not pupil.has_left(
        timezone.localdate()
    )


@allow(*AGENCY_READERS)
def pupil_involvement(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    today = timezone.localdate()
    advice = list(selectors.advice_of_pupil(request.user, pupil=pupil))
    context = {
        "pupil": pupil,
        "involvements": selectors.involvements_of_pupil(request.user, pupil=pupil),
        "reports": selectors.reports_of_pupil(request.user, pupil=pupil),
        "advice": selectors.with_flags(advice, today=today, calendar=school_calendar(pupil.school)),
        "can_edit": _can_work(request, pupil),
    }
    return render(request, "agencies/involvement_pupil.html", context)


@allow(*AGENCY_WORKERS)
def involvement_add(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = InvolvementForm(
        request.POST or None,
        agencies=selectors.agencies_of_school(request.user),
        referrals=selectors.referrals_for_records(request.user, pupil=pupil),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_involvement(
                pupil=pupil, by=request.user, today=timezone.localdate(), **form.involvement_fields()
            )
            messages.success(request, "The involvement is recorded.")
            return redirect("agencies:pupil_involvement", pupil.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/involvement_add.html", {"pupil": pupil, "form": form})


@allow(*AGENCY_WORKERS)
def report_upload(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = ReportUploadForm(
        request.POST or None,
        request.FILES or None,
        agencies=selectors.agencies_of_school(request.user),
        involvements=selectors.involvements_of_pupil(request.user, pupil=pupil),
        referrals=selectors.referrals_for_records(request.user, pupil=pupil),
        max_mb=settings.REPORT_UPLOAD_MAX_MB,
        # A referral's page links here with its service and itself chosen in advance.
        initial={"agency": request.GET.get("agency"), "referral": request.GET.get("referral")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.upload_report(
                pupil=pupil, by=request.user, today=timezone.localdate(), **form.report_fields()
            )
            messages.success(request, "The report is stored.")
            return redirect(report)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/report_upload.html", {"pupil": pupil, "form": form})


@allow(*AGENCY_READERS)
def report_detail(request, report_pk: int):
    reports = selectors.reports_visible_to(request.user).select_related(
        "pupil", "agency", "uploaded_by", "referral__agency"
    )
    report = open_record(request, reports, read="report.viewed", pk=report_pk)
    can_edit = _can_work(request, report.pupil)
    context = {
        "report": report,
        "pupil": report.pupil,
        "advice": selectors.advice_of_pupil(request.user, pupil=report.pupil).filter(report=report),
        "can_edit": can_edit,
        "advice_form": AdviceForm(),
        "health_form": HealthMarkingForm(initial={"is_health_information": report.is_health_information}),
    }
    return render(request, "agencies/report_detail.html", context)


@allow(*AGENCY_READERS)
def report_download(request, report_pk: int):
    report = open_record(
        request, selectors.reports_visible_to(request.user), read="report.downloaded", pk=report_pk
    )
    kind = REPORT_TYPES[report.file_type]
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.original_name,
        content_type=kind.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allow(*AGENCY_WORKERS)
@require_POST
def report_health(request, report_pk: int):
    report = open_record(
        request, selectors.reports_visible_to(request.user), read="report.viewed", pk=report_pk
    )
    form = HealthMarkingForm(request.POST)
    form.is_valid()  # a tick box: absent means unticked
    try:
        services.mark_report_health_information(
            report=report,
            is_health_information=form.cleaned_data.get("is_health_information", False),
            by=request.user,
            today=timezone.localdate(),
        )
        messages.success(request, "The report's health marking is saved.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


@allow(*AGENCY_WORKERS)
def advice_add(request, report_pk: int):
    reports = selectors.reports_visible_to(request.user).select_related("pupil")
    report = open_record(request, reports, read="report.viewed", pk=report_pk)
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_advice(
                report=report, text=form.cleaned_data["text"], by=request.user, today=timezone.localdate()
            )
            messages.success(request, "The recommendation is recorded.")
            return redirect(report)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "agencies/advice_add.html", {"report": report, "pupil": report.pupil, "form": form}
    )


@allow(*AGENCY_WORKERS)
def advice_action(request, advice_pk: int):
    records = selectors.advice_visible_to(request.user).select_related("pupil", "report__agency")
    advice = open_record(request, records, read="advice.viewed", pk=advice_pk)
    form = ActionAdviceForm(
        request.POST or None,
        plans=selectors.plans_for_advice(request.user, pupil=advice.pupil),
        ehc_plans=selectors.ehc_plans_for_advice(request.user, pupil=advice.pupil),
        initial={"actioned_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_advice(
                advice=advice, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The advice is recorded as taken up in the plan.")
            return redirect("agencies:pupil_involvement", advice.pupil_id)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"advice": advice, "pupil": advice.pupil, "form": form, "has_plans": form.has_plans}
    return render(request, "agencies/advice_action.html", context)


@allow(*AGENCY_READERS)
def advice_list(request):
    today = timezone.localdate()
    advice = list(selectors.advice_list(request.user))
    flagged = selectors.with_flags(advice, today=today, calendar=school_calendar(request.user.school))
    can_edit = request.user.has_role(*AGENCY_WORKERS)
    context = {
        "advice": flagged,
        "flagged_count": sum(item.is_flagged for item in flagged),
        "can_edit": can_edit,
    }
    return render(request, "agencies/advice_list.html", context)
