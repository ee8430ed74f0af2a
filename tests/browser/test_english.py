"""The English storefront (INTL-1): with every English value written, /en/ pages carry no
Chinese character outside the brand's own name and the language switch, and the switch keeps
the visitor on the same page."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast, Concat
from playwright.sync_api import expect

from rongcheng.catalog.models import Brand
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import RegionTreeFactory
from rongcheng.core.translation import SUFFIX
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.regions.models import Region
from rongcheng.search.services import index_rebuild
from rongcheng.storefront.tests.browse_data import ORDOS, build_catalogue, build_home

HAN = re.compile(r"[\u3400-\u9fff]")
# What may stay Chinese on an English page: the brand's own name, its logo's character (also
# standing in for a missing picture), the language switch (it names Chinese in Chinese) and
# the ICP filing number, which the law wants shown exactly as filed.
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('.logo-mark, .noimg, a[hreflang], .icp').forEach((node) => node.remove());
  const attributes = [...body.querySelectorAll('[alt], [title], [aria-label], [placeholder]')]
    .flatMap((node) => ['alt', 'title', 'aria-label', 'placeholder']
      .map((name) => node.getAttribute(name) || ''));
  const metas = [...document.head.querySelectorAll('title, meta[content]')]
    .map((node) => node.textContent + ' ' + (node.getAttribute('content') || ''));
  return [body.innerText, ...attributes, ...metas].join('\\n').replaceAll('绒城购', '');
}"""


@pytest.fixture
def shop(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RONGCHENG = {**settings.RONGCHENG, "DEFAULT_CITY_CODE": ORDOS}
    RegionTreeFactory.create_tree()
    mall = build_catalogue(4)
    build_home(mall)
    sweater = make_product(
        name="经典圆领羊绒衫", category=mall.knit, brand=mall.erdos, colours=("驼色", "黑色")
    )
    StoreListing.objects.create(store=mall.store_near, product=sweater)
    for sku in sweater.skus.all():
        Stock.objects.create(store=mall.store_near, sku=sku, on_hand=3)
    mall.sweater = sweater
    return mall


def write_every_english_value() -> None:
    """What operations would do in the back office: an English value in every `_en` column
    of every row (distinct per row), the Latin name of every brand, every city's English."""
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField)
            and field.name.endswith(SUFFIX)
            and field.concrete
        ]
        if fields and model._meta.app_label != "search":
            model.objects.update(
                **{
                    name: Concat(
                        models.Value(f"{model.__name__} {name} "),
                        Cast("pk", models.CharField()),
                    )
                    for name in fields
                }
            )
    Brand.objects.filter(name_latin="").update(
        name_latin=Concat(models.Value("Brand "), Cast("pk", models.CharField()))
    )
    Region.objects.update(english_name="Ordos")


def chinese_left(page) -> list[str]:
    return sorted(set(HAN.findall(page.evaluate(VISIBLE_TEXT))))


@pytest.mark.django_db(transaction=True)
def test_english_pages_carry_no_chinese(page, shop):
    write_every_english_value()
    index_rebuild()
    product = shop.sweater
    category = shop.women
    for path in ("/en/", f"/en/category/{category.id}-nv-zhuang/", f"/en/product/{product.id}/"):
        page.goto(page.base_url + path)
        assert chinese_left(page) == [], path
    expect(page.locator("h1")).to_have_text(f"Product name_en {product.id}")


@pytest.mark.django_db(transaction=True)
def test_the_language_switch_keeps_the_page_and_its_query(page, shop):
    path = f"/category/{shop.women.id}-nv-zhuang/?sort=price&page=1"
    page.goto(page.base_url + path)
    page.locator("a[hreflang='en']").first.click()
    expect(page).to_have_url(page.base_url + "/en" + path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("a[hreflang='zh-hans']").first.click()
    expect(page).to_have_url(page.base_url + path)
