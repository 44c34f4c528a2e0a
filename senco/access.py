"""Who may use which view, and how a view opens a record. Every view carries exactly one of
the declarations.

`allow(*roles)` requires a signed-in user holding one of `roles` at their current school and
answers 403 otherwise. The view then sees the user acting in those roles only
(`User.acting_as`): every selector it calls derives the user's reach from the roles that let
them in, so a role that opens the page never lends its reach to another (a school administrator
who is also a TA reads plans as the TA). `public` marks the few views open to anyone (sign-in,
password reset). `signed_in` marks the second factor's own pages (set up, verify, recovery
codes): any signed-in user, with or without a role, may open them before giving a second
factor. (The health check is answered by `senco.middleware.health_check`, before any view.)
All three set `view.access`, which `tests/senco/test_access.py` checks on every URL pattern.
`senco.middleware.SecondFactorMiddleware` sends a user who owes a second factor
(`owes_second_factor`) from every other view, whatever it declares, to give it.
`may_open(user, url_name)` reads that same declaration against every role the user holds, so a
menu or a link offers a page to exactly the users the page lets in.

`open_record(request, records, read=..., pk=...)` is how a view fetches a record about a pupil:
the record, from a selector's queryset scoped by the user (404 outside their reach, R5), and the
audited read (R3). The row is written once the view has answered with the record on screen or in
a file; a POST that ends in a redirect leaves the account to its service's own row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import get_urlconf, resolve, reverse
from django.utils.cache import patch_cache_control

from senco import audit
from senco.models import User
from senco.permissions import must_use_second_factor

PUBLIC = "public"
M = TypeVar("M", bound=models.Model)
SIGNED_IN = "signed in"


def _admits(user: User, roles: frozenset[str]) -> bool:
    return user.school is not None and not user.held_roles.isdisjoint(roles)


def allow(*roles: str) -> Callable:
    if not roles:
        raise ValueError("allow() needs at least one role")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _admits(user, wrapped.access):
                raise PermissionDenied
            request.user = user.acting_as(wrapped.access)
            request.reads = []
            response = view(request, *args, **kwargs)
            if not 300 <= response.status_code < 400:
                _record_reads(request)
            # Signed-in pages hold pupils' data: on a shared staffroom PC, Back after signing
            # out must not bring them up from the browser's cache.
            patch_cache_control(response, private=True, no_store=True)
            return response

        wrapped.access = frozenset(roles)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    view.access = PUBLIC
    return view


def signed_in(view: Callable) -> Callable:
    """Any signed-in user: only for the pages that take the second factor, which users without a
    role at a school (a superuser) must reach too. Never for a page that shows pupils' data."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        # The set-up page shows the secret and the next one the recovery codes.
        patch_cache_control(response, private=True, no_store=True)
        return response

    wrapped.access = SIGNED_IN
    return wrapped


def owes_second_factor(user: User) -> bool:
    """Whether `user` has signed in with their password but not yet given the second factor
    they must give (`MFA_REQUIRED`; `senco.permissions.must_use_second_factor`). `is_verified`
    comes from django-otp's middleware."""
    return (
        settings.MFA_REQUIRED
        and user.is_authenticated
        and must_use_second_factor(user)
        and not user.is_verified()
    )


@cache
def _view_named(url_name: str, urlconf: str | None) -> Callable:
    # Resolving a name walks the URL patterns: once per name is enough. The view itself is kept,
    # not its roles, so the answer is always the view's current `access`.
    return resolve(reverse(url_name, urlconf=urlconf), urlconf=urlconf).func


def may_open(user: User, url_name: str) -> bool:
    """Whether `user` may open the page named `url_name` (a name without URL parameters), by the
    view's own declaration. The core names pages as strings, so it imports nothing from the apps."""
    access = _view_named(url_name, get_urlconf()).access
    if access == PUBLIC:
        return True
    if access == SIGNED_IN:
        return user.is_authenticated
    return user.is_authenticated and _admits(user, access)


@dataclass(frozen=True)
class _Read:
    action: str
    record: models.Model
    summary: str | Callable[[models.Model], str]
    pupils: Callable[[models.Model], Iterable[models.Model]] | None


def open_record(
    request,
    records: models.QuerySet[M],
    *,
    read: str,
    summary: str | Callable[[M], str] = "",
    pupils: Callable[[M], Iterable[models.Model]] | None = None,
    **lookup,
) -> M:
    """The one record of `records` matching `lookup`, or 404; and its read, audited as `read`.

    `records` comes from a selector scoped by `request.user`, so a record outside their reach is
    a 404 (R5). The audit row names the record and its pupil (the record itself, or its
    `pupil`); for a record about several pupils (a provision group, a session), `pupils(record)`
    gives those the page shows, one row each (one row naming the record alone when there are
    none). The rows are written when the view answers with anything but a redirect: a page or
    file showing the record, or a form shown again with it. `summary` (or `summary(record)`)
    names what was read (a version), never what it says.
    """
    record = get_object_or_404(records, **lookup)
    reads = getattr(request, "reads", None)
    if reads is None:
        raise ImproperlyConfigured("open_record() is for views declared with allow().")
    reads.append(_Read(read, record, summary, pupils))
    return record


def _record_reads(request) -> None:
    for read in request.reads:
        summary = read.summary(read.record) if callable(read.summary) else read.summary
        pupils = list(read.pupils(read.record)) if read.pupils else []
        if pupils:
            audit.record_each(read.action, by=request.user, obj=read.record, pupils=pupils, summary=summary)
        else:  # the record's own pupil, if any; a group with nobody in it still says who opened it
            audit.record(read.action, by=request.user, obj=read.record, summary=summary)
