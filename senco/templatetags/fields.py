"""Quick form drawing for the pages loaded all day: a field as crispy-bootstrap5 draws it, built
in Python, and a select's options in one pass.

    {% load fields %}
    {% field form.q %}            one field: label, widget, help text and errors
    {% fields form %}             the form's errors, then every field, in order
    {% select_options widget %}   (templates/django/forms/widgets/select.html)

crispy-forms renders a dozen small templates per field, and Django's select a template per
option: on the register and the provision map of a large secondary (15 filters, one of them 150
teaching groups) that was a third of each page's time. The markup is crispy-bootstrap5's, so the
pages look and read the same; a widget this does not know is left to crispy.
"""

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEXT_INPUTS = (forms.TextInput, forms.NumberInput, forms.DateInput, forms.EmailInput, forms.URLInput)


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


def _css_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, forms.CheckboxInput):
        return "checkboxinput form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "select form-select"
    if isinstance(widget, TEXT_INPUTS):
        return "textinput form-control"
    return None


# Django's templates of the widgets the filters use, whose markup `_widget` writes itself.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("text", "number", "date", "email", "url", "checkbox")
}
SELECT_TEMPLATE = "django/forms/widgets/select.html"  # the project's (templates/django/...)


def _template_attributes(attrs: dict) -> str:
    """HTML attributes as Django's widget template `attrs.html` writes them: True as the bare
    name, False left out, anything else (None too) as escaped text."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget(bound: forms.BoundField, attrs: dict) -> SafeString:
    """`bound.as_widget(attrs=attrs)`, with the markup of a text input, a checkbox or a select
    written here rather than by a template each (and the select's `attrs.html` include): the
    same attributes, value and options as Django's templates give
    (tests/senco/test_quick_fields.py compares them). Any other widget is Django's."""
    widget = bound.field.widget
    template_name = widget.template_name
    if bound.field.localize or (template_name not in INPUT_TEMPLATES and template_name != SELECT_TEMPLATE):
        return bound.as_widget(attrs=attrs)
    # As `BoundField.as_widget` prepares the widget's context.
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    name, own = conditional_escape(context["name"]), _template_attributes(context["attrs"])
    if template_name == SELECT_TEMPLATE:
        return mark_safe(f'<select name="{name}"{own}>{select_options(context)}</select>')  # escaped
    value = "" if context["value"] is None else f' value="{conditional_escape(context["value"])}"'
    return mark_safe(f'<input type="{conditional_escape(context["type"])}" name="{name}"{value}{own}>')


@register.simple_tag
def field(bound: forms.BoundField) -> SafeString:
    """One field as crispy-bootstrap5 draws it: its label tied to the widget, the help text and
    errors tied by `aria-describedby`, what was typed kept, a bad value marked invalid."""
    widget = bound.field.widget
    css = _css_class(widget)
    if css is None or widget.is_hidden:
        return as_crispy_field(bound) if css is None else mark_safe(str(bound))
    field_id = bound.auto_id
    attrs = {"class": " ".join(filter(None, [widget.attrs.get("class"), css]))}
    described_by = []
    if bound.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field_id}_error")
    if bound.help_text:
        described_by.append(f"{field_id}_helptext")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    control = _widget(bound, attrs)
    label = escape(str(bound.label))
    errors = "".join(
        f'<p id="error_{number}_{field_id}"><strong>{escape(str(error))}</strong></p>'
        for number, error in enumerate(bound.errors, start=1)
    )
    after = f'<div id="{field_id}_error" class="invalid-feedback">{errors}</div>' if errors else ""
    if bound.help_text:
        after += f'<div id="{field_id}_helptext" class="form-text">{escape(str(bound.help_text))}</div>'
    if isinstance(widget, forms.CheckboxInput):
        return mark_safe(  # the label and messages escaped above; the widget is Django's
            f'<div class="mb-3"><div id="div_{field_id}" class="form-check">{control}'
            f'<label for="{field_id}" class="form-check-label">{label}</label>{after}</div></div>'
        )
    required = '<span class="asteriskField">*</span>' if bound.field.required else ""
    return mark_safe(  # the label and messages escaped above; the widget is Django's
        f'<div id="div_{field_id}" class="mb-3"><label for="{field_id}" class="form-label">{label}{required}'
        f"</label>{control}{after}</div>"
    )


@register.simple_tag
def fields(form: forms.Form) -> SafeString:
    """The form's own errors (not tied to one field), then every field in order."""
    errors = "".join(f"<li>{escape(str(error))}</li>" for error in form.non_field_errors())
    parts = (
        [f'<div class="alert alert-block alert-danger"><ul class="m-0">{errors}</ul></div>'] if errors else []
    )
    parts += [field(bound) for bound in form]
    return mark_safe("".join(parts))  # each part escaped above or drawn by Django
