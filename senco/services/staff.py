"""Writes about staff and their roles: granting and revoking roles, adding staff, deactivating
leavers, and the trust administrator at every school of a trust."""

import secrets
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from senco import audit
from senco.models import Membership, Role, School, User
from senco.permissions import may_grant, must_use_second_factor
from senco.services.schools import email_staff

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
    if by.school is None or by.school.pk != school.pk or not may_grant(by.held_roles, role):
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
