"""Category pages (CAT-1) and the on-sale categories by type and by brand (CAT-2)."""

from django.shortcuts import redirect, render
from django.utils.translation import get_language

from rongcheng.catalog.selectors.brands import brands_with_categories, category_brands
from rongcheng.catalog.selectors.cards import (
    ProductSort,
    hot_sellers,
    new_arrivals,
    special_price_products,
)
from rongcheng.catalog.selectors.categories import category_ids_on_sale
from rongcheng.catalog.selectors.filtering import ProductFilter, product_search
from rongcheng.catalog.tree import CategoryNode
from rongcheng.cms.selectors import category_ads, promotion_notices
from rongcheng.seo.locations import CATALOGUE, CMS, LISTINGS
from rongcheng.seo.slugs import slugify_zh
from rongcheng.storefront import browse
from rongcheng.storefront.browse import (
    breadcrumbs,
    int_param,
    request_tree,
    shared_block,
    shared_markup,
)

SIDE_ITEMS = 6
RANKING = 10
QUERY_MAX = 50


def category(request, category_id: int, slug: str):
    node = request_tree(request).get(category_id)
    if slug != slugify_zh(node.name):
        # One address per category: an outdated or mistyped slug moves permanently.
        target = browse.category_url(node.id, node.name)
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    path = request_tree(request).path(category_id)
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    brand_id = int_param(request, "brand")
    sort = request.GET.get("sort", "")
    filters = ProductFilter(category_id=category_id, brand_id=brand_id, query=query)
    side = shared_block(
        f"category:{category_id}:{get_language()}",
        (CATALOGUE, LISTINGS, CMS),
        lambda: _side_blocks(node, path),
    )
    return render(
        request,
        "catalog/category.html",
        {
            "node": node,
            "crumbs": breadcrumbs(path),
            "query": query,
            "brand_id": brand_id,
            "brand": next((brand for brand in side["brands"] if brand.id == brand_id), None),
            "sort": sort if sort in ProductSort.values else ProductSort.SALES,
            "sorts": ProductSort.choices,
            "goods": product_search(
                filters=filters,
                sort=sort,
                page=request.GET.get("page", 1),
                # The category's list, whole or of one brand, has a maintained count.
                count=None if query else browse.category_count(request, category_id, brand_id),
                tree=request_tree(request),
            ),
            **side,
        },
    )


def _side_blocks(node: CategoryNode, path: list[CategoryNode]) -> dict:
    """What a category page shows whatever the visitor filters, the same for everyone: the
    banner and the side blocks as markup in the active language, and the brands (their links
    keep the visitor's sort and words)."""
    ads = category_ads(category_ids=[item.id for item in path])
    side = {
        "notices": promotion_notices(limit=SIDE_ITEMS),
        "new_items": new_arrivals(category_id=node.id, limit=SIDE_ITEMS),
        "specials": special_price_products(category_id=node.id, limit=SIDE_ITEMS),
        "ranking": hot_sellers(category_id=node.id, limit=RANKING),
    }
    return {
        "ads_markup": shared_markup("catalog/_ads.html", {"ads": ads, "node": node}),
        "side_markup": shared_markup("catalog/_side.html", side),
        "brands": category_brands(category_id=node.id),
    }


def categories(request):
    by_brand = request.GET.get("by") == "brand"
    context = {"by_brand": by_brand}
    if by_brand:
        context["brands"] = brands_with_categories()
    else:
        on_sale = category_ids_on_sale()
        context["roots"] = [node for node in request_tree(request).roots if node.id in on_sale]
        context["on_sale"] = on_sale
    return render(request, "catalog/categories.html", context)
