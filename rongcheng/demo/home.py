"""The demo home page: templates, banners, areas in order, videos and promotion notices."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from rongcheng.catalog.models import Brand, Category, Product
from rongcheng.catalog.spreadsheet import category_paths
from rongcheng.cms.models import (
    Ad,
    AdSlot,
    DisplayTemplate,
    HomeArea,
    HomeVideo,
    PromotionNotice,
)
from rongcheng.core import image_variants
from rongcheng.demo import pictures

TEMPLATES = [
    ("轮播大图", DisplayTemplate.Layout.CAROUSEL, 1, 1),
    ("五列两行", DisplayTemplate.Layout.GRID, 5, 2),
    ("六列两行", DisplayTemplate.Layout.GRID, 6, 2),
    ("大图加网格", DisplayTemplate.Layout.FEATURE, 4, 2),
    ("公告列表", DisplayTemplate.Layout.LIST, 1, 5),
    ("视频三联", DisplayTemplate.Layout.FEATURE, 3, 1),
]

# ((Chinese title, subtitle), (English title, subtitle), shapes, colours, link: ("category",
# path) or ("brand", name)): each banner is drawn once per language.
BANNERS = [
    (
        ("冬季羊绒季", "羊绒大衣 限时特惠"),
        ("Winter Cashmere", "Cashmere coats, limited offer"),
        ["coat", "crew", "scarf", "hat"],
        ["#c19a6b", "#1f2a44", "#7b1e2b", "#d8c8a8"],
        ("category", "女装/羊绒大衣"),
    ),
    (
        ("一件好羊绒", "圆领羊绒衫 经典百搭"),
        ("Classic Knits", "Crew necks that go with everything"),
        ["crew", "turtle", "vneck"],
        ["#d8c8a8", "#4a4a4a", "#7a8ca3"],
        ("category", "女装/羊绒衫/圆领羊绒衫"),
    ),
    (
        ("给孩子最软的绒", "童装羊绒 新品上市"),
        ("For the Little Ones", "New cashmere for children"),
        ["kids", "cardigan", "hat"],
        ["#e8b4b8", "#c8923a", "#efe8dc"],
        ("brand", "小绒羊"),
    ),
    (
        ("羊绒入家", "羊绒毯与靠垫"),
        ("Cashmere at Home", "Throws and cushions"),
        ["blanket", "cushion"],
        ["#9d8aa5", "#d8c8a8"],
        ("category", "家居/羊绒毯"),
    ),
]
CATEGORY_BANNERS = [
    (
        ("新品上市", "本周新到的羊绒好物"),
        ("New Arrivals", "This week's new cashmere"),
        ["cardigan", "dress", "shawl"],
        ["#2f4f3a", "#e8b4b8", "#efe8dc"],
        ("category", "女装/羊绒开衫"),
    ),
    (
        ("男士羊绒", "低调的温暖"),
        ("For Him", "Quiet warmth"),
        ["coat", "turtle", "gloves"],
        ["#222222", "#1f2a44", "#4a4a4a"],
        ("category", "男装/羊绒大衣"),
    ),
]
SHOP_NOW = {"zh": "立即选购", "en": "Shop now"}
# (title, kind, template, leaf code of a category area)
AREAS = [
    ("大幅广告", HomeArea.Kind.BANNER, "轮播大图", ""),
    ("促销公告", HomeArea.Kind.NOTICES, "公告列表", ""),
    ("热销商品", HomeArea.Kind.HOT_PRODUCTS, "五列两行", ""),
    ("推荐门店", HomeArea.Kind.FEATURED_STORES, "五列两行", ""),
    ("热门品牌", HomeArea.Kind.HOT_BRANDS, "六列两行", ""),
    ("特卖专区", HomeArea.Kind.SPECIAL_SALE, "五列两行", ""),
    ("羊绒视频", HomeArea.Kind.VIDEOS, "视频三联", ""),
    ("女装", HomeArea.Kind.CATEGORY, "大图加网格", "女装"),
    ("男装", HomeArea.Kind.CATEGORY, "五列两行", "男装"),
    ("配饰", HomeArea.Kind.CATEGORY, "五列两行", "配饰"),
    ("童装", HomeArea.Kind.CATEGORY, "五列两行", "童装"),
    ("家居", HomeArea.Kind.CATEGORY, "五列两行", "家居"),
]
NOTICES = [
    (
        "羊绒大衣季：满 3000 减 300",
        "活动期间全场羊绒大衣满 3000 元减 300 元，可与会员积分同时使用。",
        True,
    ),
    (
        "新会员首单赠羊绒护理套装",
        "注册成为会员后首次下单，随单赠送羊绒梳与护理喷雾一套，数量有限，送完即止。",
        False,
    ),
    ("门店自提享免费熨烫", "选择门店自提的订单，可在门店免费享受一次羊绒专业熨烫护理。", False),
    ("冬季新品陆续到店", "女装羊绒开衫、男装高领羊绒衫新款已陆续到店，欢迎就近门店试穿。", False),
]


def _banner_file(slot: AdSlot, position: int, language: str, banner) -> str:
    (title, subtitle), (title_en, subtitle_en), shapes, colours, _link = banner
    suffix = "" if language == "zh" else f"-{language}"
    name = f"cms/ads/{slot.code}-{position + 1}{suffix}.jpg"
    if not default_storage.exists(name):
        chinese = language == "zh"
        data = pictures.banner_picture(
            width=slot.width,
            height=slot.height,
            colours=colours,
            shapes=shapes,
            title=title if chinese else title_en,
            subtitle=subtitle if chinese else subtitle_en,
            action=SHOP_NOW[language],
            chinese=chinese,
            tone=position,
        )
        default_storage.save(name, ContentFile(data))
        image_variants.write(name, "banner", source=data)
    elif not image_variants.complete(name, "banner"):
        image_variants.write(name, "banner")
    return name


def _slot_ads(slot: AdSlot, banners, categories: dict[str, int], now) -> None:
    for position, banner in enumerate(banners):
        (title, _subtitle), _english, _shapes, _colours, (kind, target) = banner
        link = (
            {"category_id": categories[target]}
            if kind == "category"
            else {"brand": Brand.objects.get(name=target)}
        )
        Ad.objects.create(
            slot=slot,
            title=title,
            image=_banner_file(slot, position, "zh", banner),
            image_widths=image_variants.recorded("banner"),
            image_en=_banner_file(slot, position, "en", banner),
            image_en_widths=image_variants.recorded("banner"),
            starts_at=now - timedelta(days=7),
            ends_at=now + timedelta(days=60),
            position=position,
            **link,
        )


def _home_videos(videos: list[Product]) -> None:
    for rank, product in enumerate(videos, start=1):
        HomeVideo.objects.create(
            title=product.name,
            kind=HomeVideo.Kind.PRODUCT,
            video=product.video.name,
            poster=product.video_poster.name,
            product=product,
            rank=rank,
        )
    video, poster = "cms/videos/brand-film.mp4", "cms/videos/brand-film.jpg"
    if not default_storage.exists(video) or not default_storage.exists(poster):
        clip, still = pictures.video_clip(
            shape="scarf",
            colours=["#7b1e2b", "#c19a6b", "#1f2a44", "#d8c8a8"],
            caption="绒城购 · 一缕好绒",
        )
        for name, data in ((video, clip), (poster, still)):
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(data))
    HomeVideo.objects.create(
        title="一缕好绒：从牧场到衣橱", kind=HomeVideo.Kind.AD, video=video, poster=poster, rank=3
    )


def load_home() -> None:
    if HomeArea.objects.exists():
        return
    now = timezone.now()
    categories = {path: pk for pk, path in category_paths().items()}
    templates = {}
    for name, layout, columns, rows in TEMPLATES:
        templates[name], _created = DisplayTemplate.objects.get_or_create(
            name=name, defaults={"layout": layout, "columns": columns, "rows": rows}
        )
    home_slot, _created = AdSlot.objects.get_or_create(
        code="home-banner", defaults={"name": "首页大幅广告", "width": 1200, "height": 400}
    )
    category_slot, _created = AdSlot.objects.get_or_create(
        code="category-top", defaults={"name": "类目页顶部广告", "width": 1200, "height": 240}
    )
    if not Ad.objects.filter(slot__in=[home_slot, category_slot]).exists():
        _slot_ads(home_slot, BANNERS, categories, now)
        _slot_ads(category_slot, CATEGORY_BANNERS, categories, now)
    tops = dict(Category.objects.filter(parent=None).values_list("name", "id"))
    for position, (title, kind, template, top) in enumerate(AREAS):
        HomeArea.objects.create(
            title=title,
            kind=kind,
            template=templates[template],
            category_id=tops[top] if top else None,
            ad_slot=home_slot if kind == HomeArea.Kind.BANNER else None,
            position=position,
        )
    for index, (title, body, pinned) in enumerate(NOTICES):
        PromotionNotice.objects.create(
            title=title,
            body=body,
            starts_at=now - timedelta(days=3 + index),
            ends_at=now + timedelta(days=30),
            is_pinned=pinned,
        )
    if not HomeVideo.objects.exists():
        _home_videos(list(Product.objects.exclude(video="").order_by("-sales_count")[:2]))
