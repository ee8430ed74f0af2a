"""The home page as operations arrange it (HOME-1…4, ADM-7): areas, templates, ads, notices."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core import image_variants
from rongcheng.core.models import BaseModel
from rongcheng.core.translation import english_char, english_text
from rongcheng.core.uploads import validate_image_upload, validate_video_upload


class DisplayTemplate(BaseModel):
    """How an area is laid out (HOME-2): a layout the storefront draws, in columns × rows."""

    class Layout(models.TextChoices):
        GRID = "grid", _("网格")
        CAROUSEL = "carousel", _("轮播")
        FEATURE = "feature", _("大图+网格")
        LIST = "list", _("列表")

    name = models.CharField(_("模板名称"), max_length=50, unique=True)
    layout = models.CharField(_("版式"), max_length=20, choices=Layout.choices)
    columns = models.PositiveSmallIntegerField(_("每行个数"), default=5)
    rows = models.PositiveSmallIntegerField(_("行数"), default=2)

    class Meta:
        verbose_name = _("展示模板")
        verbose_name_plural = _("展示模板")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(columns__gte=1, columns__lte=8, rows__gte=1, rows__lte=6),
                name="template_size_sane",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.columns}×{self.rows}）"

    @property
    def capacity(self) -> int:
        return self.columns * self.rows


class AdSlot(BaseModel):
    """A place for ads, such as the home banner carousel or the top of a category page."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    width = models.PositiveSmallIntegerField(_("宽（像素）"), default=1200)
    height = models.PositiveSmallIntegerField(_("高（像素）"), default=400)
    is_carousel = models.BooleanField(_("轮播"), default=True)

    class Meta:
        verbose_name = _("广告位")
        verbose_name_plural = _("广告位")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Ad(BaseModel):
    """One ad in a slot, shown inside its schedule.

    It points at a product, a category or a brand (the storefront builds the link), or at
    `link_url` when none of them is set.
    """

    slot = models.ForeignKey(
        AdSlot, verbose_name=_("广告位"), on_delete=models.CASCADE, related_name="ads"
    )
    title = models.CharField(_("标题"), max_length=100)
    title_en = english_char(_("标题"), 150)
    image = models.ImageField(_("图片"), upload_to="cms/ads/", validators=[validate_image_upload])
    image_widths = image_variants.widths_field()
    # Ad pictures carry their words: English pages show the English picture when there is one.
    image_en = models.ImageField(
        _("英文图片"),
        upload_to="cms/ads/",
        blank=True,
        validators=[validate_image_upload],
        help_text=_("英文页面显示；不填则显示中文图片"),
    )
    image_en_widths = image_variants.widths_field()
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("链接商品"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("链接类目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brand = models.ForeignKey(
        "catalog.Brand",
        verbose_name=_("链接品牌"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(_("链接地址"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("广告")
        verbose_name_plural = _("广告")
        ordering = ["slot", "position", "id"]
        indexes = [models.Index(fields=["slot", "is_active", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="ad_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def image_for(self, language: str):
        """The picture to show on pages in the given language."""
        return self.image_en if language.startswith("en") and self.image_en else self.image

    def image_widths_for(self, language: str) -> str:
        """The recorded widths of the WebP variants of `image_for(language)`."""
        return getattr(self, f"{self.image_for(language).field.name}_widths")


class HomeArea(BaseModel):
    """One block of the home page (HOME-1), in the order operations set (position)."""

    class Kind(models.TextChoices):
        BANNER = "banner", _("大幅广告")
        HOT_PRODUCTS = "hot_products", _("热销商品")
        COUPONS = "coupons", _("优惠券")
        FEATURED_STORES = "featured_stores", _("推荐门店")
        HOT_BRANDS = "hot_brands", _("热门品牌")
        SPECIAL_SALE = "special_sale", _("特卖专区")
        CATEGORY = "category", _("类目专区")
        VIDEOS = "videos", _("视频")
        NOTICES = "notices", _("促销公告")

    title = models.CharField(_("标题"), max_length=50)
    title_en = english_char(_("标题"), 80)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    template = models.ForeignKey(
        DisplayTemplate,
        verbose_name=_("展示模板"),
        on_delete=models.PROTECT,
        related_name="areas",
    )
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("类目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("类目专区展示此类目及其下级类目的商品。"),
    )
    ad_slot = models.ForeignKey(
        AdSlot,
        verbose_name=_("广告位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("首页区域")
        verbose_name_plural = _("首页区域")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="category") | Q(category__isnull=False),
                name="category_area_has_category",
            ),
            models.CheckConstraint(
                condition=~Q(kind="banner") | Q(ad_slot__isnull=False),
                name="banner_area_has_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class HomeAreaProduct(models.Model):
    """A product operations pinned into an area; without pins the area fills itself."""

    area = models.ForeignKey(HomeArea, on_delete=models.CASCADE, related_name="pins")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指定商品")
        verbose_name_plural = _("指定商品")
        ordering = ["area", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "product"], name="area_product_once")
        ]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.product_id}"


class HomeVideo(BaseModel):
    """A recommended-product or ad video on the home page (HOME-3); rank 1 plays largest."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("推荐商品视频")
        AD = "ad", _("广告视频")

    title = models.CharField(_("标题"), max_length=100)
    title_en = english_char(_("标题"), 150)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    video = models.FileField(
        _("视频文件"), upload_to="cms/videos/", validators=[validate_video_upload]
    )
    poster = models.ImageField(
        _("封面"), upload_to="cms/videos/", validators=[validate_image_upload]
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("商品"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("排名"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("首页视频")
        verbose_name_plural = _("首页视频")
        ordering = ["rank", "id"]
        indexes = [models.Index(fields=["is_active", "rank"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="product") | Q(product__isnull=False),
                name="product_video_has_product",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PromotionNotice(BaseModel):
    """A promotion notice shown on the home page inside its schedule (HOME-4)."""

    title = models.CharField(_("标题"), max_length=100)
    title_en = english_char(_("标题"), 150)
    body = models.TextField(_("内容"))
    body_en = english_text(_("内容"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    is_pinned = models.BooleanField(_("置顶"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("促销公告")
        verbose_name_plural = _("促销公告")
        ordering = ["-is_pinned", "-starts_at"]
        indexes = [models.Index(fields=["is_active", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="notice_window"),
        ]

    def __str__(self) -> str:
        return self.title
