"""Writes at sign-in: the second factor (an authenticator app and recovery codes, and resetting
a lost device) and password reset requests."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco import audit
from senco.audit import current_request
from senco.models import User
from senco.tasks import enqueue_on_commit, send_password_reset

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
