from decimal import Decimal

import pytest

from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.stores.models import Store
from rongcheng.stores.tests.factories import StoreFactory

SITE_URL = "https://shop.example.com"


@pytest.fixture
def public_site(settings, tmp_path):
    """The shop at its public address, publishing into a scratch folder."""
    settings.RONGCHENG = settings.RONGCHENG | {
        "SITE_URL": SITE_URL,
        "PUBLISHED_DIR": tmp_path / "published",
    }
    settings.ALLOWED_HOSTS = ["shop.example.com", "testserver"]
    return tmp_path / "published"


@pytest.fixture
def shop(db, regions):
    """A small catalogue: two products of 羊绒衫 by 鄂尔多斯, one inactive product, a store
    and a fulfillment center in 鄂尔多斯."""
    sweaters = CategoryFactory(name="羊绒衫")
    brand = BrandFactory(name="鄂尔多斯")
    crew = make_product(
        name="经典圆领羊绒衫",
        subtitle="100% 山羊绒",
        category=sweaters,
        brand=brand,
        price=Decimal("1280.00"),
    )
    vee = make_product(name="V领羊绒开衫", category=sweaters, brand=brand, price=Decimal("1580.00"))
    retired = make_product(name="停售围巾", category=sweaters, brand=brand, is_active=False)
    store = StoreFactory(city=regions["150600"], name="东胜体验店", opening_hours="10:00-22:00")
    centre = StoreFactory(
        city=regions["150600"], name="鄂尔多斯发货中心", kind=Store.Kind.FULFILLMENT
    )
    return {
        "category": sweaters,
        "brand": brand,
        "crew": crew,
        "vee": vee,
        "retired": retired,
        "store": store,
        "centre": centre,
    }
