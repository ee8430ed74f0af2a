"""The special sale (SALE-1): goods on special price now, by audience and by category."""

from django.shortcuts import render

from rongcheng.catalog.selectors.brands import audiences
from rongcheng.catalog.selectors.cards import ProductSort, special_sale
from rongcheng.storefront.browse import int_param, request_tree


def special_sale_page(request):
    groups = audiences()
    audience = request.GET.get("audience", "")
    if audience not in {group.code for group in groups}:
        audience = ""
    tree = request_tree(request)
    category_id = int_param(request, "category")
    if category_id not in tree.nodes:
        category_id = None
    path = tree.path(category_id) if category_id else []
    sort = request.GET.get("sort", "")
    goods = special_sale(
        audience=audience or None,
        category_id=category_id,
        sort=sort,
        page=request.GET.get("page", 1),
    )
    return render(
        request,
        "sale/index.html",
        {
            "goods": goods,
            "audiences": groups,
            "audience": audience,
            "categories": tree.roots,
            "subcategories": path[0].children if path else [],
            "path_ids": {node.id for node in path},
            "sort": sort if sort in ProductSort.values else ProductSort.SALES,
            "sorts": ProductSort.choices,
        },
    )
