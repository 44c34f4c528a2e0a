"""Forms for annual reviews: arranging the meeting, and the review's record with its invitees.
Shape only: the services check the rules (R8)."""

from django import forms

from agencies.models import AnnualReview, InviteeKind
from agencies.services.annual_reviews import RECORD_FIELDS, Invitee
from senco.forms import DATE


class ScheduleReviewForm(forms.Form):
    meeting_on = forms.DateField(label="Meeting date", widget=DATE)


class ReviewForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AnnualReview
        fields = ["meeting_on", *RECORD_FIELDS]
        widgets = {
            "meeting_on": DATE,
            "la_decision_on": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in RECORD_FIELDS
                if name not in ("recommendation", "la_decision", "la_decision_on")
            },
        }

    def __init__(self, *args, adulthood: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not adulthood:
            for name in [n for n in self.fields if n.startswith("pfa_")]:
                del self.fields[name]


class InviteeForm(forms.Form):
    kind = forms.ChoiceField(label="Who", choices=[("", "Choose"), *InviteeKind.choices], required=False)
    name = forms.CharField(label="Name", max_length=150, required=False)
    invited_on = forms.DateField(label="Invited on", widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("invited_on")) and not data.get("kind"):
            self.add_error("kind", "Say who this invitee is.")
        return data


InviteeFormSet = forms.formset_factory(InviteeForm, extra=1)

# Those reg 20(2)-(3) requires to be invited, offered on a new review's form.
USUAL_INVITEES = [
    InviteeKind.PARENT,
    InviteeKind.LOCAL_AUTHORITY,
    InviteeKind.HEALTH,
    InviteeKind.SOCIAL_CARE,
]


def invitee_initial(review: AnnualReview) -> list[dict]:
    rows = [{"kind": i.kind, "name": i.name, "invited_on": i.invited_on} for i in review.invitees.all()]
    if rows:
        return rows
    kinds = [*USUAL_INVITEES, *([InviteeKind.YOUNG_PERSON] if review.covers_adulthood else [])]
    return [{"kind": kind} for kind in kinds]


def invitees_from(formset) -> list[Invitee]:
    return [
        Invitee(row["kind"], row["name"], row["invited_on"])
        for row in (form.cleaned_data for form in formset.forms)
        if row.get("kind")
    ]
