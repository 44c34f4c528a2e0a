"""Forms for concerns: they check shape; the services check the rules (R8).

The concern page can hold three triage forms at once, so each gets its own `auto_id` prefix and
their hidden `version` fields keep distinct ids.
"""

from django import forms

from pupils.models import Concern, ConcernDecision, NeedArea, NeedType

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
    # Used only by "Add to SEN support" (and the date by "Monitor"): see the page's fieldset.
    primary_need = forms.ModelChoiceField(
        label="Primary need", queryset=NeedType.objects.all(), required=False, empty_label="Choose a need"
    )
    secondary_need = forms.ModelChoiceField(
        label="Secondary need (optional)", queryset=NeedType.objects.all(), required=False, empty_label="None"
    )
    effective_from = forms.DateField(label="Takes effect from", widget=DATE, required=False)
    parents_informed_on = forms.DateField(label="Parents informed on", widget=DATE, required=False)
    parents_informed_how = forms.CharField(label="How parents were informed", max_length=200, required=False)

    STATUS_FIELDS = (
        "primary_need",
        "secondary_need",
        "effective_from",
        "parents_informed_on",
        "parents_informed_how",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="decide_%s", **kwargs)

    def status_fields(self) -> list:
        return [self[name] for name in self.STATUS_FIELDS]
