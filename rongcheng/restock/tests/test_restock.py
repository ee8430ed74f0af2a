"""到货通知: registering, the member told when stock is received in a shop of their city
(once, and not for another city or a fulfillment center), staff contacting and ordering at
today's price through checkout."""

from decimal import Decimal

import pytest

from rongcheng.catalog.services import product_price_refresh
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.models import Notice
from rongcheng.orders.models import Order
from rongcheng.restock.errors import (
    CityUnknown,
    RegistrationInvalid,
    RegistrationStateInvalid,
    SkuUnavailable,
)
from rongcheng.restock.models import Registration
from rongcheng.restock.selectors import registrations_search
from rongcheng.restock.services import (
    restock_close,
    restock_mark_contacted,
    restock_order_create,
    restock_register,
)

pytestmark = pytest.mark.django_db
ORDOS, BEIJING = "150600", "110100"


def register(member, sku, city=ORDOS, quantity=2):
    return restock_register(
        member=member,
        sku_id=sku.id,
        city_code=city,
        quantity=quantity,
        mobile="13900000001",
        consent=True,
    )


def test_registering_again_changes_the_waiting_registration(mall):
    first = register(mall.buyer, mall.sku_m)
    again = register(mall.buyer, mall.sku_m, quantity=3)
    assert again.pk == first.pk
    assert (again.quantity, again.product_id, again.state) == (3, mall.product.id, "waiting")


@pytest.mark.parametrize(
    "change",
    [{"consent": False}, {"quantity": 0}, {"quantity": 100}, {"mobile": "123"}, {"city_code": "9"}],
)
def test_refused_registrations_write_nothing(mall, change):
    fields = {
        "member": mall.buyer,
        "sku_id": mall.sku_m.id,
        "city_code": ORDOS,
        "quantity": 1,
        "mobile": "13900000001",
        "consent": True,
    } | change
    with pytest.raises(CityUnknown if "city_code" in change else RegistrationInvalid):
        restock_register(**fields)
    assert not Registration.objects.exists()


def test_an_inactive_sku_takes_no_registration(mall):
    mall.sku_m.is_active = False
    mall.sku_m.save()
    with pytest.raises(SkuUnavailable):
        register(mall.buyer, mall.sku_m)


def test_stock_received_in_a_shop_of_the_city_tells_the_member_once(
    mall, django_capture_on_commit_callbacks
):
    waiting = register(mall.buyer, mall.sku_m)
    elsewhere = register(UserFactory(), mall.sku_m, city=BEIJING)
    other_sku = register(UserFactory(), mall.sku_l)

    mall.stock(mall.center, mall.sku_m, 5)  # a fulfillment center: no one is told
    assert not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        mall.stock(mall.store_b, mall.sku_m, 5)
    mall.stock(mall.store_a, mall.sku_m, 5)  # a second receipt tells no one again

    waiting.refresh_from_db()
    assert (waiting.state, waiting.arrived_store_id) == ("notified", mall.store_b.id)
    notice = Notice.objects.get()
    assert notice.recipient_id == mall.buyer.id
    assert notice.kind == Notice.Kind.RESTOCK_ARRIVED
    assert notice.title == "您登记的商品到货了：经典圆领羊绒衫（驼色/M）"
    assert notice.reference == str(waiting.id)
    for untouched in (elsewhere, other_sku):
        untouched.refresh_from_db()
        assert untouched.state == "waiting" and untouched.notified_at is None


def test_staff_order_at_todays_price_for_the_member_to_pay(mall):
    registration = register(mall.buyer, mall.sku_m)
    with pytest.raises(RegistrationStateInvalid):  # nothing arrived yet
        restock_order_create(registration_id=registration.id)
    mall.stock(mall.store_a, mall.sku_m, 5)
    mall.product.skus.update(price=Decimal("1180.00"))
    product_price_refresh(product_ids=[mall.product.id])
    restock_mark_contacted(registration_id=registration.id, note="会员明天到店")

    number = restock_order_create(registration_id=registration.id)
    again = restock_order_create  # a second call is refused: the registration is ordered
    with pytest.raises(RegistrationStateInvalid):
        again(registration_id=registration.id)

    order = Order.objects.get(buyer=mall.buyer)
    assert order.checkout.number == number
    assert (order.status, order.store_id, order.total) == (
        "awaiting_payment",
        mall.store_a.id,
        Decimal("2360.00"),
    )
    registration.refresh_from_db()
    assert (registration.state, registration.order_number) == ("ordered", order.number)
    assert registration.staff_note == "会员明天到店"
    with pytest.raises(RegistrationStateInvalid):
        restock_close(registration_id=registration.id)


def test_staff_filters(mall):
    register(mall.buyer, mall.sku_m)
    register(UserFactory(), mall.sku_l, city=BEIJING)
    assert registrations_search(city_code=BEIJING).get().sku_id == mall.sku_l.id
    assert registrations_search(query=mall.sku_m.code).get().sku_id == mall.sku_m.id
    assert registrations_search(query="圆领", state="waiting").count() == 2
    assert registrations_search(state="notified").count() == 0
