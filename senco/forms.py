from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from senco.models import School
from senco.tasks import send_email


class SwitchSchoolForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class AuditFilterForm(forms.Form):
    pupil = forms.IntegerField(label="Pupil record number", required=False, min_value=1)
    action = forms.CharField(label="Action starts with", required=False, max_length=64)


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the worker, so a slow mail server never
    holds up the page (and the page cannot reveal by its timing whether an account exists)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.delay(to=[to_email], subject=subject, body=body)
