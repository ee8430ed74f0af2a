import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage

from rongcheng.cart.errors import BagInvalid, SkuUnavailable
from rongcheng.cart.models import BagLine
from rongcheng.cart.selectors import BagEntry, Problem, bag_count, bag_view, member_bag
from rongcheng.cart.services import (
    bag_line_add,
    bag_line_set_quantity,
    bag_lines_remove,
    bag_lines_select,
)
from rongcheng.cart.session import (
    bag_merge_session,
    session_bag_add,
    session_bag_entries,
    session_bag_remove,
    session_bag_select,
    session_bag_set_quantity,
)
from rongcheng.catalog.models import ProductImage
from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.testing.factories import DEFAULT_PASSWORD
from rongcheng.inventory.services import listing_set

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def stocked(mall):
    mall.stock(mall.store_a, mall.sku_m, 3)
    mall.stock(mall.store_a, mall.sku_l, 1)
    return mall


def _lines(user) -> list[tuple[int, int, bool]]:
    return list(
        BagLine.objects.filter(bag__user=user)
        .order_by("sku_id")
        .values_list("sku_id", "quantity", "selected")
    )


def test_a_member_adds_changes_ticks_and_removes_lines(stocked):
    m, buyer = stocked, stocked.buyer
    bag_line_add(user=buyer, sku_id=m.sku_m.id)
    bag_line_add(user=buyer, sku_id=m.sku_m.id, quantity=2)
    bag_line_add(user=buyer, sku_id=m.sku_l.id)
    assert _lines(buyer) == [(m.sku_m.id, 3, True), (m.sku_l.id, 1, True)]
    assert bag_count(user=buyer) == 4
    bag_line_set_quantity(user=buyer, sku_id=m.sku_m.id, quantity=1)
    assert bag_lines_select(user=buyer, sku_ids=[m.sku_l.id], selected=False) == 1
    assert _lines(buyer) == [(m.sku_m.id, 1, True), (m.sku_l.id, 1, False)]
    assert bag_lines_remove(user=buyer, sku_ids=[m.sku_m.id]) == 1
    assert _lines(buyer) == [(m.sku_l.id, 1, False)]


def test_more_than_can_be_sold_or_a_sold_out_sku_is_refused(stocked, member):
    m = stocked
    with pytest.raises(SkuUnavailable) as short:
        bag_line_add(user=member, sku_id=m.sku_m.id, quantity=4)
    assert m.sku_m.code in short.value.message
    with pytest.raises(BagInvalid):
        bag_line_add(user=member, sku_id=m.sku_m.id, quantity=0)
    unsold = make_product(name="未上架")
    with pytest.raises(SkuUnavailable):
        bag_line_add(user=member, sku_id=unsold.skus.get().id)
    with pytest.raises(BagInvalid):
        bag_line_set_quantity(user=member, sku_id=m.sku_m.id, quantity=1)
    assert _lines(member) == []


def test_the_bag_shows_todays_price_and_marks_what_became_unavailable(stocked):
    m, buyer = stocked, stocked.buyer
    bag_line_add(user=buyer, sku_id=m.sku_m.id, quantity=2)
    bag_line_add(user=buyer, sku_id=m.sku_l.id)
    m.sku_m.special_price = Decimal("999.00")
    m.sku_m.special_starts_at = NOW - datetime.timedelta(days=1)
    m.sku_m.special_ends_at = NOW + datetime.timedelta(days=1)
    m.sku_m.save()
    m.sku_l.is_active = False
    m.sku_l.save()

    view = member_bag(user=buyer, now=NOW)
    by_sku = {line.sku.id: line for line in view.lines}
    assert (by_sku[m.sku_m.id].price.amount, by_sku[m.sku_m.id].problem) == (
        Decimal("999.00"),
        Problem.NONE,
    )
    assert by_sku[m.sku_l.id].problem == Problem.INACTIVE
    assert view.selected_total == Decimal("1998.00")
    after = member_bag(user=buyer, now=NOW + datetime.timedelta(days=1))
    assert after.lines[1].price.amount == Decimal("1280.00")


def test_lines_delisted_everywhere_sold_out_or_short_are_marked(stocked):
    m = stocked
    entries = [BagEntry(m.sku_m.id, 4), BagEntry(m.sku_l.id, 1)]
    assert [line.problem for line in bag_view(entries=entries, now=NOW).lines] == [
        Problem.SHORT,
        Problem.NONE,
    ]
    m.stock(m.store_b, m.sku_m, 1)
    assert bag_view(entries=entries, now=NOW).lines[0].problem == Problem.NONE
    for store in (m.store_a, m.store_b):
        listing_set(actor=m.admin, store_id=store.id, product_ids=[m.product.id], listed=False)
    assert {line.problem for line in bag_view(entries=entries, now=NOW).lines} == {
        Problem.NOT_LISTED
    }


@time_machine.travel(NOW, tick=False)
def test_a_visitors_bag_lives_in_the_session_and_merges_at_login(stocked):
    m = stocked
    session = SessionStore()
    session_bag_add(session, sku_id=m.sku_m.id)
    session_bag_add(session, sku_id=m.sku_l.id)
    session_bag_set_quantity(session, sku_id=m.sku_m.id, quantity=2)
    session_bag_select(session, sku_ids=[m.sku_l.id], selected=False)
    session.save()
    reloaded = SessionStore(session_key=session.session_key)
    assert session_bag_entries(reloaded) == [
        BagEntry(m.sku_l.id, 1, False),
        BagEntry(m.sku_m.id, 2, True),
    ]
    with pytest.raises(SkuUnavailable):
        session_bag_add(reloaded, sku_id=m.sku_l.id)  # one L left
    bag_line_add(user=m.buyer, sku_id=m.sku_m.id)

    assert bag_merge_session(user=m.buyer, session=reloaded) == 2

    assert _lines(m.buyer) == [(m.sku_m.id, 3, True), (m.sku_l.id, 1, False)]
    assert session_bag_entries(reloaded) == []
    session_bag_add(reloaded, sku_id=m.sku_m.id)
    session_bag_remove(reloaded, sku_ids=[m.sku_m.id])
    assert session_bag_entries(reloaded) == []


def test_logging_in_moves_the_visitors_bag(client, stocked):
    m = stocked
    session = client.session
    session_bag_add(session, sku_id=m.sku_m.id, quantity=2)
    session.save()
    response = client.post("/login/", {"identifier": m.buyer.mobile, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert _lines(m.buyer) == [(m.sku_m.id, 2, True)]
    assert session_bag_entries(client.session) == []


def test_each_line_shows_its_products_first_picture(stocked):
    m = stocked
    entries = [BagEntry(m.sku_m.id, 1), BagEntry(m.sku_l.id, 1)]
    assert [line.thumbnail_url for line in bag_view(entries=entries, now=NOW).lines] == ["", ""]
    ProductImage.objects.create(
        product=m.product, image="products/b.jpg", thumbnail="thumbs/b.jpg", position=1
    )
    ProductImage.objects.create(
        product=m.product, image="products/a.jpg", thumbnail="thumbs/a.jpg", position=0
    )
    first = default_storage.url("thumbs/a.jpg")
    assert [line.thumbnail_url for line in bag_view(entries=entries, now=NOW).lines] == [
        first,
        first,
    ]
