"""The evaluation tool (评估工具): crawl the site as a search engine would and report what
stands in the way of indexing. Requests run in-process against the live URL configuration.

Starting from the home page and every address of the sitemap, it follows the links of each
page robots.txt allows and checks every internal link it meets, except those marked
rel="nofollow" (sort orders, filters, the city switch), which search engines leave alone
too. It reports pages without a title or description, titles used by several pages, links
that answer an error, indexable pages missing from the sitemap and sitemap addresses that do
not answer 200.
"""

import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from django.urls import reverse

from rongcheng.seo.client import Visitor

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def rel_of(attributes: dict[str, str]) -> list[str]:
    return attributes.get("rel", "").lower().split()


class PageParser(HTMLParser):
    """Title, meta description and robots, canonical link and the links of a page that are
    not marked rel="nofollow"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.description: str | None = None
        self.robots = ""
        self.canonical = ""
        self.alternates: list[str] = []
        self.links: list[str] = []
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "title" and self.title is None:
            self._in_title = True
        elif tag == "meta":
            name = values.get("name", "").lower()
            if name == "description":
                self.description = values.get("content", "").strip()
            elif name == "robots":
                self.robots = values.get("content", "").lower()
        elif tag == "link":
            rel = rel_of(values)
            if "canonical" in rel:
                self.canonical = values.get("href", "")
            elif "alternate" in rel and values.get("hreflang") and values.get("href"):
                self.alternates.append(values["href"])
        elif tag == "a" and values.get("href") and "nofollow" not in rel_of(values):
            self.links.append(values["href"])

    def handle_data(self, data):
        if self._in_title:
            self._title_parts.append(data)

    def handle_endtag(self, tag):
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = "".join(self._title_parts).strip()


@dataclass
class Page:
    path: str
    status: int
    title: str | None = None
    description: str | None = None
    canonical: str = ""
    noindex: bool = False
    # The same page in the other languages (hreflang); they may share a title.
    alternates: frozenset[str] = frozenset()
    is_html: bool = False
    blocked: bool = False  # by robots.txt: its status is checked, its content is not

    @property
    def identity(self) -> str:
        """What makes one page: its language versions, else its canonical address; so its
        sort orders and filters, which name the same canonical page, count as that page."""
        if self.alternates:
            return min(self.alternates)
        canonical = urlsplit(self.canonical)
        if canonical.path:
            return canonical.path + (f"?{canonical.query}" if canonical.query else "")
        return self.path


@dataclass
class Report:
    sitemap_urls: list[str] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)
    # (page, link) of every internal link, in the order met.
    links: list[tuple[str, str]] = field(default_factory=list)
    sitemap_errors: list[str] = field(default_factory=list)
    truncated: bool = False

    def _html_pages(self) -> list[Page]:
        return [
            page
            for page in self.pages.values()
            if page.status == 200 and page.is_html and not page.blocked
        ]

    @property
    def missing_titles(self) -> list[str]:
        return [page.path for page in self._html_pages() if not page.title]

    @property
    def missing_descriptions(self) -> list[str]:
        return [page.path for page in self._html_pages() if not page.description]

    @property
    def duplicate_titles(self) -> dict[str, list[str]]:
        """Titles of several different pages; language versions of one page do not count."""
        by_title: dict[str, list[Page]] = {}
        for page in self._html_pages():
            if page.title and not page.noindex:
                by_title.setdefault(page.title, []).append(page)
        return {
            title: [page.path for page in pages]
            for title, pages in by_title.items()
            if len({page.identity for page in pages}) > 1
        }

    @property
    def broken_links(self) -> list[tuple[str, str, int]]:
        """(page, link, status) of internal links that answer an error."""
        return [
            (source, target, self.pages[target].status)
            for source, target in dict.fromkeys(self.links)
            if target in self.pages and self.pages[target].status >= 400
        ]

    @property
    def not_in_sitemap(self) -> list[str]:
        """Indexable pages (no query, not noindex, canonical to themselves) the sitemap lacks."""
        listed = {urlsplit(url).path for url in self.sitemap_urls}
        return [
            page.path
            for page in self._html_pages()
            if "?" not in page.path
            and not page.noindex
            and urlsplit(page.canonical).path in ("", page.path)
            and page.path not in listed
        ]

    @property
    def problems(self) -> int:
        return (
            len(self.missing_titles)
            + len(self.missing_descriptions)
            + len(self.duplicate_titles)
            + len(self.broken_links)
            + len(self.not_in_sitemap)
            + len(self.sitemap_errors)
        )


class Crawler:
    def __init__(self, *, max_pages: int) -> None:
        self.visitor = Visitor()
        self.max_pages = max_pages
        self.report = Report()
        self.robots = RobotFileParser()
        self.robots.parse(self.visitor.get(reverse("seo:robots")).content.decode().splitlines())
        self.queue: deque[str] = deque()

    def internal_path(self, base: str, href: str) -> str | None:
        """The path and query of a link when it stays on this site, else None."""
        url = urlsplit(urljoin(base, href.strip()))
        if url.scheme not in ("http", "https") or url.netloc != self.visitor.host:
            return None
        return url.path + (f"?{url.query}" if url.query else "")

    def absolute(self, path: str) -> str:
        return f"{'https' if self.visitor.secure else 'http'}://{self.visitor.host}{path}"

    def read_sitemaps(self) -> None:
        pending = [reverse("seo:sitemap_index")]
        seen: set[str] = set()
        while pending:
            path = pending.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = self.visitor.get(path)
            if response.status_code != 200:
                self.report.sitemap_errors.append(f"{path} (HTTP {response.status_code})")
                continue
            root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
            for loc in root.iter(f"{SITEMAP_NS}loc"):
                text = (loc.text or "").strip()
                if root.tag == f"{SITEMAP_NS}sitemapindex":
                    if (inner := self.internal_path(self.absolute(path), text)) is not None:
                        pending.append(inner)
                else:
                    self.report.sitemap_urls.append(text)

    def visit(self, path: str, *, follow: bool) -> Page:
        response = self.visitor.get(path)
        page = Page(path=path, status=response.status_code)
        self.report.pages[path] = page
        page.blocked = not follow
        if response.status_code in (301, 302, 303, 307, 308):
            target = self.internal_path(self.absolute(path), response["Location"])
            if target is not None and follow:
                self.queue.append(target)
            return page
        page.is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not page.is_html or not follow:
            return page
        parser = PageParser()
        parser.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
        page.title, page.description = parser.title, parser.description
        page.canonical, page.noindex = parser.canonical, "noindex" in parser.robots
        page.alternates = frozenset(
            target
            for href in parser.alternates
            if (target := self.internal_path(self.absolute(path), href)) is not None
        )
        for href in parser.links:
            target = self.internal_path(self.absolute(path), href)
            if target is not None:
                self.report.links.append((path, target))
                self.queue.append(target)
        return page

    def run(self) -> Report:
        self.read_sitemaps()
        self.queue.append(reverse("storefront:home"))
        self.queue.extend(
            path
            for url in self.report.sitemap_urls
            if (path := self.internal_path(url, url)) is not None
        )
        while self.queue:
            path = self.queue.popleft()
            if path in self.report.pages:
                continue
            if len(self.report.pages) >= self.max_pages:
                self.report.truncated = True
                break
            # Pages robots.txt closes are checked (a link to them must work) but not followed.
            self.visit(path, follow=self.robots.can_fetch("*", self.absolute(path)))
        listed = {urlsplit(url).path for url in self.report.sitemap_urls}
        for path in listed:
            page = self.report.pages.get(path)
            if page is not None and page.status != 200:
                self.report.sitemap_errors.append(f"{path} (HTTP {page.status})")
        return self.report
