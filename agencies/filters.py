"""The statutory calendar's filters: the SEN register's pupil filters (`PupilFilterSet`, declared
once for every page that lists pupils) and which dates to show. A bad value is a form error and is
not applied."""

import django_filters

from agencies.selectors.statutory_calendar import SHOW_CHOICES
from pupils.filters import PupilFilterSet


class StatutoryCalendarFilter(PupilFilterSet):
    show = django_filters.ChoiceFilter(
        label="Dates", choices=SHOW_CHOICES[1:], empty_label=SHOW_CHOICES[0][1], method="keep"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.order_fields(["show"])

    def keep(self, queryset, name, value):
        return queryset

    @property
    def chosen_show(self) -> str:
        """Which dates to show: "overdue", "upcoming" or "" for both (and for a bad value)."""
        return self.form.cleaned_data.get("show") or "" if self.form.is_valid() else ""
