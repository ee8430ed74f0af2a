"""The product workbook layout shared by import and export (ADM-1): one row per SKU; rows
with the same style code (款号) make one product."""

from django.utils.translation import gettext_lazy as _

from rongcheng.catalog.models import Category

# (key, header). The headers are what operators see and type; keep them stable.
COLUMNS = [
    ("style_code", _("款号")),
    ("name", _("商品名称")),
    ("subtitle", _("卖点")),
    ("category", _("类目")),
    ("brand", _("品牌")),
    ("product_type", _("商品类型")),
    ("audience", _("适用人群")),
    ("launch_date", _("上市日期")),
    ("description", _("商品详情")),
    ("sku_code", _("SKU编码")),
    ("colour", _("颜色")),
    ("colour_hex", _("色值")),
    ("size", _("尺码")),
    ("price", _("全国统一价")),
    ("special_price", _("特价")),
    ("special_starts_at", _("特价开始")),
    ("special_ends_at", _("特价结束")),
]
PRODUCT_KEYS = [
    "name",
    "subtitle",
    "category",
    "brand",
    "product_type",
    "audience",
    "launch_date",
    "description",
]
CATEGORY_SEPARATOR = "/"
SHEET_TITLE = "商品"


def category_paths() -> dict[int, str]:
    """Every category (active or not) as its full path, e.g. 女装/羊绒衫/圆领羊绒衫."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in Category.objects.values_list("id", "name", "parent_id")
    }
    paths: dict[int, str] = {}
    for pk in rows:
        names, node = [], pk
        while node is not None and len(names) <= len(rows):
            name, parent = rows[node]
            names.append(name)
            node = parent
        paths[pk] = CATEGORY_SEPARATOR.join(reversed(names))
    return paths
