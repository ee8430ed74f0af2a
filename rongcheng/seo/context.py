"""`seo` in every Jinja2 template: canonical and alternate addresses, language links and the
JSON-LD builders (jsonld.py) for seo/_head.html and the pages."""

from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from markupsafe import Markup

from rongcheng.catalog.selectors.detail import ProductDetail
from rongcheng.core.dates import local_day
from rongcheng.core.translation import localized
from rongcheng.seo import jsonld
from rongcheng.seo.locale import language_urls, request_localised
from rongcheng.stores.models import Store

# Query parameters that make a different page (pagination); sort orders and filters do not.
CANONICAL_PARAMS = ("page",)
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


def absolute_url(request: HttpRequest, location: str) -> str:
    """The public address of a path: SITE_URL when configured, else the request's host."""
    if location.startswith(("http://", "https://")):
        return location
    site = settings.RONGCHENG["SITE_URL"]
    return site + location if site else request.build_absolute_uri(location)


class Seo:
    def __init__(self, request: HttpRequest):
        self.request = request

    def absolute(self, location: str) -> str:
        return absolute_url(self.request, location)

    @cached_property
    def canonical_path(self) -> str:
        """The path with only the query parameters that make a different page; page 1 is the
        page itself."""
        kept = [
            (name, value)
            for name in CANONICAL_PARAMS
            for value in self.request.GET.getlist(name)[:1]
            if not (name == "page" and value == "1")
        ]
        return self.request.path + (f"?{urlencode(kept)}" if kept else "")

    @cached_property
    def canonical(self) -> str:
        return self.absolute(self.canonical_path)

    @cached_property
    def _path_in_languages(self) -> list[tuple[str, str]]:
        return language_urls(self.request.path, request_localised(self.request))

    def _in_languages(self, path_and_query: str) -> list[tuple[str, str]]:
        """language_urls() of this page with a query string: a query stays the same in every
        language, so the alternates and the language switch share one lookup of the path."""
        query = path_and_query.partition("?")[2]
        return [(code, f"{url}?{query}" if query else url) for code, url in self._path_in_languages]

    @cached_property
    def alternates(self) -> list[tuple[str, str]]:
        """hreflang links: every language's address, and x-default (the Chinese one)."""
        urls = [(code, self.absolute(url)) for code, url in self._in_languages(self.canonical_path)]
        default = dict(urls).get(settings.LANGUAGE_CODE)
        return [*urls, ("x-default", default)] if default else urls

    @cached_property
    def language_links(self) -> list[tuple[str, str, str]]:
        """(language, its name, this page in it) for the language switch: plain links, so the
        switch works without a form or a script and crawlers follow it."""
        full_path = self.request.get_full_path()
        urls = dict(self._in_languages(full_path))
        return [(code, name, urls.get(code, full_path)) for code, name in settings.LANGUAGES]

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(translation.get_language() or "", "zh_CN")

    def organization(self) -> dict[str, Any]:
        return jsonld.organization(self.absolute("/"))

    def jsonld(self, data: dict[str, Any]) -> Markup:
        return jsonld.script(data)

    def breadcrumbs(self, items: Iterable[tuple[str, str]]) -> dict[str, Any]:
        """From (name, path) pairs, e.g. the home page, the category path, the product."""
        return jsonld.breadcrumbs([(name, self.absolute(path)) for name, path in items])

    def product(
        self,
        detail: ProductDetail,
        *,
        in_stock: bool = True,
        rating: tuple[Decimal | float, int] | None = None,
    ) -> dict[str, Any]:
        """The product of a product page (catalog.selectors.detail.product_detail) at this page's
        canonical address; rating is (average of 5, number of reviews) when it has reviews."""
        product = detail.product
        price = detail.price
        valid_until = ""
        if price is not None and price.is_special and price.special_ends_at is not None:
            valid_until = local_day(price.special_ends_at).isoformat()
        return jsonld.product(
            name=localized(product),
            url=self.canonical,
            description=localized(product, "subtitle") or localized(product, "description")[:300],
            images=[self.absolute(image.url) for image in detail.images[:5]],
            brand=localized(product.brand),
            sku=product.style_code,
            prices=[sku.price.amount for sku in detail.skus],
            in_stock=in_stock and bool(detail.skus),
            price_valid_until=valid_until,
            rating=rating,
        )

    def store(self, store: Store) -> dict[str, Any]:
        """A store of a store page (stores.selectors.store_get) at its page's address (without
        the page number of its goods)."""
        return jsonld.store(
            name=localized(store),
            url=self.absolute(self.request.path),
            street=localized(store, "address"),
            city=localized(store.city),
            telephone=store.phone,
            latitude=store.latitude,
            longitude=store.longitude,
            hours=store.opening_hours,
            description=localized(store, "description")[:300],
        )


def seo(request: HttpRequest) -> dict[str, Any]:
    return {"seo": Seo(request)}
