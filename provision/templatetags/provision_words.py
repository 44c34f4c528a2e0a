"""Filters that put provision's patterns into words, so the map, its PDF, a pupil's provision,
groups and the catalogue say them alike (the wording is `provision.rules.groups`'s):

    {% load provision_words %}
    {{ group|how_often }}         3 × 30 min a week
    {{ group|how_often:"long" }}  3 sessions a week of 30 minutes
    {{ intervention|up_to_pupils }}  up to 6 pupils

`how_often` takes anything with `sessions_per_week` and `minutes_per_session`: a group or a
catalogue entry.
"""

from django import template

from provision.rules import groups

register = template.Library()


@register.filter
def how_often(pattern, form: str = "") -> str:
    return groups.how_often(pattern.sessions_per_week, pattern.minutes_per_session, long=form == "long")


@register.filter
def up_to_pupils(intervention) -> str:
    return groups.up_to_pupils(intervention.group_size)
