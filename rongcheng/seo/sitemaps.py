"""Sitemaps: an index at /sitemap.xml and one sitemap per kind of page, each in every
language with hreflang alternates, split into files of at most 50,000 addresses."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from rongcheng.seo.locations import FIXED_PAGES, SECTIONS, Section

LIMIT = 50_000


class LocalisedSitemap(Sitemap):
    limit = LIMIT
    i18n = True
    alternates = True
    x_default = True

    def __init__(self) -> None:
        site = urlsplit(settings.RONGCHENG["SITE_URL"])
        # Addresses in the files are the shop's public ones when SITE_URL says what they are.
        self.protocol = site.scheme or None
        self.site_domain = site.netloc

    def get_domain(self, site=None):
        return self.site_domain or super().get_domain(site)


class FixedPagesSitemap(LocalisedSitemap):
    changefreq = "daily"

    def items(self):
        return list(FIXED_PAGES)

    def location(self, item: str) -> str:
        return reverse(item)

    def priority(self, item: str) -> float:
        return 1.0 if item == FIXED_PAGES[0] else 0.3


class SectionSitemap(LocalisedSitemap):
    def __init__(self, section: Section) -> None:
        super().__init__()
        self.section = section
        self.changefreq = section.changefreq
        self.priority = section.priority

    def items(self):
        return self.section.items()

    def location(self, item) -> str:
        return self.section.location(item)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.section.items().aggregate(latest=Max("updated_at"))["latest"]


def sitemaps() -> dict[str, Sitemap]:
    return {
        "pages": FixedPagesSitemap(),
        **{name: SectionSitemap(section) for name, section in SECTIONS.items()},
    }
