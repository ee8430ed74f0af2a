"""The seller center's reads of one store: its catalogue view, its SKUs, figures, journal."""

import pytest

from rongcheng.catalog.models import Sku
from rongcheng.catalog.tests.factories import make_product
from rongcheng.inventory.selectors import (
    sku_id_for_code,
    store_catalogue,
    store_movements,
    store_skus,
    store_stock,
)
from rongcheng.inventory.services import listing_set, stock_adjust, stock_receive
from rongcheng.inventory.stats import StoreFigures, store_figures
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(regions):
    store = StoreFactory(city=regions["150600"])
    return store, StoreMembershipFactory(store=store).user


def test_a_store_deals_in_the_skus_it_lists_or_holds(shop):
    store, clerk = shop
    listed = make_product(sizes=("S", "M"))
    held = make_product()
    neither = make_product()
    listing_set(actor=clerk, store_id=store.id, product_ids=[listed.id], listed=True)
    stock_receive(actor=clerk, store_id=store.id, lines=[(held.skus.get().id, 2)])
    small, medium = listed.skus.order_by("position")
    # A switched-off SKU of a listed product is not sold, so it is not among them…
    Sku.objects.filter(id=medium.id).update(is_active=False)
    assert {(s.id, s.on_hand, s.reserved) for s in store_skus(store_id=store.id)} == {
        (small.id, 0, 0),
        (held.skus.get().id, 2, 0),
    }
    # …but stock held of it still is, whatever the catalogue says.
    stock_adjust(actor=clerk, store_id=store.id, sku_id=medium.id, delta=1, note="找到 1 件")
    assert medium.id in {s.id for s in store_skus(store_id=store.id)}
    assert neither.skus.get().id not in {s.id for s in store_skus(store_id=store.id)}


def test_store_figures(shop):
    store, clerk = shop
    assert store_figures(store_id=store.id) == StoreFigures(0, 0, 0, 0, 0)
    sweater = make_product(sizes=("S", "M", "L"))
    withdrawn = make_product()
    listing_set(actor=clerk, store_id=store.id, product_ids=[sweater.id, withdrawn.id], listed=True)
    withdrawn.is_active = False
    withdrawn.save()
    small, medium, _large = sweater.skus.order_by("position")
    stock_receive(actor=clerk, store_id=store.id, lines=[(small.id, 4), (medium.id, 1)])
    stock_adjust(actor=clerk, store_id=store.id, sku_id=medium.id, delta=-1, note="破损")
    figures = store_figures(store_id=store.id)
    assert figures == StoreFigures(
        listed_products=1, skus_in_stock=1, units_on_hand=4, units_reserved=0, skus_at_zero=2
    )
    assert figures.units_available == 4


def test_the_catalogue_and_stock_pages_are_one_stores(regions, shop):
    store, _clerk = shop
    other = StoreFactory(city=regions["150600"])
    other_clerk = StoreMembershipFactory(store=other).user
    product = make_product()
    sku = product.skus.get()
    listing_set(actor=other_clerk, store_id=other.id, product_ids=[product.id], listed=True)
    stock_receive(actor=other_clerk, store_id=other.id, lines=[(sku.id, 6)])

    [row] = store_catalogue(store_id=store.id).object_list
    assert (row.id, row.is_listed, row.on_hand, row.sku_count) == (product.id, False, 0, 1)
    assert list(store_stock(store_id=store.id).object_list) == []
    assert list(store_movements(store_id=store.id).object_list) == []
    [mine] = store_stock(store_id=other.id).object_list
    assert (mine.code, mine.on_hand, mine.available) == (sku.code, 6, 6)


def test_a_sku_is_found_by_its_code(shop):
    sku = make_product().skus.get()
    assert sku_id_for_code(code=f" {sku.code}\n") == sku.id
    assert sku_id_for_code(code="NO-SUCH-CODE") is None
