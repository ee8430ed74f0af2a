"""Static publishing (页面静态化): anonymous pages written as HTML files that nginx serves
without reaching Django (deploy/nginx/, docs/deployment.md).

Files mirror addresses: /product/12-x/ is PUBLISHED_DIR/product/12-x/index.html and its English
page /en/product/12-x/ is PUBLISHED_DIR/en/product/12-x/index.html. Pages are rendered through
the whole site (middleware, real views) as an anonymous visitor of the default city, and only
pages the page cache could share are written. Beside each file, .page.json records the scopes
the page shows and their generations, so `refresh_stale` re-renders exactly the pages a purge
retired, and those older than their max age.
"""

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from rongcheng.seo import generations
from rongcheng.seo.client import Visitor
from rongcheng.seo.locations import SECTIONS, fixed_page_urls
from rongcheng.seo.page_cache import HEADER, PagePlan

logger = logging.getLogger(__name__)

PAGE_FILE = "index.html"
META_FILE = ".page.json"


@dataclass(frozen=True)
class PageMeta:
    url: str
    scopes: list[str]
    stamp: list[int]
    rendered_at: float
    max_age: int


@dataclass
class PublishResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # (address, why) for pages that could not be published: an error or a personal page.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def published_dir() -> Path:
    return Path(settings.RONGCHENG["PUBLISHED_DIR"])


def folder_for(url: str) -> Path:
    """The folder of a page's files; refuses addresses that would leave PUBLISHED_DIR."""
    path = urlsplit(url).path
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts) or not path.endswith("/"):
        raise ValueError(f"not a publishable address: {url!r}")
    return published_dir().joinpath(*parts)


def _write_atomically(target: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Publisher:
    """Renders pages and writes them; one per run, reusing its client."""

    def __init__(self) -> None:
        if not settings.RONGCHENG["SITE_URL"]:
            raise ImproperlyConfigured(
                "Published pages carry absolute canonical links: set SITE_URL, "
                "e.g. https://shop.example.com."
            )
        self.visitor = Visitor()
        self.result = PublishResult()

    def publish(self, url: str) -> bool:
        # Rendering activates the page's language: keep the caller's (a purge may run this
        # inside another request).
        with translation.override(translation.get_language()):
            response = self.visitor.get(url)
        plan: PagePlan | None = getattr(response.wsgi_request, "_page_plan", None)
        if response.status_code != 200 or plan is None or not response.get(HEADER):
            reason = f"HTTP {response.status_code}" if response.status_code != 200 else "personal"
            self.result.skipped.append((url, reason))
            self.remove(url)
            return False
        folder = folder_for(url)
        meta = PageMeta(url, list(plan.scopes), list(plan.stamp), time.time(), plan.max_age)
        _write_atomically(folder / PAGE_FILE, response.content)
        _write_atomically(folder / META_FILE, json.dumps(asdict(meta)).encode())
        self.result.written.append(url)
        return True

    def publish_all(self, urls: Iterable[str]) -> PublishResult:
        for url in dict.fromkeys(urls):
            self.publish(url)
        return self.result

    def remove(self, url: str) -> None:
        folder = folder_for(url)
        existed = (folder / PAGE_FILE).exists()
        for name in (PAGE_FILE, META_FILE):
            (folder / name).unlink(missing_ok=True)
        if existed:
            self.result.removed.append(url)


# --- What to publish ------------------------------------------------------------------------


def _in_every_language(locate) -> list[str]:
    urls: list[str] = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls += locate()
    return urls


def page_urls(*, changed_since: datetime | None = None) -> list[str]:
    """Every publishable page in every language, or those of objects changed since a time
    (with the fixed pages, which list such objects)."""

    def locate() -> list[str]:
        urls = fixed_page_urls()
        for section in SECTIONS.values():
            items = section.items()
            if changed_since is not None:
                items = items.filter(updated_at__gte=changed_since)
            urls += [section.location(item) for item in items.iterator(chunk_size=2000)]
        return urls

    return _in_every_language(locate)


def published_pages() -> Iterator[PageMeta]:
    root = published_dir()
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        if META_FILE in files:
            try:
                data = json.loads((Path(folder) / META_FILE).read_text())
                yield PageMeta(**data)
            except (OSError, ValueError, TypeError):
                logger.warning("unreadable published page record in %s", folder)


def stale_pages(pages: list[PageMeta], now: float | None = None) -> list[PageMeta]:
    """Pages whose scopes were purged since they were rendered, or older than their max age."""
    now = time.time() if now is None else now
    scopes = sorted({scope for page in pages for scope in page.scopes})
    current = dict(zip(scopes, generations.current(scopes), strict=True))
    return [
        page
        for page in pages
        if now - page.rendered_at >= page.max_age
        or [current[scope] for scope in page.scopes] != page.stamp
    ]


def refresh_stale() -> PublishResult:
    """Re-render the published pages that are out of date; remove those that are gone."""
    stale = stale_pages(list(published_pages()))
    if not stale:
        return PublishResult()
    return Publisher().publish_all(page.url for page in stale)
