"""The SEN register's filters (django-filter). Each filter narrows the queryset of
`pupils.selectors.register.register_pupils`; a bad value is a form error and is not applied.

`PupilFilterSet` declares the filters on a pupil's own details (need, year, teaching group,
flags, name or UPN) once, for every page that lists pupils with an SEN status annotated
(`with_sen_status`): the register here and the provision map in the provision app.
`MyPupilsFilter` is the name search of a teacher's "My pupils"."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from pupils.models import NeedArea, NeedType, Pupil, SenStatus, TeachingGroup, YearGroup
from pupils.selectors.records import search_pupils
from pupils.selectors.register import FLAGS, REGISTER_STATUSES, SORTS, sorted_register

ALL_ON_ROLL = "all"
# Pupils on roll with no SEN status, or taken off the register: where the SENCO finds the child a
# teacher is worried about before anything is recorded.
NOT_ON_REGISTER = "none"
STATUS_CHOICES = [
    (SenStatus.EHC_PLAN.value, "EHC plan"),
    (SenStatus.SEN_SUPPORT.value, "SEN support"),
    (SenStatus.MONITORING.value, "Monitoring"),
    (NOT_ON_REGISTER, "Not on the register (no SEN)"),
    (ALL_ON_ROLL, "All pupils on roll"),
]
ANY_STATUS = "Any SEN status (monitoring, SEN support, EHC plan)"
_SORT_LABELS = {"name": "Name", "year": "Year", "status": "SEN status", "need": "Primary need"}
# Built from the selector's whitelist, so a sort the selector does not know cannot be offered.
SORT_CHOICES = [(key, _SORT_LABELS[key]) for key in SORTS]


def _groups_of_school(request) -> QuerySet[TeachingGroup]:
    if request is None:
        return TeachingGroup.objects.none()
    return TeachingGroup.objects.filter(school=request.user.school).order_by("name")


_FLAG_LABELS = {field: label for field, _short, label in FLAGS}


def _flag_filter(field: str) -> django_filters.BooleanFilter:
    # A checkbox per flag: each is its own query parameter, so it survives the pagination links.
    return django_filters.BooleanFilter(
        label=_FLAG_LABELS[field], widget=forms.CheckboxInput, method="filter_flag"
    )


class PupilFilterSet(django_filters.FilterSet):
    """The pupil filters the register and the provision map share, declared once so that the
    two pages cannot drift apart. Subclasses add their own (SEN status, sort, intervention...)."""

    primary_need = django_filters.ModelChoiceFilter(
        label="Primary need", queryset=NeedType.objects.all(), empty_label="Any", method="filter_primary_need"
    )
    area = django_filters.ChoiceFilter(
        label="Broad area of need (primary need)",
        choices=NeedArea.choices,
        empty_label="Any",
        method="filter_area",
    )
    year_group = django_filters.ChoiceFilter(label="Year", choices=YearGroup.choices, empty_label="Any")
    group = django_filters.ModelChoiceFilter(
        label="Teaching group", queryset=_groups_of_school, empty_label="Any", field_name="teaching_groups"
    )
    looked_after = _flag_filter("looked_after")
    previously_looked_after = _flag_filter("previously_looked_after")
    pupil_premium = _flag_filter("pupil_premium")
    free_school_meals = _flag_filter("free_school_meals")
    eal = _flag_filter("eal")
    young_carer = _flag_filter("young_carer")
    q = django_filters.CharFilter(label="Name or UPN", method="search", max_length=100)

    class Meta:
        model = Pupil
        fields: list[str] = []

    def filter_primary_need(self, queryset, name, value):
        return queryset.filter(primary_need_id=value.pk)

    def filter_area(self, queryset, name, value):
        return queryset.filter(primary_need_id__in=NeedType.objects.filter(area=value).values("pk"))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset

    def search(self, queryset, name, value):
        """Every word must match a legal or preferred name, or the UPN."""
        return search_pupils(queryset, value)


class RegisterFilter(PupilFilterSet):
    status = django_filters.ChoiceFilter(
        label="SEN status", choices=STATUS_CHOICES, empty_label=ANY_STATUS, method="filter_status"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, empty_label=None, method="sort_by"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The register's own columns show the short forms, so its checkboxes teach them.
        for field, short, label in FLAGS:
            self.form.fields[field].label = f"{label} ({short})"

    @property
    def contributed_fields(self) -> list:
        """The form's fields for the filters other apps add (`contribute_filter`)."""
        return [self.form[name] for name in _contributed if name in self.form.fields]

    def filter_queryset(self, queryset: QuerySet[Pupil]) -> QuerySet[Pupil]:
        # No status chosen (or a bad one) means the SENCO's usual view: anyone with an SEN status.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(sen_status__in=REGISTER_STATUSES)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if value == ALL_ON_ROLL:
            return queryset
        if value == NOT_ON_REGISTER:
            return queryset.filter(Q(sen_status__isnull=True) | Q(sen_status=SenStatus.NO_SEN))
        return queryset.filter(sen_status=value)

    def sort_by(self, queryset, name, value):
        return sorted_register(queryset, sort=value)

    def folded_in_use(self) -> int:
        """How many of the filters that fold away on a phone are set (all but the name search
        and the sort order), so the folded panel can say so and open itself."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return sum(
            1 for name, value in data.items() if name not in ("q", "sort") and value not in (None, "", False)
        )

    def summary(self) -> str:
        """The filters in use, for the audit row of an export. The search words are left out:
        they may be a child's name, and the audit trail names records, not what they say."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        parts = [f"SEN status: {dict(STATUS_CHOICES).get(data.get('status'), ANY_STATUS)}"]
        if data.get("primary_need"):
            parts.append(f"primary need: {data['primary_need'].code}")
        if data.get("area"):
            parts.append(f"area: {NeedArea(data['area']).label}")
        if data.get("year_group") not in (None, ""):
            parts.append(YearGroup(int(data["year_group"])).label)
        if data.get("group"):
            parts.append(f"group: {data['group'].name}")
        parts += [label for field, _, label in FLAGS if data.get(field)]
        parts += [str(self.filters[name].label) for name in _contributed if data.get(name)]
        if data.get("q"):
            parts.append("name or UPN search")
        return "; ".join(parts)


# Filters a higher app adds to the register from its AppConfig.ready() (R2: the register cannot
# import them): the transitions app's "Year 9 and above without preparing for adulthood outcomes".
_contributed: list[str] = []


def contribute_filter(name: str, register_filter: django_filters.Filter) -> None:
    """Add a checkbox filter to the register, drawn under "Only pupils who are", kept in the
    address like the others and named in the export's audit summary. Its `method` takes the
    queryset, the name and the value, and narrows the queryset in the database."""
    RegisterFilter.base_filters[name] = register_filter
    if name not in _contributed:
        _contributed.append(name)


class MyPupilsFilter(django_filters.FilterSet):
    """ "My pupils": a teacher or TA finds a child in their groups by name."""

    q = django_filters.CharFilter(label="Search by name", method="search", max_length=100)

    class Meta:
        model = Pupil
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_pupils(queryset, value)
