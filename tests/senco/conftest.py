"""Set-up shared by the senco tests: every URL pattern of the project, for the tests that walk
them all (access declarations, the role and other-school matrices, the simple pages)."""

from django.urls import URLPattern, URLResolver, get_resolver


def all_url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Yield (route, pattern, reversible name) for every view, skipping the Django admin."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the Django admin: superusers only, checked by its own site (named exception)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, pattern, f"{namespace}{pattern.name}"
