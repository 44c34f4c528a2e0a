"""Tags for the parts every page shares: `{% breadcrumbs %}` and `{% error_summary %}`.

    {% load pages %}
    {% breadcrumbs "Provision groups" groups_url group.name group.get_absolute_url "Change" %}
    {% error_summary form %}  or, with a formset:  {% error_summary form outcomes "Outcome" %}

Tags because Django's templates cannot build a list, and both are layout: no view should have
to assemble them.
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData

register = template.Library()


@register.inclusion_tag("partials/breadcrumbs.html")
def breadcrumbs(*trail) -> dict:
    """Pairs of label and address leading to the page, then the page's own label."""
    *pairs, current = trail
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of label and address, then the page")
    return {"links": list(zip(pairs[::2], pairs[1::2], strict=True)), "current": current}


@dataclass(frozen=True)
class FormError:
    message: str
    anchor: str  # the id of the input to go to; "" when no one field is at fault


def _errors_of(form, prefix: str = "") -> list[FormError]:
    errors = [FormError(str(error), "") for error in form.non_field_errors()]
    for field in form.hidden_fields():  # a stale version number: nothing the user can correct there
        errors += [FormError(str(error), "") for error in field.errors]
    for field in form.visible_fields():
        # Radios and tick boxes have no one input to label; the first option takes the focus.
        anchor = field.id_for_label or f"{field.auto_id}_0"
        for error in field.errors:
            if isinstance(error, SafeData):
                # A message with a link of its own (built by format_html in a view): links cannot
                # nest, so the field's label alone leads to the field.
                link = format_html('<a class="alert-link" href="#{}">{}{}</a>', anchor, prefix, field.label)
                errors.append(FormError(format_html("{}: {}", link, error), ""))
            else:
                errors.append(FormError(f"{prefix}{field.label}: {error}", anchor))
    return errors


@register.inclusion_tag("partials/error_summary.html")
def error_summary(form, formset=None, item: str = "Item") -> dict:
    """Every error of the form (and of each form of the formset, named "<item> <n>"), in page order."""
    errors = _errors_of(form)
    if formset is not None:
        errors += [FormError(str(error), "") for error in formset.non_form_errors()]
        for number, subform in enumerate(formset, start=1):
            errors += _errors_of(subform, prefix=f"{item} {number}, ")
    return {"errors": errors}
