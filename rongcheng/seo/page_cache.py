"""Full-page cache for anonymous visitors (SEO-1, PERF-1).

A page is cached when locations.CACHED_PAGES lists its URL name. The key holds the host, the
path with its query, the language, the visitor's city and the generations of the scopes the
page shows, so purge.py retires a copy by bumping a generation: nothing is searched or deleted.

Members, visitors with messages waiting, addresses with the visitor's own position, and any
response that sets a cookie, uses a CSRF token or varies by cookie are never cached: such a
page belongs to one visitor.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re

from rongcheng.seo import generations
from rongcheng.seo.locations import CACHED_PAGES, SITE, CachedPage

KEY_PREFIX = "seo:page:"
HEADER = "X-Page-Cache"
# Headers a cached copy keeps; the rest (cookies, Vary, dates) belong to one response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag")


@dataclass(frozen=True)
class PagePlan:
    """How the current request's page is cached: its key, scopes and the generations seen."""

    key: str
    scopes: tuple[str, ...]
    stamp: tuple[int, ...]
    max_age: int


def page_entry(request: HttpRequest) -> CachedPage | None:
    match = request.resolver_match
    return CACHED_PAGES.get(match.view_name) if match else None


def page_scopes(request: HttpRequest) -> tuple[str, ...] | None:
    """The scopes of the page this request resolved to, or None when it is not cached."""
    entry = page_entry(request)
    if entry is None:
        return None
    kwargs: dict[str, Any] = request.resolver_match.kwargs  # type: ignore[union-attr]
    return (SITE, *dict.fromkeys(entry.scopes(kwargs)))


def max_age_seconds(freshness: str) -> int:
    return int(settings.RONGCHENG["PAGE_MAX_AGE"][freshness].total_seconds())


def _visitor_may_share(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    return not messages  # len() counts waiting messages without marking them read


def plan(request: HttpRequest) -> PagePlan | None:
    """The cache plan for a request, or None when it must reach the view uncached."""
    entry = page_entry(request)
    scopes = page_scopes(request)
    if entry is None or scopes is None or not _visitor_may_share(request):
        return None
    if any(name in request.GET for name in entry.personal_params):
        return None
    stamp = tuple(generations.current(scopes))
    city = getattr(request, "city", None)
    parts = [
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        city.code if city else "",
        *(f"{scope}={number}" for scope, number in zip(scopes, stamp, strict=True)),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return PagePlan(KEY_PREFIX + digest, scopes, stamp, max_age_seconds(entry.freshness))


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response can be shown to every anonymous visitor of the same key."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))}
    if "cookie" in vary or "*" in vary:
        return False
    # Pages show waiting messages (so a page may have read them); any there makes it personal.
    messages = getattr(request, "_messages", None)
    return not messages


def _freeze(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
    return response.content, headers


def _thaw(frozen: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = frozen
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with generations.kept_for_request():
            response = self.get_response(request)
        page: PagePlan | None = getattr(request, "_page_plan", None)
        if page is None or response.get(HEADER) == "hit":
            return response
        if request.method == "GET" and shareable(request, response):
            cache.set(page.key, _freeze(response), page.max_age)
            response[HEADER] = "miss"
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        page = plan(request)
        if page is None:
            return None
        request._page_plan = page  # type: ignore[attr-defined]
        frozen = cache.get(page.key)
        return _thaw(frozen) if frozen is not None else None
