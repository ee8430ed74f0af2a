"""The Content-Security-Policy of every page (django-csp), widened only where a vendor needs it.

Shopper pages are cached whole and published as files for nginx, so they cannot carry a
per-request nonce: they load every script and style from the platform's own static files and
have no inline script, style element or style attribute. `settings.CSP_PATH_ADDITIONS` adds
sources for pages under a path whose third-party code needs them (the back office's Alpine.js
evaluates its attribute expressions; Swagger UI sets style attributes), and nowhere else.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def path_additions(path: str) -> dict[str, list[str]] | None:
    """The sources added to the site's policy for pages under this path, if any."""
    for prefix, additions in settings.CSP_PATH_ADDITIONS.items():
        if path.startswith(prefix):
            return additions
    return None


class PathPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the additions of the request's path."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None:
            parts.update = path_additions(request.path_info)
        return parts
