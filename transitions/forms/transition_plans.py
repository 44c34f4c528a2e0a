"""Forms for transition plans: the plan, a step of the checklist, a visit, who was told.
Shape only: the services check the rules (R8)."""

from django import forms

from transitions.models import TransitionPlan
from transitions.services.transition_plans import PLAN_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TransitionPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TransitionPlan
        fields = PLAN_FIELDS
        widgets = {
            "moves_on": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("pupil_views", "parent_views", "notes")},
        }

    def validate_unique(self):
        # The service owns the rules (R8); the unique constraint is checked there by full_clean().
        pass


class ChecklistItemForm(forms.Form):
    label = forms.CharField(label="Step", max_length=200)
    due_on = forms.DateField(label="Due by (optional)", widget=DATE, required=False)


class VisitForm(forms.Form):
    visit_on = forms.DateField(label="Date of the visit", widget=DATE)
    description = forms.CharField(label="What the visit is", max_length=200)


class ToldForm(forms.Form):
    told = forms.CharField(label="Who was told", max_length=150)
    what = forms.CharField(label="What they were told", widget=forms.Textarea(attrs={"rows": 3}))
    told_on = forms.DateField(label="When", widget=DATE)
