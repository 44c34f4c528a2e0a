"""The one optimistic-concurrency mechanism (house rule R9): an edit form carries the token of
the record as the editor saw it, the service writes only if the record still has that token,
and otherwise raises `StaleEdit`, and the view redraws the form with what was typed.

A record's token is its integer `version` column where the model has one (plans, reviews,
groups, concerns, passports), and otherwise a keyed fingerprint of the fields the form edits
(a pupil's record, carers, delivered sessions, the SEN budget); a form over several records
(a group's scores grid) carries one token over all of theirs. Where no record exists yet the
token is 0 or "" respectively, so a form for something not yet saved is refused if someone else
saves it first. Why keyed, and why these choices: docs/decisions/optimistic-concurrency.md.
"""

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Model
from django.forms import BaseForm
from django.http import QueryDict
from django.utils.crypto import salted_hmac

STALE_MESSAGE = (
    "Someone else changed this {what} while you were editing. "
    "Anything you typed is kept below: check their changes, then try again."
)

Form = TypeVar("Form", bound=BaseForm)


class StaleEdit(Exception):
    """The record changed (or appeared, or went) after the editor read it.

    `current` is the record as it is now (None if there is none), `token` its token now, for the
    redrawn form to carry so that a second save goes through once the editor has looked.
    `what` names the record in the message ("plan", "carer's details").
    """

    def __init__(self, current: Model | None, *, token: int | str, what: str) -> None:
        super().__init__(STALE_MESSAGE.format(what=what))
        self.current = current
        self.token = token


def _value(record: Model, name: str):
    field = record._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(record, name).values_list("pk", flat=True))
    # Through the field's own type, so that a record just built in memory ("2026-09-01", 1500)
    # and the same record read back (a date, Decimal("1500.00")) give the same token.
    value = field.to_python(field.value_from_object(record))
    return value.normalize() if isinstance(value, Decimal) else value


def _fingerprint(record: Model, fields: Iterable[str]) -> str:
    # Keyed with SECRET_KEY: the token sits in the page, and a plain hash of a few known values
    # could be tested against guesses (a session's fingerprint covers absent pupils the corrector
    # may no longer see). The record's model and id are in it, so no token fits another record.
    values = {name: _value(record, name) for name in fields}
    payload = json.dumps([record._meta.label_lower, record.pk, values], sort_keys=True, cls=DjangoJSONEncoder)
    return salted_hmac("senco.concurrency.fingerprint", payload, algorithm="sha256").hexdigest()


def version_token(record: Model | None, *, fields: Iterable[str] | None = None) -> int | str:
    """The token an edit form carries for `record`: its `version` column, or, when `fields` are
    named (models with no version column), a fingerprint of those fields' values. For a record
    not saved yet (None) it is 0, or "" for a fingerprint."""
    if fields is None:
        return record.version if record is not None else 0
    return _fingerprint(record, fields) if record is not None else ""


def rows_token(records: Iterable[Model], *, fields: Iterable[str]) -> str:
    """The token of a form that edits several records at once (a group's scores on one grid):
    one keyed fingerprint over each record's fingerprint of `fields`, in any order, so that a
    change to any of them, or a record more or fewer, makes the whole form stale."""
    fields = list(fields)
    tokens = sorted(_fingerprint(record, fields) for record in records)
    return salted_hmac("senco.concurrency.rows", ",".join(tokens), algorithm="sha256").hexdigest()


def check_unchanged(
    record: Model | None, token: int | str, *, what: str, fields: Iterable[str] | None = None
) -> None:
    """Raise StaleEdit unless `token` is `record`'s token now (see `version_token`). Read `record`
    with `select_for_update()` so that nobody can change it between this check and the write."""
    current = version_token(record, fields=fields)
    if current != token:
        raise StaleEdit(record, token=current, what=what)


def update_if_unchanged(record: Model, version: int, *, what: str, **values) -> None:
    """Write `values` to `record`'s row and step its `version` on, in one UPDATE that matches
    only if the row is still at `version`; otherwise write nothing and raise StaleEdit carrying
    the row as it is now. The check and the write are one statement, so no lock is needed."""
    rows = type(record)._default_manager.filter(pk=record.pk)
    if not rows.filter(version=version).update(version=F("version") + 1, **values):
        current = rows.first()
        raise StaleEdit(current, token=version_token(current), what=what)


def redraw_stale(make_form: Callable[[QueryDict], Form], data: QueryDict, stale: StaleEdit) -> Form:
    """The edit form again, bound to what was typed (`data`, the POST) but carrying the record's
    current token in its `version` field, with the StaleEdit message as a form-wide error.
    `make_form(data)` builds the form for the record as it is now. The view re-renders it with
    status 200 (R8), so nothing typed is lost and a second save goes through."""
    data = data.copy()
    data["version"] = stale.token
    form = make_form(data)
    form.add_error(None, str(stale))
    return form
