"""Who may use which view. Every view carries exactly one of these declarations.

`allow(*roles)` requires a signed-in user holding one of `roles` at their current school and
answers 403 otherwise. `public` marks the few views open to anyone (sign-in, password reset).
(The health check is answered by `senco.middleware.health_check`, before any view.)
Both set `view.access`, which `tests/senco/test_access.py` checks on every URL pattern.
`may_open(user, url_name)` reads that same declaration, so a menu or a link offers a page to
exactly the users the page lets in.
Which *records* a user may reach is the selectors' job (404 outside their reach).
"""

from collections.abc import Callable
from functools import cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import get_urlconf, resolve, reverse
from django.utils.cache import patch_cache_control

from senco.models import User

PUBLIC = "public"


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
    return user.is_authenticated and _admits(user, access)
