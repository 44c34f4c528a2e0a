"""Writes for the core: switching school, the school's term dates and financial year, telling
staff that something needs them, their second factor at sign-in, and staff and their roles. Mail goes
through the worker after the transaction that caused it commits, so a rolled-back change never
sends a message."""

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco import audit
from senco.audit import current_request
from senco.concurrency import check_unchanged
from senco.models import AcademicYear, Closure, Membership, Role, School, Term, User
from senco.permissions import may_grant, must_use_second_factor
from senco.rules import TERM_SEASONS, DatedRow, copied_forward, parse_calendar_csv, school_year_problems
from senco.selectors import school_year_rows
from senco.tasks import enqueue_on_commit, send_email, send_password_reset


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
    enqueue_on_commit(send_email, to=[to.email], subject=subject, body=body)


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


# Staff and roles -------------------------------------------------------------------------------
# Every membership is written here, from the app's Staff pages and from the Django admin alike,
# so each is checked by the same rule and audited (docs/decisions/staff-and-roles.md).


MAY_NOT_GRANT = "nobody hands out a role they could not hold themselves."
ONLY_ROLE = "if they have left, deactivate them instead."
NO_TRUST = "{school} is not part of a trust, so it has no trust administrator."


def _label(role: str) -> str:
    return Role(role).label


def _schools_holding(role: str, school: School) -> list[School]:
    """Where granting or revoking `role` at `school` applies: the trust administrator's role is
    held at every school of the trust at once, any other role at `school` alone."""
    if role != Role.TRUST_ADMIN:
        return [school]
    if school.trust_id is None:
        raise ValidationError({"role": NO_TRUST.format(school=school)})
    return list(School.objects.filter(trust_id=school.trust_id))


def _schools_releasing(role: str, school: School) -> list[School]:
    """Where revoking `role` at `school` applies: as `_schools_holding`, but a trust
    administrator's role left behind at a school outside any trust goes from that school alone."""
    if role == Role.TRUST_ADMIN and school.trust_id is None:
        return [school]
    return _schools_holding(role, school)


def check_may_change_role(*, user: User, school: School, role: str, by: User | None, verb: str) -> None:
    """Refuse, with a ValidationError on `role`, unless `by` may give (`verb` "give") or remove
    ("remove") `role` for `user` at `school`: never for themselves; at the school they are
    working in, as `senco.permissions.may_grant` allows. A superuser (support, in the Django admin)
    may give or remove any role but their own; None (the command line, the demo) anything."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles."})
    if by is None:
        return
    if user.pk is not None and by.pk == user.pk:
        raise ValidationError({"role": f"You cannot {verb} a role of your own: ask a colleague who can."})
    if by.is_superuser:
        return
    if by.school is None or by.school.pk != school.pk or not may_grant(by.roles, role):
        raise ValidationError({"role": f"You may not {verb} the role {_label(role)}: {MAY_NOT_GRANT}"})


def _add_role(*, user: User, role: str, schools: list[School], by: User | None) -> None:
    for school in schools:
        membership = Membership(user=user, school=school, role=role)
        membership.full_clean()
        membership.save()
        audit.record(
            "staff.role_granted", by=by, obj=user, school=school, summary=f"{user} as {_label(role)}"
        )
    if user.current_school_id is None:
        user.current_school = schools[0]
        user.save(update_fields=["current_school"])


def _remove_role(*, user: User, role: str, schools: list[School], by: User | None) -> int:
    held = list(Membership.objects.filter(user=user, role=role, school__in=schools).select_related("school"))
    for membership in held:
        audit.record(
            "staff.role_revoked",
            by=by,
            obj=user,
            school=membership.school,
            summary=f"{user} as {_label(role)}",
        )
    Membership.objects.filter(pk__in=[membership.pk for membership in held]).delete()
    return len(held)


def check_may_grant(*, user: User, school: School, role: str, by: User | None) -> None:
    """Refuse, with a ValidationError on `role`, what `grant_role` refuses: as
    `check_may_change_role` says; a deactivated account; a role already held; and, unless `by`
    is a superuser or None, someone not on the school's staff (new staff come in through
    `add_staff`). For the Django admin to check a form before it saves anything."""
    check_may_change_role(user=user, school=school, role=role, by=by, verb="give")
    if role == Role.TRUST_ADMIN and school.trust_id is None:
        raise ValidationError({"role": NO_TRUST.format(school=school)})
    if user.pk is None:
        return
    if not user.is_active:
        raise ValidationError({"role": f"{user} has left: their account is deactivated."})
    held_here = set(user.memberships.filter(school=school).values_list("role", flat=True))
    if by is not None and not by.is_superuser and not held_here:
        raise ValidationError({"role": f"{user} is not on the staff of {school}."})
    if role in held_here:
        raise ValidationError({"role": f"{user} is already {_label(role)} here."})


def check_may_revoke(*, user: User, school: School, role: str, by: User | None) -> None:
    """Refuse, with a ValidationError on `role`, what `revoke_role` refuses: as
    `check_may_change_role` says; a role not held; and, unless `by` is a superuser or None,
    someone's last role at the school: a leaver is deactivated (`deactivate_staff`), so that
    nobody is left able to sign in with no school."""
    check_may_change_role(user=user, school=school, role=role, by=by, verb="remove")
    roles_here = set(user.memberships.filter(school=school).values_list("role", flat=True))
    if role not in roles_here:
        raise ValidationError({"role": f"{user} is not {_label(role)} here."})
    if roles_here == {role} and by is not None and not by.is_superuser:
        raise ValidationError({"role": f"{_label(role)} is {user}'s only role here: {ONLY_ROLE}"})


@transaction.atomic
def grant_role(*, user: User, school: School, role: str, by: User | None) -> Membership:
    """Give `user` the role `role` at `school`; the trust administrator's at every school of
    the school's trust. Refused as `check_may_grant` says. Takes effect at `user`'s next request.
    Returns the membership at `school`.

    Side effects: Membership rows; audit row `staff.role_granted` at each school.
    """
    check_may_grant(user=user, school=school, role=role, by=by)
    held = set(Membership.objects.filter(user=user, role=role).values_list("school_id", flat=True))
    schools = [s for s in _schools_holding(role, school) if s.pk not in held]
    _add_role(user=user, role=role, schools=schools, by=by)
    return Membership.objects.get(user=user, school=school, role=role)


@transaction.atomic
def revoke_role(*, user: User, school: School, role: str, by: User | None) -> int:
    """Take the role `role` at `school` away from `user`; the trust administrator's from every
    school of the trust. Refused as `check_may_revoke` says. Takes effect at `user`'s next
    request. Returns the number of memberships removed.

    Side effects: deletes Membership rows; audit row `staff.role_revoked` at each school.
    """
    check_may_revoke(user=user, school=school, role=role, by=by)
    return _remove_role(user=user, role=role, schools=_schools_releasing(role, school), by=by)


def _lifetime(seconds: int) -> str:
    hours = max(1, seconds // 3600)
    if hours < 48:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours // 24} days"


def _email_invitation(*, user: User, school: School, site: str, by: User) -> None:
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "school": school,
        "by": by,
        "link": urljoin(site, link),
        "reset": urljoin(site, reverse("password_reset")),
        "lifetime": _lifetime(settings.PASSWORD_RESET_TIMEOUT),
        "second_factor": settings.MFA_REQUIRED and must_use_second_factor(user),
    }
    body = render_to_string("registration/staff_invitation_email.txt", context)
    email_staff(to=user, subject=f"Your SENCO caseload account at {school}", body=body)


@transaction.atomic
def add_staff(
    *,
    school: School,
    first_name: str,
    last_name: str,
    username: str,
    email: str,
    role: str,
    site: str,
    by: User,
) -> User:
    """Give a new member of staff an account at `school` holding `role` (as `grant_role` would
    allow `by` to give it), and e-mail them an invitation: a link to choose their password, made
    by Django's password-reset machinery, so it works once and for PASSWORD_RESET_TIMEOUT, and
    after that "Forgotten your password?" sends another (the account starts with a long random
    password nobody knows, not an unusable one, which password reset would skip). `site` is the
    address of this service, such as "https://senco.example.org/", for the link.

    Raises ValidationError keyed by field: a username taken in any letter case (usernames are
    shared by every school of the installation), a missing e-mail address, a role `by` may not give.
    Side effects: a User and its Membership rows; audit rows `staff.added` and
    `staff.role_granted`; the invitation e-mail, queued on commit.
    """
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        current_school=school,
    )
    user.set_password(secrets.token_urlsafe(32))
    errors: dict[str, list] = {}  # every problem at once, each on its field
    try:
        check_may_change_role(user=user, school=school, role=role, by=by, verb="give")
    except ValidationError as exc:
        exc.update_error_dict(errors)
    try:
        user.full_clean()
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if not user.email:
        errors.setdefault("email", []).append("Enter their e-mail address: the invitation is sent there.")
    if User.objects.filter(username__iexact=user.username).exists() and "username" not in errors:
        errors["username"] = ["That username is taken: choose another."]
    if errors:
        raise ValidationError(errors)
    user.save()
    audit.record("staff.added", by=by, obj=user, school=school, summary=str(user))
    _add_role(user=user, role=role, schools=_schools_holding(role, school), by=by)
    _email_invitation(user=user, school=school, site=site, by=by)
    return user


@transaction.atomic
def deactivate_staff(*, user: User, school: School, by: User) -> bool:
    """A leaver: remove every role `user` holds at `school`, each as `revoke_role` would allow
    `by` to, and, once they hold no role at any school, deactivate their account, so that they
    cannot sign in and a session left open ends at its next request. Someone who still works
    at another school keeps their account there. Their name stays on everything they recorded,
    and the audit trail keeps pointing at them. Returns whether the account was deactivated.

    Refused for oneself, and for anyone holding a role here `by` may not remove.
    Side effects: deletes Membership rows; audit rows `staff.role_revoked` and `staff.deactivated`.
    """
    if by.pk == user.pk:
        raise ValidationError("You cannot deactivate your own account: ask a colleague who can.")
    roles = sorted(set(user.memberships.filter(school=school).values_list("role", flat=True)))
    if not roles:
        raise ValidationError(f"{user} holds no role at {school}.")
    for role in roles:
        check_may_change_role(user=user, school=school, role=role, by=by, verb="remove")
    for role in roles:
        _remove_role(user=user, role=role, schools=_schools_releasing(role, school), by=by)
    if user.memberships.exists():
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record("staff.deactivated", by=by, obj=user, school=school, summary=str(user))
    return True


@transaction.atomic
def set_account_active(*, user: User, active: bool, by: User) -> User:
    """Let `user` sign in again, or stop them, leaving their roles as they are: support's switch
    in the Django admin (a school deactivates a leaver with `deactivate_staff`).

    Side effects: saves `is_active`; audit row `staff.reactivated` or `staff.deactivated`.
    """
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        "staff.reactivated" if active else "staff.deactivated",
        by=by,
        obj=user,
        school=user.current_school,
        summary=str(user),
    )
    return user


@transaction.atomic
def align_trust_administrators(*, school: School, by: User | None) -> None:
    """After `school` joins, leaves or changes trust (the Django admin), make its trust
    administrators exactly those of its trust now: the old trust's lose their role here, the
    new trust's gain it. Nobody keeps managing the staff of a school their trust no longer runs.

    Side effects: Membership rows; audit rows `staff.role_granted` and `staff.role_revoked`.
    """
    trust_admins = Membership.objects.filter(role=Role.TRUST_ADMIN)
    here = set(trust_admins.filter(school=school).values_list("user_id", flat=True))
    wanted = (
        set(
            trust_admins.filter(school__trust_id=school.trust_id)
            .exclude(school=school)
            .values_list("user_id", flat=True)
        )
        if school.trust_id is not None
        else set()
    )
    for user in User.objects.filter(pk__in=here - wanted):
        _remove_role(user=user, role=Role.TRUST_ADMIN, schools=[school], by=by)
    for user in User.objects.filter(pk__in=wanted - here):
        _add_role(user=user, role=Role.TRUST_ADMIN, schools=[school], by=by)


# Password reset (issue 12): the same work for every address, limited per address and per client.

PASSWORD_RESET_WINDOW_SECONDS = 3600
# A member of staff rarely needs more than one link an hour; five allows for a mistyped address
# and a slow mailbox.
PASSWORD_RESETS_PER_ADDRESS = 5
# A school's staff often share one public address (why sign-in locks by username, not address):
# twenty an hour lets a staff meeting of forgotten passwords through, and holds anyone trying
# addresses one after another to twenty guesses an hour.
PASSWORD_RESETS_PER_CLIENT = 20


class TooManyResetRequests(Exception):
    """This client address has asked for more password resets than the hour allows."""


def _count_this_hour(key: str) -> int:
    """Add one to the counter `key`, which the cache forgets an hour after its first count."""
    cache.add(key, 0, timeout=PASSWORD_RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls
        cache.set(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS)
        return 1


def request_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """Queue a reset link for `email` without finding out whether an account has it: the task
    `send_password_reset` looks it up, after the request, so the request does the same work, and
    answers the same, for every address.

    Raises TooManyResetRequests when the client's address (from the request context, as the audit
    trail has it) has asked more than PASSWORD_RESETS_PER_CLIENT times this hour. An e-mail address
    asked for more than PASSWORD_RESETS_PER_ADDRESS times this hour is quietly sent nothing more,
    under the same answer, so that limit says nothing about the account either.
    Side effects: counters in the cache; the task, queued on commit.
    """
    context = current_request.get()
    client = context.ip_address if context else None
    if client and _count_this_hour(f"password-reset:client:{client}") > PASSWORD_RESETS_PER_CLIENT:
        raise TooManyResetRequests
    # Hashed: the cache need not hold anybody's address.
    address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    if _count_this_hour(f"password-reset:address:{address}") > PASSWORD_RESETS_PER_ADDRESS:
        return
    enqueue_on_commit(send_password_reset, email=email, domain=domain, use_https=use_https)
