"""The catalogue operations define (ROLE-3): categories, brands, product types, products, SKUs.

Stores do not own products; they choose which ones they sell (inventory.StoreListing).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core import image_variants
from rongcheng.core.models import BaseModel
from rongcheng.core.translation import english_char, english_text
from rongcheng.core.uploads import validate_image_upload, validate_video_upload


class Category(BaseModel):
    """A node of the category tree; the tree has no depth limit (ADM-11).

    Only the parent is stored: the whole tree is small, is read from the cache in one piece
    (selectors.category_tree) and subtrees are resolved from it.
    """

    name = models.CharField(_("名称"), max_length=50)
    name_en = english_char(_("名称"), 80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    is_recommended = models.BooleanField(_("推荐类目"), default=False)
    product_type = models.ForeignKey(
        "ProductType",
        verbose_name=_("商品类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
        help_text=_("高级搜索用此类型的关键属性；为空时沿用上级类目的类型。"),
    )

    class Meta:
        verbose_name = _("类目")
        verbose_name_plural = _("类目")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["parent", "position"])]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    """Who goods are for: 女士, 男士, 儿童 … (BRAND-1, SALE-1 filters)."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    name_en = english_char(_("名称"), 30)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("适用人群")
        verbose_name_plural = _("适用人群")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Brand(BaseModel):
    name = models.CharField(_("品牌名称"), max_length=50, unique=True)
    name_latin = models.CharField(_("英文名"), max_length=50, blank=True)
    logo = models.ImageField(
        _("标志"), upload_to="catalog/brands/", blank=True, validators=[validate_image_upload]
    )
    logo_widths = image_variants.widths_field()
    slogan = models.CharField(_("口号"), max_length=100, blank=True)
    slogan_en = english_char(_("口号"), 150)
    description = models.TextField(_("品牌介绍"), blank=True)
    description_en = english_text(_("品牌介绍"))
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("适用人群"), blank=True, related_name="brands"
    )
    in_brand_hall = models.BooleanField(
        _("入驻品牌馆"), default=False, help_text=_("付费入驻的品牌在品牌馆展示（BRAND-1）。")
    )
    is_hot = models.BooleanField(_("热门品牌"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("品牌")
        verbose_name_plural = _("品牌")
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["in_brand_hall", "is_active", "position"]),
            models.Index(fields=["is_hot", "is_active", "position"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_en(self) -> str:
        """A brand's English name is its Latin name."""
        return self.name_latin


class BrandFeature(BaseModel):
    """A window in which a brand is featured on top of the brand hall; windows rotate."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.CASCADE, related_name="features"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("品牌推荐档期")
        verbose_name_plural = _("品牌推荐档期")
        ordering = ["starts_at", "position"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="brand_feature_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class ProductType(BaseModel):
    """Groups products that share attributes, e.g. 羊绒衫 with 领型, 针法, 支数."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = english_char(_("名称"), 80)

    class Meta:
        verbose_name = _("商品类型")
        verbose_name_plural = _("商品类型")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Attribute(BaseModel):
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("商品类型"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    name = models.CharField(_("属性名"), max_length=50)
    name_en = english_char(_("属性名"), 80)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    is_key = models.BooleanField(
        _("关键属性"), default=False, help_text=_("关键属性出现在高级搜索中（SRCH-2）。")
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("属性")
        verbose_name_plural = _("属性")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "name"], name="attribute_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.product_type} · {self.name}"


class AttributeOption(models.Model):
    attribute = models.ForeignKey(
        Attribute, verbose_name=_("属性"), on_delete=models.CASCADE, related_name="options"
    )
    value = models.CharField(_("可选值"), max_length=50)
    value_en = english_char(_("可选值"), 80)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("属性可选值")
        verbose_name_plural = _("属性可选值")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "value"], name="attribute_option_unique")
        ]

    def __str__(self) -> str:
        return self.value


def _product_media_path(instance, filename: str) -> str:
    return f"catalog/products/{instance.style_code}/{filename}"


class Product(BaseModel):
    """A style (SPU); what is sold is one of its SKUs (colour × size)."""

    style_code = models.CharField(_("款号"), max_length=32, unique=True)
    name = models.CharField(_("商品名称"), max_length=100)
    name_en = english_char(_("商品名称"), 150)
    subtitle = models.CharField(_("卖点"), max_length=200, blank=True)
    subtitle_en = english_char(_("卖点"), 250)
    category = models.ForeignKey(
        Category, verbose_name=_("类目"), on_delete=models.PROTECT, related_name="products"
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("品牌"), on_delete=models.PROTECT, related_name="products"
    )
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("商品类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    audience = models.ForeignKey(
        Audience,
        verbose_name=_("适用人群"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    description = models.TextField(_("商品详情"), blank=True)
    description_en = english_text(_("商品详情"))
    launch_date = models.DateField(_("上市日期"))
    is_active = models.BooleanField(
        _("上架到商品库"), default=True, help_text=_("停用后所有门店都不再销售。")
    )
    # Lowest national price of its SKUs, kept by services.product_price_refresh so that
    # lists sort by price on an index.
    price = models.DecimalField(
        _("最低全国统一价"), default=0, editable=False, max_digits=12, decimal_places=2
    )
    sales_count = models.PositiveIntegerField(_("销量"), default=0)
    video = models.FileField(
        _("商品视频"),
        upload_to=_product_media_path,
        blank=True,
        validators=[validate_video_upload],
    )
    video_poster = models.ImageField(
        _("视频封面"),
        upload_to=_product_media_path,
        blank=True,
        validators=[validate_image_upload],
    )
    related_products = models.ManyToManyField(
        "self", verbose_name=_("相关商品"), symmetrical=False, blank=True, related_name="+"
    )
    accessories = models.ManyToManyField(
        "self", verbose_name=_("相关配件"), symmetrical=False, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = _("商品")
        ordering = ["-launch_date", "-id"]
        # The lists' orders (selectors.cards.ORDERINGS) end with the id, and so do their
        # indexes: an index holding a whole order hands a page over as it stands. Without
        # the id, PostgreSQL read a leaf category's page from the sort column's index over
        # every product, filtered (3–4 ms against 0.3–0.6 at 100,000 products).
        indexes = [
            models.Index(fields=["category", "is_active", "-sales_count", "-id"]),
            models.Index(fields=["category", "is_active", "price", "id"]),
            models.Index(fields=["category", "is_active", "-launch_date", "-id"]),
            models.Index(fields=["brand", "is_active", "-sales_count", "-id"]),
            models.Index(fields=["is_active", "-sales_count", "-id"]),
            models.Index(fields=["is_active", "-launch_date", "-id"]),
            models.Index(fields=["is_active", "price", "id"]),
            models.Index(fields=["audience", "is_active"]),
            # A brand within a category (the category page's brand filter): its count and its
            # page in every sort read this index alone, a few hundred entries, not the rows
            # (PostgreSQL; SQLite keeps the index without the included columns).
            models.Index(
                fields=["brand", "category"],
                include=["is_active", "sales_count", "price", "launch_date", "id"],
                name="product_brand_category_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Sku(BaseModel):
    """One colour × size of a product, with its one national price (STORE-2).

    A special price applies only inside its window (calculations.sku_price).
    """

    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.CASCADE, related_name="skus"
    )
    code = models.CharField(_("SKU 编码"), max_length=40, unique=True)
    colour = models.CharField(_("颜色"), max_length=20)
    colour_en = english_char(_("颜色"), 30)
    colour_hex = models.CharField(_("色值"), max_length=7, default="#c8b8a6")
    size = models.CharField(_("尺码"), max_length=20)
    size_en = english_char(_("尺码"), 30)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    price = models.DecimalField(_("全国统一价"), max_digits=12, decimal_places=2)
    special_price = models.DecimalField(
        _("特价"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    special_starts_at = models.DateTimeField(_("特价开始"), null=True, blank=True)
    special_ends_at = models.DateTimeField(_("特价结束"), null=True, blank=True)
    # Packed weight: courier fees by weight (ADM-3) add up the weights of an order's lines.
    weight_grams = models.PositiveIntegerField(_("重量（克）"), default=500)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKU")
        ordering = ["product", "position", "id"]
        indexes = [
            models.Index(fields=["special_starts_at", "special_ends_at"]),
            models.Index(fields=["product", "is_active", "price"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "colour", "size"], name="sku_unique_colour_size"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="sku_price_positive"),
            models.CheckConstraint(
                condition=Q(special_price__isnull=True)
                | Q(
                    special_price__gt=0,
                    special_price__lt=F("price"),
                    special_starts_at__isnull=False,
                    special_ends_at__isnull=False,
                    special_ends_at__gt=F("special_starts_at"),
                ),
                name="sku_special_price_in_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.colour}/{self.size}"


def _image_path(instance, filename: str) -> str:
    return f"catalog/products/{instance.product.style_code}/{filename}"


def _thumbnail_path(instance, filename: str) -> str:
    return f"catalog/products/{instance.product.style_code}/thumbs/{filename}"


class ProductImage(BaseModel):
    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("图片"), upload_to=_image_path, validators=[validate_image_upload])
    image_widths = image_variants.widths_field()
    # Generated from `image` by services.product_image_thumbnail_refresh.
    thumbnail = models.ImageField(
        _("缩略图"), upload_to=_thumbnail_path, blank=True, validators=[validate_image_upload]
    )
    thumbnail_widths = image_variants.widths_field()
    colour = models.CharField(_("颜色"), max_length=20, blank=True)
    alt = models.CharField(_("说明文字"), max_length=100, blank=True)
    alt_en = english_char(_("说明文字"), 150)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("商品图片")
        verbose_name_plural = _("商品图片")
        ordering = ["product", "position", "id"]
        indexes = [models.Index(fields=["product", "position"])]

    def __str__(self) -> str:
        return self.alt or self.image.name


class ProductAttributeValue(models.Model):
    """The value of one attribute for one product; key ones feed advanced search."""

    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.CASCADE, related_name="attribute_values"
    )
    attribute = models.ForeignKey(
        Attribute, verbose_name=_("属性"), on_delete=models.CASCADE, related_name="values"
    )
    option = models.ForeignKey(
        AttributeOption,
        verbose_name=_("可选值"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.CharField(_("取值"), max_length=100, blank=True)
    value_en = english_char(_("取值"), 150)

    class Meta:
        verbose_name = _("属性值")
        verbose_name_plural = _("属性值")
        indexes = [models.Index(fields=["attribute", "option"])]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "attribute"], name="product_attribute_unique"
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(value=""),
                name="attribute_value_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute.name}: {self.display_value}"

    @property
    def display_value(self) -> str:
        return self.option.value if self.option is not None else self.value


class ProductParameter(models.Model):
    """A line of the parameter table on the product page (成分, 产地, 洗涤 …)."""

    product = models.ForeignKey(
        Product, verbose_name=_("商品"), on_delete=models.CASCADE, related_name="parameters"
    )
    name = models.CharField(_("参数"), max_length=30)
    name_en = english_char(_("参数"), 50)
    value = models.CharField(_("内容"), max_length=200)
    value_en = english_char(_("内容"), 300)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("商品参数")
        verbose_name_plural = _("商品参数")
        ordering = ["product", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
