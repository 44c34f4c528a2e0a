"""Forms for provision groups, their pupils and their entry and exit scores. Shape only: the
services check the rules (R8). Choices (staff, pupils) come from selectors the view passes in."""

import copy
import itertools

from django import forms

from provision.models import Intervention, Setting
from provision.services.groups import MEASURE_FIELDS, score_field, scores_token
from senco.models import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        role = getattr(user, "role_here", "")
        return f"{user} ({Role(role).label})" if role else str(user)


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pupil) -> str:
        first_name = pupil.preferred_first_name or pupil.first_name
        return f"{pupil.last_name}, {first_name} ({pupil.get_year_group_display()})"


class GroupFieldsForm(forms.Form):
    """What the SENCO sets for a running group, whether new or being changed."""

    name = forms.CharField(max_length=100, help_text="For example: Year 3 phonics (Tuesday and Thursday).")
    starts_on = forms.DateField(label="First session on", widget=DATE)
    ends_on = forms.DateField(label="Last session on", widget=DATE)
    sessions_per_week = forms.IntegerField(label="Sessions a week", min_value=1, max_value=10)
    minutes_per_session = forms.IntegerField(label="Minutes a session", min_value=5, max_value=240)
    schedule = forms.CharField(
        label="When it runs",
        max_length=200,
        required=False,
        help_text="For example: Mon, Wed, Fri 9:10–9:40.",
    )
    setting = forms.ChoiceField(label="Where", choices=Setting.choices, initial=Setting.WITHDRAWAL)
    staff = StaffChoiceField(
        label="Who delivers it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They will see the pupils in this group and record its sessions.",
    )

    def __init__(self, *args, deliverers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = deliverers


class GroupForm(GroupFieldsForm):
    """A new group built from a catalogue entry. Left blank, the end date, sessions and minutes
    come from the intervention."""

    intervention = forms.ModelChoiceField(label="Intervention from the catalogue", queryset=None)
    field_order = ["intervention", "name"]

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        for name in ("ends_on", "sessions_per_week", "minutes_per_session"):
            self.fields[name].required = False
        self.fields[
            "ends_on"
        ].help_text = (
            "Leave blank for the intervention's typical length in teaching weeks, holidays added on."
        )
        self.fields["sessions_per_week"].help_text = "Leave blank for the intervention's."
        self.fields["minutes_per_session"].help_text = "Leave blank for the intervention's."


class GroupEditForm(GroupFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlacementForm(forms.Form):
    pupil = PupilChoiceField(queryset=None, empty_label="Choose a pupil")
    joined_on = forms.DateField(label="Joins on", widget=DATE)
    target = forms.CharField(
        label="Target for this pupil",
        max_length=300,
        required=False,
        help_text="What success looks like, for example: reads 40 words a minute.",
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils


class EndPlacementForm(forms.Form):
    left_on = forms.DateField(label="Left the group on", widget=DATE)


class MeasuresForm(forms.Form):
    """Entry and exit scores on the intervention's one instrument, each with its date, and the
    token of the scores as they were shown (R9)."""

    entry_score = forms.DecimalField(label="Entry score", max_digits=6, decimal_places=1, required=False)
    entry_measured_on = forms.DateField(label="Entry measure taken on", widget=DATE, required=False)
    exit_score = forms.DecimalField(label="Exit score", max_digits=6, decimal_places=1, required=False)
    exit_measured_on = forms.DateField(label="Exit measure taken on", widget=DATE, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, intervention: Intervention, **kwargs):
        super().__init__(*args, **kwargs)
        kind = intervention.get_measure_kind_display()
        help_text = f"{intervention.measure_name}: {kind}, scored {intervention.score_range_text}."
        for prefix in ("entry", "exit"):
            self.fields[f"{prefix}_score"].help_text = help_text


# The grid's columns, each field's label naming the pupil (the grid hides labels from sight).
GRID_LABELS = dict(zip(MEASURE_FIELDS, ("Entry score", "Entry date", "Exit score", "Exit date"), strict=True))


class GroupScoresForm(forms.Form):
    """Every pupil's entry and exit scores on one grid: `MeasuresForm`'s four fields for each
    placement, named by `score_field`, one date for scores typed without one, and the grid's
    token (`scores_token`, R9)."""

    measured_on = forms.DateField(label="Date for scores typed without one", widget=DATE, required=False)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, placements: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.placements = placements
        for placement, (name, label) in itertools.product(placements, GRID_LABELS.items()):
            field = copy.deepcopy(MeasuresForm.base_fields[name])
            field.label = f"{label} for {placement.pupil.full_name}"
            self.fields[score_field(name, placement.pk)] = field

    @staticmethod
    def initial_for(placements: list, *, today) -> dict:
        initial = {score_field(name, p.pk): getattr(p, name) for p in placements for name in GRID_LABELS}
        return initial | {"measured_on": today, "version": scores_token(placements)}

    def rows(self) -> list[tuple]:
        """(placement, [(column label, bound field), ...]) for each pupil's row."""
        columns = GRID_LABELS.items()
        return [
            (p, [(label, self[score_field(name, p.pk)]) for name, label in columns]) for p in self.placements
        ]

    def scores(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {p.pk: {name: data[score_field(name, p.pk)] for name in GRID_LABELS} for p in self.placements}
