"""Who may use which view. Every view carries exactly one of these declarations.

`allow(*roles)` requires a signed-in user holding one of `roles` at their current school and
answers 403 otherwise. `public` marks the few views open to anyone (sign-in, password reset).
`signed_in` marks the second factor's own pages (set up, verify, recovery codes): any signed-in
user, with or without a role, may open them before giving a second factor.
(The health check is answered by `senco.middleware.health_check`, before any view.)
All three set `view.access`, which `tests/senco/test_access.py` checks on every URL pattern.
`senco.middleware.SecondFactorMiddleware` sends a user who owes a second factor
(`owes_second_factor`) from every other view, whatever it declares, to give it.
`may_open(user, url_name)` reads that same declaration, so a menu or a link offers a page to
exactly the users the page lets in.
Which *records* a user may reach is the selectors' job (404 outside their reach).
"""

from collections.abc import Callable
from functools import cache, wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import get_urlconf, resolve, reverse
from django.utils.cache import patch_cache_control

from senco.models import User
from senco.permissions import must_use_second_factor

PUBLIC = "public"
SIGNED_IN = "signed in"


def _admits(user: User, roles: frozenset[str]) -> bool:
    return user.school is not None and user.has_role(*roles)


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
            response = view(request, *args, **kwargs)
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
