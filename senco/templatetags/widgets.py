"""`{% select_options widget %}`: a select's options, written in one pass.

    {% load widgets %}
    <select name="{{ widget.name }}">{% select_options widget %}</select>

templates/django/forms/widgets/select.html uses it for every select the product draws. Django's
own template includes a small template per option, and the filters of a large secondary list
150 teaching groups: drawing their options that way was a third of the register's and the
provision map's time.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's `flatatt` writes them: True as the bare name, False and None
    left out, anything else as escaped text."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


@register.simple_tag
def select_options(widget: dict) -> SafeString:
    """The `<option>`s (and `<optgroup>`s) of a select widget's context, as Django's template
    writes them: each value as text, its attributes (`selected`), everything escaped."""
    parts = []
    for group_name, choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{escape(str(group_name))}">')
        parts.extend(
            f'<option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for option in choices
        )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("".join(parts))  # every value and label escaped above
