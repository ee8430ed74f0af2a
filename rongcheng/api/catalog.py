"""Browsing for the app and the mini-program: categories, brands, product lists and
details, stores near a point or in a city. Reads only, through the selectors."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from rongcheng.api.contract import PRICE_QUERY, Id, Yuan, errors
from rongcheng.catalog.calculations import Price
from rongcheng.catalog.selectors.brands import brands_active
from rongcheng.catalog.selectors.cards import ProductCard
from rongcheng.catalog.selectors.categories import category_tree
from rongcheng.catalog.selectors.detail import product_detail
from rongcheng.catalog.selectors.filtering import ProductFilter, product_search
from rongcheng.catalog.tree import CategoryNode
from rongcheng.core.money import to_yuan
from rongcheng.inventory.selectors import sku_stock_in_city
from rongcheng.stores.selectors import NearbyStore, stores_in_city, stores_near

router = Router(tags=["catalog"])

MAX_STORES = 50


class CategoryOut(Schema):
    id: int
    name: str
    is_recommended: bool
    children: list["CategoryOut"]


CategoryOut.model_rebuild()


class BrandOut(Schema):
    id: int
    name: str
    name_latin: str
    logo_url: str
    slogan: str
    in_brand_hall: bool
    is_hot: bool
    audiences: list[str]


class PriceOut(Schema):
    amount: Yuan = Field(description="当前售价（特价期内为特价）")
    regular: Yuan = Field(description="全国统一价")
    is_special: bool
    special_ends_at: datetime | None = None


class CardOut(Schema):
    id: int
    name: str
    subtitle: str
    brand_id: int
    brand_name: str
    thumbnail_url: str
    price: PriceOut
    sales_count: int
    launch_date: date


class ProductPageOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[CardOut]


class Named(Schema):
    id: int
    name: str


class SkuOut(Schema):
    id: int
    code: str
    colour: str
    colour_hex: str
    size: str
    price: PriceOut
    stock: int | None = Field(description="所选城市门店可售件数；未指定城市时为空")


class ImageOut(Schema):
    url: str
    thumbnail_url: str
    colour: str
    alt: str


class NameValue(Schema):
    name: str
    value: str


class ProductOut(Schema):
    id: int
    style_code: str
    name: str
    subtitle: str
    description: str
    brand: Named
    categories: list[Named]
    audience: str | None
    price: PriceOut | None
    sales_count: int
    skus: list[SkuOut]
    images: list[ImageOut]
    attributes: list[NameValue]
    parameters: list[NameValue]
    video_url: str
    video_poster_url: str
    related: list[CardOut]
    accessories: list[CardOut]


class StoreOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    city_code: str
    city_name: str
    address: str
    latitude: Decimal
    longitude: Decimal
    opening_hours: str
    phone: str
    service_contact: str
    is_recommended: bool
    distance_km: float | None = None


def _price(price: Price) -> dict:
    return {
        "amount": to_yuan(price.amount),
        "regular": to_yuan(price.regular),
        "is_special": price.is_special,
        "special_ends_at": price.special_ends_at,
    }


def _card(card: ProductCard) -> dict:
    return {**card.__dict__, "price": _price(card.price)}


def _node(node: CategoryNode) -> dict:
    return {
        "id": node.id,
        "name": node.name,
        "is_recommended": node.is_recommended,
        "children": [_node(child) for child in node.children],
    }


@router.get("/categories", response=list[CategoryOut], summary="类目树（在售类目，按后台排序）")
def categories(request):
    return [_node(root) for root in category_tree().roots]


@router.get("/brands", response=list[BrandOut], summary="品牌列表，可按适用人群、品牌馆筛选")
def brands(request, audience: str = "", hall: bool = False):
    return [
        {
            "id": brand.id,
            "name": brand.name,
            "name_latin": brand.name_latin,
            "logo_url": brand.logo.url if brand.logo else "",
            "slogan": brand.slogan,
            "in_brand_hall": brand.in_brand_hall,
            "is_hot": brand.is_hot,
            "audiences": [group.code for group in brand.audiences.all()],
        }
        for brand in brands_active(audience=audience, hall_only=hall)
    ]


class ProductQuery(Schema):
    category: int | None = None
    brand: int | None = None
    audience: str = ""
    min_price: str | None = Field(None, pattern=PRICE_QUERY, examples=["1000", "1280.5"])
    max_price: str | None = Field(None, pattern=PRICE_QUERY)
    special: bool = False
    q: str = Field("", max_length=50, description="商品名称中的词，空格分隔，须全部包含")
    sort: Literal["sales", "price", "-price", "newest"] = "sales"
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


@router.get(
    "/products", response={200: ProductPageOut, **errors(404)}, summary="商品列表：筛选、排序、分页"
)
def products(request, query: Query[ProductQuery]):
    """The price range applies to the current price (special price while in force)."""
    filters = ProductFilter(
        category_id=query.category,
        brand_id=query.brand,
        audience=query.audience,
        min_price=None if query.min_price is None else Decimal(query.min_price),
        max_price=None if query.max_price is None else Decimal(query.max_price),
        special_only=query.special,
        query=query.q,
    )
    found = product_search(
        filters=filters, sort=query.sort, page=query.page, per_page=query.per_page
    )
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "per_page": query.per_page,
        "items": [_card(card) for card in found.object_list],
    }


@router.get(
    "/products/{product_id}",
    response={200: ProductOut, **errors(404)},
    summary="商品详情及所选城市库存",
)
def product(request, product_id: Id, city: str = ""):
    """`city` is a city code; without it the visitor's city (from IP or choice) is used."""
    info = product_detail(product_id=product_id)
    city_code = city or (request.city.code if request.city else "")
    sku_ids = [sku.id for sku in info.skus]
    stock = (
        sku_stock_in_city(product_id=product_id, sku_ids=sku_ids, city_code=city_code)
        if city_code
        else None
    )
    item = info.product
    return {
        "id": item.id,
        "style_code": item.style_code,
        "name": item.name,
        "subtitle": item.subtitle,
        "description": item.description,
        "brand": {"id": item.brand.id, "name": item.brand.name},
        "categories": [{"id": node.id, "name": node.name} for node in info.breadcrumbs],
        "audience": item.audience.code if item.audience else None,
        "price": _price(info.price) if info.price else None,
        "sales_count": item.sales_count,
        "skus": [
            {
                "id": sku.id,
                "code": sku.code,
                "colour": sku.colour,
                "colour_hex": sku.colour_hex,
                "size": sku.size,
                "price": _price(sku.price),
                "stock": None if stock is None else stock.get(sku.id, 0),
            }
            for sku in info.skus
        ],
        "images": [image.__dict__ for image in info.images],
        "attributes": [{"name": name, "value": value} for name, value in info.attributes],
        "parameters": [{"name": name, "value": value} for name, value in info.parameters],
        "video_url": info.video_url,
        "video_poster_url": info.video_poster_url,
        "related": [_card(card) for card in info.related],
        "accessories": [_card(card) for card in info.accessories],
    }


def store_out(store, distance_km: float | None = None) -> dict:
    return {
        "id": store.id,
        "code": store.code,
        "name": store.name,
        "kind": store.kind,
        "kind_label": store.get_kind_display(),
        "city_code": store.city_id,
        "city_name": store.city.name,
        "address": store.address,
        "latitude": store.latitude,
        "longitude": store.longitude,
        "opening_hours": store.opening_hours,
        "phone": store.phone,
        "service_contact": store.service_contact,
        "is_recommended": store.is_recommended,
        "distance_km": None if distance_km is None else round(distance_km, 2),
    }


# "latitude,longitude" (WGS-84): latitude within ±90, longitude within ±180.
LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
POINT = rf"^{LATITUDE},{LONGITUDE}$"


class StoreQuery(Schema):
    near: str | None = Field(
        None, pattern=POINT, description="纬度,经度（WGS-84）", examples=["39.817,109.977"]
    )
    radius_km: float | None = Field(None, gt=0, le=500)
    city: str = ""
    limit: int = Field(20, ge=1, le=MAX_STORES)


@router.get("/stores", response=list[StoreOut], summary="附近门店（按距离）或某城市的全部门店")
def stores(request, query: Query[StoreQuery]):
    """With `near`: the stores within radius_km (default: the nearby radius), nearest first.
    Otherwise every store of `city`, or of the visitor's city."""
    if query.near is not None:
        latitude, longitude = (float(part) for part in query.near.split(","))
        near: list[NearbyStore] = stores_near(
            latitude=latitude, longitude=longitude, radius_km=query.radius_km, limit=query.limit
        )
        return [store_out(item.store, item.distance_km) for item in near]
    city_code = query.city or (request.city.code if request.city else "")
    if not city_code:
        return []
    return [store_out(store) for store in stores_in_city(city_code=city_code)[: query.limit]]
