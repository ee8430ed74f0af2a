import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from rongcheng.catalog.errors import ImportFileInvalid, ImportFileTooLarge
from rongcheng.catalog.exports import product_export
from rongcheng.catalog.imports import RowError, product_import
from rongcheng.catalog.models import Product, Sku
from rongcheng.catalog.spreadsheet import COLUMNS
from rongcheng.catalog.tests.factories import (
    AudienceFactory,
    BrandFactory,
    CategoryFactory,
    ProductTypeFactory,
    make_product,
)

pytestmark = pytest.mark.django_db

HEADER = [str(title) for _key, title in COLUMNS]


def _row(**values):
    base = {
        "style_code": "RC26W001",
        "name": "女士圆领羊绒衫",
        "subtitle": "",
        "category": "女装/羊绒衫/圆领",
        "brand": "云岭",
        "product_type": "",
        "audience": "女士",
        "launch_date": datetime.date(2026, 9, 1),
        "description": "",
        "sku_code": "RC26W001-01-S",
        "colour": "驼色",
        "colour_hex": "#c19a6b",
        "size": "S",
        "price": 1280,
        "special_price": None,
        "special_starts_at": None,
        "special_ends_at": None,
    }
    base.update(values)
    return [base[key] for key, _title in COLUMNS]


def _workbook(rows, header=HEADER) -> BytesIO:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def catalogue(db):
    women = CategoryFactory(name="女装")
    knit = CategoryFactory(name="羊绒衫", parent=women)
    CategoryFactory(name="圆领", parent=knit)
    CategoryFactory(name="围巾", parent=women)
    BrandFactory(name="云岭")
    AudienceFactory(code="women", name="女士")
    ProductTypeFactory(name="羊绒衫")


def test_a_good_file_creates_exactly_its_products_and_skus(catalogue):
    rows = [
        _row(sku_code="A-S", size="S"),
        _row(
            sku_code="A-M",
            size="M",
            special_price=999,
            special_starts_at=datetime.datetime(2026, 11, 11, 0, 0),
            special_ends_at=datetime.datetime(2026, 11, 12, 0, 0),
        ),
        _row(sku_code="A-BK-M", colour="黑色", colour_hex="#222222", size="M", price="1180.50"),
        _row(
            style_code="RC26S001",
            name="羊绒围巾",
            category="女装/围巾",
            audience="women",
            product_type="羊绒衫",
            sku_code="B-F",
            size="均码",
            price=680,
        ),
    ]
    report = product_import(_workbook(rows))
    assert report.errors == []
    assert (report.products_created, report.skus_created) == (2, 4)
    assert (report.products_updated, report.skus_updated) == (0, 0)
    sweater = Product.objects.get(style_code="RC26W001")
    assert (sweater.name, sweater.category.name, sweater.brand.name, sweater.audience.code) == (
        "女士圆领羊绒衫",
        "圆领",
        "云岭",
        "women",
    )
    assert sweater.price == Decimal("1180.50")
    assert list(
        sweater.skus.order_by("position").values_list("code", "colour", "size", "price")
    ) == [
        ("A-S", "驼色", "S", Decimal("1280.00")),
        ("A-M", "驼色", "M", Decimal("1280.00")),
        ("A-BK-M", "黑色", "M", Decimal("1180.50")),
    ]
    special = Sku.objects.get(code="A-M")
    assert special.special_price == Decimal("999.00")
    assert timezone.localtime(special.special_starts_at).replace(tzinfo=None) == datetime.datetime(
        2026, 11, 11
    )
    scarf = Product.objects.get(style_code="RC26S001")
    assert (scarf.category.name, scarf.product_type.name, scarf.price) == (
        "围巾",
        "羊绒衫",
        Decimal("680.00"),
    )
    assert Product.objects.count() == 2 and Sku.objects.count() == 4


def test_a_bad_file_reports_every_bad_row_and_writes_nothing(catalogue):
    rows = [
        _row(sku_code="A-S"),  # row 2: fine
        _row(sku_code="A-M", size="M", brand="不存在的品牌"),  # 3
        _row(sku_code="A-L", size="L", price=-5),  # 4
        _row(
            sku_code="A-XL",
            size="XL",
            special_price=1500,
            special_starts_at=datetime.datetime(2026, 11, 11),
            special_ends_at=datetime.datetime(2026, 11, 12),
        ),  # 5
        _row(sku_code="A-S", size="XXL"),  # 6: code used on row 2
        _row(sku_code="A-2", size="S"),  # 7: colour and size of row 2
        _row(sku_code="A-3", size="3XL", name="别的名字"),  # 8
        _row(sku_code="A-4", size="4XL", category="女装/不存在"),  # 9
        _row(sku_code="", size="5XL"),  # 10
        _row(sku_code="A-6", size="6XL", launch_date="明年"),  # 11
        _row(sku_code="A-7", size="7XL", special_price=100),  # 12
    ]
    report = product_import(_workbook(rows))
    assert report.errors == [
        RowError(3, "品牌", "“不存在的品牌”不存在，请先在后台创建"),
        RowError(4, "全国统一价", "金额须大于零，最多两位小数"),
        RowError(5, "特价", "特价必须低于全国统一价"),
        RowError(6, "SKU编码", "与第 2 行的 SKU 编码重复"),
        RowError(7, "尺码", "与第 2 行的颜色和尺码重复"),
        RowError(8, "商品名称", "与第 2 行同一款号的内容不一致"),
        RowError(9, "类目", "类目“女装/不存在”不存在"),
        RowError(10, "SKU编码", "必填"),
        RowError(11, "上市日期", "日期格式应为 2026-01-31"),
        RowError(12, "特价开始", "特价须填写开始和结束时间"),
    ]
    assert report.ok is False
    assert (report.products_created, report.skus_created) == (0, 0)
    assert not Product.objects.exists()
    assert not Sku.objects.exists()


def test_an_sku_code_of_another_product_is_refused(catalogue):
    other = make_product(style_code="OLD1")
    taken = other.skus.get().code
    report = product_import(_workbook([_row(sku_code=taken)]))
    assert report.errors == [RowError(2, "SKU编码", "该 SKU 编码已属于款号 OLD1")]
    assert Product.objects.count() == 1


def test_a_file_without_the_required_columns_or_rows_is_refused(catalogue):
    report = product_import(_workbook([["x"]], header=["款号", "商品名称"]))
    assert report.errors[0].row == 1
    assert report.errors[0].message.startswith("表头缺少列：类目、品牌、上市日期")
    assert product_import(_workbook([])).errors == [RowError(2, "", "文件中没有商品行")]
    with pytest.raises(ImportFileInvalid):
        product_import(BytesIO(b"not a workbook"))


def test_an_exported_workbook_imports_back_as_updates(catalogue):
    product = make_product(colours=("驼色", "黑色"), sizes=("S", "M"))
    sku = product.skus.order_by("id").first()
    sku.special_price = Decimal("888.00")
    sku.special_starts_at = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
    sku.special_ends_at = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))
    sku.save()
    data = product_export(products=Product.objects.all())
    sheet = load_workbook(BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 5
    before = list(Sku.objects.order_by("id").values())
    report = product_import(BytesIO(data))
    assert report.errors == []
    assert (report.products_created, report.products_updated) == (0, 1)
    assert (report.skus_created, report.skus_updated) == (0, 4)
    after = list(Sku.objects.order_by("id").values())
    for row in before + after:
        row.pop("updated_at")
    assert after == before


def test_the_blank_template_has_only_the_header():
    sheet = load_workbook(BytesIO(product_export(products=[]))).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(catalogue, settings):
    data = _workbook([_row()])
    settings.RONGCHENG = {**settings.RONGCHENG, "IMPORT_MAX_BYTES": 1024}
    with pytest.raises(ImportFileTooLarge) as error:
        product_import(data)
    assert error.value.message == "文件超过 1.0\xa0KB，请拆分成几个文件分批导入。"
    assert error.value.code == "import_file_too_large"
    assert not Product.objects.exists()


def test_a_file_over_the_row_limit_is_refused_and_writes_nothing(catalogue, settings):
    rows = [_row(sku_code=f"RC26W001-0{n}-S", colour=f"色{n}") for n in range(3)]
    settings.RONGCHENG = {**settings.RONGCHENG, "IMPORT_MAX_ROWS": 2}
    with pytest.raises(ImportFileTooLarge) as error:
        product_import(_workbook(rows))
    assert error.value.message == "文件超过 2 行，请拆分成几个文件分批导入。"
    assert not Product.objects.exists()
    assert not Sku.objects.exists()
    report = product_import(_workbook(rows[:2]))
    assert (report.ok, report.products_created, report.skus_created) == (True, 1, 2)
