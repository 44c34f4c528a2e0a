"""Writes for the core: switching school, the school's term dates and financial year, telling
staff that something needs them, and their second factor at sign-in. Mail goes
through the worker after the transaction that caused it commits, so a rolled-back change never
sends a message."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco import audit
from senco.concurrency import check_unchanged
from senco.models import AcademicYear, Closure, Membership, School, Term, User
from senco.rules import TERM_SEASONS, DatedRow, copied_forward, parse_calendar_csv, school_year_problems
from senco.selectors import school_year_rows
from senco.tasks import send_email


@transaction.atomic
def switch_school(*, user: User, school: School, by: User) -> User:
    """Make `school` the one `user` works in. Refused unless they hold a role there.

    Side effects: saves `current_school`; audit row `staff.switched_school`.
    """
    if not Membership.objects.filter(user=user, school=school).exists():
        raise ValidationError({"school": "You do not hold a role at that school."})
    user.current_school = school
    user.save(update_fields=["current_school"])
    audit.record("staff.switched_school", by=by, obj=user, school=school)
    return user


@transaction.atomic
def grant_role(*, user: User, school: School, role: str, by: User | None) -> Membership:
    """Give `user` a role at `school`. Side effects: audit row `staff.role_granted`."""
    membership = Membership(user=user, school=school, role=role)
    membership.full_clean()
    membership.save()
    if user.current_school_id is None:
        user.current_school = school
        user.save(update_fields=["current_school"])
    audit.record("staff.role_granted", by=by, obj=membership, school=school, summary=f"{user} as {role}")
    return membership


FINANCIAL_YEAR_FIELDS = ("financial_year_starts",)


@transaction.atomic
def set_financial_year_start(*, school: School, starts_in_month: int, version: str, by: User) -> School:
    """Start the school's financial year in April or, for an academy keeping the academy year, in
    September. `version` is `version_token(school, fields=FINANCIAL_YEAR_FIELDS)` as the editor
    saw it. Budgets keep their year numbers, so 2026-27 becomes the year the new month starts.

    Raises StaleEdit if someone changed it since. Side effects: audit row
    `school.financial_year_start_set`.
    """
    school = School.objects.select_for_update().get(pk=school.pk)
    check_unchanged(school, version, what="financial year", fields=FINANCIAL_YEAR_FIELDS)
    school.financial_year_starts = starts_in_month
    school.full_clean()
    school.save(update_fields=["financial_year_starts"])
    audit.record(
        "school.financial_year_start_set",
        by=by,
        obj=school,
        school=school,
        fields=list(FINANCIAL_YEAR_FIELDS),
        summary=school.get_financial_year_starts_display(),
    )
    return school


def email_staff(*, to: User, subject: str, body: str) -> None:
    """Queue an e-mail to one member of staff; staff without an address are skipped."""
    if not to.email:
        return
    transaction.on_commit(lambda: send_email.delay(to=[to.email], subject=subject, body=body))


def _replace_school_year(*, school: School, start_year: int, rows: list[DatedRow]) -> AcademicYear:
    year, _ = AcademicYear.objects.get_or_create(school=school, start_year=start_year)
    year.terms.all().delete()
    year.closures.all().delete()
    for row in rows:
        model = Term if row.kind in TERM_SEASONS else Closure
        fields = {"season": row.kind} if row.kind in TERM_SEASONS else {"kind": row.kind, "name": row.name}
        record = model(academic_year=year, starts_on=row.starts_on, ends_on=row.ends_on, **fields)
        record.full_clean()
        record.save()
    return year


@transaction.atomic
def save_school_year(*, school: School, start_year: int, rows: list[DatedRow], by: User) -> AcademicYear:
    """Replace one school year's term dates and closures with `rows`, or refuse them all.

    Raises ValidationError listing every problem (see `senco.rules.school_year_problems`).
    Side effects: audit row `calendar.saved`.
    """
    problems = school_year_problems(start_year, rows)
    if problems:
        raise ValidationError(problems)
    year = _replace_school_year(school=school, start_year=start_year, rows=rows)
    audit.record("calendar.saved", by=by, obj=year, school=school, summary=f"Term dates {year}")
    return year


@transaction.atomic
def import_calendar(*, school: School, content: bytes, by: User) -> list[AcademicYear]:
    """Apply a term-dates CSV file: every school year in it replaces the one recorded, and a
    file with any problem changes nothing. Raises ValidationError listing every problem.

    Side effects: audit row `calendar.imported`.
    """
    years, problems = parse_calendar_csv(content)
    if problems:
        raise ValidationError(problems)
    saved = [
        _replace_school_year(school=school, start_year=y, rows=rows) for y, rows in sorted(years.items())
    ]
    audit.record(
        "calendar.imported", by=by, school=school, summary=f"Term dates {', '.join(map(str, saved))}"
    )
    return saved


@transaction.atomic
def copy_school_year_forward(*, school: School, start_year: int, by: User) -> AcademicYear:
    """Start the next school year from this one's dates moved on 52 weeks, for the school to
    edit. Refused when the next year already has term dates, so nothing entered is lost.

    Side effects: audit row `calendar.copied_forward`.
    """
    if Term.objects.filter(academic_year__school=school, academic_year__start_year=start_year + 1).exists():
        raise ValidationError(f"{start_year + 1}/{(start_year + 2) % 100:02d} already has term dates.")
    rows = copied_forward(school_year_rows(school, start_year=start_year))
    if not rows:
        raise ValidationError(f"{start_year}/{(start_year + 1) % 100:02d} has no term dates to copy.")
    year = _replace_school_year(school=school, start_year=start_year + 1, rows=rows)
    audit.record("calendar.copied_forward", by=by, obj=year, school=school, summary=f"Term dates {year}")
    return year


# Multi-factor sign-in --------------------------------------------------------------------------

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"


def _totp_devices(user: User):
    return TOTPDevice.objects.filter(user=user)


@dataclass(frozen=True)
class NewSecondFactor:
    device: TOTPDevice
    recovery_codes: list[str]  # for the page that shows them once


@transaction.atomic
def set_up_second_factor(*, key: str, code: str, by: User) -> NewSecondFactor:
    """Confirm the authenticator app that `by` has just added with `key` (hex, from the set-up
    page) by the code it shows, and give them RECOVERY_CODES single-use recovery codes, which
    are returned to be shown once.

    Refused while `by` has a device already: the set-up page is open before the second factor,
    so without this anyone holding only the password could replace the owner's device. A lost
    device is reset by someone else (`reset_mfa_device`). Raises ValidationError on `code`
    unless it is the app's code for now (a step either side, for a phone's clock).

    Side effects: a confirmed TOTPDevice and a StaticDevice holding the codes; audit row
    `staff.second_factor_set_up`.
    """
    if _totp_devices(by).exists() or StaticDevice.objects.filter(user=by).exists():
        raise ValidationError(
            "You already have a sign-in device. If you have lost it, ask your school administrator "
            "or headteacher to reset it."
        )
    totp = TOTP(bytes.fromhex(key))
    digits = "".join(code.split())
    if not (digits.isdigit() and len(digits) == 6 and totp.verify(int(digits), tolerance=1)):
        raise ValidationError(
            {"code": "That is not the code your app shows now. Enter the 6 digits it shows, without spaces."}
        )
    # The code just used cannot be used again to sign in (django-otp accepts only later steps).
    device = TOTPDevice(
        user=by, name=AUTHENTICATOR_NAME, key=key, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    device.full_clean()
    device.save()
    recovery = StaticDevice.objects.create(user=by, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=token) for token in codes)
    audit.record("staff.second_factor_set_up", by=by, obj=by)
    return NewSecondFactor(device=device, recovery_codes=codes)


@dataclass(frozen=True)
class SecondFactor:
    """The device that accepted a code, and for a recovery code how many are left."""

    device: Device
    recovery_codes_left: int | None


def check_second_factor(*, code: str, by: User) -> SecondFactor:
    """Check the second factor `by` gives at sign-in: six digits from their authenticator app,
    or one of their recovery codes, which then stops working.

    Raises ValidationError on `code` when it is wrong, or while django-otp's throttle holds the
    device after wrong codes (1, 2, 4, 8… seconds, doubling with each wrong code in a row).
    Side effects: the device's last code and throttle; a recovery code used is deleted, with
    audit row `staff.recovery_code_used`.
    """
    typed = "".join(code.split()).lower()
    is_app_code = typed.isdigit() and len(typed) == 6
    model = TOTPDevice if is_app_code else StaticDevice
    # Each check commits on its own: a wrong code's throttle must stay counted after the refusal.
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=by, confirmed=True).first()
        if device is None:
            raise ValidationError({"code": "That code is not right. Check it and try again."})
        allowed, held = device.verify_is_allowed()
        accepted = allowed and device.verify_token(typed)
    if not allowed:
        until = timezone.localtime(held["locked_until"])
        raise ValidationError({"code": f"Too many wrong codes in a row: try again after {until:%H:%M:%S}."})
    if not accepted:
        raise ValidationError({"code": "That code is not right. Check it and try again."})
    if is_app_code:
        return SecondFactor(device=device, recovery_codes_left=None)
    left = device.token_set.count()
    audit.record("staff.recovery_code_used", by=by, obj=by, summary=f"{left} recovery codes left")
    return SecondFactor(device=device, recovery_codes_left=left)


@transaction.atomic
def reset_mfa_device(*, user: User, by: User | None) -> int:
    """Remove `user`'s authenticator app and recovery codes after they lose their device, so that
    they set up a new one the next time they sign in (any session of theirs must give it at
    once). `by` is a colleague (the view decides who may), or None from the command line.

    Refused for the user's own device: someone holding a stolen password and session must not be
    able to clear the second factor themselves. Returns the number of devices removed.
    Side effects: deletes the devices; audit row `staff.second_factor_reset`.
    """
    if by is not None and by.pk == user.pk:
        raise ValidationError("You cannot reset your own sign-in device: ask a colleague who can.")
    removed = _totp_devices(user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    if not removed:
        raise ValidationError(f"{user} has no sign-in device to reset.")
    audit.record(
        "staff.second_factor_reset",
        by=by,
        obj=user,
        school=by.school if by is not None else None,
        summary=f"Sign-in device of {user}",
    )
    return removed
