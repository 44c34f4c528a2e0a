"""The provision map's sections are written in Python (`{% map_sections %}`, for speed): they
must read exactly as the template that drew them did, badges, escaping and all."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat

from provision.factories import InterventionFactory, ProvisionGroupFactory
from provision.rules.budget import PupilYear
from provision.selectors.provision_map import MapRow, MapSection, ProvisionMap
from provision.templatetags.map_rows import pounds
from pupils.factories import PupilFactory
from senco.factories import staff_member
from senco.models import Role

# The template the map drew its sections with before `{% map_sections %}`.
TEMPLATE = """{% load provision_words %}
  {% for section in map.sections %}
  <tbody>
    <tr class="map-section"><th scope="rowgroup" colspan="9">{{ section.title }}{% if section.pupil %} <span class="fw-normal">({{ section.pupil.get_year_group_display }}, {{ section.pupil.sen_status_label }})</span>{% endif %}</th></tr>
    {% for row in section.rows %}
    <tr>
      <td><a href="{% url 'provision:pupil_provision' row.pupil.pk %}">{{ row.pupil.full_name }}</a>{% if row.pupil_year.without_top_up %} <span class="badge text-bg-warning">Over £6,000 without a top-up (£{{ row.pupil_year.on_register|floatformat:"2g" }} this year)</span>{% elif row.over_threshold %} <span class="badge text-bg-info">Over £6,000 this year (£{{ row.pupil_year.on_register|floatformat:"2g" }}), top-up £{{ row.pupil_year.top_up|floatformat:"2g" }}</span>{% endif %}</td>
      <td>{{ row.pupil.get_year_group_display }}</td>
      <td>{{ row.pupil.sen_status_label }}</td>
      <td>{{ row.intervention.name }}<br><span class="small">{{ row.group.name }}{% if row.group.setting == "in_class" %}, in class{% endif %}</span></td>
      <td>{{ row.group|how_often }}</td>
      <td>{{ row.staff_names|join:", "|default:"None recorded" }}</td>
      <td>{{ row.starts_on|date:"j M Y" }}</td>
      <td>{{ row.ends_on|date:"j M Y" }}</td>
      <td class="money">£{{ row.share|floatformat:"2g" }}</td>
    </tr>
    {% endfor %}
    <tr class="map-subtotal"><th scope="row" colspan="8">Total for {{ section.title }}</th><td class="money">£{{ section.total|floatformat:"2g" }}</td></tr>
  </tbody>
  {% endfor %}
"""  # noqa: E501 (the template's own lines)


def _sections(school, *, by_pupil: bool) -> ProvisionMap:
    ta = staff_member(role=Role.TA, school=school, first_name="Tess & <Co>", last_name="O'Neil")
    pupils = [
        PupilFactory(school=school, first_name="Amy", last_name="<Ash>", year_group=7),
        PupilFactory(school=school, first_name="Ben", last_name="Bell & Co", year_group=11),
        PupilFactory(school=school, first_name="Cal", last_name="Cole", year_group=9),
    ]
    pupils[0].sen_status, pupils[1].sen_status = "sen_support", "ehc_plan"  # the third: no SEN
    reading = InterventionFactory(school=school, name="Reading <plus> & more")
    groups = [
        ProvisionGroupFactory(intervention=reading, name='Set "A"', staff=[ta], setting="in_class"),
        ProvisionGroupFactory(intervention=reading, name="Set B", staff=[], sessions_per_week=1),
    ]
    years = [
        PupilYear(Decimal("7000.005"), Decimal("7000.005")),  # over, without a top-up
        PupilYear(Decimal("12345.675"), Decimal("9000"), top_up=Decimal("2500.5")),  # over, with one
        PupilYear(Decimal("0.004"), Decimal("0")),
    ]
    rows = [
        MapRow(pupil, group, date(2026, 4, 1 + index), date(2027, 3, 31), Decimal(f"{index}234.565"), year)
        for index, (pupil, year) in enumerate(zip(pupils, years, strict=True))
        for group in groups
    ]
    if by_pupil:
        sections = [MapSection(row.pupil.full_name, row.pupil, [row]) for row in rows]
    else:
        sections = [MapSection("Reading <plus> & more", None, rows)]
    return ProvisionMap(None, "pupil" if by_pupil else "intervention", sections, None, [])


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("by_pupil", [True, False])
def test_the_sections_read_exactly_as_the_template_drew_them(school, by_pupil):
    the_map = _sections(school, by_pupil=by_pupil)
    drawn = Template("{% load map_rows %}{% map_sections map %}").render(Context({"map": the_map}))
    expected = Template(TEMPLATE).render(Context({"map": the_map}))
    assert "&lt;Ash&gt;" in drawn
    assert "text-bg-warning" in drawn
    assert "text-bg-info" in drawn
    assert _squeezed(drawn) == _squeezed(expected)


@pytest.mark.parametrize(
    "amount",
    ["0", "0.004", "0.005", "-0.004", "1.005", "2.675", "999.995", "1234567.891", "-1234.565", "6000"],
)
def test_pounds_writes_an_amount_as_floatformat_does(amount):
    assert pounds(Decimal(amount)) == floatformat(Decimal(amount), "2g")
