"""到货通知 (OOS-1): a member registers for a sold-out SKU in their city; when goods of that
SKU are received in a shop of that city the member is told at once (an in-site notice, pushed
after the commit); staff contact the member and create the order at the current price for
the member to pay (a pick-up order at the shop where the goods arrived)."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Sku
from rongcheng.checkout.selectors import checkout_quote
from rongcheng.checkout.services import checkout_place
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_send
from rongcheng.orders.models import Delivery
from rongcheng.regions.models import Region
from rongcheng.restock.errors import (
    CityUnknown,
    RegistrationInvalid,
    RegistrationNotFound,
    RegistrationStateInvalid,
    SkuUnavailable,
)
from rongcheng.restock.models import Registration
from rongcheng.stores.models import Store
from rongcheng.stores.selectors import SHOP_KINDS

QUANTITY_MAX = 99
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
OPEN_STATES = (Registration.State.NOTIFIED, Registration.State.CONTACTED)


def restock_register(
    *, member: User, sku_id: int, city_code: str, quantity: int, mobile: str, consent: bool
) -> Registration:
    """Register, or change the member's waiting registration for the same SKU."""
    if not consent:
        raise RegistrationInvalid(_("请同意门店和客服就到货事宜与您联系。"), field="consent")
    if not 1 <= quantity <= QUANTITY_MAX:
        raise RegistrationInvalid(_("数量须为 1–99 件。"), field="quantity")
    if not MOBILE_RE.fullmatch(mobile or ""):
        raise RegistrationInvalid(_("请填写正确的手机号。"), field="mobile")
    if not Region.objects.filter(code=city_code, level=Region.Level.CITY).exists():
        raise CityUnknown(_("请选择城市。"), field="city")
    sku = Sku.objects.filter(id=sku_id, is_active=True, product__is_active=True).first()
    if sku is None:
        raise SkuUnavailable(_("该商品规格已下架。"))
    fields = {"city_id": city_code, "quantity": quantity, "mobile": mobile}
    with transaction.atomic():
        registration, _created = Registration.objects.update_or_create(
            member=member,
            sku=sku,
            state=Registration.State.WAITING,
            defaults=fields,
            create_defaults={**fields, "product_id": sku.product_id, "contact_consent": True},
        )
        return registration


def restock_cancel(*, member: User, registration_id: int) -> Registration:
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(id=registration_id, member=member)
            .first()
        )
        if registration is None:
            raise RegistrationNotFound(_("没有这条到货通知登记。"))
        if registration.state in (Registration.State.ORDERED, Registration.State.CLOSED):
            raise RegistrationStateInvalid(_("该登记已下单或已关闭。"))
        registration.state = Registration.State.CLOSED
        registration.save(update_fields=["state", "updated_at"])
        return registration


def restock_goods_received(*, store: Store, sku_ids: list[int] | tuple[int, ...]) -> int:
    """The receipt listener: tell the members waiting for these SKUs in the store's city.

    Runs in the receipt's transaction. The registrations move from waiting to notified with
    one conditional UPDATE, so a registration is told once however many receipts follow.
    Returns how many members were told."""
    if store.kind not in SHOP_KINDS or not sku_ids:
        return 0
    now = timezone.now()
    waiting = Registration.objects.filter(
        state=Registration.State.WAITING, sku_id__in=list(sku_ids), city_id=store.city_id
    )
    rows = list(
        waiting.select_for_update()
        .order_by("id")
        .values_list("id", "member_id", "product__name", "sku__colour", "sku__size")
    )
    if not rows:
        return 0
    Registration.objects.filter(
        id__in=[row[0] for row in rows], state=Registration.State.WAITING
    ).update(
        state=Registration.State.NOTIFIED, notified_at=now, arrived_store=store, updated_at=now
    )
    for registration_id, member_id, name, colour, size in rows:
        goods = f"{name}（{colour}/{size}）"
        notices_send(
            recipient_ids=[member_id],
            kind=Notice.Kind.RESTOCK_ARRIVED,
            title=_("您登记的商品到货了：%(goods)s") % {"goods": goods},
            body=_("%(store)s 已到货，客服会与您联系下单，您也可以直接到店或在线购买。")
            % {"store": store.name},
            reference=str(registration_id),
        )
    return len(rows)


def _staff_registration(registration_id: int) -> Registration:
    registration = Registration.objects.select_for_update().filter(id=registration_id).first()
    if registration is None:
        raise RegistrationNotFound(_("没有这条到货通知登记。"))
    return registration


def restock_mark_contacted(*, registration_id: int, note: str) -> Registration:
    """Staff record that they reached the member (and what was agreed)."""
    with transaction.atomic():
        registration = _staff_registration(registration_id)
        if registration.state not in (Registration.State.WAITING, *OPEN_STATES):
            raise RegistrationStateInvalid(_("该登记已下单或已关闭。"))
        registration.state = Registration.State.CONTACTED
        registration.staff_note = note.strip()[:200]
        registration.save(update_fields=["state", "staff_note", "updated_at"])
        return registration


def restock_close(*, registration_id: int, note: str = "") -> Registration:
    with transaction.atomic():
        registration = _staff_registration(registration_id)
        if registration.state == Registration.State.ORDERED:
            raise RegistrationStateInvalid(_("该登记已下单。"))
        registration.state = Registration.State.CLOSED
        if note:
            registration.staff_note = note.strip()[:200]
        registration.save(update_fields=["state", "staff_note", "updated_at"])
        return registration


def restock_order_create(*, registration_id: int) -> str:
    """Create the member's order at today's price: a pick-up at the shop where the goods
    arrived, through checkout's own placement (stock reserved, awaiting the member's
    payment). Returns the checkout number the member pays. Placing again returns the same."""
    registration = (
        Registration.objects.select_related("arrived_store").filter(id=registration_id).first()
    )
    if registration is None:
        raise RegistrationNotFound(_("没有这条到货通知登记。"))
    if registration.state not in OPEN_STATES or registration.arrived_store_id is None:
        raise RegistrationStateInvalid(_("只有已到货、未下单的登记可以代客下单。"))
    lines = [(registration.sku_id, registration.quantity)]
    store_id = registration.arrived_store_id
    quote = checkout_quote(
        buyer=registration.member, delivery=Delivery.PICKUP, pickup_store_id=store_id, lines=lines
    )
    checkout = checkout_place(
        buyer=registration.member,
        token=f"restock-{registration.id}",
        delivery=Delivery.PICKUP,
        pickup_store_id=store_id,
        expected_total_fen=quote.priced.total_fen,
        lines=lines,
    )
    order = checkout.orders.order_by("id").first()
    with transaction.atomic():
        updated = Registration.objects.filter(id=registration.id, state__in=OPEN_STATES).update(
            state=Registration.State.ORDERED,
            order_number=order.number if order else "",
            updated_at=timezone.now(),
        )
        if updated:
            notices_send(
                recipient_ids=[registration.member_id],
                kind=Notice.Kind.RESTOCK_ARRIVED,
                title=_("客服已为您下单，请在付款时限内完成付款"),
                body=_("订单号 %(number)s") % {"number": order.number if order else ""},
                reference=str(registration.id),
            )
    return checkout.number
