"""Forms for staff rates and the intervention catalogue: shape only; the services and the
model's `clean()` check the rules (R8)."""

from django import forms

from provision.models import Intervention, StaffRate
from provision.services.interventions import INTERVENTION_FIELDS


class StaffRateForm(forms.ModelForm):
    class Meta:
        model = StaffRate
        fields = ["name", "hourly_cost"]
        help_texts = {
            "hourly_cost": "Salary plus on-costs (employer's National Insurance and pension), per hour."
        }


class InterventionForm(forms.ModelForm):
    """The catalogue entry. `staff_rates` are the school's own rates."""

    class Meta:
        model = Intervention
        fields = INTERVENTION_FIELDS
        labels = {
            "delivered_by": "Who delivers it",
            "measure_kind": "Kind of measure",
            "staff_per_session": "Staff in each session",
            "is_active": "In use: new groups may be set up from it",
        }
        help_texts = {
            "description": "What happens in a session and the evidence for it.",
            "staff_rate": "For interventions priced by staff time.",
            "fixed_cost": "For a bought-in programme priced per group (licence, training, materials).",
            "resources_cost": "Books, games or kits bought for each group.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, staff_rates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_rate"].queryset = staff_rates
        self.fields["staff_rate"].empty_label = "No staff rate"

    def clean(self):
        data = super().clean()
        for name in ("group_size", "sessions_per_week", "minutes_per_session", "typical_weeks"):
            if data.get(name) == 0:
                self.add_error(name, "Enter a number of at least 1.")
        return data
