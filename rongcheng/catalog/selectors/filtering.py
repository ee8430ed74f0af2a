"""Goods narrowed by what shoppers choose: category, brand, audience, price, words (category
and brand pages, the API)."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from rongcheng.catalog.models import Product
from rongcheng.catalog.selectors.cards import (
    ProductSort,
    cards_page,
    in_category,
    list_page,
    on_sale,
    special_min_price,
    special_only,
)
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryTree


@dataclass(frozen=True)
class ProductFilter:
    """What shoppers narrow a list by (category pages, brand pages, the API)."""

    category_id: int | None = None
    brand_id: int | None = None
    audience: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    special_only: bool = False
    query: str = ""


def products_filtered(
    products: QuerySet[Product] | None = None,
    *,
    filters: ProductFilter,
    now: datetime | None = None,
    tree: CategoryTree | None = None,
) -> QuerySet[Product]:
    """On-sale goods (or the given ones) narrowed by `filters`.

    Every word of `query` must appear in the name. The price range applies to the price a
    buyer pays now, the one the card shows: the lower of the national price and the
    cheapest special price in force.
    """
    now = now or timezone.now()
    products = in_category(on_sale() if products is None else products, filters.category_id, tree)
    if filters.brand_id is not None:
        products = products.filter(brand_id=filters.brand_id)
    if filters.audience:
        products = products.filter(audience__code=filters.audience)
    for word in filters.query.split():
        products = products.filter(name__icontains=word)
    if filters.special_only:
        products = special_only(products, now)
    if filters.min_price is not None or filters.max_price is not None:
        special_min = Coalesce(special_min_price(now), F("price"))
        products = products.alias(current_price=Least(F("price"), special_min))
        if filters.min_price is not None:
            products = products.filter(current_price__gte=filters.min_price)
        if filters.max_price is not None:
            products = products.filter(current_price__lte=filters.max_price)
    return products


def product_search(
    *,
    filters: ProductFilter,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    now: datetime | None = None,
    count: int | None = None,
    tree: CategoryTree | None = None,
) -> Page:
    """One page of cards of the goods matching `filters`; `count`, when known, is their
    number (cards_page); `tree`, the category tree the page has read already."""
    now = now or timezone.now()
    narrowed = replace(filters, category_id=None, brand_id=None, query=filters.query.strip())
    if narrowed == ProductFilter():
        # A category's or a brand's whole list, the most asked: its SQL is written once.
        ids = (
            None
            if filters.category_id is None
            else (tree or category_tree()).subtree_ids(filters.category_id)
        )
        return list_page(
            category_ids=ids,
            brand_id=filters.brand_id,
            sort=sort,
            page=page,
            per_page=per_page,
            now=now,
            count=count,
        )
    return cards_page(
        products_filtered(filters=filters, now=now, tree=tree),
        sort=sort,
        page=page,
        per_page=per_page,
        now=now,
        count=count,
    )
