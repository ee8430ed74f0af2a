"""Product cards and the lists made of them: one query per list, whatever its length."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy

from rongcheng.catalog.calculations import Price, card_price
from rongcheng.catalog.models import Brand, Product, ProductImage, Sku
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryTree
from rongcheng.core.dates import local_day
from rongcheng.core.media_urls import media_url
from rongcheng.core.sql import Statement, fields

MAX_PAGE_SIZE = 100


class ProductSort(models.TextChoices):
    SALES = "sales", gettext_lazy("销量")
    PRICE = "price", gettext_lazy("价格从低到高")
    PRICE_DESC = "-price", gettext_lazy("价格从高到低")
    NEWEST = "newest", gettext_lazy("新品")


ORDERINGS = {
    ProductSort.SALES: ("-sales_count", "-id"),
    ProductSort.PRICE: ("price", "id"),
    ProductSort.PRICE_DESC: ("-price", "-id"),
    ProductSort.NEWEST: ("-launch_date", "-id"),
}


@dataclass(frozen=True)
class ProductCard:
    id: int
    name: str
    name_en: str
    subtitle: str
    subtitle_en: str
    brand_id: int
    brand_name: str
    brand_name_en: str
    thumbnail_url: str
    thumbnail_widths: str  # of its WebP variants (core/image_variants.py)
    price: Price
    sales_count: int
    launch_date: date


def on_sale() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def in_category(
    products: QuerySet[Product], category_id: int | None, tree: CategoryTree | None = None
) -> QuerySet[Product]:
    """The goods of a category and all its subcategories; all of them for no category.
    `tree`: the category tree when the caller has read it already (a page reads it once)."""
    if category_id is None:
        return products
    return products.filter(category_id__in=(tree or category_tree()).subtree_ids(category_id))


def special_in_force(now: datetime) -> QuerySet[Sku]:
    return Sku.objects.filter(
        is_active=True,
        special_price__isnull=False,
        special_starts_at__lte=now,
        special_ends_at__gt=now,
    )


def special_min_price(now: datetime) -> Subquery:
    """The cheapest special price in force of the outer query's product."""
    low = (
        special_in_force(now)
        .filter(product=OuterRef("pk"))
        .values("product")
        .annotate(low=Min("special_price"))
        .values("low")
    )
    return Subquery(low, output_field=models.DecimalField(max_digits=12, decimal_places=2))


def special_only(products: QuerySet[Product], now: datetime) -> QuerySet[Product]:
    return products.filter(id__in=special_in_force(now).values("product_id"))


# A card's picture is its product's first: its thumbnail and the widths of the thumbnail's
# WebP variants come in one lookup, as "<widths>|<name>" (widths are digits and spaces).
THUMBNAIL_SEPARATOR = "|"

CARD_COLUMNS = (
    "id",
    "name",
    "name_en",
    "subtitle",
    "subtitle_en",
    "brand_id",
    "brand_name",
    "brand_name_en",
    "thumbnail",
    "price",
    "special_min",
    "sales_count",
    "launch_date",
)


def with_card_fields(
    products: QuerySet[Product], now: datetime
) -> "QuerySet[Product, dict[str, Any]]":
    """Annotate what a product card shows, so a whole list is one query. Rows come as dicts:
    model instances with deferred fields cost more to build than the rest of the card."""
    thumbnail = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values(
            shown=Concat(
                "thumbnail_widths",
                Value(THUMBNAIL_SEPARATOR),
                "thumbnail",
                output_field=models.CharField(),
            )
        )[:1]
    )
    return products.annotate(
        brand_name=F("brand__name"),
        brand_name_en=F("brand__name_latin"),
        thumbnail=Subquery(thumbnail),
        special_min=special_min_price(now),
    ).values(*CARD_COLUMNS)


def _card(row: dict[str, Any]) -> ProductCard:
    widths, _separator, thumbnail = (row["thumbnail"] or "").partition(THUMBNAIL_SEPARATOR)
    return ProductCard(
        id=row["id"],
        name=row["name"],
        name_en=row["name_en"],
        subtitle=row["subtitle"],
        subtitle_en=row["subtitle_en"],
        brand_id=row["brand_id"],
        brand_name=row["brand_name"],
        brand_name_en=row["brand_name_en"],
        thumbnail_url=media_url(thumbnail),
        thumbnail_widths=widths,
        price=card_price(row["price"], row["special_min"]),
        sales_count=row["sales_count"],
        launch_date=row["launch_date"],
    )


def _sorted(products: QuerySet[Product], sort: str | Sequence[str]) -> QuerySet[Product]:
    """Sort by a ProductSort value, or by explicit fields such as annotated store sales."""
    if not isinstance(sort, str):
        return products.order_by(*sort)
    key = ProductSort(sort) if sort in ProductSort.values else ProductSort.SALES
    return products.order_by(*ORDERINGS[key])


class _CountedPaginator(Paginator):
    """Counts the plain products, not the annotated list: the card fields' join with the
    brands would make the count read every product row instead of an index. Takes the count
    when the caller already knows it (a category's maintained count)."""

    def __init__(self, ordered, per_page: int, *, plain: QuerySet[Product], known: int | None):
        super().__init__(ordered, per_page)
        self._plain, self._known = plain, known

    @cached_property
    def count(self) -> int:
        return self._plain.count() if self._known is None else self._known


def cards_page(
    products: QuerySet[Product],
    *,
    sort: str | Sequence[str] = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    now: datetime | None = None,
    count: int | None = None,
) -> Page:
    """One page of product cards: a count query (none when `count` is given, the number of
    `products` as maintained elsewhere) and a page query.

    The page query picks the page's products by the plain sort columns in a subquery, and
    computes the card fields (the picture, the special price: a subquery each) for those
    alone: SQLite otherwise computes them for every product of the list before sorting it.
    """
    size = min(max(per_page or settings.RONGCHENG["CATALOG_PAGE_SIZE"], 1), MAX_PAGE_SIZE)
    ordered_ids = _sorted(products, sort).values("pk")
    paginator = _CountedPaginator(ordered_ids, size, plain=products, known=count)
    result = paginator.get_page(page)
    on_page = products.filter(pk__in=result.object_list)
    ordered = with_card_fields(_sorted(on_page, sort), now or timezone.now())
    result.object_list = [_card(row) for row in ordered]
    return result


# A category's or a brand's list, by one of the ProductSort orders, is what most first
# visits of the list pages ask for: SQL written once per shape, as building the querysets
# of `cards_page` cost about twice the CPU of running them. The same rows, in the same
# order, as `cards_page(products_filtered(…))` (catalog/tests/test_listing.py).
_CARD_ROW = f"""
    SELECT p.id, p.name, p.name_en, p.subtitle, p.subtitle_en, p.brand_id, b.name, b.name_latin,
           (SELECT i.thumbnail_widths || '{THUMBNAIL_SEPARATOR}' || i.thumbnail
            FROM {ProductImage._meta.db_table} i
            WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1),
           p.price,
           (SELECT MIN(k.special_price) FROM {Sku._meta.db_table} k
            WHERE k.product_id = p.id AND k.is_active AND k.special_price IS NOT NULL
              AND k.special_starts_at <= %s AND k.special_ends_at > %s),
           p.sales_count, p.launch_date
    FROM {Product._meta.db_table} p JOIN {Brand._meta.db_table} b ON b.id = p.brand_id
"""  # noqa: S608
_CARD_ROW_FIELDS = [
    *([None] * 9),
    *fields(Product, "price"),
    *fields(Sku, "special_price"),
    None,
    *fields(Product, "launch_date"),
]


def _order_sql(sort: ProductSort, alias: str) -> str:
    return ", ".join(
        f"{alias}.{name[1:]} DESC" if name.startswith("-") else f"{alias}.{name}"
        for name in ORDERINGS[sort]
    )


def _list_where(alias: str, by_category: bool, by_brand: bool) -> str:
    return (
        f"{alias}.is_active"
        + (f" AND {alias}.category_id IN (%s)" if by_category else "")
        + (f" AND {alias}.brand_id = %s" if by_brand else "")
    )


def _picked_sql(sort: ProductSort, by_category: bool, by_brand: bool) -> str:
    """The ids of the page's products, picked by the sort columns alone.

    A brand within a category is read whole from its own index (product_brand_category_idx,
    a few hundred entries) and sorted: left to choose, PostgreSQL walked the whole
    catalogue's sort index instead, testing some 14,000 rows for a page of a top category,
    whenever the visibility map was behind the table (bench/BENCHMARKS.md)."""
    where = _list_where("q", by_category, by_brand)
    if not (by_category and by_brand):
        return (
            f"SELECT q.id FROM {Product._meta.db_table} q WHERE {where} "  # noqa: S608
            f"ORDER BY {_order_sql(sort, 'q')} LIMIT %s OFFSET %s"
        )
    columns = ", ".join(f"q.{name.lstrip('-')}" for name in ORDERINGS[sort])
    return (
        f"WITH brand_goods AS MATERIALIZED (SELECT {columns} "  # noqa: S608
        f"FROM {Product._meta.db_table} q WHERE {where}) SELECT brand_goods.id FROM brand_goods "
        f"ORDER BY {_order_sql(sort, 'brand_goods')} LIMIT %s OFFSET %s"
    )


@lru_cache(maxsize=16)
def _list_page_statement(sort: ProductSort, by_category: bool, by_brand: bool) -> Statement:
    """The page's products picked by the sort columns alone, their card fields for those."""
    return Statement(
        f"""{_CARD_ROW}
        WHERE p.id IN ({_picked_sql(sort, by_category, by_brand)})
        ORDER BY {_order_sql(sort, "p")}
        """,
        _CARD_ROW_FIELDS,
    )


@lru_cache(maxsize=4)
def _list_count_statement(by_category: bool, by_brand: bool) -> Statement:
    return Statement(
        f"SELECT COUNT(*) FROM {Product._meta.db_table} p "  # noqa: S608
        f"WHERE {_list_where('p', by_category, by_brand)}"
    )


def list_page(
    *,
    category_ids: Sequence[int] | None,
    brand_id: int | None = None,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    now: datetime | None = None,
    count: int | None = None,
) -> Page:
    """One page of cards of the goods on sale in `category_ids` (None: every category) and
    of `brand_id` when given, as `cards_page` pages them: a count (none when `count` is
    given) and the page."""
    key = ProductSort(sort) if sort in ProductSort.values else ProductSort.SALES
    by_category, by_brand = category_ids is not None, brand_id is not None
    where = [
        *([list(category_ids)] if category_ids is not None else []),
        *([brand_id] if by_brand else []),
    ]
    if count is None:
        count = _list_count_statement(by_category, by_brand).rows(where)[0][0]
    size = min(max(per_page or settings.RONGCHENG["CATALOG_PAGE_SIZE"], 1), MAX_PAGE_SIZE)
    paginator = Paginator(range(count), size)
    number = paginator.get_page(page).number
    now = now or timezone.now()
    rows = _list_page_statement(key, by_category, by_brand).rows(
        [now, now, *where, size, (number - 1) * size]
    )
    return Page(
        [_card(dict(zip(CARD_COLUMNS, row, strict=True))) for row in rows], number, paginator
    )


def cards(
    products: QuerySet[Product],
    *,
    sort: str | Sequence[str] = ProductSort.SALES,
    limit: int = 10,
    now: datetime | None = None,
) -> list[ProductCard]:
    ordered = with_card_fields(_sorted(products, sort), now or timezone.now())
    return [_card(row) for row in ordered[:limit]]


def category_products(
    *,
    category_id: int,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    brand_id: int | None = None,
) -> Page:
    """Goods of a category and all its subcategories (CAT-1)."""
    products = in_category(on_sale(), category_id)
    if brand_id is not None:
        products = products.filter(brand_id=brand_id)
    return cards_page(products, sort=sort, page=page, per_page=per_page)


def brand_products(
    *,
    brand_id: int,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
) -> Page:
    """A brand's goods page (BRAND-1: a brand opens its goods)."""
    return cards_page(on_sale().filter(brand_id=brand_id), sort=sort, page=page, per_page=per_page)


def new_arrivals(
    *, category_id: int | None = None, limit: int = 10, today: date | None = None
) -> list[ProductCard]:
    """Goods launched within the new-arrival period, newest first."""
    since = (today or local_day()) - settings.RONGCHENG["NEW_ARRIVAL_PERIOD"]
    products = in_category(on_sale(), category_id).filter(launch_date__gte=since)
    return cards(products, sort=ProductSort.NEWEST, limit=limit)


def hot_sellers(*, category_id: int | None = None, limit: int = 10) -> list[ProductCard]:
    """The sales ranking (HOME-1 hot-selling products, CAT-1 hot sellers)."""
    return cards(in_category(on_sale(), category_id), sort=ProductSort.SALES, limit=limit)


def special_price_products(
    *, category_id: int | None = None, limit: int = 10, now: datetime | None = None
) -> list[ProductCard]:
    """Goods with a special price in force now (CAT-1 block, HOME-1 special-sale area)."""
    now = now or timezone.now()
    products = special_only(in_category(on_sale(), category_id), now)
    return cards(products, sort=ProductSort.SALES, limit=limit, now=now)


def special_sale(
    *,
    audience: str | None = None,
    category_id: int | None = None,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    now: datetime | None = None,
) -> Page:
    """The special-sale page (SALE-1), filtered by audience code and category."""
    now = now or timezone.now()
    products = special_only(in_category(on_sale(), category_id), now)
    if audience:
        products = products.filter(audience__code=audience)
    return cards_page(products, sort=sort, page=page, per_page=per_page, now=now)


# Search results and the home page's pinned goods: SQL written once, as building the
# queryset cost more CPU than running it.
_BY_IDS = Statement(f"{_CARD_ROW} WHERE p.is_active AND p.id IN (%s)", _CARD_ROW_FIELDS)


def products_by_ids(*, ids: Sequence[int], now: datetime | None = None) -> list[ProductCard]:
    """Cards for chosen products, in the order given; inactive ones are left out."""
    now = now or timezone.now()
    rows = _BY_IDS.rows([now, now, list(ids)])
    found = {row[0]: _card(dict(zip(CARD_COLUMNS, row, strict=True))) for row in rows}
    return [found[pk] for pk in ids if pk in found]
