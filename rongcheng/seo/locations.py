"""Where each kind of page lives and what it shows: the one place that names storefront URLs
for sitemaps, the page cache, static publishing and robots.txt.

A page's *scopes* name the data it shows; purge.py bumps a scope's generation when that data
changes, which retires every cached or published copy of the pages that show it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse

from rongcheng.seo import selectors
from rongcheng.seo.slugs import slugify_zh

# Scopes. Every page also depends on SITE, bumped when everything must be rendered anew.
SITE = "site"
CATALOGUE = "catalogue"  # categories, brands and products as a whole (tree, names)
LISTINGS = "listings"  # any list of products: their prices, order and presence
STORES = "stores"  # lists of stores (featured stores, the store sitemap)
CMS = "cms"  # what operations arrange: home areas, ads, home videos, promotion notices
HELP = "help"  # the help center's columns and published articles


def product_scope(product_id: int) -> str:
    return f"product:{product_id}"


def store_scope(store_id: int) -> str:
    return f"store:{store_id}"


@dataclass(frozen=True)
class Section:
    """One sitemap section and the pages it lists (also the pages publish_static writes)."""

    url_name: str
    items: Callable[[], QuerySet]
    kwargs: Callable[[Any], dict[str, Any]]
    changefreq: str
    priority: float

    def location(self, item: Model) -> str:
        return reverse(self.url_name, kwargs=self.kwargs(item))


SECTIONS: dict[str, Section] = {
    "products": Section(
        "storefront:product",
        selectors.sitemap_products,
        lambda product: {"product_id": product.pk},
        changefreq="daily",
        priority=0.8,
    ),
    "categories": Section(
        "storefront:category",
        selectors.sitemap_categories,
        lambda category: {"category_id": category.pk, "slug": slugify_zh(category.name)},
        changefreq="daily",
        priority=0.7,
    ),
    "brands": Section(
        "storefront:brand",
        selectors.sitemap_brands,
        lambda brand: {"brand_id": brand.pk},
        changefreq="weekly",
        priority=0.6,
    ),
    "stores": Section(
        "storefront:store",
        selectors.sitemap_stores,
        lambda store: {"store_id": store.pk},
        changefreq="weekly",
        priority=0.6,
    ),
    "help": Section(
        "storefront:help_article",
        selectors.sitemap_articles,
        lambda article: {"article_id": article.pk},
        changefreq="monthly",
        priority=0.4,
    ),
}

# Pages without an object of their own, listed in the "pages" section; the home page first.
FIXED_PAGES = (
    "storefront:home",
    "storefront:categories",
    "storefront:brands",
    "storefront:sale",
    "storefront:stores",
    "storefront:help",
    "storefront:terms",
    "storefront:privacy",
)
# Query parameters that hold the visitor's own position (a phone sharing it): such a page is
# for one visitor, so it is neither cached nor published.
POSITION_PARAMS = ("lat", "lng")


@dataclass(frozen=True)
class CachedPage:
    """A page anonymous visitors get from the page cache: the scopes it shows, from the URL's
    keyword arguments, how long a copy may be shown without a purge
    (settings.RONGCHENG["PAGE_MAX_AGE"][freshness]), and the query parameters that make it
    one visitor's own."""

    freshness: str
    scopes: Callable[[dict[str, Any]], Iterable[str]] = field(default=lambda kwargs: ())
    personal_params: tuple[str, ...] = ()


CACHED_PAGES: dict[str, CachedPage] = {
    "storefront:home": CachedPage("home", lambda kwargs: (CATALOGUE, LISTINGS, STORES, CMS)),
    "storefront:terms": CachedPage("fixed"),
    "storefront:privacy": CachedPage("fixed"),
    "storefront:categories": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS)),
    # Its side blocks show the category-top ads and the promotion notices.
    "storefront:category": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS, CMS)),
    # Featured brands come and go on a schedule, like the home page's ads.
    "storefront:brands": CachedPage("home", lambda kwargs: (CATALOGUE,)),
    "storefront:brand": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS)),
    "storefront:sale": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS)),
    "storefront:stores": CachedPage(
        "listing", lambda kwargs: (STORES,), personal_params=POSITION_PARAMS
    ),
    "storefront:store": CachedPage(
        "listing", lambda kwargs: (CATALOGUE, LISTINGS, store_scope(kwargs["store_id"]))
    ),
    # Stock receipts and stock-takes purge it (purge_stock); the max age bounds what no
    # purge announces yet.
    "storefront:product": CachedPage(
        "detail",
        lambda kwargs: (CATALOGUE, product_scope(kwargs["product_id"])),
        personal_params=POSITION_PARAMS,
    ),
    "storefront:help": CachedPage("fixed", lambda kwargs: (HELP,)),
    "storefront:help_article": CachedPage("fixed", lambda kwargs: (HELP,)),
    "seo:sitemap_index": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS, STORES, HELP)),
    "seo:sitemap": CachedPage("listing", lambda kwargs: (CATALOGUE, LISTINGS, STORES, HELP)),
    "seo:robots": CachedPage("fixed"),
}

# Pages for one visitor (or none): robots.txt keeps crawlers out of them.
PRIVATE_PAGES = (
    "storefront:member",
    "storefront:login",
    "storefront:logout",
    "storefront:register",
    "storefront:city",
    "storefront:password_forgot",
    "sellercenter:index",
    "set_language",
    "admin:index",
)
PRIVATE_PREFIXES = ("/api/", "/ws/")


def fixed_page_urls() -> list[str]:
    return [reverse(url_name) for url_name in FIXED_PAGES]
