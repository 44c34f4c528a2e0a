"""Reads for the core: schools, staff and their roles, and the audit trail, always scoped by the
acting user."""

from base64 import b32encode, b64encode
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Model, OuterRef, QuerySet, Value
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco.access import may_open
from senco.models import AcademicYear, AuditEvent, Closure, Role, School, Term, User
from senco.permissions import SECOND_FACTOR_ROLES, grantable_roles, may_grant
from senco.rules import DatedRow, Period, SchoolCalendar, years_without_term_dates


def schools_of(user: User) -> QuerySet[School]:
    """The schools in which `user` holds any role, for the school switcher."""
    return School.objects.filter(memberships__user=user).distinct().order_by("name")


def school_calendar(school: School) -> SchoolCalendar:
    """The school's term dates and closures for every recorded year, in one query (the terms
    and the closures side by side, each row saying which it is).

    A school year counts as covered only once all three of its terms are recorded: a year with
    the autumn term alone would otherwise make every later day look like a holiday.
    """
    fields = ("academic_year__start_year", "starts_on", "ends_on", "is_term")
    # `order_by()`: SQLite orders only the union as a whole.
    terms_qs = Term.objects.filter(academic_year__school=school).order_by()
    closures_qs = Closure.objects.filter(academic_year__school=school).order_by()
    rows = (
        terms_qs.annotate(is_term=Value(True))
        .values_list(*fields)
        .union(closures_qs.annotate(is_term=Value(False)).values_list(*fields), all=True)
    )
    terms, closures = [], []
    for start_year, starts_on, ends_on, is_term in rows:
        if is_term:
            terms.append((start_year, starts_on, ends_on))
        else:
            closures.append((starts_on, ends_on))
    term_count: dict[int, int] = {}
    for start_year, _, _ in terms:
        term_count[start_year] = term_count.get(start_year, 0) + 1
    return SchoolCalendar(
        years=frozenset(year for year, count in term_count.items() if count == 3),
        terms=tuple(sorted((first, last) for _, first, last in terms)),
        closures=tuple(sorted(closures)),
    )


@dataclass(frozen=True)
class MissingTermDates:
    """What `templates/senco/partials/missing_term_dates.html` tells a user about dates or
    figures worked out without the school's term dates."""

    years: list[str]  # the school years without term dates, as "2026/27"; empty: say nothing
    can_open_calendar: bool  # whether to link to Term dates, where they are recorded


def missing_term_dates(user: User, calendar: SchoolCalendar, *periods: Period) -> MissingTermDates:
    """The school years that `periods` (the days a page's dates or figures were worked out over)
    reach and the user's school has no term dates for, and whether the user may open the page
    where they are recorded (its own access declaration decides)."""
    years = years_without_term_dates(calendar, *periods)
    return MissingTermDates(years=years, can_open_calendar=bool(years) and may_open(user, "senco:calendar"))


def school_years(school: School) -> QuerySet[AcademicYear]:
    """The school's recorded school years, newest first, with their terms and closures."""
    return AcademicYear.objects.filter(school=school).prefetch_related("terms", "closures")


def school_year_rows(school: School, *, start_year: int) -> list[DatedRow]:
    """One school year's terms and closures as the rows a school enters, in date order."""
    terms = Term.objects.filter(academic_year__school=school, academic_year__start_year=start_year)
    closures = Closure.objects.filter(academic_year__school=school, academic_year__start_year=start_year)
    rows = [DatedRow(kind=t.season, starts_on=t.starts_on, ends_on=t.ends_on) for t in terms]
    rows += [DatedRow(kind=c.kind, starts_on=c.starts_on, ends_on=c.ends_on, name=c.name) for c in closures]
    return sorted(rows, key=lambda row: (row.starts_on, row.kind))


# Multi-factor sign-in --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthenticatorSetUp:
    """What the set-up page shows for a new authenticator app's secret `key` (hex)."""

    secret: str  # base32 in groups of four, for typing into the app by hand
    qr_code: str  # the otpauth:// address as a QR code, an SVG data: URL (our CSP allows data: images)


def authenticator_set_up(user: User, key: str) -> AuthenticatorSetUp:
    """The secret and QR code for `user` to add `key` to an authenticator app, named after this
    service and their username."""
    address = TOTPDevice(user=user, key=key).config_url
    image = BytesIO()
    qrcode.make(address, image_factory=qrcode.image.svg.SvgPathFillImage).save(image)
    secret = b32encode(bytes.fromhex(key)).decode()
    return AuthenticatorSetUp(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_code="data:image/svg+xml;base64," + b64encode(image.getvalue()).decode(),
    )


def has_second_factor(user: User) -> bool:
    """Whether `user` has set up an authenticator app (and so can be asked for its code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Staff and roles -------------------------------------------------------------------------------


def staff_at_school(user: User) -> QuerySet[User]:
    """The active users holding any role at `user`'s current school: the staff its head,
    administrator and trust administrator manage. Another school's staff are not here, whatever
    else they hold, so a trust administrator sees one school's staff at a time."""
    return User.objects.filter(memberships__school=user.school, is_active=True).distinct()


@dataclass(frozen=True)
class StaffRow:
    """One member of staff on the Staff and roles page."""

    user: User
    roles: list[str]  # the labels of their roles at this school, in Role's order
    has_device: bool  # an authenticator app or recovery codes
    must_use: bool  # whether they must give a second factor (every role but governor)


def _with_sign_in(staff: QuerySet[User]) -> QuerySet[User]:
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"))
    codes = StaticDevice.objects.filter(user=OuterRef("pk"))
    return staff.annotate(has_device=Exists(devices) | Exists(codes)).prefetch_related("memberships")


def _roles_here(member: User, school: School) -> list[str]:
    """`member`'s roles at `school` in Role's order, from their prefetched memberships."""
    held = {m.role for m in member.memberships.all() if m.school_id == school.pk}
    return [role for role in Role.values if role in held]


def _row(member: User, school: School) -> StaffRow:
    return StaffRow(
        user=member,
        roles=[Role(role).label for role in _roles_here(member, school)],
        has_device=member.has_device,
        # senco.permissions.must_use_second_factor, from the memberships fetched here.
        must_use=member.is_superuser or any(m.role in SECOND_FACTOR_ROLES for m in member.memberships.all()),
    )


def staff_list(user: User) -> list[StaffRow]:
    """Every member of staff at `user`'s current school, their roles there and whether they
    have a sign-in device, in two queries whatever the number of staff. The SENCO team reads it
    (names and roles); those who manage staff act on it (the views declare who)."""
    return [_row(member, user.school) for member in _with_sign_in(staff_at_school(user))]


@dataclass(frozen=True)
class StaffMemberRole:
    role: str
    label: str
    can_remove: bool  # `senco.permissions.may_grant`, never one's own, never their only role here


@dataclass(frozen=True)
class StaffMember:
    """What the page of one member of staff shows `viewer`, and which actions it offers."""

    row: StaffRow
    roles: list[StaffMemberRole]
    grantable: list[str]  # the roles the viewer may give them: none to themselves
    is_you: bool
    can_reset_device: bool  # a device to reset, and someone else's: nobody resets their own
    can_deactivate: bool  # someone else, every one of whose roles here the viewer may remove


def staff_member(viewer: User, member: User) -> StaffMember:
    """The page of `member` (found through `staff_at_school(viewer)`) as `viewer` sees it."""
    member = _with_sign_in(User.objects.filter(pk=member.pk)).get()
    row = _row(member, viewer.school)
    held = _roles_here(member, viewer.school)
    is_you = viewer.pk == member.pk
    may_remove = {role: not is_you and may_grant(viewer.held_roles, role) for role in held}
    return StaffMember(
        row=row,
        roles=[
            StaffMemberRole(role=role, label=Role(role).label, can_remove=may_remove[role] and len(held) > 1)
            for role in held
        ],
        grantable=[] if is_you else [role for role in grantable_roles(viewer) if role not in held],
        is_you=is_you,
        can_reset_device=row.has_device and not is_you,
        can_deactivate=not is_you and all(may_remove.values()),
    )


# --- Reading the audit trail ------------------------------------------------------------------
#
# The trail names pupils by id only (it must not copy their details). To find "who has looked at
# this child's record?" by name or UPN, the core asks the pupils app, which it may not import
# (R2): the pupils app registers its lookup from its AppConfig.ready().

# (user, search words) -> the user's pupils whose name or UPN matches every word, as a queryset
# of Pupil (all of them for ""). Read for `pk`, `full_name` and `upn` only.
PupilLookup = Callable[[User, str], QuerySet]
_pupil_lookup: list[PupilLookup] = []


def provide_pupil_lookup(lookup: PupilLookup) -> None:
    """Register the pupils app's lookup (once; registering again replaces it)."""
    _pupil_lookup[:] = [lookup]


def _pupils(user: User, search: str = "") -> QuerySet:
    if not _pupil_lookup:
        raise ImproperlyConfigured("The pupils app registers the pupil lookup from its AppConfig.ready().")
    return _pupil_lookup[0](user, search)


def audit_trail(user: User) -> QuerySet[AuditEvent]:
    """The audit trail of the user's current school, newest first, with who did each thing.

    Only the SENCO team and leadership may read it (the view declares that); everyone is
    limited to their current school, whatever filter they apply.
    """
    return AuditEvent.objects.filter(school=user.school).select_related("actor")


def audit_pupils_matching(user: User, search: str) -> QuerySet:
    """The user's pupils (for the trail's readers, every pupil of the school, leavers too) whose
    name or UPN matches every word of `search`, by surname."""
    return _pupils(user, search)


def audit_pupil(user: User, pk: int) -> Model | None:
    """One of the user's pupils, or None: another school's, or a record disposed of."""
    return _pupils(user).filter(pk=pk).first()


def audit_pupil_names(user: User, pupil_ids: Collection[int]) -> dict[int, Model]:
    """The user's pupils among `pupil_ids`, by id, in one query."""
    return {pupil.pk: pupil for pupil in _pupils(user).filter(pk__in=set(pupil_ids) - {None})}


def audit_staff(user: User) -> QuerySet[User]:
    """Everyone who holds a role at the user's school, accounts switched off included, for
    "who did it?" (someone whose roles there were all removed is found through the pupil or the
    dates instead)."""
    return User.objects.filter(memberships__school=user.school).distinct().order_by("last_name", "first_name")


AUDIT_CSV_HEADER = (
    "Entry",
    "When",
    "Who",
    "Username",
    "Action",
    "Fields changed",
    "Record type",
    "Record id",
    "Summary",
    "Pupil",
    "UPN",
    "Pupil record number",
    "From address",
    "Page",
)


def audit_csv_rows(user: User, events: QuerySet[AuditEvent], *, chunk: int = 2000) -> Iterator[list[str]]:
    """The events as the CSV's rows (`AUDIT_CSV_HEADER`), read a chunk at a time with one query
    for the chunk's pupils, so a year's trail never sits in memory at once. Times are local."""
    batch: list[AuditEvent] = []
    for event in events.iterator(chunk_size=chunk):
        batch.append(event)
        if len(batch) == chunk:
            yield from _csv_rows(user, batch)
            batch = []
    yield from _csv_rows(user, batch)


def _csv_rows(user: User, events: list[AuditEvent]) -> Iterator[list[str]]:
    pupils = audit_pupil_names(user, {event.pupil_id for event in events})
    for event in events:
        pupil = pupils.get(event.pupil_id)
        yield [
            str(event.pk),
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(event.actor) if event.actor else "System",
            event.actor.username if event.actor else "",
            event.action,
            ", ".join(event.fields),
            event.object_type,
            event.object_id,
            event.summary,
            pupil.full_name if pupil else "",
            pupil.upn if pupil else "",
            "" if event.pupil_id is None else str(event.pupil_id),
            event.ip_address or "",
            event.path,
        ]
