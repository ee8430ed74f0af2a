from hypothesis import given
from hypothesis import strategies as st

from rongcheng.checkout.calculations import Discount, OrderDraft, price_checkout, price_order
from rongcheng.checkout.fetch import Destination, LineInfo
from rongcheng.fulfillment.calculations import FeeRule, FeeTemplate
from rongcheng.orders.models import Delivery

HOME = Destination(Delivery.COURIER, "150000", "150600", 39.6, 109.8)
PICKUP = Destination(Delivery.PICKUP, "150000", "150600", 39.6, 109.8, pickup_store_id=1)
BY_PIECE = FeeTemplate(False, (FeeRule(None, 1, 1000, 1, 500, None),))


def line(sku_id: int, price_fen: int, quantity: int = 1, grams: int = 500) -> LineInfo:
    return LineInfo(
        sku_id=sku_id,
        sku_code=f"SKU{sku_id}",
        product_id=sku_id,
        product_name="羊绒衫",
        colour="驼色",
        size="M",
        quantity=quantity,
        unit_price_fen=price_fen,
        regular_price_fen=price_fen,
        weight_grams=grams,
        sellable=True,
    )


def test_an_order_pays_its_goods_and_one_fee_split_over_its_lines():
    order = price_order(
        OrderDraft(1, (line(1, 128000), line(2, 64000, 2), line(3, 9999)), HOME),
        template=BY_PIECE,
    )
    assert (order.subtotal_fen, order.shipping_fen, order.total_fen) == (265999, 2500, 268499)
    assert [pl.shipping_fen for pl in order.lines] == [1203, 1203, 94]
    assert [pl.total_fen for pl in order.lines] == [129203, 129203, 10093]
    assert order.weight_grams == 2000


def test_pickup_is_free_and_a_stage_discount_is_split_and_capped():
    def coupon(draft, earlier):
        return [Discount("满减券", 50000)]

    def points(draft, earlier):
        assert [d.label for d in earlier] == ["满减券"]
        return [Discount("积分", 10**9)]

    order = price_order(
        OrderDraft(1, (line(1, 30000), line(2, 10000)), PICKUP), template=BY_PIECE, stages=[coupon]
    )
    assert (order.discount_fen, order.shipping_fen, order.total_fen) == (40000, 0, 0)
    capped = price_order(
        OrderDraft(1, (line(1, 30000),), HOME), template=BY_PIECE, stages=[coupon, points]
    )
    assert (capped.discount_fen, capped.total_fen) == (30000, 1000)


lines_strategy = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=4),  # store
        st.integers(min_value=1, max_value=10**7),  # unit price in fen
        st.integers(min_value=1, max_value=99),  # quantity
        st.integers(min_value=0, max_value=5000),  # grams
    ),
    min_size=1,
    max_size=30,
)


@given(
    rows=lines_strategy,
    first=st.integers(min_value=0, max_value=10**5),
    extra=st.integers(min_value=0, max_value=10**4),
    threshold=st.none() | st.integers(min_value=0, max_value=10**8),
    discount=st.integers(min_value=0, max_value=10**9),
    pickup=st.booleans(),
)
def test_every_split_adds_up_to_the_fen(rows, first, extra, threshold, discount, pickup):
    template = FeeTemplate(True, (FeeRule(None, 1000, first, 500, extra, threshold),))
    assignment: dict[int, list[LineInfo]] = {}
    for sku_id, (store, price, quantity, grams) in enumerate(rows, start=1):
        assignment.setdefault(store, []).append(line(sku_id, price, quantity, grams))

    def stage(draft, earlier):
        return [Discount("测试", discount)]

    priced = price_checkout(
        assignment, destination=PICKUP if pickup else HOME, template=template, stages=[stage]
    )
    assert [order.store_id for order in priced.orders] == sorted(assignment)
    assert priced.total_fen == sum(order.total_fen for order in priced.orders)
    for order in priced.orders:
        assert sum(pl.total_fen for pl in order.lines) == order.total_fen
        assert sum(pl.discount_fen for pl in order.lines) == order.discount_fen
        assert sum(pl.shipping_fen for pl in order.lines) == order.shipping_fen
        assert sum(pl.subtotal_fen for pl in order.lines) == order.subtotal_fen
        assert 0 <= order.discount_fen <= order.subtotal_fen
        assert all(pl.total_fen >= 0 and pl.discount_fen <= pl.subtotal_fen for pl in order.lines)
        if pickup:
            assert order.shipping_fen == 0
