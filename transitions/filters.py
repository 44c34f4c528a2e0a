"""What the transitions app adds to the SEN register's filters (`pupils.filters.contribute_filter`)."""

import django_filters
from django import forms

from transitions.selectors.adulthood import without_pfa_outcomes


def _without_pfa(queryset, name, value):
    return without_pfa_outcomes(queryset) if value else queryset


WITHOUT_PFA = django_filters.BooleanFilter(
    label="In Year 9 or above without preparing for adulthood outcomes",
    widget=forms.CheckboxInput,
    method=_without_pfa,
)
