"""The shape of an EHC needs assessment request and of each step the LA takes on it (R8: the
order of the steps is the model's rule, checked by the services)."""

from django import forms
from django.core.exceptions import ValidationError

from agencies.models import AssessmentDecision, AssessmentRequest, ClockExemption, Requester
from senco.forms import DATE

INCOMPLETE = "The form was incomplete: reload the page and try again."


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )


def _date(name: str, *, help_text: str = "") -> forms.DateField:
    label = AssessmentRequest._meta.get_field(name).verbose_name
    return forms.DateField(label=label[0].upper() + label[1:], widget=DATE, help_text=help_text)


def put_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's errors beside the form's own fields; one about a date the form does not hold
    (a step recorded earlier) goes in the summary, named by that date's label."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        else:
            label = AssessmentRequest._meta.get_field(name).verbose_name if name != "__all__" else ""
            form.add_error(
                None,
                [f"{label[0].upper()}{label[1:]}: {message}" if label else message for message in errors],
            )


class EhcRequestForm(forms.ModelForm):
    class Meta:
        model = AssessmentRequest
        fields = ["requested_by", "sent_on", "received_on", "received_confirmed", "evidence"]
        widgets = {
            "requested_by": forms.RadioSelect,
            "sent_on": DATE,
            "received_on": DATE,
            "evidence": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].choices = Requester.choices
        self.fields["received_on"].help_text = (
            "The statutory clock starts on this day. Until the LA confirms it, give your best "
            "estimate (the day it was sent, or the next working day by post) and leave the box "
            "below unticked: the dates will show as estimated."
        )


class ConfirmReceiptForm(forms.Form):
    version = _version()
    received_on = _date("received_on", help_text="The date the LA gives in its acknowledgement.")


class DecisionForm(forms.Form):
    version = _version()
    decision = forms.ChoiceField(
        label="The LA's decision", choices=AssessmentDecision.choices, widget=forms.RadioSelect
    )
    decided_on = _date("decided_on", help_text="The date on the LA's letter.")


class AdviceRequestedForm(forms.Form):
    version = _version()
    advice_requested_on = _date("advice_requested_on")


class DraftPlanForm(forms.Form):
    version = _version()
    draft_sent_on = _date("draft_sent_on")


class FinalPlanForm(forms.Form):
    version = _version()
    final_plan_on = _date("final_plan_on", help_text="The date on the final plan.")


class NoPlanNoticeForm(forms.Form):
    version = _version()
    no_plan_notice_on = _date("no_plan_notice_on")


class MediationCertificateForm(forms.Form):
    version = _version()
    mediation_certificate_on = _date("mediation_certificate_on")


class ClockExemptionForm(forms.ModelForm):
    class Meta:
        model = ClockExemption
        fields = ["step", "kind", "starts_on", "ends_on", "evidence", "la_revised_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "starts_on": DATE,
            "ends_on": DATE,
            "la_revised_on": DATE,
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ClockExemption._meta.get_field("kind").choices

    def _post_clean(self):
        # The service checks the exemption with its request (R8); the form checks its shape only.
        pass
