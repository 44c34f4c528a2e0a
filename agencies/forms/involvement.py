"""Forms for outside professionals' involvement, their reports and advice. They check shape;
the services and the models' `clean()` check the rules, and the views put those errors back on
these fields, keeping what was typed (R8). A file input cannot be refilled by the server: the
upload form asks for the file again and says so."""

from django import forms

from agencies.models import Involvement, Report
from agencies.rules import ACCEPTED_EXTENSIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan) -> str:
        status = plan.get_status_display().lower()
        return f"Cycle {plan.cycle}, started {plan.started_on:%-d %B %Y} ({status})"


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["agency", "kind", "happened_on", "professional", "notes"]
        widgets = {"happened_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"agency": "Service"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

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
        fields = ["agency", "involvement", "title", "written_on", "received_on", "is_health_information"]
        widgets = {"written_on": DATE, "received_on": DATE}
        labels = {"agency": "Service"}

    def __init__(self, *args, agencies, involvements, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["involvement"].queryset = involvements
        self.fields["involvement"].empty_label = "None"
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
    plan = PlanChoiceField(label="Taken up in the SEN support plan", queryset=None, empty_label=None)
    actioned_on = forms.DateField(label="Taken up on", widget=DATE)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
