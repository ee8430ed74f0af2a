import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from rongcheng.catalog.models import Sku
from rongcheng.catalog.tests.factories import CategoryFactory, make_product
from rongcheng.inventory.errors import InsufficientStock, InvalidQuantity, ProductUnavailable
from rongcheng.inventory.models import Stock, StockMovement, StoreListing
from rongcheng.inventory.selectors import (
    product_stock_by_city,
    product_stock_in_city,
    store_best_sellers,
    store_categories,
    store_products,
)
from rongcheng.inventory.services import BATCH, listing_set, stock_adjust, stock_receive
from rongcheng.stores.errors import StoreAccessDenied, StoreClosed
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(regions):
    """Two stores in Ordos with a clerk each, and one in Beijing."""
    a = StoreFactory(city=regions["150600"], code="a")
    b = StoreFactory(city=regions["150600"], code="b")
    c = StoreFactory(city=regions["110100"], code="c")
    clerk_a = StoreMembershipFactory(store=a).user
    clerk_b = StoreMembershipFactory(store=b).user
    clerk_c = StoreMembershipFactory(store=c).user
    return a, b, c, clerk_a, clerk_b, clerk_c


def _listed(store) -> set[int]:
    return set(
        StoreListing.objects.filter(store=store, is_listed=True).values_list(
            "product_id", flat=True
        )
    )


def test_each_store_lists_and_delists_goods_for_itself(shops):
    a, b, _c, clerk_a, clerk_b, _ = shops
    one, two = make_product(), make_product()
    assert listing_set(actor=clerk_a, store_id=a.id, product_ids=[one.id, two.id], listed=True) == 2
    assert listing_set(actor=clerk_b, store_id=b.id, product_ids=[one.id], listed=True) == 1
    assert listing_set(actor=clerk_a, store_id=a.id, product_ids=[one.id], listed=False) == 1
    assert _listed(a) == {two.id}
    assert _listed(b) == {one.id}
    # Listing again what is listed changes nothing; relisting works.
    assert listing_set(actor=clerk_a, store_id=a.id, product_ids=[two.id], listed=True) == 0
    assert listing_set(actor=clerk_a, store_id=a.id, product_ids=[one.id], listed=True) == 1
    assert _listed(a) == {one.id, two.id}
    assert [card.id for card in store_products(store_id=b.id)] == [one.id]


def test_a_store_cannot_list_goods_the_platform_does_not_sell(shops):
    a, _b, _c, clerk_a, *_ = shops
    good, withdrawn = make_product(), make_product(is_active=False)
    with pytest.raises(ProductUnavailable):
        listing_set(actor=clerk_a, store_id=a.id, product_ids=[good.id, withdrawn.id], listed=True)
    assert StoreListing.objects.count() == 0


def test_a_clerk_cannot_change_another_stores_listings_or_stock(shops):
    a, b, _c, clerk_a, clerk_b, _ = shops
    product = make_product()
    sku = product.skus.get()
    listing_set(actor=clerk_b, store_id=b.id, product_ids=[product.id], listed=True)
    stock_receive(actor=clerk_b, store_id=b.id, lines=[(sku.id, 5)])
    before_listings = list(StoreListing.objects.values_list("store_id", "product_id", "is_listed"))
    before_movements = StockMovement.objects.count()

    with pytest.raises(StoreAccessDenied):
        listing_set(actor=clerk_a, store_id=b.id, product_ids=[product.id], listed=False)
    with pytest.raises(StoreAccessDenied):
        listing_set(actor=clerk_a, store_id=b.id, product_ids=[product.id], listed=True)
    with pytest.raises(StoreAccessDenied):
        stock_receive(actor=clerk_a, store_id=b.id, lines=[(sku.id, 3)])
    with pytest.raises(StoreAccessDenied):
        stock_adjust(actor=clerk_a, store_id=b.id, sku_id=sku.id, delta=-5, note="盘亏")

    assert list(StoreListing.objects.values_list("store_id", "product_id", "is_listed")) == (
        before_listings
    )
    assert Stock.objects.get(store=b, sku=sku).on_hand == 5
    assert not Stock.objects.filter(store=a).exists()
    assert StockMovement.objects.count() == before_movements


def test_a_closed_store_takes_no_listing_or_stock_change_even_from_its_own_clerk(shops):
    a, _b, _c, clerk_a, *_ = shops
    product = make_product()
    sku = product.skus.get()
    listing_set(actor=clerk_a, store_id=a.id, product_ids=[product.id], listed=True)
    stock_receive(actor=clerk_a, store_id=a.id, lines=[(sku.id, 4)])
    Store.objects.filter(pk=a.pk).update(is_active=False)
    movements = StockMovement.objects.count()

    with pytest.raises(StoreClosed):
        listing_set(actor=clerk_a, store_id=a.id, product_ids=[product.id], listed=False)
    with pytest.raises(StoreClosed):
        stock_receive(actor=clerk_a, store_id=a.id, lines=[(sku.id, 3)])
    with pytest.raises(StoreClosed):
        stock_adjust(actor=clerk_a, store_id=a.id, sku_id=sku.id, delta=-1, note="盘亏")

    assert _listed(a) == {product.id}
    assert Stock.objects.get(store=a, sku=sku).on_hand == 4
    assert StockMovement.objects.count() == movements


def test_a_fulfillment_clerk_handles_stock_but_not_listings(shops):
    a, *_ = shops
    shipper = StoreMembershipFactory(store=a, role=StoreMembership.Role.FULFILLMENT).user
    product = make_product()
    with pytest.raises(StoreAccessDenied):
        listing_set(actor=shipper, store_id=a.id, product_ids=[product.id], listed=True)
    assert stock_receive(actor=shipper, store_id=a.id, lines=[(product.skus.get().id, 2)]) == 2


def test_receiving_adds_up_lines_and_journals_every_change(shops):
    a, _b, _c, clerk_a, *_ = shops
    product = make_product(colours=("驼色", "黑色"))
    camel, black = product.skus.order_by("id")
    assert (
        stock_receive(
            actor=clerk_a,
            store_id=a.id,
            lines=[(camel.id, 3), (black.id, 4), (camel.id, 2)],
            reference="RK0001",
        )
        == 9
    )
    stock_receive(actor=clerk_a, store_id=a.id, lines=[(camel.id, 1)])
    assert dict(Stock.objects.filter(store=a).values_list("sku_id", "on_hand")) == {
        camel.id: 6,
        black.id: 4,
    }
    journal = list(
        StockMovement.objects.filter(store=a, sku=camel)
        .order_by("id")
        .values_list("kind", "on_hand_delta", "on_hand_after", "reference", "actor_id")
    )
    assert journal == [
        ("receipt", 5, 5, "RK0001", clerk_a.id),
        ("receipt", 1, 6, "", clerk_a.id),
    ]


def test_receiving_refuses_zero_or_negative_quantities_and_writes_nothing(shops):
    a, _b, _c, clerk_a, *_ = shops
    sku = make_product().skus.get()
    with pytest.raises(InvalidQuantity):
        stock_receive(actor=clerk_a, store_id=a.id, lines=[(sku.id, 2), (sku.id, 0)])
    assert not Stock.objects.exists()
    assert not StockMovement.objects.exists()


def test_an_adjustment_may_not_take_stock_below_zero_or_below_reserved(shops):
    a, _b, _c, clerk_a, *_ = shops
    sku = make_product().skus.get()
    stock_receive(actor=clerk_a, store_id=a.id, lines=[(sku.id, 5)])
    Stock.objects.filter(store=a, sku=sku).update(reserved=2)
    with pytest.raises(InsufficientStock):
        stock_adjust(actor=clerk_a, store_id=a.id, sku_id=sku.id, delta=-4, note="盘亏")
    assert Stock.objects.get(store=a, sku=sku).on_hand == 5
    stock = stock_adjust(actor=clerk_a, store_id=a.id, sku_id=sku.id, delta=-3, note="盘亏")
    assert (stock.on_hand, stock.reserved, stock.available) == (2, 2, 0)
    with pytest.raises(InsufficientStock):
        stock_adjust(actor=clerk_a, store_id=a.id, sku_id=sku.id, delta=-1, note="盘亏")
    assert StockMovement.objects.filter(kind="adjustment").count() == 1
    with pytest.raises(InvalidQuantity):
        stock_adjust(actor=clerk_a, store_id=a.id, sku_id=sku.id, delta=0, note="")


def test_the_database_refuses_negative_stock_and_reserving_more_than_on_hand(shops):
    a, *_ = shops
    sku = make_product().skus.get()
    stock = Stock.objects.create(store=a, sku=sku, on_hand=3, reserved=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(on_hand=-1, reserved=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(reserved=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(reserved=-1)
    stock.refresh_from_db()
    assert (stock.on_hand, stock.reserved) == (3, 1)


def test_stock_movements_are_append_only(shops):
    a, _b, _c, clerk_a, *_ = shops
    sku = make_product().skus.get()
    stock_receive(actor=clerk_a, store_id=a.id, lines=[(sku.id, 1)])
    movement = StockMovement.objects.get()
    movement.note = "改写"
    with pytest.raises(TypeError):
        movement.save()
    with pytest.raises(TypeError):
        movement.delete()
    with pytest.raises(TypeError):
        StockMovement.objects.update(note="改写")
    with pytest.raises(TypeError):
        StockMovement.objects.all().delete()
    assert StockMovement.objects.get().note == ""


def test_stock_by_city_counts_only_stores_that_list_the_product(shops):
    a, b, c, clerk_a, clerk_b, clerk_c = shops
    product = make_product(colours=("驼色", "黑色"))
    camel, black = product.skus.order_by("id")
    for store, clerk, lines in (
        (a, clerk_a, [(camel.id, 3), (black.id, 1)]),
        (b, clerk_b, [(camel.id, 7)]),
        (c, clerk_c, [(black.id, 2)]),
    ):
        stock_receive(actor=clerk, store_id=store.id, lines=lines)
    listing_set(actor=clerk_a, store_id=a.id, product_ids=[product.id], listed=True)
    listing_set(actor=clerk_c, store_id=c.id, product_ids=[product.id], listed=True)
    Stock.objects.filter(store=a, sku=camel).update(reserved=1)
    by_city = product_stock_by_city(product_id=product.id)
    assert [(row.city_name, row.available, row.stores) for row in by_city] == [
        ("鄂尔多斯市", 3, 1),
        ("北京市", 2, 1),
    ]
    in_ordos = product_stock_in_city(product_id=product.id, city_code="150600")
    assert [(row.store, row.available) for row in in_ordos] == [(a, {camel.id: 2, black.id: 1})]


def test_store_best_sellers_rank_by_the_stores_own_sales(shops):
    a, _b, _c, clerk_a, *_ = shops
    knit, scarf = CategoryFactory(name="羊绒衫"), CategoryFactory(name="围巾")
    x = make_product(category=knit, sales_count=1000)
    y = make_product(category=scarf, sales_count=1)
    listing_set(actor=clerk_a, store_id=a.id, product_ids=[x.id, y.id], listed=True)
    StoreListing.objects.filter(store=a, product=y).update(sales_count=30)
    StoreListing.objects.filter(store=a, product=x).update(sales_count=4)
    assert [card.id for card in store_best_sellers(store_id=a.id)] == [y.id, x.id]
    assert [node.name for node in store_categories(store_id=a.id)] == ["羊绒衫", "围巾"]


def test_store_selectors_do_not_grow_with_the_goods(shops, django_assert_num_queries):
    a, _b, _c, clerk_a, *_ = shops
    category = CategoryFactory()
    for count in (20, 200):
        products = [make_product(category=category, price=Decimal("999")) for _ in range(count)]
        listing_set(actor=clerk_a, store_id=a.id, product_ids=[p.id for p in products], listed=True)
        store_categories(store_id=a.id)  # warms the category tree cache
        with django_assert_num_queries(2):
            assert len(store_products(store_id=a.id, per_page=10).object_list) == 10
        with django_assert_num_queries(1):
            store_best_sellers(store_id=a.id)
        with django_assert_num_queries(1):
            store_categories(store_id=a.id)
        with django_assert_num_queries(1):
            product_stock_by_city(product_id=products[0].id)
        with django_assert_num_queries(2):
            product_stock_in_city(product_id=products[0].id, city_code="150600")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_losses_never_take_stock_below_zero(regions):
    """Eight clerks book a loss of 3 at once on 10 units: exactly three can succeed."""
    store = StoreFactory(city=regions["150600"], code="a")
    clerks = [StoreMembershipFactory(store=store).user for _ in range(8)]
    sku = make_product().skus.get()
    stock_receive(actor=clerks[0], store_id=store.id, lines=[(sku.id, 10)])
    barrier = threading.Barrier(len(clerks))
    outcomes = []

    def lose(clerk):
        barrier.wait()
        try:
            stock_adjust(actor=clerk, store_id=store.id, sku_id=sku.id, delta=-3, note="盘亏")
            outcomes.append("ok")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=lose, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 5
    assert Stock.objects.get(store=store, sku=sku).on_hand == 1
    assert StockMovement.objects.filter(kind="adjustment").count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_large_overlapping_receipts_in_opposite_orders_do_not_deadlock(regions):
    """Receipts of more SKUs than one lock batch, sharing most of them, booked at once.

    The stock rows were created in the opposite order of their SKUs, so locking by row id
    inside each batch would take the shared rows in different orders in the two receipts.
    """
    store = StoreFactory(city=regions["150600"], code="a")
    clerks = [StoreMembershipFactory(store=store).user for _ in range(2)]
    product = make_product()
    Sku.objects.bulk_create(
        Sku(product=product, code=f"X{n:05d}", colour="驼色", size=f"S{n}", price=Decimal(100))
        for n in range(2 * BATCH + 200)
    )
    sku_ids = sorted(product.skus.values_list("id", flat=True))
    Stock.objects.bulk_create(Stock(store=store, sku_id=sku_id) for sku_id in reversed(sku_ids))
    first, second = sku_ids[: -BATCH // 2], sku_ids[BATCH // 2 :]
    rounds = 3
    barrier = threading.Barrier(2)
    failures = []

    def receive(clerk, skus):
        try:
            for _round in range(rounds):
                barrier.wait()
                stock_receive(actor=clerk, store_id=store.id, lines=[(pk, 1) for pk in skus])
        except Exception as error:  # a deadlock, reported below
            failures.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=receive, args=(clerks[0], first)),
        threading.Thread(target=receive, args=(clerks[1], list(reversed(second)))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    on_hand = dict(Stock.objects.filter(store=store).values_list("sku_id", "on_hand"))
    shared = set(first) & set(second)
    assert {on_hand[pk] for pk in shared} == {2 * rounds}
    assert {on_hand[pk] for pk in set(sku_ids) - shared} == {rounds}
    assert StockMovement.objects.count() == rounds * (len(first) + len(second))
