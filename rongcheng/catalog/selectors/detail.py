"""Everything the product page shows of the product itself (PDP-1, PDP-2)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.catalog.calculations import Price, lowest_price, sku_price
from rongcheng.catalog.errors import CategoryNotFound, ProductNotFound
from rongcheng.catalog.fetch import sku_pricing
from rongcheng.catalog.models import (
    Attribute,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    Sku,
)
from rongcheng.catalog.selectors.cards import ProductCard, cards, media_url, on_sale
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.tree import CategoryNode, CategoryTree
from rongcheng.core.translation import localized, pick

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
    thumbnail_url: str
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


def _attribute_label(attribute: Attribute) -> str:
    name = localized(attribute)
    if not attribute.unit:
        return name
    return pick(f"{name}（{attribute.unit}）", f"{name} ({attribute.unit})")


def _attribute_value(value: ProductAttributeValue) -> str:
    if value.option is not None:
        return localized(value.option, "value")
    return localized(value, "value")


def _linked_cards(product: Product, now: datetime) -> tuple[list[ProductCard], list[ProductCard]]:
    """The related goods and the accessories, best sellers first, at most LINKED of each.

    Most products link none: one plain query over both link tables finds that out, and the
    cards (the costly query) are read only when there are some, for both lists at once."""
    links = list(
        Product.related_products.through.objects.filter(from_product=product)
        .values_list("to_product_id", Value("related", output_field=models.CharField()))
        .union(
            Product.accessories.through.objects.filter(from_product=product).values_list(
                "to_product_id", Value("accessory", output_field=models.CharField())
            ),
            all=True,
        )
    )
    if not links:
        return [], []
    ids = {product_id for product_id, _kind in links}
    found = cards(on_sale().filter(id__in=ids), limit=len(ids), now=now)
    related_ids = {product_id for product_id, kind in links if kind == "related"}
    accessory_ids = {product_id for product_id, kind in links if kind == "accessory"}
    return (
        [card for card in found if card.id in related_ids][:LINKED],
        [card for card in found if card.id in accessory_ids][:LINKED],
    )


def product_detail(
    *, product_id: int, now: datetime | None = None, tree: CategoryTree | None = None
) -> ProductDetail:
    """The product, its SKUs with their prices now, pictures, attributes, related goods.
    `tree`: the category tree when the caller has read it already (a page reads it once)."""
    now = now or timezone.now()
    product = (
        on_sale().select_related("brand", "category", "audience").filter(id=product_id).first()
    )
    if product is None:
        raise ProductNotFound(_("商品不存在或已下架。"))
    sku_rows = list(Sku.objects.filter(product=product, is_active=True).order_by("position", "id"))
    pricings = [sku_pricing(sku) for sku in sku_rows]
    skus = [
        SkuInfo(
            id=sku.id,
            code=sku.code,
            colour=sku.colour,
            colour_en=sku.colour_en,
            colour_hex=sku.colour_hex,
            size=sku.size,
            size_en=sku.size_en,
            price=sku_price(pricing, now),
        )
        for sku, pricing in zip(sku_rows, pricings, strict=True)
    ]
    colours = list(dict.fromkeys((sku.colour, sku.colour_hex) for sku in skus))
    sizes = list(dict.fromkeys(sku.size for sku in skus))
    images = [
        ImageInfo(
            url=media_url(image.image.name),
            thumbnail_url=media_url(image.thumbnail.name),
            colour=image.colour,
            alt=image.alt,
            alt_en=image.alt_en,
        )
        for image in ProductImage.objects.filter(product=product).order_by("position", "id")
    ]
    attributes = [
        (_attribute_label(value.attribute), _attribute_value(value))
        for value in ProductAttributeValue.objects.filter(product=product)
        .select_related("attribute", "option")
        .order_by("attribute__position", "attribute_id")
    ]
    parameters = [
        (pick(name, name_en), pick(value, value_en))
        for name, name_en, value, value_en in ProductParameter.objects.filter(product=product)
        .order_by("position", "id")
        .values_list("name", "name_en", "value", "value_en")
    ]
    related, accessories = _linked_cards(product, now)
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
        attributes=attributes,
        parameters=parameters,
        related=related,
        accessories=accessories,
        video_url=media_url(product.video.name),
        video_poster_url=media_url(product.video_poster.name),
    )
