"""Forms for outside professionals' involvement, their reports and advice. They check shape;
the services and the models' `clean()` check the rules, and the views put those errors back on
these fields, keeping what was typed (R8). A file input cannot be refilled by the server: the
upload form asks for the file again and says so."""

from django import forms

from agencies.models import Involvement, Report
from agencies.rules import ACCEPTED_EXTENSIONS
from senco.forms import DATE

OTHER_PUPILS_REFERRAL = "Choose one of this pupil's referrals."


class ReferralChoiceField(forms.ModelChoiceField):
    """The pupil's referrals, by service and date; any other is refused beside the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_label = "None"
        self.error_messages["invalid_choice"] = OTHER_PUPILS_REFERRAL

    def label_from_instance(self, referral) -> str:
        state = referral.get_state_display().lower()
        return f"{referral.agency}, started {referral.created_on:%-d %B %Y} ({state})"


def support_plan_label(plan) -> str:
    status = plan.get_status_display().lower()
    return f"Cycle {plan.cycle}, started {plan.started_on:%-d %B %Y} ({status})"


def ehc_plan_label(plan) -> str:
    return f"EHC plan, first issued {plan.issued_on:%-d %B %Y} ({plan.local_authority})"


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["agency", "referral", "kind", "happened_on", "professional", "notes"]
        widgets = {"happened_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"agency": "Service"}
        field_classes = {"referral": ReferralChoiceField}

    def __init__(self, *args, agencies, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["referral"].queryset = referrals

    def involvement_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReportUploadForm(forms.ModelForm):
    file = forms.FileField(
        label="The report's file",
        help_text="",
        allow_empty_file=True,  # the service says why an empty file is refused
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line, as the report words them. Each becomes a piece of advice to take "
        "up in a plan. You can add more from the report's page.",
    )

    class Meta:
        model = Report
        fields = [
            "agency",
            "involvement",
            "referral",
            "title",
            "written_on",
            "received_on",
            "is_health_information",
        ]
        widgets = {"written_on": DATE, "received_on": DATE}
        labels = {"agency": "Service"}
        field_classes = {"referral": ReferralChoiceField}

    def __init__(self, *args, agencies, involvements, referrals, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["involvement"].queryset = involvements
        self.fields["involvement"].empty_label = "None"
        self.fields["referral"].queryset = referrals
        self.fields["referral"].help_text = "Leave it as None to use the involvement's referral."
        self.fields["file"].help_text = (
            f"A PDF, a Word document (.docx or .doc) or a PNG or JPEG image, up to {max_mb} MB. "
            "If the page shows an error, choose the file again: browsers do not keep it."
        )

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "file", "recommendations"]}


class HealthMarkingForm(forms.Form):
    is_health_information = forms.BooleanField(label="Health information", required=False)


class AdviceForm(forms.Form):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ActionAdviceForm(forms.Form):
    """The plan that takes the advice up: one of the pupil's SEN support plans not yet reviewed
    or their EHC plan in force, offered together in one list grouped by kind. `plan` is cleaned
    to the plan itself, of either kind."""

    plan = forms.ChoiceField(
        label="Taken up in the plan", error_messages={"invalid_choice": "Choose one of this pupil's plans."}
    )
    actioned_on = forms.DateField(label="Taken up on", widget=DATE)

    def __init__(self, *args, plans, ehc_plans, **kwargs):
        super().__init__(*args, **kwargs)
        self._plans = {f"support-{plan.pk}": plan for plan in plans}
        self._plans.update({f"ehc-{plan.pk}": plan for plan in ehc_plans})
        groups = [
            (
                "SEN support plans",
                [(key, support_plan_label(p)) for key, p in self._plans.items() if key[0] == "s"],
            ),
            ("EHC plan", [(key, ehc_plan_label(p)) for key, p in self._plans.items() if key[0] == "e"]),
        ]
        self.fields["plan"].choices = [group for group in groups if group[1]]

    @property
    def has_plans(self) -> bool:
        return bool(self._plans)

    def clean_plan(self):
        # The field's own check already refuses a value not offered; this turns it into the plan.
        return self._plans[self.cleaned_data["plan"]]
