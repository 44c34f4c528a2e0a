"""Bringing pupil data in from the school's MIS: work out what a file would change, then apply
all of it in one transaction, or none of it (R8).

`plan_import` reads the file (`pupils.rules.parse_mis_file`), matches each row to a pupil of
the user's school by UPN and lists what would change; it writes nothing. `apply_import` plans
again from the same bytes (so nothing the browser sends is trusted), refuses if there is any
problem or if the plan differs from the one the user was shown, and then writes through the
record services, which audit each pupil themselves.

UPNs are national, but schools in one installation are kept apart: a UPN used by a pupil of
another school here is simply a new pupil of this school (two schools may both hold the record
of a child who moved between them). Pupils are never matched, or changed, across schools.
"""

import hashlib
import json
from copy import copy
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import OuterRef, Subquery

from pupils.models import GroupKind, NeedType, Pupil, SenStatus, SenStatusChange, TeachingGroup
from pupils.rules import COLUMN_OF_FIELD, ImportRow, Problem, parse_mis_file
from pupils.selectors.records import with_sen_status
from pupils.services.records import (
    change_sen_status,
    changed_fields,
    create_pupil,
    move_pupil_to_group,
    record_errors,
    update_pupil,
)
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
    "something different. Check the new summary below, then apply again."
)


def group_kind_for(school: School) -> str:
    """Primary schools group pupils in classes, others in registration groups (as the demo does)."""
    return GroupKind.CLASS if school.phase == Phase.PRIMARY else GroupKind.REGISTRATION


class _Planner:
    """Loads what the rows need in a handful of queries, whatever the file's length."""

    def __init__(self, school: School, rows: list[ImportRow], today: date):
        self.school, self.today, self.kind = school, today, group_kind_for(school)
        upns = [row.upn for row in rows]
        # The latest entry, even one agreed ahead of today: a change dated before it would never
        # take effect, since the status on a day is the latest entry dated on or before it.
        latest = SenStatusChange.objects.filter(pupil=OuterRef("pk")).order_by("-effective_from", "-id")
        matched = with_sen_status(Pupil.objects.filter(school=school, upn__in=upns), today=today).annotate(
            status_from=Subquery(latest.values("effective_from")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
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


def plan_import(*, school: School, content: bytes, today: date) -> ImportPlan:
    """What importing `content` into `school` would do, and every problem that stops it.

    Writes nothing. Rows with problems in the file itself are left out of the plan, but are
    still checked against the records (leaver, group name, record rules) when their UPN can be
    read, so one preview lists every problem of the file. A plan with any problem at all cannot
    be applied. Anyone who may import may call it.
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
    planner = _Planner(school, readable, today)
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


def _group(school: School, name: str, kind: str, by: User) -> TeachingGroup:
    group = TeachingGroup.objects.filter(school=school, name=name).first()
    if group is None:
        group = TeachingGroup(school=school, name=name, kind=kind)
        group.full_clean()
        group.save()
        audit.record("teaching_group.created", by=by, obj=group, school=school, summary=name)
    return group


def _apply_row(plan: RowPlan, *, school: School, groups: dict, needs: dict, by: User, today: date) -> None:
    row, pupil = plan.row, plan.pupil
    if pupil is None:
        pupil = create_pupil(school=school, fields={"upn": row.upn, **plan.changes}, by=by, today=today)
    elif plan.changes:
        pupil = update_pupil(pupil=pupil, changes=plan.changes, by=by, today=today)
    if plan.group_name:
        move_pupil_to_group(pupil=pupil, group=groups[plan.group_name], by=by, today=today)
    if plan.status_change:
        change_sen_status(
            pupil=pupil,
            status=row.sen_status,
            effective_from=plan.effective_from,
            reason=f"Imported from the MIS on {today.day} {today:%B %Y}.",
            by=by,
            today=today,
            primary_need=needs.get(row.primary_need),
            secondary_need=needs.get(row.secondary_need),
        )


@transaction.atomic
def apply_import(*, school: School, content: bytes, fingerprint: str, by: User, today: date) -> ImportPlan:
    """Apply an MIS file to `school`: every row, or (on any problem) nothing.

    `fingerprint` is the `ImportPlan.fingerprint` the user was shown; if planning again gives
    another, raises `ImportRefused` and writes nothing, as it does for a file with problems.
    Pupils are matched by UPN within the school and never duplicated; each joins the class
    (primary) or registration group (otherwise) named in the file, created if need be; a SEN
    status that differs from the current one is added as a status change dated with the file's
    `sen_status_from`, or `today` where it has none. An N for a monitored pupil keeps monitoring;
    a row that would end an EHC plan is a problem.
    Re-applying the same file changes nothing and writes nothing.
    Side effects: the audit rows of `create_pupil`, `update_pupil`, `move_pupil_to_group` and
    `change_sen_status`, `teaching_group.created` for each new group, and one `pupils.imported`
    row with the counts.
    """
    plan = plan_import(school=school, content=content, today=today)
    if plan.problems:
        raise ImportRefused(plan, "The file has problems, so nothing was imported.")
    if plan.fingerprint != fingerprint:
        raise ImportRefused(plan, CHANGED_SINCE_PREVIEW)
    if not plan.has_changes:
        return plan
    kind = group_kind_for(school)
    groups = {
        name: _group(school, name, kind, by) for name in {p.group_name for p in plan.rows if p.group_name}
    }
    needs = {need.code: need for need in NeedType.objects.all()}
    for row_plan in plan.rows:
        _apply_row(row_plan, school=school, groups=groups, needs=needs, by=by, today=today)
    audit.record("pupils.imported", by=by, school=school, summary=f"MIS import: {plan.counts()}")
    return plan
