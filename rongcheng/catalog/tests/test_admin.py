"""The back-office pages of the catalogue, stores, inventory and home page open and work."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from rongcheng.catalog.models import Category, Product, ProductImage
from rongcheng.catalog.spreadsheet import COLUMNS
from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.core.testing.media import HTML, SVG

pytestmark = pytest.mark.django_db

MODELS = [
    "catalog.category",
    "catalog.brand",
    "catalog.audience",
    "catalog.producttype",
    "catalog.attribute",
    "catalog.product",
    "stores.store",
    "inventory.storelisting",
    "inventory.stock",
    "inventory.stockmovement",
    "cms.homearea",
    "cms.displaytemplate",
    "cms.adslot",
    "cms.ad",
    "cms.homevideo",
    "cms.promotionnotice",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_add_page_opens(admin_client, model):
    app, name = model.split(".")
    assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:{app}_{name}_add"))
    assert add.status_code == (403 if app == "inventory" else 200)


def test_a_product_page_opens_with_its_inlines(admin_client):
    product = make_product(colours=("驼色", "黑色"))
    response = admin_client.get(reverse("admin:catalog_product_change", args=[product.id]))
    assert response.status_code == 200
    assert "SKU000" in response.content.decode()


def test_a_category_cannot_be_moved_under_its_own_child(admin_client):
    parent = CategoryFactory(name="女装")
    child = CategoryFactory(name="羊绒衫", parent=parent)
    response = admin_client.post(
        reverse("admin:catalog_category_change", args=[parent.id]),
        {"name": "女装", "parent": child.id, "position": 0, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "不能把类目移到它自己或它的下级类目之下" in response.content.decode()
    assert Category.objects.get(id=parent.id).parent_id is None


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (400, 300), (193, 154, 107)).save(out, "JPEG")
    return out.getvalue()


def test_an_uploaded_image_gets_a_thumbnail_and_sku_prices_set_the_list_price(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    product = make_product()
    url = reverse("admin:catalog_product_change", args=[product.id])
    page = admin_client.get(url)
    data = {
        key: value
        for key, value in _form_values(page).items()
        if not key.startswith("images-") or key.endswith("_FORMS")
    }
    data.update(
        {
            "skus-0-price": "1099.00",
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "0",
            "images-0-image": SimpleUploadedFile("front.jpg", _jpeg(), "image/jpeg"),
            "images-0-position": "0",
            "images-0-alt": "正面",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = ProductImage.objects.get(product=product)
    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.size == (240, 240)
    product.refresh_from_db()
    assert str(product.price) == "1099.00"


def _form_values(response) -> dict:
    """The values the change form would submit as it stands."""
    form = response.context["adminform"].form
    values = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name in {"video", "video_poster"}:
            continue
        if isinstance(value, list):
            values[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                values[name] = "on"
        else:
            values[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            values[f"{management.prefix}-{name}"] = management.initial.get(name, "")
        for sub in formset.formset.forms:
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                key = f"{sub.prefix}-{name}"
                values[key] = "on" if value is True else getattr(value, "pk", value)
    return values


def _workbook(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append([str(title) for _key, title in COLUMNS])
    for row in rows:
        workbook.active.append(row)
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("products.xlsx", out.getvalue())


def _row(brand: str, sku_code: str, size: str) -> list:
    values = {
        "style_code": "RC1",
        "name": "圆领羊绒衫",
        "category": "女装",
        "brand": brand,
        "launch_date": "2026-09-01",
        "sku_code": sku_code,
        "colour": "驼色",
        "size": size,
        "price": 1280,
    }
    return [values.get(key) for key, _title in COLUMNS]


def test_the_import_page_shows_row_errors_and_imports_a_good_file(admin_client):
    CategoryFactory(name="女装")
    BrandFactory(name="云岭")
    url = reverse("admin:catalog_product_import_products")
    assert admin_client.get(url).status_code == 200

    bad = admin_client.post(
        url, {"file": _workbook([_row("云岭", "A1", "S"), _row("无", "A2", "M")])}
    )
    assert bad.status_code == 200
    assert "文件有 1 处错误，未导入任何数据" in bad.content.decode()
    assert "“无”不存在，请先在后台创建" in bad.content.decode()
    assert not Product.objects.exists()

    good = admin_client.post(url, {"file": _workbook([_row("云岭", "A1", "S")])}, follow=True)
    assert "导入完成：新建 1 个商品、1 个 SKU" in good.content.decode()
    assert Product.objects.get().skus.count() == 1


def test_selected_products_export_as_a_workbook(admin_client):
    product = make_product()
    response = admin_client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "export_selected", "_selected_action": [product.id]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    template = admin_client.get(reverse("admin:catalog_product_download_template"))
    assert template.status_code == 200


def test_a_page_or_svg_uploaded_as_video_or_picture_is_refused_and_nothing_stored(
    admin_client, media_root
):
    product = make_product()
    url = reverse("admin:catalog_product_change", args=[product.id])
    data = _form_values(admin_client.get(url))
    data.update(
        {
            "video": SimpleUploadedFile("film.mp4", HTML, "video/mp4"),
            "video_poster": SimpleUploadedFile("poster.svg", SVG, "image/svg+xml"),
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "0",
            "images-0-image": SimpleUploadedFile("front.jpg", SVG, "image/jpeg"),
            "images-0-position": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请上传 MP4、MOV 或 WebM 格式的视频，扩展名须与格式一致。" in page
    product.refresh_from_db()
    assert (product.video.name, product.video_poster.name) == ("", "")
    assert not ProductImage.objects.exists()
    assert list(media_root.rglob("*")) == []


def test_an_import_over_the_row_limit_is_refused_with_its_reason(admin_client, settings):
    CategoryFactory(name="女装")
    BrandFactory(name="云岭")
    settings.RONGCHENG = {**settings.RONGCHENG, "IMPORT_MAX_ROWS": 1}
    response = admin_client.post(
        reverse("admin:catalog_product_import_products"),
        {"file": _workbook([_row("云岭", "A1", "S"), _row("云岭", "A2", "M")])},
    )
    assert response.status_code == 200
    assert "文件超过 1 行，请拆分成几个文件分批导入。" in response.content.decode()
    assert not Product.objects.exists()
