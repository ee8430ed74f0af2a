import pytest
from django.db import transaction

from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.errors import InsufficientStock
from rongcheng.inventory.models import Stock, StockMovement
from rongcheng.inventory.reservations import Hold, stock_release, stock_reserve
from rongcheng.inventory.services import stock_receive
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(regions):
    admin = UserFactory(is_superuser=True, password=None)
    store = StoreFactory(city=regions["150600"])
    other = StoreFactory(city=regions["150600"])
    m, l_size = make_product(sizes=("M", "L")).skus.order_by("position")
    for shop in (store, other):
        stock_receive(actor=admin, store_id=shop.id, lines=[(m.id, 5), (l_size.id, 2)])
    return store, other, m, l_size


def _counts():
    return {(s.store_id, s.sku_id): (s.on_hand, s.reserved) for s in Stock.objects.all()}


def test_holds_reserve_and_release_with_a_movement_per_order_line(rows):
    store, other, m, l_size = rows
    stock_reserve(
        holds=[
            Hold(store.id, m.id, 2, "A1"),
            Hold(other.id, l_size.id, 2, "A2"),
            Hold(store.id, m.id, 1, "A3"),
        ]
    )
    assert _counts()[(store.id, m.id)] == (5, 3)
    assert _counts()[(other.id, l_size.id)] == (2, 2)
    moved = StockMovement.objects.filter(kind="reservation").order_by("id")
    assert [
        (mv.reference, mv.reserved_delta, mv.reserved_after, mv.on_hand_after) for mv in moved
    ] == [
        ("A1", 2, 2, 5),
        ("A3", 1, 3, 5),
        ("A2", 2, 2, 2),
    ]
    stock_release(holds=[Hold(store.id, m.id, 2, "A1"), Hold(store.id, m.id, 1, "A3")])
    assert _counts()[(store.id, m.id)] == (5, 0)
    released = StockMovement.objects.filter(kind="release").order_by("id")
    assert [(mv.reference, mv.reserved_delta, mv.reserved_after) for mv in released] == [
        ("A1", -2, 1),
        ("A3", -1, 0),
    ]


def test_a_short_row_refuses_naming_its_sku_and_the_transaction_undoes_the_rest(rows):
    store, _other, m, l_size = rows
    before = _counts()
    with pytest.raises(InsufficientStock) as refused, transaction.atomic():
        stock_reserve(holds=[Hold(store.id, m.id, 5, "B1"), Hold(store.id, l_size.id, 3, "B1")])
    assert l_size.code in refused.value.message
    assert _counts() == before
    assert not StockMovement.objects.filter(kind="reservation").exists()


def test_releasing_more_than_is_held_is_refused(rows):
    store, _other, m, _l = rows
    stock_reserve(holds=[Hold(store.id, m.id, 1, "C1")])
    with pytest.raises(InsufficientStock), transaction.atomic():
        stock_release(holds=[Hold(store.id, m.id, 2, "C1")])
    assert _counts()[(store.id, m.id)] == (5, 1)
