"""A small mall to buy in, shared by the bag, checkout and order tests.

Ordos (鄂尔多斯): store A about 28 km from the buyer's district (东胜区), store B about
55 km; Beijing: a fulfillment center and a shop. One cashmere sweater in two sizes, listed
in both Ordos stores.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest

from rongcheng.accounts.models import Address, User
from rongcheng.accounts.services import address_create
from rongcheng.cart.services import bag_line_add
from rongcheng.catalog.models import Product, Sku
from rongcheng.catalog.tests.factories import make_product
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.selectors import checkout_quote
from rongcheng.checkout.services import PaymentOutcome, checkout_mark_paid, checkout_place
from rongcheng.core.money import to_fen
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.orders.models import Delivery
from rongcheng.stores.models import Store
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory


@dataclass
class Mall:
    store_a: Store
    store_b: Store
    center: Store
    beijing_shop: Store
    clerk_a: User
    clerk_b: User
    admin: User
    product: Product
    sku_m: Sku
    sku_l: Sku
    buyer: User
    address: Address  # in Ordos
    beijing_address: Address

    def stock(self, store: Store, sku: Sku, units: int) -> None:
        stock_receive(actor=self.admin, store_id=store.id, lines=[(sku.id, units)])

    def list(self, store: Store, product: Product) -> None:
        listing_set(actor=self.admin, store_id=store.id, product_ids=[product.id], listed=True)


def build_mall(regions, *, buyer: User | None = None) -> Mall:
    ordos, beijing = regions["150600"], regions["110100"]
    store_a = StoreFactory(city=ordos, code="ordos-a", name="鄂尔多斯 A 店")
    store_b = StoreFactory(
        city=ordos,
        code="ordos-b",
        name="鄂尔多斯 B 店",
        latitude=Decimal("39.400000"),
        longitude=Decimal("109.600000"),
    )
    center = StoreFactory(
        city=beijing,
        code="fc-bj",
        name="北京发货中心",
        kind=Store.Kind.FULFILLMENT,
        latitude=Decimal("39.904211"),
        longitude=Decimal("116.407394"),
    )
    beijing_shop = StoreFactory(
        city=beijing,
        code="bj-shop",
        name="北京王府井店",
        latitude=Decimal("39.910000"),
        longitude=Decimal("116.410000"),
    )
    admin = UserFactory(is_superuser=True, is_staff=True, password=None)
    product = make_product(name="经典圆领羊绒衫", sizes=("M", "L"), price=Decimal("1280.00"))
    sku_m, sku_l = product.skus.order_by("position")
    buyer = buyer or UserFactory(real_name="李四", mobile="13900000001")
    address = address_create(
        user=buyer,
        recipient="李四",
        phone="13900000001",
        province=regions["150000"],
        city=ordos,
        district=regions["150602"],
        detail="鄂尔多斯大街 1 号",
        is_default=True,
    )
    beijing_address = address_create(
        user=buyer,
        recipient="李四",
        phone="13900000001",
        province=regions["110000"],
        city=beijing,
        district=regions["110101"],
        detail="王府井大街 8 号",
    )
    mall = Mall(
        store_a=store_a,
        store_b=store_b,
        center=center,
        beijing_shop=beijing_shop,
        clerk_a=StoreMembershipFactory(store=store_a).user,
        clerk_b=StoreMembershipFactory(store=store_b).user,
        admin=admin,
        product=product,
        sku_m=sku_m,
        sku_l=sku_l,
        buyer=buyer,
        address=address,
        beijing_address=beijing_address,
    )
    for store in (store_a, store_b):
        mall.list(store, product)
    return mall


@pytest.fixture
def mall(regions) -> Mall:
    return build_mall(regions)


def place(
    buyer: User,
    *,
    address: Address | None = None,
    pickup: Store | None = None,
    token: str | None = None,
    note: str = "",
) -> Checkout:
    """Place the ticked bag lines at the total the quote shows, as the confirmation page does."""
    where = (
        {"delivery": Delivery.PICKUP, "pickup_store_id": pickup.id}
        if pickup
        else {"delivery": Delivery.COURIER, "address_id": address.id if address else None}
    )
    total = checkout_quote(buyer=buyer, **where).priced.total_fen
    return checkout_place(
        buyer=buyer,
        token=token or secrets.token_hex(16),
        expected_total_fen=total,
        note=note,
        **where,
    )


def buy(mall: Mall, sku: Sku, quantity: int = 1, **where) -> Checkout:
    bag_line_add(user=mall.buyer, sku_id=sku.id, quantity=quantity)
    return place(mall.buyer, **where)


def pay(
    checkout: Checkout,
    *,
    paid_at: datetime,
    method: str = "alipay",
    amount_fen: int | None = None,
    payment_number: str = "P-1",
) -> PaymentOutcome:
    """A verified payment of the whole checkout (by default, its total as placed)."""
    amount = to_fen(checkout.total) if amount_fen is None else amount_fen
    return checkout_mark_paid(
        checkout=checkout,
        payment_number=payment_number,
        amount_fen=amount,
        paid_at=paid_at,
        method=method,
    )
