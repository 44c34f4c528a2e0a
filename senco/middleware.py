import ipaddress
import logging
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from senco.access import PUBLIC, SIGNED_IN, owes_second_factor
from senco.audit import RequestContext, current_request
from senco.tasks import after_response

logger = logging.getLogger(__name__)

# Everything is served from our own origin: no CDN, no inline script or style (R17).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


HEALTH_PATH = "/health/"


def health_check(get_response: Callable) -> Callable:
    """Answer /health/ with "ok" once the database answers, before any other middleware.

    Load balancers and the docker-compose check call the container directly, by its own
    address and over plain HTTP, so this path must skip the Host check (which would answer 400)
    and the HTTPS redirect (301). It reveals nothing, so every other path keeps both.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH:
            return get_response(request)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        response = HttpResponse("ok", content_type="text/plain")
        add_never_cache_headers(response)
        return response

    return middleware


def content_security_policy(get_response: Callable) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    return middleware


# A signed-in session's stored expiry is pushed on when it is at least this old (seconds).
SESSION_REFRESH_SECONDS = 60
# When this process last pushed the session's expiry on: seconds since the epoch.
SESSION_REFRESHED_AT = "_idle_refreshed_at"


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, pushing a session's expiry on at most once a minute.

    A database session ends `SESSION_COOKIE_AGE` (`SESSION_IDLE_MINUTES`) after its row was last
    saved. Saving it on every request (`SESSION_SAVE_EVERY_REQUEST`) cost every page a write and
    a commit; saving it when the last save is a minute old costs one page a minute. So a session
    now ends between one minute short of `SESSION_IDLE_MINUTES` and `SESSION_IDLE_MINUTES` after
    the last request, never later (docs/decisions/sign-in-and-sessions.md). A session changed by
    the request (signing in, a second factor given) is saved anyway, and counts as pushed on.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only a session the request has read: a page that never looks at it (a static file)
        # does not load it to push it on, and an empty one (no one signed in) is never saved.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            age = now - session.get(SESSION_REFRESHED_AT, 0)
            # A time ahead of now (the clock put back) counts as stale too.
            if session.modified or not 0 <= age < SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_AT] = now
        return super().process_response(request, response)


def session_pushed_on_at_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    """Signing in saves the session with a fresh expiry, so it counts as pushed on: the pages
    opened in the next minute do not write it again (`user_logged_in`, connected in apps.py).
    Through the sign-in page the middleware sees the changed session anyway; this covers a
    `login()` outside a request's middleware (the test client's `force_login`), so that query
    counts measured after it are those of every page but one a minute."""
    request.session[SESSION_REFRESHED_AT] = int(time.time())


def _ip_address(hop: str) -> str | None:
    """The address in one X-Forwarded-For hop, or None if it is not one.

    Some proxies append a port (`203.0.113.7:51234`, `[2001:db8::7]:51234`), and anything can
    arrive in a header; the audit trail stores the result in an inet column, which refuses junk.
    """
    candidates = [hop]
    host, colon, port = hop.rpartition(":")
    if colon and port.isdigit():
        candidates.append(host[1:-1] if host.startswith("[") and host.endswith("]") else host)
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _client_ip(request: HttpRequest) -> str | None:
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        # Behind N trusted proxies the client is the Nth address from the right.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and (address := _ip_address(hops[-proxies])):
            return address
    return request.META.get("REMOTE_ADDR") or None


def request_context(get_response: Callable) -> Callable:
    """Make the client address and path available to `senco.audit.record()`."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = current_request.set(RequestContext(ip_address=_client_ip(request), path=request.path))
        try:
            return get_response(request)
        finally:
            current_request.reset(token)

    return middleware


class SecondFactorMiddleware:
    """Send a user who owes a second factor (`senco.access.owes_second_factor`) to give it, from
    every view but the public ones and the second factor's own pages.

    It runs before each view, reading the view's declaration, so that no view can forget it: a
    view without a declaration (the Django admin's) is covered too. A GET keeps its address as
    `next`, so the user lands where they were going.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        if getattr(view_func, "access", None) in (PUBLIC, SIGNED_IN) or not owes_second_factor(request.user):
            return None
        target = reverse("mfa_verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


def _run_each(tasks: list[Callable[[], object]]) -> None:
    for task in tasks:
        try:
            task()
        except Exception:
            # The page has gone; Django would drop the error silently, so it is logged here.
            logger.exception("A task queued by a request failed after the response was sent")


def tasks_after_response(get_response: Callable) -> Callable:
    """Without a broker, or when it cannot be reached, run the tasks a request queued once its
    response has been sent.

    The WSGI server closes the response after writing it to the client (gunicorn, runserver and
    Django's test client alike), and the response runs its closers then. A password reset queues
    its e-mail this way, so the time of its page is the same whether or not the address has an
    account (`senco.tasks.enqueue_on_commit`). With a broker it holds only tasks the broker could
    not take (docs/decisions/faults.md).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        waiting: list[Callable[[], object]] = []
        token = after_response.set(waiting)
        try:
            response = get_response(request)
        finally:
            after_response.reset(token)
        if waiting:
            # Django's own list, through which its file responses close their files. If it ever
            # stopped running on close, test_without_a_broker_the_link_is_sent_only_after_the_page_has_gone
            # (tests/senco/test_auth.py) would fail.
            response._resource_closers.append(partial(_run_each, waiting))
        return response

    return middleware
