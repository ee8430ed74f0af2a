"""Reads of the catalogue for the storefront and the API.

Every selector issues a fixed number of queries, whatever the size of the catalogue: lists
annotate what a card needs (brand, thumbnail, special price in force) in one query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Exists, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongcheng.catalog.calculations import Price, card_price, lowest_price, sku_price
from rongcheng.catalog.errors import CategoryNotFound, ProductNotFound
from rongcheng.catalog.fetch import sku_pricing
from rongcheng.catalog.models import (
    Attribute,
    Audience,
    Brand,
    BrandFeature,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.tree import CategoryNode, CategoryTree

CATEGORY_TREE_CACHE_KEY = "catalog:category-rows:v1"
MAX_PAGE_SIZE = 100


# --- Category tree --------------------------------------------------------------------------


def category_tree() -> CategoryTree:
    """The active categories as a tree, from the cache (one query when it is cold)."""
    rows = cache.get(CATEGORY_TREE_CACHE_KEY)
    if rows is None:
        rows = list(
            Category.objects.filter(is_active=True)
            .order_by("position", "id")
            .values_list("id", "name", "parent_id", "is_recommended", "product_type_id")
        )
        ttl = settings.RONGCHENG["CATEGORY_TREE_CACHE_TTL"].total_seconds()
        cache.set(CATEGORY_TREE_CACHE_KEY, rows, int(ttl))
    return CategoryTree.build(rows)


def category_key_attributes(*, category_id: int) -> list[Attribute]:
    """The key attributes of a category's product type, with their options (SRCH-2)."""
    type_id = category_tree().product_type_id(category_id)
    if type_id is None:
        return []
    return list(
        Attribute.objects.filter(product_type_id=type_id, is_key=True).prefetch_related("options")
    )


# --- Product cards and lists ----------------------------------------------------------------


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
    subtitle: str
    brand_id: int
    brand_name: str
    thumbnail_url: str
    price: Price
    sales_count: int
    launch_date: date


def _media_url(name: str | None) -> str:
    return default_storage.url(name) if name else ""


def _special_in_force(now: datetime) -> QuerySet[Sku]:
    return Sku.objects.filter(
        is_active=True,
        special_price__isnull=False,
        special_starts_at__lte=now,
        special_ends_at__gt=now,
    )


def with_card_fields(products: QuerySet[Product], now: datetime) -> QuerySet[Product]:
    """Annotate what a product card shows, so a whole list is one query."""
    thumbnail = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )
    special_min = (
        _special_in_force(now)
        .filter(product=OuterRef("pk"))
        .values("product")
        .annotate(low=Min("special_price"))
        .values("low")
    )
    return products.annotate(
        brand_name=F("brand__name"),
        thumbnail_name=Subquery(thumbnail),
        special_min=Subquery(special_min),
    ).only("id", "name", "subtitle", "brand_id", "price", "sales_count", "launch_date")


def _card(product: Product) -> ProductCard:
    special_min: Decimal | None = product.special_min  # type: ignore[attr-defined]
    return ProductCard(
        id=product.id,
        name=product.name,
        subtitle=product.subtitle,
        brand_id=product.brand_id,
        brand_name=product.brand_name,  # type: ignore[attr-defined]
        thumbnail_url=_media_url(product.thumbnail_name),  # type: ignore[attr-defined]
        price=card_price(product.price, special_min),
        sales_count=product.sales_count,
        launch_date=product.launch_date,
    )


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _sorted(products: QuerySet[Product], sort: str | Sequence[str]) -> QuerySet[Product]:
    """Sort by a ProductSort value, or by explicit fields such as annotated store sales."""
    if not isinstance(sort, str):
        return products.order_by(*sort)
    key = ProductSort(sort) if sort in ProductSort.values else ProductSort.SALES
    return products.order_by(*ORDERINGS[key])


def cards_page(
    products: QuerySet[Product],
    *,
    sort: str | Sequence[str] = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    now: datetime | None = None,
) -> Page:
    """One page of product cards (a count query and a page query)."""
    size = min(max(per_page or settings.RONGCHENG["CATALOG_PAGE_SIZE"], 1), MAX_PAGE_SIZE)
    ordered = _sorted(with_card_fields(products, _now(now)), sort)
    result = Paginator(ordered, size).get_page(page)
    result.object_list = [_card(product) for product in result.object_list]  # type: ignore[misc]
    return result


def cards(
    products: QuerySet[Product],
    *,
    sort: str | Sequence[str] = ProductSort.SALES,
    limit: int = 10,
    now: datetime | None = None,
) -> list[ProductCard]:
    ordered = _sorted(with_card_fields(products, _now(now)), sort)
    return [_card(product) for product in ordered[:limit]]


def on_sale() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def _in_category(products: QuerySet[Product], category_id: int | None) -> QuerySet[Product]:
    if category_id is None:
        return products
    return products.filter(category_id__in=category_tree().subtree_ids(category_id))


def category_products(
    *,
    category_id: int,
    sort: str = ProductSort.SALES,
    page: int | str = 1,
    per_page: int | None = None,
    brand_id: int | None = None,
) -> Page:
    """Goods of a category and all its subcategories (CAT-1)."""
    products = _in_category(on_sale(), category_id)
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
    since = (today or timezone.localdate()) - settings.RONGCHENG["NEW_ARRIVAL_PERIOD"]
    products = _in_category(on_sale(), category_id).filter(launch_date__gte=since)
    return cards(products, sort=ProductSort.NEWEST, limit=limit)


def hot_sellers(*, category_id: int | None = None, limit: int = 10) -> list[ProductCard]:
    """The sales ranking (HOME-1 hot-selling products, CAT-1 hot sellers)."""
    return cards(_in_category(on_sale(), category_id), sort=ProductSort.SALES, limit=limit)


def _special_only(products: QuerySet[Product], now: datetime) -> QuerySet[Product]:
    return products.filter(id__in=_special_in_force(now).values("product_id"))


def special_price_products(
    *, category_id: int | None = None, limit: int = 10, now: datetime | None = None
) -> list[ProductCard]:
    """Goods with a special price in force now (CAT-1 block, HOME-1 special-sale area)."""
    now = _now(now)
    products = _special_only(_in_category(on_sale(), category_id), now)
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
    now = _now(now)
    products = _special_only(_in_category(on_sale(), category_id), now)
    if audience:
        products = products.filter(audience__code=audience)
    return cards_page(products, sort=sort, page=page, per_page=per_page, now=now)


def products_by_ids(*, ids: Sequence[int], now: datetime | None = None) -> list[ProductCard]:
    """Cards for chosen products, in the order given; inactive ones are left out."""
    found = {
        product.id: _card(product)
        for product in with_card_fields(on_sale().filter(id__in=list(ids)), _now(now))
    }
    return [found[pk] for pk in ids if pk in found]


# --- Brands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandHall:
    featured: list[Brand]
    brands: list[Brand]


def audiences() -> list[Audience]:
    return list(Audience.objects.all())


def brands_featured(*, now: datetime | None = None, limit: int | None = None) -> list[Brand]:
    """The brands whose featured window is open now, 1–3 on top of the hall (BRAND-1)."""
    now = _now(now)
    limit = limit or settings.RONGCHENG["FEATURED_BRANDS_MAX"]
    windows = (
        BrandFeature.objects.filter(
            starts_at__lte=now, ends_at__gt=now, brand__is_active=True, brand__in_brand_hall=True
        )
        .select_related("brand")
        .order_by("position", "starts_at", "id")
    )
    featured: dict[int, Brand] = {}
    for window in windows:
        featured.setdefault(window.brand_id, window.brand)
        if len(featured) == limit:
            break
    return list(featured.values())


def brand_hall(*, audience: str | None = None, now: datetime | None = None) -> BrandHall:
    """Paying brands: the featured ones on top, the rest below, optionally for one audience."""
    featured = brands_featured(now=now)
    brands = Brand.objects.filter(is_active=True, in_brand_hall=True).exclude(
        id__in=[brand.id for brand in featured]
    )
    if audience:
        brands = brands.filter(audiences__code=audience)
    return BrandHall(featured=featured, brands=list(brands.order_by("position", "id")))


def hot_brands(*, limit: int = 10) -> list[Brand]:
    return list(
        Brand.objects.filter(is_active=True, is_hot=True).order_by("position", "id")[:limit]
    )


def brand_get(*, brand_id: int) -> Brand | None:
    return Brand.objects.filter(id=brand_id, is_active=True).first()


# --- Product detail -------------------------------------------------------------------------


@dataclass(frozen=True)
class SkuInfo:
    id: int
    code: str
    colour: str
    colour_hex: str
    size: str
    price: Price


@dataclass(frozen=True)
class ImageInfo:
    url: str
    thumbnail_url: str
    colour: str
    alt: str


@dataclass(frozen=True)
class ProductDetail:
    product: Product
    breadcrumbs: list[CategoryNode]
    skus: list[SkuInfo]
    colours: list[tuple[str, str]]
    sizes: list[str]
    price: Price | None
    images: list[ImageInfo]
    attributes: list[tuple[str, str]]
    parameters: list[tuple[str, str]]
    related: list[ProductCard]
    accessories: list[ProductCard]
    video_url: str
    video_poster_url: str


def _attribute_label(attribute: Attribute) -> str:
    return f"{attribute.name}（{attribute.unit}）" if attribute.unit else attribute.name


def product_detail(*, product_id: int, now: datetime | None = None) -> ProductDetail:
    """Everything the product page shows of the product itself (PDP-1, PDP-2)."""
    now = _now(now)
    product = (
        on_sale().select_related("brand", "category", "audience").filter(id=product_id).first()
    )
    if product is None:
        raise ProductNotFound(_("商品不存在或已下架。"))
    sku_rows = list(Sku.objects.filter(product=product, is_active=True).order_by("position", "id"))
    pricings = [sku_pricing(sku) for sku in sku_rows]
    skus = [
        SkuInfo(sku.id, sku.code, sku.colour, sku.colour_hex, sku.size, sku_price(pricing, now))
        for sku, pricing in zip(sku_rows, pricings, strict=True)
    ]
    colours = list(dict.fromkeys((sku.colour, sku.colour_hex) for sku in skus))
    sizes = list(dict.fromkeys(sku.size for sku in skus))
    images = [
        ImageInfo(
            _media_url(image.image.name), _media_url(image.thumbnail.name), image.colour, image.alt
        )
        for image in ProductImage.objects.filter(product=product).order_by("position", "id")
    ]
    attributes = [
        (_attribute_label(value.attribute), value.display_value)
        for value in ProductAttributeValue.objects.filter(product=product)
        .select_related("attribute", "option")
        .order_by("attribute__position", "attribute_id")
    ]
    parameters = list(
        ProductParameter.objects.filter(product=product)
        .order_by("position", "id")
        .values_list("name", "value")
    )
    related_ids = Product.related_products.through.objects.filter(from_product=product)
    accessory_ids = Product.accessories.through.objects.filter(from_product=product)
    related = cards(on_sale().filter(id__in=related_ids.values("to_product")), limit=12, now=now)
    accessories = cards(
        on_sale().filter(id__in=accessory_ids.values("to_product")), limit=12, now=now
    )
    try:
        breadcrumbs = category_tree().path(product.category_id)
    except CategoryNotFound:  # the product's category is switched off
        breadcrumbs = []
    return ProductDetail(
        product=product,
        breadcrumbs=breadcrumbs,
        skus=skus,
        colours=colours,
        sizes=sizes,
        price=lowest_price(pricings, now),
        images=images,
        attributes=attributes,
        parameters=parameters,
        related=related,
        accessories=accessories,
        video_url=_media_url(product.video.name),
        video_poster_url=_media_url(product.video_poster.name),
    )


# --- Browsing: filtered lists, on-sale categories, brands of a category ---------------------


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
) -> QuerySet[Product]:
    """On-sale goods (or the given ones) narrowed by `filters`.

    Every word of `query` must appear in the name. The price range applies to the price a
    buyer pays now, the one the card shows: the lower of the national price and the
    cheapest special price in force.
    """
    now = _now(now)
    products = _in_category(on_sale() if products is None else products, filters.category_id)
    if filters.brand_id is not None:
        products = products.filter(brand_id=filters.brand_id)
    if filters.audience:
        products = products.filter(audience__code=filters.audience)
    for word in filters.query.split():
        products = products.filter(name__icontains=word)
    if filters.special_only:
        products = _special_only(products, now)
    if filters.min_price is not None or filters.max_price is not None:
        special_min = (
            _special_in_force(now)
            .filter(product=OuterRef("pk"))
            .values("product")
            .annotate(low=Min("special_price"))
            .values("low")
        )
        money: models.DecimalField = models.DecimalField(max_digits=12, decimal_places=2)
        products = products.alias(
            current_price=Least(
                F("price"), Coalesce(Subquery(special_min, output_field=money), F("price"))
            )
        )
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
) -> Page:
    """One page of cards of the goods matching `filters`."""
    now = _now(now)
    return cards_page(
        products_filtered(filters=filters, now=now),
        sort=sort,
        page=page,
        per_page=per_page,
        now=now,
    )


def category_ids_on_sale() -> set[int]:
    """Active categories whose subtree holds goods on sale, ancestors included (CAT-2).

    One query: an index probe per category, whatever the number of products.
    """
    tree = category_tree()
    has_goods = Exists(Product.objects.filter(category=OuterRef("pk"), is_active=True))
    direct = Category.objects.filter(id__in=list(tree.nodes)).filter(has_goods)
    ids: set[int] = set()
    for category_id in direct.values_list("id", flat=True):
        ids.update(node.id for node in tree.path(category_id))
    return ids


def category_brands(*, category_id: int, limit: int = 30) -> list[Brand]:
    """Active brands with goods on sale in a category subtree (the category's shopping guide)."""
    ids = category_tree().subtree_ids(category_id)
    has_goods = Exists(
        Product.objects.filter(brand=OuterRef("pk"), category_id__in=ids, is_active=True)
    )
    return list(
        Brand.objects.filter(is_active=True).filter(has_goods).order_by("position", "id")[:limit]
    )


def brand_categories(*, brand_id: int) -> list[CategoryNode]:
    """The categories of a brand's goods on sale, in tree order."""
    # order_by(): the model's default ordering would add its columns to the DISTINCT.
    categories = on_sale().filter(brand_id=brand_id).order_by().values_list("category_id")
    ids = {category_id for (category_id,) in categories.distinct()}
    return [node for node in category_tree().walk() if node.id in ids]


def brands_with_categories() -> list[tuple[Brand, list[CategoryNode]]]:
    """Every active brand with goods on sale and the categories they are in (CAT-2 by brand)."""
    pairs = (
        on_sale().filter(brand__is_active=True).order_by().values_list("brand_id", "category_id")
    )
    by_brand: dict[int, set[int]] = {}
    for brand_id, category_id in pairs.distinct():
        by_brand.setdefault(brand_id, set()).add(category_id)
    walk = category_tree().walk()
    brands = Brand.objects.filter(id__in=list(by_brand)).order_by("position", "id")
    return [(brand, [node for node in walk if node.id in by_brand[brand.id]]) for brand in brands]


def brands_active(*, audience: str = "", hall_only: bool = False) -> list[Brand]:
    """Active brands with their audiences (two queries), for the API's brand list."""
    brands = Brand.objects.filter(is_active=True)
    if hall_only:
        brands = brands.filter(in_brand_hall=True)
    if audience:
        brands = brands.filter(audiences__code=audience)
    return list(brands.prefetch_related("audiences").order_by("position", "id"))
