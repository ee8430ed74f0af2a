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
from rongcheng.catalog.tree import CategoryNode

# Related goods and accessories shown on a product page, each.
LINKED = 12


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


def product_detail(*, product_id: int, now: datetime | None = None) -> ProductDetail:
    """The product, its SKUs with their prices now, pictures, attributes, related goods."""
    now = now or timezone.now()
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
            media_url(image.image.name), media_url(image.thumbnail.name), image.colour, image.alt
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
    related, accessories = _linked_cards(product, now)
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
        video_url=media_url(product.video.name),
        video_poster_url=media_url(product.video_poster.name),
    )
