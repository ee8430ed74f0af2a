"""The buyer's orders for the app and the mini-program (ORD-2, ORD-4, FUL-1): the buyer
center's tabs, an order with its timeline, and what the buyer may do before and after paying.

Orders are named by their public numbers; another member's order is not found (404).
"""

from datetime import datetime
from typing import Literal

from django.core.paginator import Paginator
from ninja import Field, Path, Query, Router, Schema, Status

from rongcheng.api.auth import member_auth
from rongcheng.api.contract import NO_NUL, NOT_BLANK, BodyIn, Integer, Yuan, errors
from rongcheng.api.member import PlaceOut
from rongcheng.orders.models import Order
from rongcheng.orders.selectors import buyer_order_detail, buyer_orders
from rongcheng.orders.services import (
    NOTE_MAX,
    cancellation_request,
    order_cancel,
    order_change,
)

router = Router(tags=["orders"], auth=member_auth)

NUMBER = r"^[0-9]{20}$"
REASON_MAX = 200
Tab = Literal[
    "all",
    "awaiting_payment",
    "awaiting_shipment",
    "shipped",
    "awaiting_review",
    "refunding",
    "closed",
]


class OrderLineOut(Schema):
    sku_id: int
    product_id: int
    product_name: str
    sku_code: str
    colour: str
    size: str
    quantity: int
    unit_price: Yuan
    total: Yuan


class OrderOut(Schema):
    number: str
    checkout_number: str = Field(description="结算单号：待付款时用它发起支付")
    status: str
    status_label: str
    refunding: bool = Field(description="有待处理的取消申请")
    store_name: str
    delivery: str
    subtotal: Yuan
    discount: Yuan
    shipping_fee: Yuan
    total: Yuan
    created_at: datetime
    pay_due_at: datetime
    paid_at: datetime | None
    lines: list[OrderLineOut]


class OrderPageOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[OrderOut]


class EventOut(Schema):
    from_status: str
    to_status: str
    reason: str
    created_at: datetime


class CancellationOut(Schema):
    status: str
    reason: str
    answer: str = Field(description="门店拒绝的理由")
    created_at: datetime
    due_at: datetime = Field(description="门店到时未处理即自动同意")


class OrderDetailOut(OrderOut):
    recipient: str
    phone: str
    province: PlaceOut | None
    city: PlaceOut | None
    district: PlaceOut | None
    address_detail: str
    note: str
    events: list[EventOut]
    cancellation_requests: list[CancellationOut]


class OrderQuery(Schema):
    tab: Tab = "all"
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


class OrderChangeIn(BodyIn):
    """Only the fields sent change."""

    note: str | None = Field(None, max_length=NOTE_MAX, pattern=NO_NUL)
    address_id: Integer | None = Field(None, description="快递订单的新收货地址（运费须不变）")


class CancelIn(BodyIn):
    reason: str = Field("", max_length=REASON_MAX, pattern=NO_NUL)


class CancellationIn(BodyIn):
    reason: str = Field(max_length=REASON_MAX, pattern=NOT_BLANK)


def _order(order: Order) -> dict:
    return {
        "number": order.number,
        "checkout_number": order.checkout.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "refunding": order.refunding,
        "store_name": order.store.name,
        "delivery": order.delivery,
        "subtotal": order.subtotal,
        "discount": order.discount,
        "shipping_fee": order.shipping_fee,
        "total": order.total,
        "created_at": order.created_at,
        "pay_due_at": order.pay_due_at,
        "paid_at": order.paid_at,
        "lines": list(order.lines.all()),
    }


def _detail(order: Order) -> dict:
    return _order(order) | {
        "recipient": order.recipient,
        "phone": order.phone,
        "province": order.province,
        "city": order.city,
        "district": order.district,
        "address_detail": order.address_detail,
        "note": order.note,
        "events": list(order.events.all()),
        "cancellation_requests": list(order.cancellation_requests.all()),
    }


def _read(request, number: str) -> dict:
    return _detail(buyer_order_detail(buyer=request.user, number=number))


Number = Path(..., pattern=NUMBER)


@router.get("", response=OrderPageOut, summary="我的订单（按分类分页，最新在前）")
def order_list(request, query: Query[OrderQuery]):
    found = Paginator(buyer_orders(buyer=request.user, tab=query.tab), query.per_page)
    page = found.get_page(query.page)
    return {
        "count": found.count,
        "page": page.number,
        "pages": found.num_pages,
        "per_page": query.per_page,
        "items": [_order(order) for order in page.object_list],
    }


@router.get(
    "/{number}", response={200: OrderDetailOut, **errors(404)}, summary="订单详情与订单日志"
)
def order_detail(request, number: str = Number):
    return _read(request, number)


@router.patch(
    "/{number}",
    response={200: OrderDetailOut, **errors(404, 409)},
    summary="修改待付款订单的留言或收货地址",
)
def order_update(request, payload: OrderChangeIn, number: str = Number):
    """409 `order_not_changeable`: paid already, a pick-up order, not your address, or the new
    address would cost a different shipping fee (cancel and order again)."""
    order_change(
        buyer=request.user, number=number, address_id=payload.address_id, note=payload.note
    )
    return _read(request, number)


@router.post(
    "/{number}/cancel",
    response={200: OrderDetailOut, **errors(404, 409)},
    summary="取消待付款订单（库存退回）",
)
def order_cancel_unpaid(request, payload: CancelIn, number: str = Number):
    order_cancel(buyer=request.user, number=number, reason=payload.reason.strip())
    return _read(request, number)


@router.post(
    "/{number}/cancellation-requests",
    response={201: OrderDetailOut, **errors(404, 409)},
    summary="申请取消已付款未发货的订单（门店处理，逾期自动同意并原路退款）",
)
def order_cancellation_request(request, payload: CancellationIn, number: str = Number):
    cancellation_request(buyer=request.user, number=number, reason=payload.reason)
    return Status(201, _read(request, number))
