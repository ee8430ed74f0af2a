"""The demo's English values (INTL-1), written into the blank `_en` columns of what the demo
loaded, so an existing demo database gets them on its next `load_demo` and a value an
operator wrote is never overwritten.

Demo product names are made of an audience, a style word and a noun (demo/catalog.py), so
their English is composed from the same parts.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction

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
    ProductType,
    Sku,
)
from rongcheng.cms.models import Ad, HomeArea, HomeVideo, PromotionNotice
from rongcheng.demo.tables import read_table
from rongcheng.regions.models import Region
from rongcheng.stores.models import Store

CATEGORIES = {
    "女装": "Women",
    "男装": "Men",
    "童装": "Children",
    "配饰": "Accessories",
    "家居": "Home",
    "羊绒衫": "Cashmere Sweaters",
    "圆领羊绒衫": "Crew-neck Sweaters",
    "高领羊绒衫": "Turtlenecks",
    "V领羊绒衫": "V-neck Sweaters",
    "羊绒开衫": "Cashmere Cardigans",
    "羊绒大衣": "Cashmere Coats",
    "羊绒连衣裙": "Cashmere Dresses",
    "儿童羊绒衫": "Kids' Sweaters",
    "儿童羊绒开衫": "Kids' Cardigans",
    "围巾": "Scarves",
    "披肩": "Shawls",
    "帽子": "Hats",
    "手套": "Gloves",
    "羊绒毯": "Cashmere Blankets",
    "羊绒靠垫": "Cashmere Cushions",
}
NOUNS = {
    "圆领羊绒衫": "Crew-neck Cashmere Sweater",
    "高领羊绒衫": "Cashmere Turtleneck",
    "V领羊绒衫": "V-neck Cashmere Sweater",
    "羊绒开衫": "Cashmere Cardigan",
    "羊绒大衣": "Cashmere Coat",
    "羊绒连衣裙": "Cashmere Dress",
    "儿童羊绒衫": "Kids' Cashmere Sweater",
    "儿童羊绒开衫": "Kids' Cashmere Cardigan",
    "羊绒围巾": "Cashmere Scarf",
    "羊绒披肩": "Cashmere Shawl",
    "羊绒帽": "Cashmere Hat",
    "羊绒手套": "Cashmere Gloves",
    "羊绒毯": "Cashmere Blanket",
    "羊绒靠垫": "Cashmere Cushion",
}
PREFIXES = {"女士": "Women's", "男士": "Men's"}
STYLES = {
    "经典": "Classic",
    "基础款": "Essential",
    "罗纹": "Ribbed",
    "绞花": "Cable-knit",
    "落肩": "Drop-shoulder",
    "修身": "Slim",
    "宽松": "Relaxed",
    "提花": "Jacquard",
    "轻薄": "Lightweight",
    "加厚": "Chunky",
    "双股": "Two-ply",
    "无缝": "Seamless",
    "条纹": "Striped",
    "撞色": "Colour-block",
    "双面": "Double-faced",
    "长款": "Long",
    "茧型": "Cocoon",
    "翻领": "Lapel",
    "连帽": "Hooded",
    "西装领": "Notch-collar",
    "系带": "Belted",
    "H型": "Straight-cut",
    "短款": "Short",
    "廓形": "Oversized",
    "双排扣": "Double-breasted",
    "纯色": "Solid",
    "格纹": "Plaid",
    "流苏": "Fringed",
    "渐变": "Ombre",
    "加宽": "Wide",
    "水波纹": "Wave-pattern",
    "拉毛": "Brushed",
    "印花": "Printed",
    "素色": "Plain",
}
SUBTITLES = {
    "甄选内蒙古白绒山羊绒，细软亲肤": "Fine white cashmere from Inner Mongolia, soft on the skin",
    "轻盈保暖，一件过冬": "Light and warm: one piece for the whole winter",
    "经典版型，百搭耐穿": "A classic cut that goes with everything and lasts",
    "细腻手感，不扎不起球": "Smooth to the touch, never itchy, resists pilling",
    "手工缝合，细节考究": "Hand-linked seams and careful details",
    "高支纱线，柔滑有光泽": "High-count yarn, silky with a soft sheen",
}
COLOURS = {
    "驼色": "Camel",
    "燕麦色": "Oatmeal",
    "米白": "Ivory",
    "浅灰": "Light Grey",
    "炭灰": "Charcoal",
    "藏青": "Navy",
    "黑色": "Black",
    "酒红": "Burgundy",
    "墨绿": "Forest Green",
    "雾霾蓝": "Haze Blue",
    "樱粉": "Blossom Pink",
    "姜黄": "Turmeric",
    "焦糖": "Caramel",
    "雾紫": "Mist Purple",
}
SIZES = {"均码": "One size"}
AUDIENCES = {"女士": "Women", "男士": "Men", "儿童": "Children", "家居": "Home"}
PRODUCT_TYPES = {
    "羊绒针织": "Cashmere Knitwear",
    "羊绒大衣": "Cashmere Coats",
    "羊绒配饰": "Cashmere Accessories",
    "羊绒家居": "Cashmere Home",
}
ATTRIBUTES = {
    "领型": "Neckline",
    "含绒量": "Cashmere content",
    "针法": "Stitch",
    "纱支": "Yarn count",
    "版型": "Fit",
    "工艺": "Weave",
    "衣长": "Length",
    "尺寸": "Size",
}
OPTIONS = {
    "圆领": "Crew neck",
    "高领": "Turtleneck",
    "V领": "V-neck",
    "半高领": "Mock neck",
    "平针": "Plain knit",
    "罗纹": "Rib",
    "绞花": "Cable",
    "提花": "Jacquard",
    "26支": "26 Nm",
    "48支": "48 Nm",
    "修身": "Slim",
    "常规": "Regular",
    "宽松": "Relaxed",
    "双面呢": "Double-faced",
    "单面呢": "Single-faced",
    "中长款": "Mid-length",
    "长款": "Long",
    "短款": "Short",
    "H型": "Straight",
}
# Free-text attribute values: the head and palm sizes of hats and gloves.
VALUE_WORDS = {"头围": "Head", "掌围": "Palm"}
PARAMETERS = {
    "成分": "Composition",
    "产地": "Origin",
    "洗涤方式": "Care",
    "安全类别": "Safety category",
    "执行标准": "Standard",
}
PARAMETER_VALUES = {
    "山羊绒 100%": "Cashmere 100%",
    "内蒙古鄂尔多斯": "Ordos, Inner Mongolia",
    "建议专业干洗；或 30℃ 以下冷水手洗，平铺晾干": (
        "Professional dry cleaning recommended, or hand wash below 30 ℃ and dry flat"
    ),
    "GB 18401 A类（婴幼儿及儿童）": "GB 18401 Class A (babies and children)",
    "GB 18401 B类": "GB 18401 Class B",
    "GB/T 18132 羊绒针织品": "GB/T 18132 Cashmere knitwear",
}
DETAIL_ALT = {"面料细节": "Fabric close-up"}
HOME_AREAS = {
    "大幅广告": "Featured",
    "促销公告": "Promotions",
    "热销商品": "Best Sellers",
    "推荐门店": "Stores Near You",
    "热门品牌": "Popular Brands",
    "特卖专区": "Special Offers",
    "羊绒视频": "Cashmere Films",
    "女装": "Women",
    "男装": "Men",
    "配饰": "Accessories",
    "童装": "Children",
    "家居": "Home",
}
AD_TITLES = {
    "冬季羊绒季": "The Winter Cashmere Season",
    "一件好羊绒": "One Good Cashmere Sweater",
    "给孩子最软的绒": "The Softest Cashmere for Children",
    "羊绒入家": "Cashmere at Home",
    "新品上市": "New Arrivals",
    "男士羊绒": "Cashmere for Men",
}
NOTICES = {
    "羊绒大衣季：满 3000 减 300": (
        "Coat season: ¥300 off every ¥3,000",
        "During the promotion every cashmere coat order gets ¥300 off each ¥3,000, and member "
        "points can be used as well.",
    ),
    "新会员首单赠羊绒护理套装": (
        "A cashmere care kit with a new member's first order",
        "Register as a member and your first order comes with a cashmere comb and a care "
        "spray, while stocks last.",
    ),
    "门店自提享免费熨烫": (
        "Free steaming when you pick up in a store",
        "Orders picked up in a store get one free professional cashmere steaming there.",
    ),
    "冬季新品陆续到店": (
        "The winter collection is arriving in stores",
        "New women's cashmere cardigans and men's turtlenecks are arriving in our stores: "
        "try them on at the store nearest you.",
    ),
}
BRAND_FILM = {"一缕好绒：从牧场到衣橱": "A Thread of Good Cashmere: from Pasture to Wardrobe"}
STORE_DESCRIPTION = "{name} offers cashmere fittings, in-store pick-up and cashmere care."


def product_name(name: str) -> str:
    """The English of a demo product name (女士 + 轻薄 + 羊绒开衫 → Women's Lightweight
    Cashmere Cardigan); "" for a name not made of the demo's parts."""
    prefix = next((p for p in PREFIXES if name.startswith(p)), "")
    rest = name.removeprefix(prefix)
    noun = next((n for n in sorted(NOUNS, key=len, reverse=True) if rest.endswith(n)), "")
    style = rest.removesuffix(noun) if noun else ""
    if not noun or style not in STYLES:
        return ""
    return " ".join(part for part in (PREFIXES.get(prefix, ""), STYLES[style], NOUNS[noun]) if part)


def product_description(name_en: str) -> str:
    return (
        f"{name_en}, made of fine white cashmere from Inner Mongolia: long, soft fibres, "
        "scoured, combed, spun, knitted and milled in many steps into a light, warm piece "
        "that is gentle on the skin."
    )


def _attribute_value(value: str) -> str:
    word, _space, rest = value.partition(" ")
    return f"{VALUE_WORDS[word]} {rest}" if word in VALUE_WORDS else ""


def _fill(rows: Iterable[models.Model], translate: Callable[[Any], dict[str, str]], model) -> int:
    """Set the blank English fields `translate` finds a value for; one UPDATE per batch."""
    changed, fields = [], set()
    for row in rows:
        values = {
            field: value
            for field, value in translate(row).items()
            if value and not getattr(row, field)
        }
        if values:
            for field, value in values.items():
                setattr(row, field, value)
            fields.update(values)
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=500)
    return len(changed)


def _products() -> int:
    def translate(product: Product) -> dict[str, str]:
        name_en = product.name_en or product_name(product.name)
        return {
            "name_en": name_en,
            "subtitle_en": SUBTITLES.get(product.subtitle, ""),
            "description_en": product_description(name_en) if name_en else "",
        }

    products = Product.objects.only(
        "id", "name", "name_en", "subtitle", "subtitle_en", "description_en"
    )
    return _fill(products, translate, Product)


def _images() -> int:
    def translate(image: ProductImage) -> dict[str, str]:
        name_en = image.product.name_en
        if image.alt in DETAIL_ALT:
            return {"alt_en": DETAIL_ALT[image.alt]}
        if not name_en or image.colour not in COLOURS:
            return {}
        return {"alt_en": f"{name_en}, {COLOURS[image.colour]}"}

    images = ProductImage.objects.select_related("product").only(
        "id", "alt", "alt_en", "colour", "product__name_en"
    )
    return _fill(images, translate, ProductImage)


def _simple(model, field: str, table: dict[str, str], *, source: str | None = None) -> int:
    """English from a table keyed by the Chinese value of `source` (the field itself)."""
    source = source or field
    english = f"{field}_en"
    rows = model.objects.filter(**{f"{source}__in": list(table), english: ""})
    return _fill(rows, lambda row: {english: table.get(getattr(row, source), "")}, model)


def _brands() -> int:
    slogans = {row["name"]: row["slogan_en"] for row in read_table("brands.tsv")}

    def translate(brand: Brand) -> dict[str, str]:
        slogan = slogans.get(brand.name, "")
        return {
            "slogan_en": slogan,
            "description_en": f"{brand.name_latin} makes cashmere clothing: {slogan.lower()}."
            if slogan and brand.name_latin
            else "",
        }

    return _fill(Brand.objects.filter(name__in=list(slogans)), translate, Brand)


def _stores() -> int:
    rows = {row["code"]: row for row in read_table("stores.tsv")}

    def translate(store: Store) -> dict[str, str]:
        row = rows[store.code]
        return {
            "name_en": row["name_en"],
            "address_en": row["address_en"],
            "description_en": STORE_DESCRIPTION.format(name=row["name_en"]),
        }

    return _fill(Store.objects.filter(code__in=list(rows)), translate, Store)


def _regions() -> int:
    names = {row["code"]: row["english_name"] for row in read_table("regions.tsv")}
    regions = Region.objects.filter(code__in=[code for code, name in names.items() if name])
    return _fill(regions, lambda region: {"english_name": names[region.code]}, Region)


def _notices() -> int:
    def translate(notice: PromotionNotice) -> dict[str, str]:
        title, body = NOTICES[notice.title]
        return {"title_en": title, "body_en": body}

    return _fill(
        PromotionNotice.objects.filter(title__in=list(NOTICES)), translate, PromotionNotice
    )


def _videos() -> int:
    def translate(video: HomeVideo) -> dict[str, str]:
        if video.product is not None:
            return {"title_en": video.product.name_en}
        return {"title_en": BRAND_FILM.get(video.title, "")}

    return _fill(HomeVideo.objects.select_related("product"), translate, HomeVideo)


@transaction.atomic
def load_english() -> int:
    """Fill the English values the demo knows; the number of rows changed."""
    return sum(
        [
            _simple(Category, "name", CATEGORIES),
            _simple(Audience, "name", AUDIENCES),
            _simple(ProductType, "name", PRODUCT_TYPES),
            _simple(Attribute, "name", ATTRIBUTES),
            _simple(AttributeOption, "value", OPTIONS),
            _fill(
                ProductAttributeValue.objects.filter(option=None, value_en=""),
                lambda value: {"value_en": _attribute_value(value.value)},
                ProductAttributeValue,
            ),
            _simple(ProductParameter, "name", PARAMETERS),
            _simple(ProductParameter, "value", PARAMETER_VALUES),
            _simple(Sku, "colour", COLOURS),
            _simple(Sku, "size", SIZES),
            _products(),
            _images(),
            _brands(),
            _stores(),
            _regions(),
            _simple(HomeArea, "title", HOME_AREAS),
            _simple(Ad, "title", AD_TITLES),
            _notices(),
            _videos(),
        ]
    )
