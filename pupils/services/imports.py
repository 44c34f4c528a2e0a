"""Bringing pupil data in from the school's MIS: work out what a file would change, then apply
all of it in one transaction, or none of it (R8).

`plan_import` reads the file (`pupils.rules.parse_mis_file`), matches each row to a pupil of
the user's school by UPN and lists what would change; it writes nothing. `apply_import` plans
again from the same bytes (so nothing the browser sent is trusted), refuses if there is any
problem or if the plan differs from the one the user was shown, and then writes in bulk, a
batch of rows at a time in the same few queries, auditing every change to every pupil as the
record services would. It runs in the background (`pupils.services.import_runs`).

UPNs are national, but schools in one installation are kept apart: a UPN used by a pupil of
another school here is simply a new pupil of this school (two schools may both hold the record
of a child who moved between them). Pupils are never matched, or changed, across schools.
"""

import hashlib
import json
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from pupils.models import (
    GroupKind,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
)
from pupils.rules import COLUMN_OF_FIELD, ImportRow, Problem, parse_mis_file
from pupils.selectors.records import with_sen_status
from pupils.services.records import ENTRY_FIELDS, changed_fields, record_errors
from pupils.services.register import sync_current_sen_status
from senco import audit
from senco.models import Phase, School, User


@dataclass
class RowPlan:
    """What applying one row would do."""

    row: ImportRow
    pupil: Pupil | None  # None: a new pupil
    changes: dict = field(default_factory=dict)  # pupil fields to set
    group_name: str = ""  # the group to move into; blank if they are there already
    status_change: bool = False
    old_status: str = SenStatus.NO_SEN
    # When a status change takes effect: the MIS's start date, else the day of the import.
    effective_from: date | None = None

    @property
    def name(self) -> str:
        fields = self.row.fields
        first = fields.get("preferred_first_name") or fields.get("first_name", "")
        last = fields.get("preferred_last_name") or fields.get("last_name", "")
        return f"{first} {last}".strip()

    @property
    def changed_columns(self) -> list[str]:
        columns = [COLUMN_OF_FIELD[name].replace("_", " ") for name in self.changes]
        return columns + (["registration group"] if self.group_name else [])

    @property
    def new_status(self) -> str:
        return self.row.sen_status

    @property
    def old_status_label(self) -> str:
        return SenStatus(self.old_status).label

    @property
    def new_status_label(self) -> str:
        return SenStatus(self.new_status).label

    @property
    def starts_on_import_day(self) -> bool:
        return self.row.sen_status_from is None


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    groups_to_create: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[RowPlan]:
        return [plan for plan in self.rows if plan.pupil is None]

    @property
    def updated(self) -> list[RowPlan]:
        return [plan for plan in self.rows if plan.pupil is not None and plan.changed_columns]

    @property
    def unchanged(self) -> list[RowPlan]:
        return [p for p in self.rows if p.pupil is not None and not p.changed_columns and not p.status_change]

    @property
    def status_changes(self) -> list[RowPlan]:
        return [plan for plan in self.rows if plan.status_change]

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.updated or self.status_changes)

    @property
    def fingerprint(self) -> str:
        """Identifies what would be done, so that applying refuses if it is no longer what was shown."""
        steps = [
            [
                p.row.upn,
                p.pupil is None,
                sorted(p.changes),
                p.group_name,
                p.status_change and [p.new_status, p.effective_from.isoformat()],
            ]
            for p in self.rows
        ]
        return hashlib.sha256(json.dumps(steps).encode()).hexdigest()

    def counts(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.status_changes)} SEN status changes"
        )


class ImportRefused(Exception):
    """The file has problems, or would now do something other than what was shown."""

    def __init__(self, plan: ImportPlan, message: str) -> None:
        super().__init__(message)
        self.plan = plan


CHANGED_SINCE_PREVIEW = (
    "The pupils' records changed since you checked this file, so applying it would now do "
    "something different. Nothing was imported: upload the file again to check what it would change now."
)


def group_kind_for(school: School) -> str:
    """Primary schools group pupils in classes, others in registration groups (as the demo does)."""
    return GroupKind.CLASS if school.phase == Phase.PRIMARY else GroupKind.REGISTRATION


class _Planner:
    """Loads what the rows need in a handful of queries, whatever the file's length."""

    def __init__(self, school: School, rows: list[ImportRow], today: date, *, lock: bool = False):
        self.school, self.today, self.kind = school, today, group_kind_for(school)
        upns = [row.upn for row in rows]
        # The latest entry, even one agreed ahead of today: a change dated before it would never
        # take effect, since the status on a day is the latest entry dated on or before it.
        latest = SenStatusChange.objects.filter(pupil=OuterRef("pk")).order_by("-effective_from", "-id")
        matched = with_sen_status(Pupil.objects.filter(school=school, upn__in=upns), today=today).annotate(
            status_from=Subquery(latest.values("effective_from")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
        if lock:
            matched = matched.select_for_update(of=("self",))  # the pupils, not their need types
        self.pupils = {p.upn: p for p in matched.order_by()}
        self.need_ids = dict(NeedType.objects.values_list("code", "pk"))
        memberships = TeachingGroup.pupils.through.objects.filter(
            pupil_id__in=[p.pk for p in self.pupils.values()], teachinggroup__kind=self.kind
        ).values_list("pupil_id", "teachinggroup__name")
        self.groups_of: dict[int, set[str]] = {}
        for pupil_id, name in memberships:
            self.groups_of.setdefault(pupil_id, set()).add(name)
        names = {row.registration_group for row in rows}
        self.group_kinds = dict(
            TeachingGroup.objects.filter(school=school, name__in=names).values_list("name", "kind")
        )

    def plan(self, row: ImportRow) -> tuple[RowPlan, list[Problem]]:
        pupil = self.pupils.get(row.upn)
        wanted = (row.sen_status, self.need_ids.get(row.primary_need), self.need_ids.get(row.secondary_need))
        effective_from = row.sen_status_from or self.today
        if pupil is None:
            plan = RowPlan(
                row=row,
                pupil=None,
                changes=dict(row.fields),
                group_name=row.registration_group,
                effective_from=effective_from,
            )
            plan.status_change = row.sen_status != SenStatus.NO_SEN
            candidate, checked = Pupil(school=self.school, upn=row.upn, **row.fields), list(row.fields)
        else:
            current = (pupil.sen_status or SenStatus.NO_SEN, pupil.primary_need_id, pupil.secondary_need_id)
            # Monitoring is the school's own watch, recorded as N in the census, so the MIS holds
            # N for a monitored pupil: that N agrees with monitoring and must not end it.
            if current[0] == SenStatus.MONITORING and wanted[0] == SenStatus.NO_SEN:
                wanted = current
            # A blank status is an unreadable cell (already a problem), not a change to "no SEN".
            plan = RowPlan(
                row=row,
                pupil=pupil,
                old_status=current[0],
                status_change=bool(row.sen_status) and current != wanted,
                effective_from=effective_from,
            )
            plan.changes = {name: row.fields[name] for name in changed_fields(pupil, row.fields)}
            if self.groups_of.get(pupil.pk, set()) != {row.registration_group}:
                plan.group_name = row.registration_group
            candidate, checked = copy(pupil), list(plan.changes)
            for name, value in plan.changes.items():
                setattr(candidate, name, value)
        return plan, self._problems(plan, candidate, checked)

    def _problems(self, plan: RowPlan, candidate: Pupil, checked: list[str]) -> list[Problem]:
        row, problems = plan.row, []
        pupil = plan.pupil
        if pupil is not None and pupil.has_left(self.today) and (plan.changed_columns or plan.status_change):
            problems.append(
                Problem(
                    row.row,
                    "upn",
                    f"{pupil.full_name} left on {pupil.left_on:%d/%m/%Y}, so their record is read-only. "
                    "Take the row out of the file, or ask the SENCO to correct the leaving date.",
                )
            )
        kind = self.group_kinds.get(row.registration_group)
        if plan.group_name and kind not in (None, self.kind):
            problems.append(
                Problem(
                    row.row,
                    "registration_group",
                    f'"{row.registration_group}" is the name of an existing {GroupKind(kind).label.lower()} '
                    "at this school: use another name for the class or form.",
                )
            )
        for name, message in record_errors(candidate, checked, self.today).items():
            problems.append(Problem(row.row, COLUMN_OF_FIELD.get(name, name), message))
        if pupil is not None and plan.status_change:
            problems += self._status_problems(plan, pupil)
        return problems

    def _status_problems(self, plan: RowPlan, pupil: Pupil) -> list[Problem]:
        row = plan.row
        if plan.old_status == SenStatus.EHC_PLAN and plan.new_status != SenStatus.EHC_PLAN:
            # Only the local authority ceases an EHC plan (CFA 2014 s45), after telling the parents
            # and hearing their view; a school's MIS changing E to another code is not that decision.
            return [
                Problem(
                    row.row,
                    "sen_status",
                    f"{pupil.full_name} has an EHC plan, and only the local authority ceases a plan "
                    "(Children and Families Act 2014 s45), so the MIS cannot end it. If the local "
                    f"authority has ceased it, record the change on {pupil.full_name}'s page with the "
                    "date of its decision, then import again.",
                )
            ]
        if pupil.status_from is not None and plan.effective_from < pupil.status_from:
            # The current status is the latest entry by date, so an earlier one would never take effect.
            began = pupil.status_from
            message = (
                f"{pupil.full_name}'s current status here ({SenStatus(pupil.latest_status).label}) "
                f"{'began' if began <= self.today else 'starts'} on {began.day} {began:%B %Y}: "
                "a change must start on or after that date."
            )
            if row.sen_status_from is None:
                return [Problem(row.row, "sen_status", message)]
            if self.today >= began:
                message += (
                    " Correct the date in the MIS, or leave it blank to start the change on the day "
                    "of the import."
                )
            return [Problem(row.row, "sen_status_from", message)]
        return []


def plan_import(*, school: School, content: bytes, today: date, lock: bool = False) -> ImportPlan:
    """What importing `content` into `school` would do, and every problem that stops it.

    Writes nothing. Rows with problems in the file itself are left out of the plan, but are
    still checked against the records (leaver, group name, record rules) when their UPN can be
    read, so one preview lists every problem of the file. A plan with any problem at all cannot
    be applied. Anyone who may import may call it. `lock` (inside a transaction: applying) locks
    the matched pupils' rows until it ends, so nobody changes them between the check and the write.
    """
    parsed = parse_mis_file(
        content, need_codes=set(NeedType.objects.values_list("code", flat=True)), today=today
    )
    plan = ImportPlan(problems=list(parsed.problems))
    reported = {(problem.row, problem.column) for problem in parsed.problems}
    bad_rows = {row for row, _ in reported}
    if None in bad_rows or 1 in bad_rows:
        return plan
    # A duplicate or malformed UPN has a "upn" problem: such a row matches no record to check.
    readable = [row for row in parsed.rows if row.upn and (row.row, "upn") not in reported]
    planner = _Planner(school, readable, today, lock=lock)
    for row in readable:
        row_plan, problems = planner.plan(row)
        if row.row in bad_rows:
            # One message per cell: the file's own problem already covers a cell it names.
            plan.problems += [p for p in problems if (p.row, p.column) not in reported]
        else:
            plan.rows.append(row_plan)
            plan.problems += problems
    plan.problems.sort(key=lambda problem: problem.row or 0)
    plan.groups_to_create = sorted(
        {p.group_name for p in plan.rows if p.group_name and p.group_name not in planner.group_kinds}
    )
    return plan


# Applying, in bulk -----------------------------------------------------------------------------

# Rows written per batch. Each batch costs the same few queries however many rows it holds (a
# test pins them), and the page's progress moves on after each.
BATCH_SIZE = 500


class _Writer:
    """Writes a plan's rows a batch at a time, as the record services would (`create_pupil`,
    `update_pupil`, `move_pupil_to_group`, `change_sen_status`) but in bulk, and keeps the audit
    rows they would write for the end of the transaction (`audit.record_many`), so that the
    school's audit chain is locked only while they go in."""

    def __init__(self, *, school: School, by: User, today: date):
        self.school, self.by, self.today, self.kind = school, by, today, group_kind_for(school)
        self.needs = {need.code: need for need in NeedType.objects.all()}
        self.reason = f"Imported from the MIS on {today.day} {today:%B %Y}."
        self.groups: dict[str, TeachingGroup] = {}
        self.entries: list[audit.Entry] = []

    def add_groups(self, names: set[str]) -> None:
        """The classes or registration groups the rows name, created where they do not exist."""
        self.groups = {g.name: g for g in TeachingGroup.objects.filter(school=self.school, name__in=names)}
        new = [
            TeachingGroup(school=self.school, name=name, kind=self.kind)
            for name in sorted(names - set(self.groups))
        ]
        for group in new:
            group.full_clean(exclude=["school"], validate_unique=False, validate_constraints=False)
        for group in TeachingGroup.objects.bulk_create(new):
            self.groups[group.name] = group
            self.entries.append(audit.Entry("teaching_group.created", obj=group, summary=group.name))

    def write(self, rows: list[RowPlan]) -> None:
        pupils = [self._pupil(plan) for plan in rows]
        pairs = list(zip(rows, pupils, strict=True))
        Pupil.objects.bulk_create([pupil for plan, pupil in pairs if plan.pupil is None])
        updated = [pupil for plan, pupil in pairs if plan.pupil is not None and plan.changes]
        if updated:
            names = sorted({name for plan in rows if plan.pupil is not None for name in plan.changes})
            Pupil.objects.bulk_update(updated, names)
        self._move([(plan, pupil) for plan, pupil in pairs if plan.group_name])
        changes = self._change_statuses([(plan, pupil) for plan, pupil in pairs if plan.status_change])
        for plan, pupil in pairs:
            if plan.pupil is None:
                self.entries.append(audit.Entry("pupil.created", obj=pupil, fields=["upn", *plan.changes]))
            elif plan.changes:
                self.entries.append(audit.Entry("pupil.updated", obj=pupil, fields=list(plan.changes)))
            if plan.group_name:
                moved = audit.Entry(
                    "pupil.group_changed",
                    obj=pupil,
                    fields=["teaching_groups"],
                    summary=f"Now in {plan.group_name}",
                )
                self.entries.append(moved)
            if pupil.pk in changes:
                change, fields = changes[pupil.pk]
                self.entries.append(
                    audit.Entry("pupil.sen_status_changed", obj=change, pupil=pupil, fields=fields)
                )

    def _pupil(self, plan: RowPlan) -> Pupil:
        if plan.pupil is None:
            return Pupil(school=self.school, upn=plan.row.upn, **plan.changes)
        for name, value in plan.changes.items():
            setattr(plan.pupil, name, value)
        return plan.pupil

    def _move(self, moves: list[tuple[RowPlan, Pupil]]) -> None:
        """Each pupil into their group and out of every other of its kind (a pupil has one class,
        or one registration group)."""
        through = TeachingGroup.pupils.through
        known = [pupil.pk for plan, pupil in moves if plan.pupil is not None]
        if known:
            through.objects.filter(pupil_id__in=known, teachinggroup__kind=self.kind).delete()
        through.objects.bulk_create(
            [through(teachinggroup=self.groups[plan.group_name], pupil=pupil) for plan, pupil in moves]
        )

    def _change_statuses(
        self, wanted: list[tuple[RowPlan, Pupil]]
    ) -> dict[int, tuple[SenStatusChange, list]]:
        """The new entries of the pupils' SEN histories, by pupil, with the details each changes
        from the entry before it (as `change_sen_status` audits them)."""
        if not wanted:
            return {}
        latest = SenStatusChange.objects.filter(pupil=OuterRef("pupil")).order_by("-effective_from", "-id")
        known = [pupil.pk for plan, pupil in wanted if plan.pupil is not None]
        entries = SenStatusChange.objects.filter(pupil_id__in=known, pk=Subquery(latest.values("pk")[:1]))
        before = {entry.pupil_id: entry for entry in entries} if known else {}
        changes, problems = {}, []
        for plan, pupil in wanted:
            row = plan.row
            change = SenStatusChange(
                pupil=pupil,
                status=row.sen_status,
                primary_need=self.needs.get(row.primary_need),
                secondary_need=self.needs.get(row.secondary_need),
                effective_from=plan.effective_from,
                reason=self.reason,
                recorded_by=self.by,
            )
            try:  # the entry's own rules, as change_sen_status checks them; the database holds its
                # constraints, and its related rows are known to exist
                related = ["pupil", "primary_need", "secondary_need", "recorded_by"]
                change.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                problems += [
                    Problem(row.row, name, messages[0]) for name, messages in exc.message_dict.items()
                ]
            previous = before.get(pupil.pk) or SenStatusChange()  # a first entry: every detail is new
            fields = [
                n for n in ENTRY_FIELDS if change.serializable_value(n) != previous.serializable_value(n)
            ]
            changes[pupil.pk] = (change, fields)
        if problems:
            raise ImportRefused(
                ImportPlan(problems=problems), "The file has problems, so nothing was imported."
            )
        SenStatusChange.objects.bulk_create([change for change, _ in changes.values()])
        sync_current_sen_status(pupil_ids=list(changes), today=self.today)  # as change_sen_status does
        return changes


@transaction.atomic
def apply_import(
    *,
    school: School,
    content: bytes,
    fingerprint: str,
    by: User,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportPlan:
    """Apply an MIS file to `school`: every row, or (on any problem) nothing.

    `fingerprint` is the `ImportPlan.fingerprint` the user was shown; if planning again gives
    another, raises `ImportRefused` and writes nothing, as it does for a file with problems.
    Pupils are matched by UPN within the school and never duplicated; each joins the class
    (primary) or registration group (otherwise) named in the file, created if need be; a SEN
    status that differs from the current one is added as a status change dated with the file's
    `sen_status_from`, or `today` where it has none. An N for a monitored pupil keeps monitoring;
    a row that would end an EHC plan is a problem. The matched pupils are locked from the check
    to the commit. Rows are written `batch_size` at a time, in the same few queries a batch,
    and `progress(rows_done, rows_total)` is called after the check and after each batch.
    Re-applying the same file changes nothing and writes nothing.
    Side effects: the audit rows the record services would write, `pupil.created`,
    `pupil.updated`, `pupil.group_changed` and `pupil.sen_status_changed`, one per pupil and
    change, `teaching_group.created` for each new group, and one `pupils.imported` row with the
    counts, all written last.
    """
    plan = plan_import(school=school, content=content, today=today, lock=True)
    if plan.problems:
        raise ImportRefused(plan, "The file has problems, so nothing was imported.")
    if plan.fingerprint != fingerprint:
        raise ImportRefused(plan, CHANGED_SINCE_PREVIEW)
    report = progress or (lambda rows_done, rows_total: None)
    total = len(plan.rows)
    report(0, total)
    if not plan.has_changes:
        return plan
    writer = _Writer(school=school, by=by, today=today)
    writer.add_groups({p.group_name for p in plan.rows if p.group_name})
    for start in range(0, total, batch_size):
        writer.write(plan.rows[start : start + batch_size])
        report(min(start + batch_size, total), total)
    writer.entries.append(audit.Entry("pupils.imported", summary=f"MIS import: {plan.counts()}"))
    audit.record_many(writer.entries, by=by, school=school)
    return plan
