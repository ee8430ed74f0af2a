"""Export products and SKUs as an Excel workbook in the import layout (ADM-1)."""

from collections.abc import Iterable
from io import BytesIO

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from rongcheng.catalog.models import Product, Sku
from rongcheng.catalog.spreadsheet import COLUMNS, SHEET_TITLE, category_paths
from rongcheng.core.dates import local_time

COLUMN_WIDTHS = {"name": 28, "category": 24, "description": 40, "sku_code": 18}


def _local(moment):
    """openpyxl cannot store time zones: write local (Asia/Shanghai) wall-clock time."""
    return local_time(moment).replace(tzinfo=None) if moment else None


def _row(sku: Sku, paths: dict[int, str]) -> list:
    product = sku.product
    values = {
        "style_code": product.style_code,
        "name": product.name,
        "subtitle": product.subtitle,
        "category": paths.get(product.category_id, ""),
        "brand": product.brand.name,
        "product_type": product.product_type.name if product.product_type else "",
        "audience": product.audience.name if product.audience else "",
        "launch_date": product.launch_date,
        "description": product.description,
        "sku_code": sku.code,
        "colour": sku.colour,
        "colour_hex": sku.colour_hex,
        "size": sku.size,
        "price": sku.price,
        "special_price": sku.special_price,
        "special_starts_at": _local(sku.special_starts_at),
        "special_ends_at": _local(sku.special_ends_at),
    }
    return [values[key] for key, _title in COLUMNS]


def product_export(*, products: QuerySet[Product] | Iterable[Product]) -> bytes:
    """The products' SKUs, one row each; an empty selection gives the blank template."""
    ids = [product.pk for product in products]
    skus = (
        Sku.objects.filter(product_id__in=ids)
        .select_related("product__brand", "product__product_type", "product__audience")
        .order_by("product__style_code", "position", "id")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([str(title) for _key, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, (key, _title) in enumerate(COLUMNS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(key, 12)
    paths = category_paths() if ids else {}
    for sku in skus:
        sheet.append(_row(sku, paths))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
