"""Everything the product page shows of the product itself (PDP-1, PDP-2).

Every first visit of a product page reads its SKUs, pictures, attributes, parameters and
linked goods: SQL written once (core/sql.py), as compiling each queryset cost about five
times as much CPU as running it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.catalog.calculations import Price, SkuPricing, lowest_price, sku_price
from rongcheng.catalog.errors import CategoryNotFound, ProductNotFound
from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    Audience,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.selectors.cards import ProductCard, cards, on_sale
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode, CategoryTree
from rongcheng.core.media_urls import media_url
from rongcheng.core.sql import Statement, every_column, fields, instance
from rongcheng.core.translation import pick

# Related goods and accessories shown on a product page, each.
LINKED = 12


@dataclass(frozen=True)
class SkuInfo:
    id: int
    code: str
    colour: str
    colour_en: str
    colour_hex: str
    size: str
    size_en: str
    price: Price


@dataclass(frozen=True)
class ImageInfo:
    url: str
    widths: str  # of its WebP variants (core/image_variants.py)
    thumbnail_url: str
    thumbnail_widths: str
    colour: str
    alt: str
    alt_en: str


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


# The product with its brand, category and audience: the page hands the model to its template.
_PARTS = ((Product, "p"), (Brand, "b"), (Category, "c"), (Audience, "a"))
_SELECTS = [every_column(model, alias) for model, alias in _PARTS]
_PRODUCT = Statement(
    f"""
    SELECT {", ".join(select for select, _columns in _SELECTS)}
    FROM {Product._meta.db_table} p
    JOIN {Brand._meta.db_table} b ON b.id = p.brand_id
    JOIN {Category._meta.db_table} c ON c.id = p.category_id
    LEFT JOIN {Audience._meta.db_table} a ON a.id = p.audience_id
    WHERE p.id = %s AND p.is_active
    """,  # noqa: S608
    [field for _select, columns in _SELECTS for field in columns],
)
_SKUS = Statement(
    f"""
    SELECT id, code, colour, colour_en, colour_hex, size, size_en,
           price, special_price, special_starts_at, special_ends_at
    FROM {Sku._meta.db_table} WHERE product_id = %s AND is_active
    ORDER BY position, id
    """,  # noqa: S608
    [None] * 7 + fields(Sku, "price", "special_price", "special_starts_at", "special_ends_at"),
)
_IMAGES = Statement(
    f"""
    SELECT image, image_widths, thumbnail, thumbnail_widths, colour, alt, alt_en
    FROM {ProductImage._meta.db_table}
    WHERE product_id = %s ORDER BY position, id
    """  # noqa: S608
)
# What the page lists under the product, most of it often empty, in one statement: its
# attributes (a value is one of the attribute's options, or written for the product), its
# parameters, and the goods it links (related or accessories). Each in its own order.
_EXTRAS = Statement(
    f"""
    SELECT 'attribute', a.name, a.name_en, a.unit, o.value, o.value_en, v.value, v.value_en,
           a.position, v.attribute_id
    FROM {ProductAttributeValue._meta.db_table} v
    JOIN {Attribute._meta.db_table} a ON a.id = v.attribute_id
    LEFT JOIN {AttributeOption._meta.db_table} o ON o.id = v.option_id
    WHERE v.product_id = %s
    UNION ALL
    SELECT 'parameter', name, name_en, NULL, NULL, NULL, value, value_en, position, id
    FROM {ProductParameter._meta.db_table} WHERE product_id = %s
    UNION ALL
    SELECT 'related', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, to_product_id
    FROM {Product.related_products.through._meta.db_table} WHERE from_product_id = %s
    UNION ALL
    SELECT 'accessory', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, to_product_id
    FROM {Product.accessories.through._meta.db_table} WHERE from_product_id = %s
    ORDER BY 1, 9, 10
    """  # noqa: S608
)


@dataclass(frozen=True)
class _Extras:
    attributes: list[tuple[str, str]]
    parameters: list[tuple[str, str]]
    related_ids: set[int]
    accessory_ids: set[int]


def _extras(product_id: int) -> _Extras:
    """(label, value) pairs of the attributes (the label carries the unit) and parameters,
    and the ids of the linked goods."""
    found = _Extras([], [], set(), set())
    for kind, name, name_en, unit, option, option_en, value, value_en, _order, key in _EXTRAS.rows(
        [product_id] * 4
    ):
        if kind == "attribute":
            label = pick(name, name_en)
            if unit:
                label = pick(f"{label}（{unit}）", f"{label} ({unit})")
            shown = pick(option, option_en) if option is not None else pick(value, value_en)
            found.attributes.append((label, shown))
        elif kind == "parameter":
            found.parameters.append((pick(name, name_en), pick(value, value_en)))
        elif kind == "related":
            found.related_ids.add(key)
        else:
            found.accessory_ids.add(key)
    return found


def _product(product_id: int) -> Product | None:
    """The product on sale with its brand, category and audience, as
    `on_sale().select_related("brand", "category", "audience")` reads it."""
    rows = _PRODUCT.rows([product_id])
    if not rows:
        return None
    values = list(rows[0])
    parts = []
    for model, _alias in _PARTS:
        count = len(model._meta.concrete_fields)
        parts.append(values[:count])
        del values[:count]
    product, brand, category, audience = parts
    found = instance(Product, product)
    found.brand = instance(Brand, brand)
    found.category = instance(Category, category)
    found.audience = instance(Audience, audience) if found.audience_id is not None else None
    return found


def _linked_cards(extras: _Extras, now: datetime) -> tuple[list[ProductCard], list[ProductCard]]:
    """The related goods and the accessories, best sellers first, at most LINKED of each. Most
    products link none; the cards (the costly query) are read only when there are some, for
    both lists at once."""
    ids = extras.related_ids | extras.accessory_ids
    if not ids:
        return [], []
    found = cards(on_sale().filter(id__in=ids), limit=len(ids), now=now)
    return (
        [card for card in found if card.id in extras.related_ids][:LINKED],
        [card for card in found if card.id in extras.accessory_ids][:LINKED],
    )


def product_detail(
    *, product_id: int, now: datetime | None = None, tree: CategoryTree | None = None
) -> ProductDetail:
    """The product, its SKUs with their prices now, pictures, attributes, related goods.
    `tree`: the category tree when the caller has read it already (a page reads it once)."""
    now = now or timezone.now()
    product = _product(product_id)
    if product is None:
        raise ProductNotFound(_("商品不存在或已下架。"))
    skus, pricings = [], []
    for sku_id, code, colour, colour_en, colour_hex, size, size_en, *priced in _SKUS.rows(
        [product.id]
    ):
        pricing = SkuPricing(*priced)
        pricings.append(pricing)
        skus.append(
            SkuInfo(
                id=sku_id,
                code=code,
                colour=colour,
                colour_en=colour_en,
                colour_hex=colour_hex,
                size=size,
                size_en=size_en,
                price=sku_price(pricing, now),
            )
        )
    colours = list(dict.fromkeys((sku.colour, sku.colour_hex) for sku in skus))
    sizes = list(dict.fromkeys(sku.size for sku in skus))
    images = [
        ImageInfo(
            url=media_url(image),
            widths=widths,
            thumbnail_url=media_url(thumbnail),
            thumbnail_widths=thumbnail_widths,
            colour=colour,
            alt=alt,
            alt_en=alt_en,
        )
        for image, widths, thumbnail, thumbnail_widths, colour, alt, alt_en in _IMAGES.rows(
            [product.id]
        )
    ]
    extras = _extras(product.id)
    related, accessories = _linked_cards(extras, now)
    try:
        breadcrumbs = (tree or category_tree()).path(product.category_id)
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
        attributes=extras.attributes,
        parameters=extras.parameters,
        related=related,
        accessories=accessories,
        video_url=media_url(product.video.name),
        video_poster_url=media_url(product.video_poster.name),
    )
