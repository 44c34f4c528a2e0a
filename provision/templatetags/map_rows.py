"""The provision map's sections and rows, written in Python:

    {% load map_rows %}
    {% map_sections map %}    a `<tbody>` for each section: its heading, its rows and its total
    {{ amount|pounds }}       an amount as `floatformat:"2g"` writes it (1,234.50)

A secondary's map has a hundred rows or more, and drawing each through the template engine (a
`{% url %}`, up to four `floatformat`s, two dates and a dozen lookups a row) was half of the
page's time. The markup is the one the template wrote, every value escaped the same way
(tests/provision/test_map_rows.py draws both and compares them). Dates, year groups and staff
lists are worked out once a page, not once a row.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from provision.rules import groups as group_words

register = template.Library()

PENNY = Decimal("0.01")
SENTINEL = 987654321  # a pupil id no school reaches, replaced by each row's own


@register.filter(is_safe=True)
def pounds(amount: Decimal) -> str:
    """`amount` to the penny (half up) with its thousands grouped, as `floatformat:"2g"` writes
    it in British English, in a fraction of the time: "1,234.50", never "-0.00"."""
    rounded = Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    return f"{rounded:,.2f}" if rounded else "0.00"


class _Words:
    """What many rows repeat, worked out once a page: dates, year groups, SEN statuses, a
    group's staff and how often it runs, and the pupil link's pattern."""

    def __init__(self):
        link = reverse("provision:pupil_provision", args=[SENTINEL])
        self.head, _, self.tail = link.partition(str(SENTINEL))
        self.seen: dict = {}

    def _once(self, key, make) -> str:
        if key not in self.seen:
            self.seen[key] = make()
        return self.seen[key]

    def day(self, value) -> str:
        return self._once(("day", value), lambda: conditional_escape(date_filter(value, "j M Y")))

    def year_group(self, pupil) -> str:
        label = pupil.get_year_group_display
        return self._once(("year", pupil.year_group), lambda: conditional_escape(label()))

    def status(self, pupil) -> str:
        key = ("status", getattr(pupil, "sen_status", None))
        return self._once(key, lambda: conditional_escape(pupil.sen_status_label))

    def staff(self, group) -> str:
        def names() -> str:
            names = ", ".join(conditional_escape(str(member)) for member in group.staff.all())
            return names or "None recorded"

        return self._once(("staff", group.pk), names)

    def how_often(self, group) -> str:
        def words() -> str:
            words = group_words.how_often(group.sessions_per_week, group.minutes_per_session)
            return conditional_escape(words)

        return self._once(("often", group.pk), words)


def _badge(row) -> str:
    year = row.pupil_year
    if year.without_top_up:
        return (
            ' <span class="badge text-bg-warning">Over £6,000 without a top-up '
            f"(£{pounds(year.on_register)} this year)</span>"
        )
    if row.over_threshold:
        return (
            f' <span class="badge text-bg-info">Over £6,000 this year (£{pounds(year.on_register)}), '
            f"top-up £{pounds(year.top_up)}</span>"
        )
    return ""


def _row(row, words: _Words) -> str:
    pupil, group = row.pupil, row.group
    in_class = ", in class" if group.setting == "in_class" else ""
    return (
        "\n    <tr>\n"
        f'      <td><a href="{words.head}{pupil.pk}{words.tail}">{conditional_escape(pupil.full_name)}</a>'
        f"{_badge(row)}</td>\n"
        f"      <td>{words.year_group(pupil)}</td>\n"
        f"      <td>{words.status(pupil)}</td>\n"
        f"      <td>{conditional_escape(row.intervention.name)}<br>"
        f'<span class="small">{conditional_escape(group.name)}{in_class}</span></td>\n'
        f"      <td>{words.how_often(group)}</td>\n"
        f"      <td>{words.staff(group)}</td>\n"
        f"      <td>{words.day(row.starts_on)}</td>\n"
        f"      <td>{words.day(row.ends_on)}</td>\n"
        f'      <td class="money">£{pounds(row.share)}</td>\n'
        "    </tr>\n    "
    )


def _section(section, words: _Words) -> str:
    title = conditional_escape(section.title)
    pupil = section.pupil
    about = (
        f' <span class="fw-normal">({words.year_group(pupil)}, {words.status(pupil)})</span>' if pupil else ""
    )
    rows = "".join(_row(row, words) for row in section.rows)
    return (
        "\n  <tbody>\n"
        f'    <tr class="map-section"><th scope="rowgroup" colspan="9">{title}{about}</th></tr>\n'
        f"    {rows}\n"
        f'    <tr class="map-subtotal"><th scope="row" colspan="8">Total for {title}</th>'
        f'<td class="money">£{pounds(section.total)}</td></tr>\n'
        "  </tbody>\n  "
    )


@register.simple_tag
def map_sections(the_map) -> SafeString:
    """A `<tbody>` for each of the map's sections: its heading (with the pupil's year and SEN
    status when grouped by pupil), a row for each placement (the pupil, linked to their provision,
    with a badge when their year's provision is over £6,000; their year and SEN status, the
    intervention and group, how often it runs, its staff, the dates and the pupil's share), and
    the section's total."""
    words = _Words()
    return mark_safe("".join(_section(section, words) for section in the_map.sections))  # escaped above
