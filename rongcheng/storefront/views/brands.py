"""The brand hall (BRAND-1): featured brands on top, the rest below; a brand's goods page."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from rongcheng.catalog.selectors.brands import audiences, brand_categories, brand_get, brand_hall
from rongcheng.catalog.selectors.cards import ProductSort
from rongcheng.catalog.selectors.filtering import ProductFilter, product_search
from rongcheng.core.errors import NotFound
from rongcheng.storefront.browse import int_param


def hall(request):
    groups = audiences()
    audience = request.GET.get("audience", "")
    if audience not in {group.code for group in groups}:
        audience = ""
    return render(
        request,
        "brands/hall.html",
        {"hall": brand_hall(audience=audience), "audiences": groups, "audience": audience},
    )


def brand(request, brand_id: int):
    found = brand_get(brand_id=brand_id)
    if found is None:
        raise NotFound(_("品牌不存在或已停用。"), code="brand_not_found")
    categories = brand_categories(brand_id=found.id)
    category_id = int_param(request, "category")
    if category_id not in {node.id for node in categories}:
        category_id = None
    sort = request.GET.get("sort", "")
    goods = product_search(
        filters=ProductFilter(category_id=category_id, brand_id=found.id),
        sort=sort,
        page=request.GET.get("page", 1),
    )
    return render(
        request,
        "brands/brand.html",
        {
            "brand": found,
            "categories": categories,
            "category_id": category_id,
            "goods": goods,
            "sort": sort if sort in ProductSort.values else ProductSort.SALES,
            "sorts": ProductSort.choices,
        },
    )
