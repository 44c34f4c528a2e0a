"""Who may use which view. Every view carries exactly one of these declarations.

`allow(*roles)` requires a signed-in user holding one of `roles` at their current school and
answers 403 otherwise. `public` marks the few views open to anyone (sign-in, password reset).
(The health check is answered by `senco.middleware.health_check`, before any view.)
Both set `view.access`, which `tests/senco/test_access.py` checks on every URL pattern.
Which *records* a user may reach is the selectors' job (404 outside their reach).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.cache import patch_cache_control

PUBLIC = "public"


def allow(*roles: str) -> Callable:
    if not roles:
        raise ValueError("allow() needs at least one role")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.school is None or not user.has_role(*roles):
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
