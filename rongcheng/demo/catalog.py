"""Demo catalogue of a cashmere house: 14 invented brands, 18 leaf categories, about 230
products with colour × size SKUs (loaded through the Excel import), drawn pictures and short
videos, stores that sell them and a home page that shows them.

Idempotent: each part is skipped when it is already there; picture files that exist are kept.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from openpyxl import Workbook

from rongcheng.accounts.models import User
from rongcheng.catalog.imports import product_import
from rongcheng.catalog.media import thumbnail_bytes
from rongcheng.catalog.models import (
    Attribute,
    AttributeOption,
    Audience,
    Brand,
    BrandFeature,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductParameter,
    ProductType,
    Sku,
)
from rongcheng.catalog.services import category_save
from rongcheng.catalog.spreadsheet import COLUMNS
from rongcheng.core import image_variants
from rongcheng.core.dates import day_start, local_day, local_time
from rongcheng.demo import pictures
from rongcheng.demo.delivery import load_fee_template
from rongcheng.demo.home import load_home
from rongcheng.demo.stores import load_assortment, load_staff, load_stores
from rongcheng.demo.tables import read_table

AUDIENCES = [("women", "女士"), ("men", "男士"), ("children", "儿童"), ("home", "家居")]
COLOURS = [
    ("驼色", "#c19a6b"),
    ("燕麦色", "#d8c8a8"),
    ("米白", "#efe8dc"),
    ("浅灰", "#b8b8b8"),
    ("炭灰", "#4a4a4a"),
    ("藏青", "#1f2a44"),
    ("黑色", "#222222"),
    ("酒红", "#7b1e2b"),
    ("墨绿", "#2f4f3a"),
    ("雾霾蓝", "#7a8ca3"),
    ("樱粉", "#e8b4b8"),
    ("姜黄", "#c8923a"),
    ("焦糖", "#a0612e"),
    ("雾紫", "#9d8aa5"),
]
# Product types: name → [(attribute, unit, key attribute, options)]; no options = free text.
TYPES = {
    "羊绒针织": [
        ("领型", "", True, ["圆领", "高领", "V领", "半高领"]),
        ("含绒量", "", True, ["100%", "90%", "70%"]),
        ("针法", "", True, ["平针", "罗纹", "绞花", "提花"]),
        ("纱支", "", False, ["26支", "48支"]),
        ("版型", "", False, ["修身", "常规", "宽松"]),
    ],
    "羊绒大衣": [
        ("含绒量", "", True, ["100%", "90%", "70%"]),
        ("工艺", "", True, ["双面呢", "单面呢"]),
        ("衣长", "", False, ["中长款", "长款", "短款"]),
        ("版型", "", False, ["常规", "宽松", "H型"]),
    ],
    "羊绒配饰": [("含绒量", "", True, ["100%", "70%"]), ("尺寸", "cm", False, [])],
    "羊绒家居": [("含绒量", "", True, ["100%", "70%"]), ("尺寸", "cm", False, [])],
}
STYLES = {
    "knit": "经典 基础款 罗纹 绞花 落肩 修身 宽松 提花 轻薄 加厚 双股 无缝 条纹 撞色",
    "coat": "双面 经典 长款 茧型 翻领 连帽 西装领 系带 H型 短款 廓形 双排扣",
    "woven": "纯色 格纹 流苏 提花 双面 渐变 轻薄 加宽 水波纹 拉毛 印花 素色",
}
SIZES_BY_SHAPE = {
    "scarf": "30×180",
    "shawl": "70×200",
    "hat": "头围 54-58",
    "gloves": "掌围 18-21",
    "blanket": "150×200",
    "cushion": "45×45",
}
NAME_PREFIX = {"women": "女士", "men": "男士"}
SUBTITLES = [
    "甄选内蒙古白绒山羊绒，细软亲肤",
    "轻盈保暖，一件过冬",
    "经典版型，百搭耐穿",
    "细腻手感，不扎不起球",
    "手工缝合，细节考究",
    "高支纱线，柔滑有光泽",
]
RECOMMENDED_LEAVES = {"WC", "WO", "AS", "HB"}
STYLE_PREFIX = "RC26"


@dataclass(frozen=True)
class Leaf:
    path: list[str]
    code: str
    shape: str
    product_type: str
    audience: str
    sizes: list[str]
    prices: list[int]
    noun: str
    styles: list[str]
    count: int
    neck: str


def leaves() -> list[Leaf]:
    return [
        Leaf(
            path=row["path"].split("/"),
            code=row["code"],
            shape=row["shape"],
            product_type=row["product_type"],
            audience=row["audience"],
            sizes=row["sizes"].split(),
            prices=[int(price) for price in row["prices"].split()],
            noun=row["noun"],
            styles=STYLES[row["styles"]].split(),
            count=int(row["count"]),
            neck=row["neck"],
        )
        for row in read_table("leaves.tsv")
    ]


def _load_brands() -> None:
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    for position, row in enumerate(read_table("brands.tsv")):
        brand, created = Brand.objects.get_or_create(
            name=row["name"],
            defaults={
                "name_latin": row["latin"],
                "slogan": row["slogan"],
                "description": f"{row['name']}（{row['latin']}）专注羊绒服饰，{row['slogan']}。",
                "in_brand_hall": row["brand_hall"] == "yes",
                "is_hot": row["hot"] == "yes",
                "position": position,
            },
        )
        if created:
            brand.audiences.set([audiences[code] for code in row["audiences"].split()])
        if not brand.logo:
            logo = f"catalog/brands/brand-{position + 1:02d}.png"
            if not default_storage.exists(logo):
                data = pictures.logo_picture(
                    name=row["name"], latin=row["latin"], hex_colour=row["colour"], style=position
                )
                default_storage.save(logo, ContentFile(data))
            brand.logo.name = logo
        if not image_variants.complete(brand.logo.name, "logo"):
            image_variants.write(brand.logo.name, "logo")
        brand.logo_widths = image_variants.recorded("logo")
        brand.save(update_fields=["logo", "logo_widths", "updated_at"])


def _load_types() -> dict[str, int]:
    for type_name, attributes in TYPES.items():
        product_type, _created = ProductType.objects.get_or_create(name=type_name)
        for position, (name, unit, key, options) in enumerate(attributes):
            attribute, _created = Attribute.objects.get_or_create(
                product_type=product_type,
                name=name,
                defaults={"unit": unit, "is_key": key, "position": position},
            )
            for option_position, value in enumerate(options):
                AttributeOption.objects.get_or_create(
                    attribute=attribute, value=value, defaults={"position": option_position}
                )
    return dict(ProductType.objects.values_list("name", "id"))


def _load_categories(all_leaves: list[Leaf], types: dict[str, int]) -> None:
    tops = list(dict.fromkeys(leaf.path[0] for leaf in all_leaves))
    for index, leaf in enumerate(all_leaves):
        parent: Category | None = None
        for depth, name in enumerate(leaf.path):
            node = Category.objects.filter(name=name, parent=parent).first()
            if node is None:
                is_leaf = depth == len(leaf.path) - 1
                node = category_save(
                    category=Category(
                        name=name,
                        parent=parent,
                        position=tops.index(name) if depth == 0 else index,
                        is_recommended=is_leaf and leaf.code in RECOMMENDED_LEAVES,
                        product_type_id=types[leaf.product_type] if is_leaf else None,
                    )
                )
            parent = node


def load_reference_data(all_leaves: list[Leaf]) -> None:
    """Audiences, brands with logos, product types with attributes, the category tree."""
    for position, (code, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    _load_brands()
    _load_categories(all_leaves, _load_types())


@dataclass
class _Planned:
    leaf: Leaf
    style_code: str
    name: str
    brand: str
    colours: list[tuple[str, str]]
    price: int
    launch_days_ago: int
    sales: int
    special: str  # "" none, "now" in force, "later" not started, "over" ended


def _plan(all_leaves: list[Leaf], rng: random.Random) -> list[_Planned]:
    by_audience: dict[str, list[str]] = {}
    for row in read_table("brands.tsv"):
        for code in row["audiences"].split():
            by_audience.setdefault(code, []).append(row["name"])
    planned: list[_Planned] = []
    for leaf in all_leaves:
        brands = by_audience[leaf.audience]
        for index in range(leaf.count):
            special = ""
            if index % 4 == 1:
                special = "now"
            elif index % 9 == 5:
                special = "later"
            elif index % 11 == 7:
                special = "over"
            style = leaf.styles[index % len(leaf.styles)]
            planned.append(
                _Planned(
                    leaf=leaf,
                    style_code=f"{STYLE_PREFIX}{leaf.code}{index + 1:03d}",
                    name=f"{NAME_PREFIX.get(leaf.audience, '')}{style}{leaf.noun}",
                    brand=brands[(index + len(planned)) % len(brands)],
                    colours=rng.sample(COLOURS, rng.randint(2, 4)),
                    price=rng.choice(leaf.prices),
                    launch_days_ago=rng.randint(0, 50) if index < 2 else rng.randint(20, 420),
                    sales=int(3000 * rng.random() ** 3),
                    special=special,
                )
            )
    return planned


def _workbook(planned: list[_Planned]) -> BytesIO:
    """The catalogue as a product workbook, for the real import."""
    now = local_time().replace(minute=0, second=0, microsecond=0, tzinfo=None)
    windows = {
        "now": (now - timedelta(days=2), now + timedelta(days=12)),
        "later": (now + timedelta(days=5), now + timedelta(days=12)),
        "over": (now - timedelta(days=20), now - timedelta(days=6)),
        "": (None, None),
    }
    today = local_day()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(title) for _key, title in COLUMNS])
    for number, plan in enumerate(planned):
        special_price = (plan.price * 3 // 4) // 10 * 10 - 1 if plan.special else None
        product = {
            "style_code": plan.style_code,
            "name": plan.name,
            "subtitle": SUBTITLES[number % len(SUBTITLES)],
            "category": "/".join(plan.leaf.path),
            "brand": plan.brand,
            "product_type": plan.leaf.product_type,
            "audience": plan.leaf.audience,
            "launch_date": today - timedelta(days=plan.launch_days_ago),
            "description": (
                f"{plan.name}选用内蒙古优质白绒山羊绒，绒纤维细长柔软，经洗绒、梳绒、纺纱、"
                "织造、缩绒多道工序精制而成，轻盈保暖，亲肤舒适。"
            ),
            "price": plan.price,
            "special_price": special_price,
            "special_starts_at": windows[plan.special][0],
            "special_ends_at": windows[plan.special][1],
        }
        for colour_number, (colour, hex_colour) in enumerate(plan.colours, start=1):
            for size in plan.leaf.sizes:
                size_code = "OS" if size == "均码" else size
                row = product | {
                    "sku_code": f"{plan.style_code}-{colour_number:02d}-{size_code}",
                    "colour": colour,
                    "colour_hex": hex_colour,
                    "size": size,
                }
                sheet.append([row.get(key) for key, _title in COLUMNS])
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _save_picture(name: str, render) -> tuple[str, str]:
    """Store a picture, its thumbnail and all their WebP variants unless they exist; return
    the picture's and the thumbnail's names."""
    folder, _slash, file_name = name.rpartition("/")
    thumb = f"{folder}/thumbs/{file_name}"
    data = None
    if not default_storage.exists(name) or not default_storage.exists(thumb):
        data = render()
        for path, content in ((name, data), (thumb, thumbnail_bytes(data))):
            if default_storage.exists(path):
                default_storage.delete(path)
            default_storage.save(path, ContentFile(content))
    if data is not None or not (
        image_variants.complete(name, "picture") and image_variants.complete(thumb, "thumbnail")
    ):
        if data is None:
            with default_storage.open(name, "rb") as stored:
                data = stored.read()
        image_variants.write(name, "picture", source=data)
        image_variants.write(thumb, "thumbnail", source=data)
    return name, thumb


def _images(planned: list[_Planned], products: dict[str, Product]) -> None:
    """One picture per colour (up to three) and a close-up of the garment, per product."""
    rows = []
    for plan in planned:
        product = products[plan.style_code]
        folder = f"catalog/products/{plan.style_code}"
        views = plan.colours[:3]
        for position, (colour, hex_colour) in enumerate(views):
            render = partial(
                pictures.product_picture,
                shape=plan.leaf.shape,
                colour_hex=hex_colour,
                caption=f"{plan.brand} {plan.name}",
                tone=position,
            )
            image, thumb = _save_picture(f"{folder}/{plan.style_code}-{position + 1}.jpg", render)
            rows.append(
                ProductImage(
                    product=product,
                    image=image,
                    image_widths=image_variants.recorded("picture"),
                    thumbnail=thumb,
                    thumbnail_widths=image_variants.recorded("thumbnail"),
                    colour=colour,
                    alt=f"{plan.name} {colour}",
                    position=position,
                )
            )
        colour, hex_colour = plan.colours[0]
        render = partial(pictures.closeup_picture, shape=plan.leaf.shape, colour_hex=hex_colour)
        image, thumb = _save_picture(f"{folder}/{plan.style_code}-closeup.jpg", render)
        rows.append(
            ProductImage(
                product=product,
                image=image,
                image_widths=image_variants.recorded("picture"),
                thumbnail=thumb,
                thumbnail_widths=image_variants.recorded("thumbnail"),
                alt=f"{plan.name} {colour} 细节",
                position=len(views),
            )
        )
    ProductImage.objects.bulk_create(rows)


def _attributes(planned: list[_Planned], products: dict[str, Product], rng: random.Random):
    options: dict[int, dict[str, int]] = {}
    for option_id, attribute_id, value in AttributeOption.objects.values_list(
        "id", "attribute_id", "value"
    ):
        options.setdefault(attribute_id, {})[value] = option_id
    attributes = list(Attribute.objects.values_list("id", "product_type__name", "name"))
    values, parameters = [], []
    for plan in planned:
        product = products[plan.style_code]
        for attribute_id, type_name, name in attributes:
            if type_name != plan.leaf.product_type:
                continue
            if name == "尺寸":
                size = SIZES_BY_SHAPE[plan.leaf.shape]
                values.append(
                    ProductAttributeValue(product=product, attribute_id=attribute_id, value=size)
                )
                continue
            choices = options[attribute_id]
            choice = plan.leaf.neck if name == "领型" else rng.choice(sorted(choices))
            values.append(
                ProductAttributeValue(
                    product=product, attribute_id=attribute_id, option_id=choices[choice]
                )
            )
        category = (
            "GB 18401 A类（婴幼儿及儿童）" if plan.leaf.audience == "children" else "GB 18401 B类"
        )
        lines = [
            ("成分", "山羊绒 100%"),
            ("产地", "内蒙古鄂尔多斯"),
            ("洗涤方式", "建议专业干洗；或 30℃ 以下冷水手洗，平铺晾干"),
            ("安全类别", category),
        ]
        if plan.leaf.product_type == "羊绒针织":
            lines.append(("执行标准", "GB/T 18132 羊绒针织品"))
        parameters += [
            ProductParameter(product=product, name=name, value=value, position=position)
            for position, (name, value) in enumerate(lines)
        ]
    ProductAttributeValue.objects.bulk_create(values)
    ProductParameter.objects.bulk_create(parameters)


def _related(planned: list[_Planned], products: dict[str, Product]) -> None:
    """Four neighbours of the same category are related; garments get three accessories."""
    by_leaf: dict[str, list[Product]] = {}
    for plan in planned:
        by_leaf.setdefault(plan.leaf.code, []).append(products[plan.style_code])
    accessories = [p for code in ("AS", "AH", "AG") for p in by_leaf.get(code, [])]
    related = Product.related_products.through
    accessory = Product.accessories.through
    related_rows, accessory_rows = [], []
    for plan in planned:
        product = products[plan.style_code]
        siblings = by_leaf[plan.leaf.code]
        index = siblings.index(product)
        for step in range(1, min(5, len(siblings))):
            other = siblings[(index + step) % len(siblings)]
            related_rows.append(related(from_product=product, to_product=other))
        if plan.leaf.path[0] in {"女装", "男装", "童装"} and accessories:
            for step in range(3):
                other = accessories[(index * 3 + step * 7) % len(accessories)]
                accessory_rows.append(accessory(from_product=product, to_product=other))
    related.objects.bulk_create(related_rows, ignore_conflicts=True)
    accessory.objects.bulk_create(accessory_rows, ignore_conflicts=True)


def _store_clip(name: str, poster: str, render) -> None:
    if default_storage.exists(name) and default_storage.exists(poster):
        return
    clip, still = render()
    for path, data in ((name, clip), (poster, still)):
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(data))


def _videos(planned: list[_Planned], products: dict[str, Product]) -> None:
    """Short clips for the six best sellers among the garments (PDP-2)."""
    garments = {"coat", "crew", "turtle", "cardigan", "dress"}
    chosen = sorted((p for p in planned if p.leaf.shape in garments), key=lambda p: -p.sales)[:6]
    for plan in chosen:
        folder = f"catalog/products/{plan.style_code}"
        video, poster = f"{folder}/{plan.style_code}.mp4", f"{folder}/{plan.style_code}-poster.jpg"
        render = partial(
            pictures.video_clip,
            shape=plan.leaf.shape,
            colours=[hex_colour for _colour, hex_colour in plan.colours],
            caption=f"{plan.brand} {plan.name}",
        )
        _store_clip(video, poster, render)
        product = products[plan.style_code]
        product.video.name, product.video_poster.name = video, poster
        product.save(update_fields=["video", "video_poster", "updated_at"])


# Packed weight of one piece by the leaf's shape, for courier fees by weight (grams).
WEIGHT_GRAMS = {
    "crew": 450,
    "turtle": 500,
    "vneck": 450,
    "cardigan": 550,
    "coat": 1600,
    "dress": 650,
    "kids": 300,
    "scarf": 250,
    "shawl": 400,
    "hat": 150,
    "gloves": 150,
    "blanket": 1800,
    "cushion": 700,
}


def _weights(planned: list[_Planned]) -> None:
    by_shape: dict[str, list[str]] = {}
    for plan in planned:
        by_shape.setdefault(plan.leaf.shape, []).append(plan.style_code)
    for shape, codes in by_shape.items():
        Sku.objects.filter(product__style_code__in=codes).update(weight_grams=WEIGHT_GRAMS[shape])


def load_products(all_leaves: list[Leaf], rng: random.Random) -> None:
    """The products through the Excel import, then pictures, attributes, links and videos."""
    planned = _plan(all_leaves, rng)
    if Product.objects.filter(style_code=planned[0].style_code).exists():
        return
    report = product_import(_workbook(planned))
    if not report.ok:
        raise RuntimeError(f"the demo catalogue did not import: {report.errors[:3]}")
    codes = [plan.style_code for plan in planned]
    products = {p.style_code: p for p in Product.objects.filter(style_code__in=codes)}
    for plan in planned:
        products[plan.style_code].sales_count = plan.sales
    Product.objects.bulk_update(products.values(), ["sales_count"])
    _weights(planned)
    _images(planned, products)
    _attributes(planned, products, rng)
    _related(planned, products)
    _videos(planned, products)


def _brand_rotation() -> None:
    """Two hall brands featured each week, from four weeks ago to eight weeks ahead."""
    hall = list(Brand.objects.filter(in_brand_hall=True, is_active=True).order_by("position"))
    if not hall or BrandFeature.objects.exists():
        return
    today = local_day()
    start = day_start(today - timedelta(days=today.weekday() + 28))
    rows = []
    for week in range(12):
        begins = start + timedelta(weeks=week)
        for slot in range(2):
            rows.append(
                BrandFeature(
                    brand=hall[(week * 2 + slot) % len(hall)],
                    starts_at=begins,
                    ends_at=begins + timedelta(weeks=1),
                    position=slot,
                )
            )
    BrandFeature.objects.bulk_create(rows)


def load_demo_catalog() -> list[tuple[str, str, str]]:
    """Load the demo catalogue, stores and home page; return the store staff logins."""
    rng = random.Random(2026)  # noqa: S311 - the same demo data on every machine
    actor = User.objects.filter(is_superuser=True).order_by("id").first()
    if actor is None:
        raise RuntimeError("load the demo users first: the platform admin books the stock")
    all_leaves = leaves()
    with transaction.atomic():
        load_reference_data(all_leaves)
        load_products(all_leaves, rng)
        _brand_rotation()
        stores = load_stores()
        logins = load_staff()
        load_assortment(actor=actor, stores=stores, rng=rng)
        load_home()
        load_fee_template()
    return logins
