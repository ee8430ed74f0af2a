"""Import products and SKUs from an Excel workbook (ADM-1).

All rows are checked first; a file with any bad row writes nothing and the report lists
every error with its row and column. A good file creates or updates (by 款号 and SKU编码)
exactly the products and SKUs it holds, in one transaction.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from rongcheng.catalog.errors import ImportFileInvalid, ImportFileTooLarge
from rongcheng.catalog.models import Audience, Brand, Product, ProductType, Sku
from rongcheng.catalog.services import product_price_refresh
from rongcheng.catalog.spreadsheet import COLUMNS, PRODUCT_KEYS, category_paths
from rongcheng.core.dates import as_site_time

HEADER_ROW = 1
REQUIRED = {"style_code", "name", "category", "brand", "launch_date", "sku_code", "colour"}
REQUIRED |= {"size", "price"}
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_HEX = "#c8b8a6"
MAX_LENGTH = {
    "style_code": 32,
    "name": 100,
    "subtitle": 200,
    "sku_code": 40,
    "colour": 20,
    "size": 20,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    products_created: int = 0
    products_updated: int = 0
    skus_created: int = 0
    skus_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _RowInvalid(Exception):
    def __init__(self, key: str, message: str):
        self.key, self.message = key, message


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_size(file: IO[bytes]) -> None:
    limit = settings.RONGCHENG["IMPORT_MAX_BYTES"]
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > limit:
        raise ImportFileTooLarge(
            _("文件超过 %(limit)s，请拆分成几个文件分批导入。") % {"limit": filesizeformat(limit)}
        )


def _read(file: IO[bytes]) -> tuple[list[str], list[_Row]]:
    _check_size(file)
    max_rows = settings.RONGCHENG["IMPORT_MAX_ROWS"]
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileInvalid(_("无法读取文件，请上传 .xlsx 格式的商品表。")) from exc
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        keys_by_header = {str(title): key for key, title in COLUMNS}
        keys = [keys_by_header.get(title, "") for title in header]
        data = []
        for number, cells in enumerate(rows, start=HEADER_ROW + 1):
            if number - HEADER_ROW > max_rows:  # blank rows count too: they cost reading
                raise ImportFileTooLarge(
                    _("文件超过 %(n)d 行，请拆分成几个文件分批导入。") % {"n": max_rows}
                )
            values = {key: cell for key, cell in zip(keys, cells, strict=False) if key}
            if any(_text(value) for value in values.values()):
                data.append(_Row(number, values))
    finally:
        workbook.close()
    return keys, data


def _title(key: str) -> str:
    return str(dict(COLUMNS)[key])


class _Parser:
    """Turns one row's cells into clean values, raising _RowInvalid on the first bad cell."""

    def __init__(self):
        self.categories: dict[str, list[int]] = {}
        for pk, path in category_paths().items():
            self.categories.setdefault(path, []).append(pk)
        self.brands = dict(Brand.objects.values_list("name", "id"))
        self.types = dict(ProductType.objects.values_list("name", "id"))
        self.audiences = {}
        for pk, code, name in Audience.objects.values_list("id", "code", "name"):
            self.audiences[code] = self.audiences[name] = pk

    def text(self, row: _Row, key: str) -> str:
        value = _text(row.values.get(key))
        if key in REQUIRED and not value:
            raise _RowInvalid(key, _("必填"))
        if key in MAX_LENGTH and len(value) > MAX_LENGTH[key]:
            raise _RowInvalid(key, _("不能超过 %(n)d 个字") % {"n": MAX_LENGTH[key]})
        return value

    def money(self, row: _Row, key: str) -> Decimal | None:
        raw = self.text(row, key)
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise _RowInvalid(key, _("不是有效的金额")) from None
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise _RowInvalid(key, _("金额须大于零，最多两位小数"))
        return amount.quantize(Decimal("0.01"))

    def day(self, row: _Row, key: str) -> date:
        value = row.values.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(self.text(row, key))
        except ValueError:
            raise _RowInvalid(key, _("日期格式应为 2026-01-31")) from None

    def moment(self, row: _Row, key: str) -> datetime | None:
        value = row.values.get(key)
        if not isinstance(value, datetime):
            raw = self.text(row, key)
            if not raw:
                return None
            try:
                value = datetime.fromisoformat(raw)
            except ValueError:
                raise _RowInvalid(key, _("时间格式应为 2026-01-31 10:00")) from None
        return as_site_time(value)

    def lookup(self, row: _Row, key: str, table: dict[str, int]) -> int | None:
        value = self.text(row, key)
        if not value:
            return None
        if value not in table:
            raise _RowInvalid(key, _("“%(value)s”不存在，请先在后台创建") % {"value": value})
        return table[value]

    def category(self, row: _Row) -> int:
        path = "/".join(part.strip() for part in self.text(row, "category").split("/"))
        matches = self.categories.get(path, [])
        if not matches:
            raise _RowInvalid("category", _("类目“%(path)s”不存在") % {"path": path})
        if len(matches) > 1:
            raise _RowInvalid("category", _("类目“%(path)s”有重名，请先改名") % {"path": path})
        return matches[0]

    def parse(self, row: _Row) -> tuple[dict[str, Any], dict[str, Any]]:
        product = {
            "name": self.text(row, "name"),
            "subtitle": self.text(row, "subtitle"),
            "category": self.category(row),
            "brand": self.lookup(row, "brand", self.brands),
            "product_type": self.lookup(row, "product_type", self.types),
            "audience": self.lookup(row, "audience", self.audiences),
            "launch_date": self.day(row, "launch_date"),
            "description": self.text(row, "description"),
        }
        colour_hex = self.text(row, "colour_hex") or DEFAULT_HEX
        if not HEX_COLOUR.match(colour_hex):
            raise _RowInvalid("colour_hex", _("色值格式应为 #RRGGBB"))
        sku = {
            "code": self.text(row, "sku_code"),
            "colour": self.text(row, "colour"),
            "colour_hex": colour_hex.lower(),
            "size": self.text(row, "size"),
            "price": self.money(row, "price"),
            "special_price": self.money(row, "special_price"),
            "special_starts_at": self.moment(row, "special_starts_at"),
            "special_ends_at": self.moment(row, "special_ends_at"),
        }
        window = (sku["special_starts_at"], sku["special_ends_at"])
        if sku["special_price"] is None:
            if any(window):
                raise _RowInvalid("special_price", _("填写了特价时间但没有特价"))
        else:
            if sku["special_price"] >= sku["price"]:
                raise _RowInvalid("special_price", _("特价必须低于全国统一价"))
            if not all(window):
                raise _RowInvalid("special_starts_at", _("特价须填写开始和结束时间"))
            if window[1] <= window[0]:
                raise _RowInvalid("special_ends_at", _("特价结束时间须晚于开始时间"))
        return product, sku


@dataclass
class _Group:
    first_row: int
    product: dict[str, Any]
    skus: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _check_rows(rows: list[_Row], report: ImportReport) -> dict[str, _Group]:
    parser = _Parser()
    groups: dict[str, _Group] = {}
    sku_rows: dict[str, int] = {}
    variant_rows: dict[tuple[str, str, str], int] = {}

    def fail(row: int, key: str, message: str) -> None:
        report.errors.append(RowError(row, _title(key) if key else "", message))

    for row in rows:
        try:
            style_code = parser.text(row, "style_code")
            product, sku = parser.parse(row)
        except _RowInvalid as invalid:
            fail(row.number, invalid.key, invalid.message)
            continue
        group = groups.setdefault(style_code, _Group(row.number, product))
        for key in PRODUCT_KEYS:
            if group.product[key] != product[key]:
                fail(
                    row.number,
                    key,
                    _("与第 %(row)d 行同一款号的内容不一致") % {"row": group.first_row},
                )
                break
        else:
            if sku["code"] in sku_rows:
                message = _("与第 %(row)d 行的 SKU 编码重复") % {"row": sku_rows[sku["code"]]}
                fail(row.number, "sku_code", message)
                continue
            variant = (style_code, sku["colour"], sku["size"])
            if variant in variant_rows:
                message = _("与第 %(row)d 行的颜色和尺码重复") % {"row": variant_rows[variant]}
                fail(row.number, "size", message)
                continue
            sku_rows[sku["code"]] = variant_rows[variant] = row.number
            group.skus.append((row.number, sku))

    existing = {
        code: (style, colour, size)
        for code, style, colour, size in Sku.objects.filter(code__in=list(sku_rows)).values_list(
            "code", "product__style_code", "colour", "size"
        )
    }
    taken = {
        (style, colour, size): code
        for code, style, colour, size in Sku.objects.filter(
            product__style_code__in=list(groups)
        ).values_list("code", "product__style_code", "colour", "size")
    }
    for style_code, group in groups.items():
        for number, sku in group.skus:
            variant = (style_code, sku["colour"], sku["size"])
            if sku["code"] in existing and existing[sku["code"]][0] != style_code:
                fail(
                    number,
                    "sku_code",
                    _("该 SKU 编码已属于款号 %(s)s") % {"s": existing[sku["code"]][0]},
                )
            elif taken.get(variant, sku["code"]) != sku["code"]:
                fail(number, "size", _("该颜色尺码已有 SKU %(c)s") % {"c": taken[variant]})
    report.errors.sort(key=lambda error: error.row)
    return groups


def _product_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "subtitle": values["subtitle"],
        "category_id": values["category"],
        "brand_id": values["brand"],
        "product_type_id": values["product_type"],
        "audience_id": values["audience"],
        "launch_date": values["launch_date"],
        "description": values["description"],
    }


def _write(groups: dict[str, _Group], report: ImportReport) -> None:
    products = {p.style_code: p for p in Product.objects.filter(style_code__in=list(groups))}
    skus = {s.code: s for s in Sku.objects.filter(product__style_code__in=list(groups))}
    for style_code, group in groups.items():
        product = products.get(style_code)
        if product is None:
            product = Product.objects.create(
                style_code=style_code, **_product_fields(group.product)
            )
            report.products_created += 1
        else:
            for name, value in _product_fields(group.product).items():
                setattr(product, name, value)
            product.save()
            report.products_updated += 1
        for position, (_number, values) in enumerate(group.skus):
            sku = skus.get(values["code"])
            if sku is None:
                Sku.objects.create(product=product, position=position, **values)
                report.skus_created += 1
            else:
                for name, value in values.items():
                    setattr(sku, name, value)
                sku.position = position
                sku.save()
                report.skus_updated += 1
        products[style_code] = product
    product_price_refresh(product_ids=[product.id for product in products.values()])


def product_import(file: IO[bytes]) -> ImportReport:
    """Check every row of the workbook, then write all of it or nothing."""
    report = ImportReport()
    keys, rows = _read(file)
    missing = [str(title) for key, title in COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        report.errors.append(
            RowError(HEADER_ROW, "", _("表头缺少列：%(cols)s") % {"cols": "、".join(missing)})
        )
        return report
    if not rows:
        report.errors.append(RowError(HEADER_ROW + 1, "", _("文件中没有商品行")))
        return report
    groups = _check_rows(rows, report)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            _write(groups, report)
    except IntegrityError:
        # Another change got in between the check and the write; nothing was written.
        return ImportReport(errors=[RowError(0, "", _("商品库在导入期间被修改，请重新导入"))])
    return report
