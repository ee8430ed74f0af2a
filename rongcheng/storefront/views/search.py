"""The search page (SRCH-1, SRCH-2): quick and advanced search in one crawlable page."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from rongcheng.search.filters import SearchFilters, SearchSort
from rongcheng.search.models import DocType
from rongcheng.search.selectors import advanced_search, brand_choices, category_choices


def search_url(filters: SearchFilters, page: int = 1) -> str:
    """The one URL of a combination of keywords, filters, sort and page."""
    params = filters.params(page)
    base = reverse("storefront:search")
    return f"{base}?{urlencode(params)}" if params else base


def _page_link(name: str):
    """Links to product, store and article pages, when the site has them."""

    def link(object_id: int) -> str:
        try:
            return reverse(name, args=[object_id])
        except NoReverseMatch:
            return ""

    return link


def search(request):
    filters = SearchFilters.from_params(request.GET)
    city = request.city
    results = advanced_search(
        filters=filters,
        page=request.GET.get("page", 1),
        city_code=city.code if city else None,
    )
    advanced = any(
        [filters.name, filters.brand_id, filters.price_min, filters.price_max, filters.attributes]
    )
    return render(
        request,
        "search/results.html",
        {
            "results": results,
            "filters": filters,
            "search_url": search_url,
            "product_url": _page_link("storefront:product"),
            "store_url": _page_link("storefront:store"),
            "article_url": _page_link("storefront:help_article"),
            "sorts": SearchSort.choices,
            "doc_types": DocType.choices,
            "brands": brand_choices(),
            "categories": category_choices(),
            "advanced_open": advanced,
        },
    )
