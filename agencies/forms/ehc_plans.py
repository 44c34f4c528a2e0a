"""Forms for EHC plans: recording a plan, editing the version in force (its text sections and
the rows of Sections B, E and F), and amending it. Shape only: the services check the rules (R8)."""

from django import forms

from agencies.models import EhcPlan, EhcPlanVersion
from agencies.models.ehc_plans import TEXT_SECTIONS
from agencies.services.ehc_plans import OutcomeRow, PlanContent, ProvisionRow
from pupils.models import NeedType
from senco.forms import DATE


def _add_text_sections(form: forms.Form) -> None:
    for name, label in TEXT_SECTIONS:
        form.fields[name] = forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )


class PlanDetailsForm(forms.ModelForm):
    """Who maintains the plan and its next phase transfer, then the text sections."""

    class Meta:
        model = EhcPlan
        fields = ["local_authority", "phase_transfer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_text_sections(self)


class RecordPlanForm(PlanDetailsForm):
    """A plan the local authority has issued: its date, and the primary need for the register."""

    class Meta(PlanDetailsForm.Meta):
        fields = ["issued_on", "local_authority", "phase_transfer"]
        widgets = {"issued_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_need"] = forms.ModelChoiceField(
            label="Primary need (for the SEN register)",
            queryset=NeedType.objects.exclude(code="NSA").order_by("code"),
            required=False,
            help_text="Leave blank to keep the primary need already recorded.",
        )
        self.order_fields(["issued_on", "local_authority", "primary_need", "phase_transfer"])


class EditPlanForm(PlanDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def text_initial(version: EhcPlanVersion) -> dict:
    return {name: getattr(version, name) for name, _ in TEXT_SECTIONS}


class NeedForm(forms.Form):
    description = forms.CharField(label="Need", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OutcomeForm(forms.Form):
    description = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    achieve_by = forms.DateField(label="To be achieved by", widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("achieve_by"):
            self.add_error("achieve_by", "Give the date this outcome is to be achieved by.")
        return data


class ProvisionForm(forms.Form):
    description = forms.CharField(label="Provision", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    delivered_by = forms.CharField(label="Delivered by", max_length=150, required=False)
    hours_per_week = forms.DecimalField(
        label="Hours a week", max_digits=4, decimal_places=2, min_value=0.25, max_value=40, required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label="Delivered through these groups and 1:1s",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups

    def clean(self):
        data = super().clean()
        if data.get("description"):
            if not data.get("delivered_by"):
                self.add_error("delivered_by", "Say who delivers this provision.")
            if data.get("hours_per_week") is None:
                self.add_error("hours_per_week", "Give the hours a week the plan specifies.")
        return data


NeedFormSet = forms.formset_factory(NeedForm, extra=2)
OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=2)
ProvisionFormSet = forms.formset_factory(ProvisionForm, extra=2)


def section_formsets(data, *, groups, version: EhcPlanVersion | None = None) -> dict:
    """The formsets of Sections B, E and F, filled from `version` when one is given."""
    needs = outcomes = provision = None
    if version is not None:
        needs = [{"description": n.description} for n in version.needs.all()]
        outcomes = [
            {"description": o.description, "achieve_by": o.achieve_by} for o in version.outcomes.all()
        ]
        provision = [
            {
                "description": i.description,
                "delivered_by": i.delivered_by,
                "hours_per_week": i.hours_per_week,
                "groups": list(i.groups.all()),
            }
            for i in version.provision.all()
        ]
    return {
        "needs": NeedFormSet(data, initial=needs, prefix="needs"),
        "outcomes": OutcomeFormSet(data, initial=outcomes, prefix="outcomes"),
        "provision": ProvisionFormSet(
            data, initial=provision, prefix="provision", form_kwargs={"groups": groups}
        ),
        # The error summary takes a form and one formset: an empty form carries Section F's.
        "provision_errors": forms.Form(),
    }


def content_from(form: forms.Form, formsets: dict) -> PlanContent:
    """The plan's content from the bound, valid forms; rows left blank are dropped (that removes them)."""

    def filled(name):
        return [f.cleaned_data for f in formsets[name].forms if f.cleaned_data.get("description")]

    return PlanContent(
        sections={name: form.cleaned_data[name] for name, _ in TEXT_SECTIONS},
        needs=[row["description"] for row in filled("needs")],
        outcomes=[OutcomeRow(row["description"], row["achieve_by"]) for row in filled("outcomes")],
        provision=[
            ProvisionRow(row["description"], row["delivered_by"], row["hours_per_week"], list(row["groups"]))
            for row in filled("provision")
        ],
    )


class AmendPlanForm(forms.Form):
    issued_on = forms.DateField(label="Date on the amended plan", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
