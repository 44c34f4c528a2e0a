from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from senco.models import ClosureKind, School
from senco.tasks import send_email


class SwitchSchoolForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class AuditFilterForm(forms.Form):
    """The form of the audit trail's filters (`senco.filters.AuditFilter`, which declares the
    fields): a date range must run forwards, and a name typed in the search box replaces the
    pupil chosen before (from a pupil's page or a link), which travels in a hidden field."""

    def clean(self):
        data = super().clean()
        if data.get("q"):
            data.pop("pupil", None)
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", "The to date cannot be before the from date.")
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the worker, so a slow mail server never
    holds up the page (and the page cannot reveal by its timing whether an account exists)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.delay(to=[to_email], subject=subject, body=body)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [
    ("autumn", "Autumn term"),
    ("spring", "Spring term"),
    ("summer", "Summer term"),
    *ClosureKind.choices,
]


# Bootstrap's classes for the formset's fields, which the page lays out as a table by hand.
WIDGET_CLASSES = {"kind": "form-select", "DELETE": "form-check-input"}


class DatedRowForm(forms.Form):
    """One line of a school year: a term, or a closure inside one. Shape only; the whole year's
    rules are `senco.rules.school_year_problems`, applied by the service."""

    kind = forms.ChoiceField(label="What", choices=KIND_CHOICES)
    name = forms.CharField(label="Name (optional)", max_length=100, required=False)
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = WIDGET_CLASSES.get(name, "form-control")


DatedRowFormSet = forms.formset_factory(DatedRowForm, extra=4, can_delete=True, max_num=60, validate_max=True)


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label="Term dates file (CSV)",
        help_text=(
            "Columns: kind, starts_on, ends_on, name. Kind is autumn, spring, summer, half_term, "
            "inset or closure."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 100_000:
            raise forms.ValidationError("A term dates file is a few kilobytes: choose the right file.")
        return upload.read()
