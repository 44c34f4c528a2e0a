from django import forms

from senco.models import School


class SwitchSchoolForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class AuditFilterForm(forms.Form):
    pupil = forms.IntegerField(label="Pupil record number", required=False, min_value=1)
    action = forms.CharField(label="Action starts with", required=False, max_length=64)
