from dataclasses import dataclass

import pytest

from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.checkout.tests.buying import mall  # noqa: F401 - the shared fixture
from rongcheng.core.testing.factories import UserFactory
from rongcheng.inventory.models import Stock, StockMovement, StoreListing
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory


@dataclass
class Shops:
    """Two stores of one city: A with a manager, a clerk and a fulfillment clerk, B with a
    clerk; a shopper with no store; two products listed and stocked in both stores."""

    a: Store
    b: Store
    manager_a: object
    clerk_a: object
    fulfillment_a: object
    clerk_b: object
    shopper: object
    scarf: object
    sweater: object


def staff(store: Store, role: str = StoreMembership.Role.CLERK):
    return StoreMembershipFactory(store=store, role=role).user


@pytest.fixture
def shops(regions) -> Shops:
    a = StoreFactory(city=regions["150600"], code="a", name="东胜旗舰店")
    b = StoreFactory(city=regions["150600"], code="b", name="康巴什店")
    category = CategoryFactory(name="围巾")
    brand = BrandFactory(name="绒城")
    scarf = make_product(
        name="羊绒围巾", style_code="W1001", category=category, brand=brand, sizes=("F",)
    )
    sweater = make_product(
        name="圆领羊绒衫",
        style_code="S2001",
        category=CategoryFactory(name="羊绒衫"),
        brand=brand,
        sizes=("M", "L"),
    )
    shops = Shops(
        a=a,
        b=b,
        manager_a=staff(a, StoreMembership.Role.MANAGER),
        clerk_a=staff(a),
        fulfillment_a=staff(a, StoreMembership.Role.FULFILLMENT),
        clerk_b=staff(b),
        shopper=UserFactory(password=None),
        scarf=scarf,
        sweater=sweater,
    )
    for store, clerk in ((a, shops.clerk_a), (b, shops.clerk_b)):
        listing_set(actor=clerk, store_id=store.id, product_ids=[scarf.id, sweater.id], listed=True)
        stock_receive(
            actor=clerk,
            store_id=store.id,
            lines=[(sku.id, 3) for sku in [*scarf.skus.all(), *sweater.skus.all()]],
        )
    return shops


def snapshot(store: Store) -> tuple:
    """Everything the seller center can change in a store, to show a refusal changed nothing."""
    return (
        sorted(
            StoreListing.objects.filter(store=store).values_list(
                "product_id", "is_listed", "listed_at", "delisted_at"
            )
        ),
        sorted(Stock.objects.filter(store=store).values_list("sku_id", "on_hand", "reserved")),
        StockMovement.objects.filter(store=store).count(),
    )
