"""This app's records in a subject access export (UK GDPR Art 15; the pupils app's
`contribute_part`): referrals with their history of states and the consents behind them,
outside professionals' involvement, the reports received (what each is and its advice; the file
itself is listed by name, date and type, not embedded) and EHC needs assessment requests with
the LA's steps and any exemptions. EHC plans and their reviews are `ehc_plan_parts`.

For subject access handlers only, [] for anyone else: the export reaches the pupil's whole
record whatever the handler's other roles (health reports included). Each record can be
withheld whole on the request's review page, as every record of the export can: a report marked
as health information says so in its title, so the SENCO can weigh whether disclosing it would
be likely to cause serious harm (Data Protection Act 2018 Sch 3 Part 2 para 5, after asking the
appropriate health professional). Its advice is part of the report's record and is withheld with
it."""

from datetime import date

from django.db.models import Prefetch

from agencies.models import Advice, AssessmentRequest, Consent, Involvement, Referral, ReferralMove, Report
from agencies.rules import REPORT_TYPES
from pupils.models import Pupil
from pupils.permissions import can_handle_subject_access
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.subject_access import ExportPart, ExportRecord, day, fields, yes_no
from senco.models import User

HEALTH_INTRO = (
    "A report marked as health information says so in its title. The advice taken from it is "
    "part of the report's record."
)


def _referral_record(referral: Referral) -> ExportRecord:
    history = "\n".join(
        f"{day(move.on)}: {move.get_to_state_display()}" + (f" ({move.note})" if move.note else "")
        for move in referral.moves.all()
    )
    return ExportRecord(
        kind="referral",
        kind_label="Referral to an outside service",
        record_id=referral.pk,
        on=referral.created_on,
        title=f"Referral to {referral.agency}",
        fields=fields(
            ("Service", referral.agency),
            ("Reason for the referral", referral.reason),
            ("Professional handling it", referral.professional),
            ("The service's reference", referral.agency_reference),
            ("Where it stands", referral.get_state_display()),
            ("Started on", day(referral.created_on)),
            ("Started by", referral.created_by),
            ("History", history),
            ("Consent not sought because of", referral.get_consent_exception_display()),
            ("Why the exception applies", referral.exception_reason),
            ("Exception recorded on", day(referral.exception_recorded_on)),
        ),
    )


def _consent_record(consent: Consent, referral: Referral) -> ExportRecord:
    covers = [
        text
        for covered, text in [
            (consent.covers_referral, "the referral"),
            (consent.covers_sharing, "sharing the school's information with the service"),
        ]
        if covered
    ]
    return ExportRecord(
        kind="referral_consent",
        kind_label="Consent to a referral",
        record_id=consent.pk,
        on=consent.given_on,
        title=f"{consent.get_decision_display()} for the referral to {referral.agency}",
        fields=fields(
            ("Decision", consent.get_decision_display()),
            ("Decided by", consent.giver_name),
            ("Relationship to the pupil", consent.get_relationship_display()),
            ("Parental responsibility", yes_no(consent.has_parental_responsibility)),
            ("It covers", "; ".join(covers)),
            ("Anything else it covers or excludes", consent.scope_note),
            ("Date", day(consent.given_on)),
            ("How it was given", consent.get_how_given_display()),
            ("Withdrawn on", day(consent.withdrawn_on)),
            ("How it was withdrawn", consent.withdrawal_note),
        ),
    )


def _involvement_record(involvement: Involvement) -> ExportRecord:
    return ExportRecord(
        kind="involvement",
        kind_label="Outside professional's involvement",
        record_id=involvement.pk,
        on=involvement.happened_on,
        title=f"{involvement.get_kind_display()}: {involvement.agency}",
        fields=fields(
            ("Date", day(involvement.happened_on)),
            ("What happened", involvement.get_kind_display()),
            ("Service", involvement.agency),
            ("Professional", involvement.professional),
            ("From the referral", involvement.referral.agency if involvement.referral_id else ""),
            ("Notes", involvement.notes),
            ("Recorded by", involvement.recorded_by),
        ),
    )


def _advice_text(advice: Advice) -> str:
    on = day(advice.actioned_on)
    if advice.actioned_in_id:
        taken = f"Taken up in the SEN support plan, cycle {advice.actioned_in.cycle}, on {on}"
    elif advice.actioned_in_ehc_plan_id:
        taken = f"Taken up in the EHC plan on {on}"
    else:
        taken = "Not yet taken up in a plan"
    return f"{advice.text}\n{taken}"


def _report_record(report: Report) -> ExportRecord:
    health = " (health information)" if report.is_health_information else ""
    uploaded = day(report.uploaded_at)
    pairs = [
        ("Service", report.agency),
        ("Dated", day(report.written_on)),
        ("Received by the school on", day(report.received_on)),
        ("Health information", yes_no(report.is_health_information)),
        ("From the referral", report.referral.agency if report.referral_id else ""),
        # The file is named, not embedded: a copy is sent with the export by hand if asked for.
        (
            "File",
            f"{report.original_name}, {REPORT_TYPES[report.file_type].label}, uploaded {uploaded}",
        ),
        ("Uploaded by", report.uploaded_by),
    ]
    pairs += [(f"Advice {n}", _advice_text(item)) for n, item in enumerate(report.advice.all(), start=1)]
    return ExportRecord(
        kind="agency_report",
        kind_label="Report from an outside professional",
        record_id=report.pk,
        on=report.received_on,
        title=f"{report.title}{health}",
        fields=fields(*pairs),
    )


def _request_record(request: AssessmentRequest) -> ExportRecord:
    exemptions = [
        (
            f"Exemption {n}",
            f"{exemption.get_kind_display()}, for the {exemption.get_step_display().lower()} deadline, "
            f"from {day(exemption.starts_on)}"
            + (f" to {day(exemption.ends_on)}" if exemption.ends_on else "")
            + (f"; the LA now gives {day(exemption.la_revised_on)}" if exemption.la_revised_on else "")
            + f"\nEvidence: {exemption.evidence}",
        )
        for n, exemption in enumerate(request.exemptions.all(), start=1)
    ]
    received = day(request.received_on) + ("" if request.received_confirmed else " (estimated)")
    return ExportRecord(
        kind="ehc_request",
        kind_label="EHC needs assessment request",
        record_id=request.pk,
        on=request.sent_on,
        title=f"Request for an EHC needs assessment, sent {day(request.sent_on)}",
        fields=fields(
            ("Who asked", request.get_requested_by_display()),
            ("Sent to the local authority on", day(request.sent_on)),
            ("Received by the local authority on", received),
            ("Evidence sent", request.evidence),
            ("The local authority's decision", request.get_decision_display()),
            ("Decided on", day(request.decided_on)),
            ("Advice asked of professionals on", day(request.advice_requested_on)),
            ("Draft plan sent on", day(request.draft_sent_on)),
            ("Final EHC plan issued on", day(request.final_plan_on)),
            ("Notice not to issue a plan on", day(request.no_plan_notice_on)),
            ("Mediation certificate on", day(request.mediation_certificate_on)),
            *exemptions,
        ),
    )


def agency_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """The pupil's referrals and consents, involvement and reports, and EHC needs assessment
    requests, each part only when it has records. For handlers only. Four queries, and one per
    prefetch (moves, consents, advice, exemptions) when there is something to prefetch."""
    if not can_handle_subject_access(user):
        return []
    own = {"pupil": pupil, "pupil__in": pupils_visible_to(user)}
    referrals = (
        Referral.objects.filter(**own)
        .select_related("agency", "created_by")
        .prefetch_related(
            Prefetch("moves", queryset=ReferralMove.objects.order_by("on", "id")),
            Prefetch("consents", queryset=Consent.objects.order_by("given_on", "id")),
        )
        .order_by("created_on", "id")
    )
    referral_records = []
    for referral in referrals:
        referral_records.append(_referral_record(referral))
        referral_records += [_consent_record(consent, referral) for consent in referral.consents.all()]
    involvements = Involvement.objects.filter(**own).select_related(
        "agency", "referral__agency", "recorded_by"
    )
    reports = (
        Report.objects.filter(**own)
        .select_related("agency", "referral__agency", "uploaded_by")
        .prefetch_related(
            Prefetch("advice", queryset=Advice.objects.select_related("actioned_in").order_by("id"))
        )
        .order_by("received_on", "id")
    )
    requests = (
        AssessmentRequest.objects.filter(**own).prefetch_related("exemptions").order_by("sent_on", "id")
    )
    involvement_records = [_involvement_record(item) for item in involvements.order_by("happened_on", "id")]
    involvement_records += [_report_record(report) for report in reports]
    parts = [
        ExportPart("Referrals to outside services and consents", referral_records, order=61),
        ExportPart(
            "Outside professionals' involvement and reports",
            involvement_records,
            order=62,
            intro=HEALTH_INTRO,
        ),
        ExportPart("EHC needs assessment requests", [_request_record(r) for r in requests], order=64),
    ]
    return [part for part in parts if part.records]
