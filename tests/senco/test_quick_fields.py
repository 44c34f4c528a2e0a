"""`{% field %}` and `{% fields %}` draw a field as crispy-bootstrap5 does (the register's and the
provision map's filters use them), and every select's options are written by one tag: labels tied
to their widgets, errors and help tied by aria-describedby, what was typed kept, text escaped."""

import pytest
from django import forms
from django.template import Context, Template

from senco.templatetags.fields import field


class Filters(forms.Form):
    q = forms.CharField(label="Name or UPN", required=False, help_text="Any part of a name")
    year = forms.ChoiceField(label="Year", choices=[("", "Any"), ("7", "Year 7"), ("8", "Year <8>")])
    eal = forms.BooleanField(label="EAL", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def clean(self):
        raise forms.ValidationError("These filters cannot be used together.")


def draw(template: str, form: forms.Form) -> str:
    return Template("{% load fields %}" + template).render(Context({"form": form}))


def test_a_text_field_keeps_what_was_typed_with_its_label_and_help_tied_to_it():
    html = draw("{% field form.q %}", Filters({"q": 'Ava "A"', "year": "7"}))
    assert '<label for="id_q" class="form-label">Name or UPN</label>' in html
    assert 'value="Ava &quot;A&quot;"' in html
    assert 'aria-describedby="id_q_helptext"' in html
    assert '<div id="id_q_helptext" class="form-text">Any part of a name</div>' in html


def test_a_bad_choice_is_marked_invalid_and_its_error_tied_to_the_select():
    form = Filters({"year": "13"})
    form.is_valid()
    html = draw("{% field form.year %}", form)
    assert (
        'class="select form-select is-invalid" aria-invalid="true" aria-describedby="id_year_error"' in html
    )
    assert (
        '<div id="id_year_error" class="invalid-feedback"><p id="error_1_id_year"><strong>Select a valid'
        in html
    )
    assert '<span class="asteriskField">*</span>' in html  # required


def test_a_select_keeps_the_chosen_option_and_escapes_labels():
    html = draw("{% field form.year %}", Filters({"year": "8"}))
    assert '<option value="8" selected>Year &lt;8&gt;</option>' in html
    assert '<option value="7">Year 7</option>' in html


def test_a_checkbox_sits_before_its_label():
    html = draw("{% field form.eal %}", Filters({"eal": "on"}))
    assert (
        '<div id="div_id_eal" class="form-check"><input type="checkbox" name="eal" '
        'class="checkboxinput form-check-input" id="id_eal" checked>'
        '<label for="id_eal" class="form-check-label">EAL</label>'
    ) in html


def test_a_widget_it_does_not_know_is_drawn_by_crispy():
    html = field(Filters()["notes"])
    assert ('class="textarea form-control"' in html, 'for="id_notes"' in html) == (True, True)


def test_the_whole_form_starts_with_its_own_errors():
    form = Filters({"year": "7"})
    form.is_valid()
    html = draw("{% fields form %}", form)
    assert html.startswith('<div class="alert alert-block alert-danger"><ul class="m-0"><li>These filters')
    assert [name in html for name in ('name="q"', 'name="year"', 'name="eal"', 'name="notes"')] == [True] * 4


def _as_django_draws_them(monkeypatch, bound) -> str:
    """`field(bound)` with every widget drawn by Django's own templates (`BoundField.as_widget`)."""
    from senco.templatetags import fields as quick

    with monkeypatch.context() as patched:
        patched.setattr(quick, "_widget", lambda bound, attrs: bound.as_widget(attrs=attrs))
        return field(bound)


class Everything(forms.Form):
    q = forms.CharField(label="Name", required=False, help_text="Part of a <name>")
    number = forms.IntegerField(label="Number", required=False, min_value=1)
    day = forms.DateField(label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.ChoiceField(label="Year", choices=[("", "Any"), ("7", "Year 7"), ("8", "Year <8>")])
    grouped = forms.ChoiceField(
        label="Grouped", choices=[("Lower", [("1", "One")]), ("Upper", [("2", "Two")])]
    )
    eal = forms.BooleanField(label="EAL", required=False)
    off = forms.BooleanField(label="Off", required=False, disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": 'Ava "A" & <b>', "number": "0", "day": "2026-02-30", "year": "8", "grouped": "2", "eal": "on"},
    ],
)
def test_the_widgets_written_in_python_are_the_ones_djangos_templates_draw(monkeypatch, data):
    form = Everything(data or None)
    form.is_valid()
    for bound in form:
        assert field(bound) == _as_django_draws_them(monkeypatch, bound), bound.name
    # And none of them went through Django's templates.
    monkeypatch.setattr(forms.BoundField, "as_widget", lambda *args, **kwargs: 1 / 0)
    assert all(field(bound) for bound in form)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "sen_support", "q": "Ava", "eal": "on", "year_group": "7", "group": "1", "sort": "need"},
        {"status": "nonsense", "year_group": "99", "primary_need": "x"},
    ],
)
def test_the_register_and_map_filters_draw_as_with_djangos_templates(rf, monkeypatch, senco, query):
    from django.utils import timezone

    from provision.filters import ProvisionMapFilter
    from provision.selectors.provision_map import map_pupils
    from pupils.filters import RegisterFilter
    from pupils.selectors.register import register_pupils

    request = rf.get("/", query)
    request.user = senco
    today = timezone.localdate()
    forms_drawn = [
        RegisterFilter(query, queryset=register_pupils(senco, today=today), request=request).form,
        ProvisionMapFilter(
            query or None, queryset=map_pupils(senco, today=today), request=request, today=today
        ).form,
    ]
    for form in forms_drawn:
        form.is_valid()
        for bound in form:
            assert field(bound) == _as_django_draws_them(monkeypatch, bound), bound.name
