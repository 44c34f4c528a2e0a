"""The parts every page shares: the breadcrumb trail and the error summary of a form page."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError

from senco.templatetags.pages import FormError, error_summary


class ExampleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(label="Date")
    status = forms.ChoiceField(
        label="Did it happen?", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect
    )
    absent = forms.MultipleChoiceField(
        label="Absent", choices=[("1", "Ava")], widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self):
        raise ValidationError("Someone else changed this while you were editing.")


class OutcomeForm(forms.Form):
    description = forms.CharField(label="Outcome")
    criteria = forms.CharField(label="Success criteria")


def render(source: str, **context) -> str:
    return Template("{% load pages %}" + source).render(Context(context))


def test_the_trail_links_each_step_and_marks_the_page_itself_as_current():
    html = render('{% breadcrumbs "Provision groups" "/groups/" "Reading group" "/groups/7/" "Change" %}')
    assert " ".join(html.split()) == (
        '<nav aria-label="Breadcrumb"> <ol class="breadcrumb"> '
        '<li class="breadcrumb-item"><a href="/groups/">Provision groups</a></li>'
        '<li class="breadcrumb-item"><a href="/groups/7/">Reading group</a></li> '
        '<li class="breadcrumb-item active" aria-current="page">Change</li> </ol> </nav>'
    )


def test_a_trail_with_a_label_and_no_address_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% breadcrumbs "Provision groups" "Change" %}')


def test_the_summary_lists_every_error_in_page_order_and_links_each_field_to_its_input():
    form = ExampleForm({"version": "", "status": "maybe", "absent": ["9"]})
    assert error_summary(form)["errors"] == [
        FormError("Someone else changed this while you were editing.", ""),
        FormError("This field is required.", ""),  # the hidden version: nothing there to go to
        FormError("Date: This field is required.", "id_held_on"),
        # Radios and tick boxes: the first option, since the group has no one input.
        FormError(
            "Did it happen?: Select a valid choice. maybe is not one of the available choices.", "id_status_0"
        ),
        FormError("Absent: Select a valid choice. 9 is not one of the available choices.", "id_absent_0"),
    ]


def test_the_summary_names_the_form_of_a_formset_each_error_belongs_to():
    outcomes = forms.formset_factory(OutcomeForm, extra=0)(
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-description": "Read",
            "form-0-criteria": "A page a day",
            "form-1-criteria": "A page a day",
        }
    )
    form = forms.Form({})
    assert error_summary(form, outcomes, "Outcome")["errors"] == [
        FormError("Outcome 2, Outcome: This field is required.", "id_form-1-description")
    ]


def test_the_summary_is_an_alert_that_takes_the_focus_and_says_nothing_without_errors():
    with_errors = render("{% error_summary form %}", form=ExampleForm({}))
    assert (
        'role="alert"' in with_errors,
        'tabindex="-1" autofocus' in with_errors,
        '<a class="alert-link" href="#id_held_on">Date: This field is required.</a>' in with_errors,
    ) == (True, True, True)
    assert render("{% error_summary form %}", form=ExampleForm()).strip() == ""


def test_no_template_draws_its_own_breadcrumb_trail():
    templates = Path(settings.BASE_DIR) / "templates"
    copies = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'aria-label="Breadcrumb"' in path.read_text() and path.name != "breadcrumbs.html"
    ]
    assert copies == []


def _screen_templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    return [path for path in root.rglob("*.html") if "pdf" not in path.name]


@pytest.mark.parametrize("template", _screen_templates(), ids=lambda path: path.name)
def test_every_table_on_screen_scrolls_in_its_own_labelled_box(template):
    # On a phone a wide table must scroll inside its box, not the page (WCAG 2.2 SC 1.4.10), and
    # the box takes keyboard focus and a name so that keyboard and screen-reader users can scroll it.
    lines = template.read_text().splitlines()
    for number, line in enumerate(lines):
        if "<table" in line:
            box = lines[number - 1]
            assert 'class="table-responsive" role="region" tabindex="0" aria-label' in box, (
                f"{template.name}:{number + 1}: wrap the table in the scrolling box"
            )
