"""The provision map's filters (django-filter), the same as the SEN register's where they overlap.

The pupil filters (`pupils.filters.PupilFilterSet`, declared once for both pages) narrow
`pupils_visible_to(user)` annotated by `with_sen_status`; `intervention` keeps pupils placed in
it (the selector also keeps only that intervention's rows). `year` and `group_by` choose what
the map shows and do not filter pupils. A bad value is a form error and is not applied.
"""

from datetime import date

import django_filters
from django.db.models import Q, QuerySet

from provision.models import Intervention, Placement
from provision.rules.budget import FinancialYear, financial_year_of
from provision.selectors.budget import financial_year_choices
from pupils.filters import PupilFilterSet
from pupils.models import NeedArea, SenStatus, YearGroup
from pupils.selectors.register import FLAGS  # the pupil flags the SENCO filters by, as on the register

GROUPINGS = [
    ("pupil", "Pupil"),
    ("year_group", "Year group"),
    ("area", "Area of need"),
    ("intervention", "Intervention"),
]
STATUS_CHOICES = [
    (SenStatus.EHC_PLAN.value, "EHC plan"),
    (SenStatus.SEN_SUPPORT.value, "SEN support"),
    (SenStatus.MONITORING.value, "Monitoring"),
    (SenStatus.NO_SEN.value, SenStatus.NO_SEN.label),
]

FIELD_ORDER = ["year", "group_by", "year_group", "primary_need", "area", "status", "group", "intervention"]


def _interventions_of_school(request) -> QuerySet[Intervention]:
    if request is None:
        return Intervention.objects.none()
    return Intervention.objects.filter(school=request.user.school).order_by("name")


class ProvisionMapFilter(PupilFilterSet):
    year = django_filters.ChoiceFilter(label="Financial year", empty_label=None, method="keep")
    group_by = django_filters.ChoiceFilter(
        label="Group by", choices=GROUPINGS, empty_label=None, method="keep"
    )
    status = django_filters.ChoiceFilter(
        label="SEN status", choices=STATUS_CHOICES, empty_label="Any", method="filter_status"
    )
    intervention = django_filters.ModelChoiceFilter(
        label="Intervention",
        queryset=_interventions_of_school,
        empty_label="Any",
        method="filter_intervention",
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        school = self.request.user.school
        self.starts_in_month = school.financial_year_starts
        years = financial_year_choices(school, today=today)
        self.form.fields["year"].choices = [(str(year.start_year), year.label) for year in years]
        self.form.fields["year"].initial = str(self._current.start_year)
        # The shared pupil filters come first in declaration order: put what the map shows
        # (year, grouping) first, and its status and intervention beside the other pupil filters.
        self.form.order_fields(FIELD_ORDER)

    def keep(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        if value == SenStatus.NO_SEN:
            return queryset.filter(Q(sen_status=value) | Q(sen_status__isnull=True))
        return queryset.filter(sen_status=value)

    def filter_intervention(self, queryset, name, value):
        return queryset.filter(pk__in=Placement.objects.filter(group__intervention=value).values("pupil_id"))

    def _data(self) -> dict:
        """The values that passed validation (an unbound form has none)."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def _clean(self, name: str):
        return self._data().get(name)

    @property
    def _current(self) -> FinancialYear:
        return financial_year_of(self.today, starts_in_month=self.starts_in_month)

    @property
    def financial_year(self) -> FinancialYear:
        """The chosen year of the school's financial years, else the one containing today."""
        chosen = self._clean("year")
        return FinancialYear(int(chosen), self.starts_in_month) if chosen else self._current

    @property
    def grouping(self) -> str:
        return self._clean("group_by") or "pupil"

    @property
    def chosen_intervention(self) -> Intervention | None:
        return self._clean("intervention")

    def applied(self, *, search_words: bool = True) -> list[str]:
        """The pupil filters in use, in words. The printed map shows the search words (it is for
        the staff who typed them); the audit row leaves them out, as they may be a child's name."""
        data = self._data()
        parts = []
        if data.get("year_group") not in (None, ""):
            parts.append(YearGroup(int(data["year_group"])).label)
        if data.get("primary_need"):
            parts.append(f"Primary need: {data['primary_need'].name}")
        if data.get("area"):
            parts.append(f"Area of need: {NeedArea(data['area']).label}")
        if data.get("status"):
            parts.append(f"SEN status: {dict(STATUS_CHOICES)[data['status']]}")
        if data.get("group"):
            parts.append(f"Teaching group: {data['group'].name}")
        if data.get("intervention"):
            parts.append(f"Intervention: {data['intervention'].name}")
        parts += [label for field, _short, label in FLAGS if data.get(field)]
        if data.get("q"):
            parts.append(f"Name or UPN: “{data['q']}”" if search_words else "Name or UPN search")
        return parts
