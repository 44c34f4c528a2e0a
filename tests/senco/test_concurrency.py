"""The one optimistic-concurrency mechanism: tokens, the check, the guarded write, the message and
the redrawn form. The features' own tests prove each edit page uses it."""

from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.test import override_settings

from pupils.factories import ConcernFactory, PupilFactory
from pupils.models import Concern
from senco.concurrency import (
    STALE_MESSAGE,
    StaleEdit,
    check_unchanged,
    redraw_stale,
    rows_token,
    update_if_unchanged,
    version_token,
)
from senco.factories import SenBudgetFactory
from senco.models import SenBudget

FIGURES = ("notional_sen_budget", "element3_income")


@pytest.fixture
def budget(school):
    return SenBudgetFactory(school=school, financial_year=2026, notional_sen_budget=1500, element3_income=0)


# Tokens


def test_a_record_with_a_version_column_is_versioned_by_it_and_a_missing_one_by_0(taught_pupil):
    concern = ConcernFactory(pupil=taught_pupil, version=7)
    assert (version_token(concern), version_token(None)) == (7, 0)


def test_a_fingerprint_is_a_keyed_sha256_and_blank_for_a_record_not_saved_yet(budget):
    token = version_token(budget, fields=FIGURES)
    with override_settings(SECRET_KEY="another-installation-entirely-" * 2):
        elsewhere = version_token(budget, fields=FIGURES)
    hex_digits = set("0123456789abcdef")
    assert (
        len(token),
        set(token) <= hex_digits,
        elsewhere != token,
        version_token(None, fields=FIGURES),
    ) == (
        64,
        True,
        True,
        "",
    )


def test_a_record_just_built_and_the_same_record_read_back_have_one_fingerprint(budget):
    # The factory left 1500 (an int) in memory; the database gives back Decimal("1500.00").
    read_back = SenBudget.objects.get(pk=budget.pk)
    assert (read_back.notional_sen_budget, version_token(read_back, fields=FIGURES)) == (
        Decimal("1500.00"),
        version_token(budget, fields=FIGURES),
    )


def test_a_fingerprint_follows_the_named_fields_only(budget):
    before = version_token(budget, fields=FIGURES)
    budget.school.name = "Renamed"
    unnamed = version_token(budget, fields=FIGURES)
    budget.element3_income = Decimal("0.01")
    assert (unnamed, version_token(budget, fields=FIGURES) != before) == (before, True)


def test_two_records_holding_the_same_values_have_different_fingerprints(budget, school):
    twin = SenBudgetFactory(school=school, financial_year=2027, notional_sen_budget=1500, element3_income=0)
    assert version_token(twin, fields=FIGURES) != version_token(budget, fields=FIGURES)


def test_a_fingerprint_covers_the_members_of_a_many_to_many_field(class_3a, taught_pupil, school):
    before = version_token(class_3a, fields=["name", "pupils"])
    class_3a.pupils.add(PupilFactory(school=school))
    assert version_token(class_3a, fields=["name", "pupils"]) != before


# The check and the guarded write


def test_a_form_over_several_records_has_one_keyed_token_over_all_of_theirs(budget, school):
    other = SenBudgetFactory(school=school, financial_year=2027, notional_sen_budget=900, element3_income=0)
    token = rows_token([budget, other], fields=FIGURES)
    with override_settings(SECRET_KEY="another-installation-entirely-" * 2):
        elsewhere = rows_token([budget, other], fields=FIGURES)
    changed = SenBudget.objects.get(pk=other.pk)
    changed.notional_sen_budget = 950
    assert (
        rows_token([other, budget], fields=FIGURES) == token,  # in any order
        rows_token([budget], fields=FIGURES) == token,  # a record fewer
        rows_token([budget, changed], fields=FIGURES) == token,  # one of them changed
        elsewhere == token,
        len(token),
    ) == (True, False, False, False, 64)


def test_an_unchanged_record_passes_the_check(budget, taught_pupil):
    concern = ConcernFactory(pupil=taught_pupil)
    check_unchanged(budget, version_token(budget, fields=FIGURES), what="budget", fields=FIGURES)
    check_unchanged(concern, concern.version, what="concern")
    check_unchanged(None, "", what="budget", fields=FIGURES)


def test_a_changed_record_fails_the_check_with_its_current_token_and_the_message(budget):
    shown = version_token(budget, fields=FIGURES)
    SenBudget.objects.filter(pk=budget.pk).update(element3_income=250)
    current = SenBudget.objects.get(pk=budget.pk)
    with pytest.raises(StaleEdit) as stale:
        check_unchanged(current, shown, what="year's budget", fields=FIGURES)
    assert (stale.value.current, stale.value.token, str(stale.value)) == (
        current,
        version_token(current, fields=FIGURES),
        "Someone else changed this year's budget while you were editing. "
        "Anything you typed is kept below: check their changes, then try again.",
    )


def test_a_record_that_appeared_or_went_fails_the_check(budget):
    with pytest.raises(StaleEdit) as appeared:
        check_unchanged(budget, "", what="budget", fields=FIGURES)
    with pytest.raises(StaleEdit) as went:
        check_unchanged(None, "a" * 64, what="budget", fields=FIGURES)
    assert (appeared.value.current, went.value.current, went.value.token) == (budget, None, "")


def test_the_guarded_write_saves_and_steps_the_version_on(taught_pupil):
    concern = ConcernFactory(pupil=taught_pupil)
    update_if_unchanged(concern, 1, what="concern", senco_notes="Observe in maths.")
    concern.refresh_from_db()
    assert (concern.senco_notes, concern.version) == ("Observe in maths.", 2)


def test_the_guarded_write_from_an_old_version_writes_nothing_and_carries_the_record_now(taught_pupil):
    concern = ConcernFactory(pupil=taught_pupil)
    Concern.objects.filter(pk=concern.pk).update(senco_notes="A colleague's notes.", version=2)
    with pytest.raises(StaleEdit) as stale:
        update_if_unchanged(concern, 1, what="concern", senco_notes="Mine.")
    assert (stale.value.current.senco_notes, stale.value.token, str(stale.value)) == (
        "A colleague's notes.",
        2,
        STALE_MESSAGE.format(what="concern"),
    )
    assert Concern.objects.get(pk=concern.pk).senco_notes == "A colleague's notes."


def test_the_message_keeps_the_house_wording_for_a_plan():
    assert str(StaleEdit(None, token=0, what="plan")).startswith(
        "Someone else changed this plan while you were editing."
    )


# The redrawn form


class NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField()


def test_the_redrawn_form_keeps_what_was_typed_with_the_new_token_and_the_message():
    posted = QueryDict("version=1&note=My+careful+words")
    stale = StaleEdit(None, token=2, what="concern")
    form = redraw_stale(NoteForm, posted, stale)
    assert (form["note"].value(), form["version"].value(), form.non_field_errors(), posted["version"]) == (
        "My careful words",
        2,
        [STALE_MESSAGE.format(what="concern")],
        "1",
    )


def test_the_redrawn_form_can_be_saved_again():
    form = redraw_stale(NoteForm, QueryDict("version=1&note=Words"), StaleEdit(None, token=2, what="plan"))
    again = NoteForm(form.data)
    assert (again.is_valid(), again.cleaned_data) == (True, {"version": 2, "note": "Words"})
