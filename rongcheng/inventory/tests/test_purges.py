"""Stock shows on product pages only: a stock change retires exactly the cached pages of the
products a shop lists, never the lists or the store's own page."""

import pytest
from django.urls import reverse

from rongcheng.catalog.tests.factories import CategoryFactory, make_product
from rongcheng.inventory.services import listing_set, stock_adjust, stock_receive
from rongcheng.seo.page_cache import HEADER
from rongcheng.seo.slugs import slugify_zh
from rongcheng.stores.models import Store
from rongcheng.stores.services import store_save
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(regions, client):
    """A shop and a fulfillment center in Ordos, two products listed by the shop, and a
    visitor in Ordos whose copies of the pages are all cached."""
    category = CategoryFactory(name="羊绒衫")
    crew = make_product(name="圆领羊绒衫", category=category)
    vee = make_product(name="V领羊绒衫", category=category)
    shop = StoreFactory(city=regions["150600"], code="shop")
    centre = StoreFactory(city=regions["150600"], code="fc", kind=Store.Kind.FULFILLMENT)
    clerk = StoreMembershipFactory(store=shop).user
    shipper = StoreMembershipFactory(store=centre).user
    listing_set(actor=clerk, store_id=shop.id, product_ids=[crew.id, vee.id], listed=True)
    client.cookies["rc_city"] = "150600"
    pages = {
        "crew": reverse("storefront:product", args=[crew.id]),
        "vee": reverse("storefront:product", args=[vee.id]),
        "category": f"/category/{category.id}-{slugify_zh(category.name)}/",
        "store": reverse("storefront:store", args=[shop.id]),
        "stores": reverse("storefront:stores"),
        "home": reverse("storefront:home"),
    }
    for page in pages.values():
        client.get(page)
    return {
        "crew": crew,
        "shop": shop,
        "centre": centre,
        "clerk": clerk,
        "shipper": shipper,
        "pages": pages,
    }


def _states(client, pages: dict[str, str]) -> dict[str, str]:
    return {name: client.get(page).get(HEADER) for name, page in pages.items()}


def test_a_receipt_retires_only_the_received_products_pages(
    client, scene, django_capture_on_commit_callbacks
):
    sku = scene["crew"].skus.get()
    with django_capture_on_commit_callbacks(execute=True):
        stock_receive(actor=scene["clerk"], store_id=scene["shop"].id, lines=[(sku.id, 7)])
    crew_page = client.get(scene["pages"]["crew"])
    assert crew_page[HEADER] == "miss"
    assert "库存 7 件" in crew_page.content.decode()
    others = {name: page for name, page in scene["pages"].items() if name != "crew"}
    assert set(_states(client, others).values()) == {"hit"}


def test_a_stock_take_loss_retires_the_products_page(
    client, scene, django_capture_on_commit_callbacks
):
    sku = scene["crew"].skus.get()
    shop, clerk = scene["shop"], scene["clerk"]
    with django_capture_on_commit_callbacks(execute=True):
        stock_receive(actor=clerk, store_id=shop.id, lines=[(sku.id, 7)])
    client.get(scene["pages"]["crew"])
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(actor=clerk, store_id=shop.id, sku_id=sku.id, delta=-2, note="盘亏")
    page = client.get(scene["pages"]["crew"])
    assert page[HEADER] == "miss"
    assert "库存 5 件" in page.content.decode()
    assert _states(client, {"vee": scene["pages"]["vee"]}) == {"vee": "hit"}


def test_stock_no_page_shows_purges_nothing(client, scene, django_capture_on_commit_callbacks):
    """A fulfillment center's stock, and a shop's stock of goods it does not list."""
    unlisted = make_product(name="羊绒围巾")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stock_receive(
            actor=scene["shipper"],
            store_id=scene["centre"].id,
            lines=[(scene["crew"].skus.get().id, 9)],
        )
        stock_receive(
            actor=scene["clerk"], store_id=scene["shop"].id, lines=[(unlisted.skus.get().id, 9)]
        )
    assert callbacks == []
    assert set(_states(client, scene["pages"]).values()) == {"hit"}


def test_closing_a_shop_retires_the_pages_of_the_goods_it_listed(
    client, scene, django_capture_on_commit_callbacks
):
    """Its stock no longer counts in the city: the product pages change, the lists do not."""
    shop = scene["shop"]
    shop.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        store_save(store=shop)
    assert _states(client, scene["pages"]) == {
        "crew": "miss",
        "vee": "miss",
        "category": "hit",
        "store": None,  # gone: "not found" is not cached
        "stores": "miss",
        "home": "miss",
    }
