"""The audit trail's filters (django-filter). Each narrows `senco.selectors.audit_trail`; a bad
value is a form error on its field and is not applied, while the others still are."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from senco.forms import DATE, AuditFilterForm
from senco.models import AuditEvent, User
from senco.selectors import audit_pupils_matching, audit_staff


def _staff(request) -> QuerySet[User]:
    return audit_staff(request.user) if request is not None else User.objects.none()


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day`, school time (Europe/London's clocks never change at midnight)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class PupilRecordFilter(django_filters.Filter):
    """One pupil, by record number: what the pupil page's "Who has looked at this record?" link
    and the trail's own pupil links pass."""

    field_class = forms.IntegerField


class AuditFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Pupil's name or UPN",
        method="filter_pupils",
        max_length=100,
        help_text="Entries about every pupil whose name or UPN matches.",
    )
    pupil = PupilRecordFilter(field_name="pupil_id", widget=forms.HiddenInput, min_value=1)
    actor = django_filters.ModelChoiceFilter(label="Who", queryset=_staff, empty_label="Anyone")
    action = django_filters.CharFilter(
        label="Action contains",
        lookup_expr="icontains",
        max_length=64,
        help_text="For example viewed, exported or plan.",
    )
    date_from = django_filters.DateFilter(label="From date", method="filter_from", widget=DATE)
    date_to = django_filters.DateFilter(label="To date", method="filter_to", widget=DATE)

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two members of staff may share a name; their usernames tell them apart.
        self.form.fields["actor"].label_from_instance = lambda user: f"{user} ({user.username})"

    def filter_pupils(self, queryset, name, value):
        return queryset.filter(pupil_id__in=audit_pupils_matching(self.request.user, value).values("pk"))

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + timedelta(days=1)))

    def summary(self) -> str:
        """The filters in use, for the audit row of an export. Search words are left out: they
        may be a child's name, and the audit trail names records, not what they say."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        parts = []
        if data.get("q"):
            parts.append("pupil name or UPN search")
        if data.get("pupil"):
            parts.append(f"pupil record {data['pupil']}")
        if data.get("actor"):
            parts.append(f"who: {data['actor'].username}")
        if data.get("action"):
            parts.append(f"action contains {data['action']}")
        if data.get("date_from"):
            parts.append(f"from {data['date_from']:%d/%m/%Y}")
        if data.get("date_to"):
            parts.append(f"to {data['date_to']:%d/%m/%Y}")
        return "; ".join(parts) or "no filters"
