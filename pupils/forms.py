"""Forms for pupils' records, SEN status, concerns, carers and the contact log, passports, the
MIS import, subject access requests, and retention and disposal. They check shape; the services and
models' `clean()` check the rules, and the views put those errors back on these fields (R8)."""

from django import forms

from pupils.models import (
    Carer,
    Concern,
    ConcernDecision,
    ContactLogEntry,
    LegalHold,
    NeedArea,
    NeedType,
    Passport,
    Pupil,
    SenStatus,
    SubjectAccessRequest,
    WithholdingReason,
)
from pupils.services.contacts import CARER_FIELDS
from pupils.services.passports import PASSPORT_FIELDS
from pupils.services.records import EDITABLE_FIELDS, designated_teacher_choices
from pupils.services.retention import RETENTION_FIELDS
from pupils.services.subject_access import DETAIL_FIELDS as SUBJECT_ACCESS_DETAIL_FIELDS
from senco.concurrency import version_token

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class PupilRecordForm(forms.ModelForm):
    """Every census-style field and flag of the record, plus the hidden `version` fingerprint.

    For a leaver, pass `leaving_date_only=True`: every field but the leaving date is disabled,
    so only that can be corrected or cleared (the service enforces the same rule).
    """

    version = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Pupil
        fields = EDITABLE_FIELDS
        field_classes = {"designated_teacher": StaffChoiceField}
        widgets = {"date_of_birth": DATE, "admitted_on": DATE, "left_on": DATE}
        labels = {"year_group": "National Curriculum year", "designated_teacher": "Designated teacher"}

    def __init__(self, *args, leaving_date_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designated_teacher"].queryset = designated_teacher_choices(self.instance.school)
        self.fields["designated_teacher"].empty_label = "None recorded"
        self.fields["upn"].help_text = "13 characters, starting with the check letter, as on the MIS."
        if leaving_date_only:
            for name in EDITABLE_FIELDS:
                self.fields[name].disabled = name != "left_on"

    def clean_upn(self) -> str:
        return self.cleaned_data["upn"].strip().upper()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedChoiceField(forms.ModelChoiceField):
    """A census need type, shown with its broad area of need so the SENCO sees both."""

    def label_from_instance(self, need: NeedType) -> str:
        return f"{need.code} – {need.name} ({need.get_area_display()})"


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label="New SEN status", choices=SenStatus.choices)
    effective_from = forms.DateField(label="Takes effect from", widget=DATE)
    primary_need = NeedChoiceField(
        label="Primary need",
        queryset=NeedType.objects.all(),
        required=False,
        empty_label="None",
        help_text="Required for SEN support or an EHC plan; leave as None otherwise.",
    )
    secondary_need = NeedChoiceField(
        label="Secondary need", queryset=NeedType.objects.all(), required=False, empty_label="None"
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the decision rests on, for the pupil's history.",
    )
    parents_informed_on = forms.DateField(label="Parents informed on", widget=DATE, required=False)
    parents_informed_how = forms.CharField(label="How parents were informed", max_length=200, required=False)
    ehc_plan_date = forms.DateField(
        label="EHC plan issued on",
        widget=DATE,
        required=False,
        help_text="Only for an EHC plan: the date on the final plan.",
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INCOMPLETE = "The form was incomplete: reload the page and try again."


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["area", "observed", "evidence", "already_tried"]
        widgets = {
            "observed": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "already_tried": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Choose an area"), *NeedArea.choices]
        self.fields["area"].help_text = "The broad area of need it seems closest to; the SENCO can change it."


class AcknowledgeForm(forms.Form):
    version = _version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="acknowledge_%s", **kwargs)


class GatheringForm(forms.Form):
    version = _version()
    senco_notes = forms.CharField(
        label="Information being gathered",
        help_text="For example: observations, the parents' view, a reading assessment. Staff only.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="gathering_%s", **kwargs)


class DecideForm(forms.Form):
    version = _version()
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Choose a decision"), *ConcernDecision.choices]
    )
    decision_reason = forms.CharField(
        label="Reason for the decision",
        help_text="The teacher who raised the concern reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Used only by "Add to SEN support" (and the dates by "Monitor"): see `FIELDS_USED`.
    primary_need = forms.ModelChoiceField(
        label="Primary need", queryset=NeedType.objects.all(), required=False, empty_label="Choose a need"
    )
    secondary_need = forms.ModelChoiceField(
        label="Secondary need (optional)", queryset=NeedType.objects.all(), required=False, empty_label="None"
    )
    effective_from = forms.DateField(label="Takes effect from", widget=DATE, required=False)
    parents_informed_on = forms.DateField(label="Parents informed on", widget=DATE, required=False)
    parents_informed_how = forms.CharField(label="How parents were informed", max_length=200, required=False)

    look_again_on = forms.DateField(
        label="Look again on",
        widget=DATE,
        required=False,
        help_text="For “Monitor”: when you will look at this pupil again. Suggested: six school weeks on.",
    )

    NEED_FIELDS = ("primary_need", "secondary_need")
    STATUS_DATE_FIELDS = ("effective_from", "parents_informed_on", "parents_informed_how")
    STATUS_FIELDS = (*NEED_FIELDS, *STATUS_DATE_FIELDS)
    # The fields each decision uses; the page hides the others once a decision is chosen, and
    # `clean` drops them (with any error in them), so what a hidden field holds changes nothing.
    FIELDS_USED = {
        ConcernDecision.SEN_SUPPORT: STATUS_FIELDS,
        ConcernDecision.MONITOR: (*STATUS_DATE_FIELDS, "look_again_on"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="decide_%s", **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        used = self.FIELDS_USED.get(data.get("decision"), ())
        for name in (*self.STATUS_FIELDS, "look_again_on"):
            if name not in used:
                self._errors.pop(name, None)
                data[name] = "" if name == "parents_informed_how" else None
        return data

    def need_fields(self) -> list:
        return [self[name] for name in self.NEED_FIELDS]

    def status_date_fields(self) -> list:
        return [self[name] for name in self.STATUS_DATE_FIELDS]


class LookAgainForm(forms.Form):
    version = _version()
    looked_again_notes = forms.CharField(
        label="What you found",
        help_text="For example: progress since the decision, the teacher's view, what happens next.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="look_again_%s", **kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CarerForm(forms.ModelForm):
    # A fingerprint of the record as the editor saw it (carers have no version column).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Carer
        fields = CARER_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def carer_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactEntryForm(forms.ModelForm):
    class Meta:
        model = ContactLogEntry
        fields = ["kind", "occurred_on", "participants", "summary", "agreed_actions"]
        widgets = {
            "occurred_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "agreed_actions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "participants": "For example: mother, class teacher, SENCO.",
            "summary": "What was discussed. For the pupil's own views, write what they said.",
            "agreed_actions": "Who will do what, by when. Staff who teach the pupil see these.",
        }


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def pupil_voice_label(pupil: Pupil) -> str:
    return f"In {pupil.preferred_first_name or pupil.first_name}'s own words"


PARENT_VOICE_LABEL = "Parents' and carers' words"


class PassportForm(forms.ModelForm):
    # The version the editor started from (0 for a first passport), for optimistic concurrency.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Passport
        fields = PASSPORT_FIELDS
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "important_to_me": forms.Textarea(attrs={"rows": 3}),
            "how_to_support": forms.Textarea(attrs={"rows": 4}),
            "staff_should": forms.Textarea(attrs={"rows": 4}),
            "pupil_voice": forms.Textarea(attrs={"rows": 3}),
            "parent_voice": forms.Textarea(attrs={"rows": 3}),
            "written_on": DATE,
        }
        help_texts = {
            "how_to_support": "In the pupil's words where you can: what helps them learn and feel safe.",
            "staff_should": "What works: the strategies every adult should use, a supply teacher too.",
        }

    def __init__(self, *args, pupil: Pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil_voice"].label = pupil_voice_label(pupil)
        self.fields["parent_voice"].label = PARENT_VOICE_LABEL

    def passport_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def passport_initial(passport: Passport | None, *, version: int, today) -> dict:
    """Start from the latest version's text, agreed today, so an edit changes only what is new."""
    initial = {"version": version, "written_on": today}
    if passport is not None:
        texts = [name for name in PassportForm.Meta.fields if name != "written_on"]
        initial |= {name: getattr(passport, name) for name in texts}
    return initial


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file exported from the MIS",
        help_text="Up to 2 MB and 5,000 pupils. Nothing is changed until you have checked the summary.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ApplyForm(forms.Form):
    """Names the checked file (its SHA-256, kept with the file in the session) and the plan shown."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


# Who teaches each group ------------------------------------------------------------------------


class StaffChoicesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class GroupStaffForm(forms.Form):
    """A group's teachers and assistants, chosen from the school's class teachers and teaching
    assistants (`pupils.selectors.records.holders_of`); the service checks the rules."""

    teachers = StaffChoicesField(queryset=None, required=False, label="Teachers")
    assistants = StaffChoicesField(queryset=None, required=False, label="Teaching assistants")

    def __init__(self, *args, teachers, assistants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.fields["assistants"].queryset = assistants


# --- Subject access requests ---------------------------------------------------------------


class PupilChoiceField(forms.ModelChoiceField):
    """A pupil by name, with their year and date of birth to tell two of a name apart; a leaver
    is marked, since former pupils may ask too."""

    def label_from_instance(self, pupil: Pupil) -> str:
        left = f", left {pupil.left_on:%d/%m/%Y}" if pupil.left_on else ""
        return (
            f"{pupil.last_name}, {pupil.first_name} ({pupil.get_year_group_display()}, "
            f"born {pupil.date_of_birth:%d/%m/%Y}{left})"
        )


class SubjectAccessRequestForm(forms.ModelForm):
    """The request's details. Logging one also names the pupil (pass `pupils`, those the user may
    choose from); editing one carries the version it started from instead."""

    class Meta:
        model = SubjectAccessRequest
        fields = SUBJECT_ACCESS_DETAIL_FIELDS
        widgets = {
            "received_on": DATE,
            "identity_checked_on": DATE,
            "information_requested_on": DATE,
            "information_received_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"requester_name": "Who asked (their name)"}
        help_texts = {
            "received_on": "The day any member of staff received it, in any form (a letter, an e-mail, "
            "in person): day 1 of the month the school has to respond.",
            "identity_checked_how": "For example: known to the office; photo ID seen at reception.",
            "information_requested_on": "Only if you had to ask for ID, or for what they want: the month "
            "then counts from the day it arrives.",
            "notes": "For example: what they asked for, how they want to receive it.",
        }

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pupils is not None:
            self.fields = {
                "pupil": PupilChoiceField(label="Pupil", queryset=pupils, empty_label="Choose the pupil"),
                **self.fields,
            }
        else:
            self.fields["version"] = _version()

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in SUBJECT_ACCESS_DETAIL_FIELDS}


class SubjectAccessExtendForm(forms.Form):
    version = _version()
    months = forms.TypedChoiceField(
        label="Extend by",
        coerce=int,
        choices=[(1, "One month"), (2, "Two months")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why the request needs longer",
        help_text="What makes it complex, or the other requests from the same person. Tell them too.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubjectAccessReleaseForm(forms.Form):
    version = _version()
    released_on = forms.DateField(label="Sent to the requester on", widget=DATE)
    released_how = forms.CharField(
        label="How it was sent",
        max_length=200,
        required=False,
        help_text="For example: by secure e-mail to the address they gave; handed over in person.",
    )


class WithholdForm(forms.Form):
    """Names one record of the export (its kind and id) and, to withhold it, why."""

    kind = forms.RegexField(regex=r"^[a-z_]{1,40}\Z")
    record_id = forms.IntegerField(min_value=1)
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason"), *WithholdingReason.choices], required=False
    )


# Retention and disposal -------------------------------------------------------------------------


class RetentionPeriodForm(forms.Form):
    sen_retention_years = forms.IntegerField(
        label="Keep SEN records until the pupil's date of birth plus (years)",
        min_value=25,
        max_value=100,
        help_text="The IRMS Toolkit for Schools advises 31. From 25 to 100.",
    )
    # The school's fingerprint as the editor saw it (R9).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(school) -> dict:
        return {
            "sen_retention_years": school.sen_retention_years,
            "version": version_token(school, fields=RETENTION_FIELDS),
        }


class LegalHoldForm(forms.ModelForm):
    class Meta:
        model = LegalHold
        fields = ["reason", "detail"]
        labels = {"reason": "Why the record must be kept"}
        widgets = {"reason": forms.RadioSelect}


class DisposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: dispose of the record now"),
            ("reject", "Reject: keep the record"),
        ],
        widget=forms.RadioSelect,
    )
