"""Checkout for the app and the mini-program (FUL-1, HELP-1): price the ticked bag lines for a
delivery, place them as one order per shipping store, and start paying the checkout.

Every amount is computed by the server; the client only confirms the total it was shown
(`expected_total`), and a total that changed since is answered 409 `price_changed` with the new
one. Checkouts and orders are named by their public numbers, never by ids.
"""

import secrets
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from rongcheng.api.auth import member_auth
from rongcheng.api.catalog import StoreOut, store_out
from rongcheng.api.contract import (
    NO_NUL,
    REGION_CODE,
    YUAN,
    BodyIn,
    ErrorOut,
    Integer,
    Yuan,
    errors,
)
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay
from rongcheng.checkout.selectors import Quote, checkout_quote, pickup_stores
from rongcheng.checkout.services import TOKEN_MAX, checkout_place
from rongcheng.core.client_ip import client_ip
from rongcheng.core.errors import NotFound
from rongcheng.core.money import from_fen, to_fen
from rongcheng.orders.models import Delivery
from rongcheng.orders.services import NOTE_MAX
from rongcheng.payments.gateways.base import PaymentStart
from rongcheng.payments.models import Channel, Payment
from rongcheng.regions.errors import UnknownCity
from rongcheng.regions.selectors import city_get
from rongcheng.stores.models import Store

router = Router(tags=["checkout"], auth=member_auth)

NUMBER = r"^[0-9]{20}$"
# What WeChat issues as an openid: letters, digits, - and _ (28 characters today).
OPENID = r"^[A-Za-z0-9_-]{6,64}$"
# The channels an app or the mini-program starts with `pay`; WeChat JSAPI has its own operation,
# which takes the buyer's openid.
ApiChannel = Literal[
    "alipay_page",
    "alipay_wap",
    "alipay_qr",
    "wechat_native",
    "wechat_h5",
    "unionpay_pc",
    "unionpay_wap",
]


class DeliveryIn(BodyIn):
    delivery: Literal["courier", "pickup"] = Field(
        description="courier：快递到 address_id；pickup：到 store_id 门店自提"
    )
    address_id: Integer | None = Field(None, description="快递时必填：收货地址")
    store_id: Integer | None = Field(None, description="自提时必填：自提门店")


class PlaceIn(DeliveryIn):
    token: str = Field(
        min_length=1, max_length=TOKEN_MAX, pattern=NO_NUL, description="报价返回的提交令牌"
    )
    expected_total: str = Field(pattern=YUAN, description="买家确认的应付总额（报价的 total）")
    note: str = Field("", max_length=NOTE_MAX, pattern=NO_NUL, description="给卖家的留言")


class QuoteLineOut(Schema):
    sku_id: int
    sku_code: str
    product_name: str
    colour: str
    size: str
    quantity: int
    unit_price: Yuan
    regular_price: Yuan
    total: Yuan = Field(description="小计 − 分摊优惠 + 分摊运费")


class QuoteOrderOut(Schema):
    store_id: int
    store_name: str
    lines: list[QuoteLineOut]
    subtotal: Yuan
    discount: Yuan
    shipping_fee: Yuan
    total: Yuan


class QuoteOut(Schema):
    delivery: str
    orders: list[QuoteOrderOut] = Field(description="拆单：每个发货门店一个订单")
    total: Yuan
    token: str = Field(description="下单时原样提交；重复提交同一令牌得到同一结算单")


class PriceChangedOut(ErrorOut):
    total: str | None = Field(
        None, pattern=YUAN, description="price_changed 时：现在的应付总额，请确认后重新提交"
    )


class PlacedOrderOut(Schema):
    number: str
    store_name: str
    status: str
    total: Yuan


class PlacedOut(Schema):
    number: str = Field(description="结算单号（支付时使用）")
    total: Yuan
    orders: list[PlacedOrderOut]


class PickupQuery(Schema):
    city: str = Field(pattern=REGION_CODE, description="城市代码")


class PayIn(BodyIn):
    channel: ApiChannel


class JsapiPayIn(BodyIn):
    openid: str = Field(
        pattern=OPENID,
        description="买家在本商城公众号或小程序下的 openid（小程序以 wx.login 的 code 换取）",
    )


class PayOut(Schema):
    payment_number: str = Field(description="支付单号（商户订单号）")
    channel: str
    amount: Yuan
    redirect_url: str = Field(description="打开此地址（支付宝网页、微信 H5）；否则为空")
    qr_code: str = Field(description="展示为二维码（支付宝扫码、微信 Native）；否则为空")
    form_action: str = Field(description="以 POST 提交 form_fields 到此地址（银联）；否则为空")
    form_fields: dict[str, str]
    jsapi: dict[str, str]


def _quote(quote: Quote, delivery: str) -> dict:
    ids = [order.store_id for order in quote.priced.orders]
    names = dict(Store.objects.filter(pk__in=ids).values_list("id", "name"))
    return {
        "delivery": delivery,
        "orders": [
            {
                "store_id": order.store_id,
                "store_name": names[order.store_id],
                "lines": [
                    {
                        "sku_id": priced.line.sku_id,
                        "sku_code": priced.line.sku_code,
                        "product_name": priced.line.product_name,
                        "colour": priced.line.colour,
                        "size": priced.line.size,
                        "quantity": priced.line.quantity,
                        "unit_price": from_fen(priced.line.unit_price_fen),
                        "regular_price": from_fen(priced.line.regular_price_fen),
                        "total": from_fen(priced.total_fen),
                    }
                    for priced in order.lines
                ],
                "subtotal": from_fen(order.subtotal_fen),
                "discount": from_fen(order.discount_fen),
                "shipping_fee": from_fen(order.shipping_fen),
                "total": from_fen(order.total_fen),
            }
            for order in quote.priced.orders
        ],
        "total": from_fen(quote.priced.total_fen),
        "token": secrets.token_urlsafe(24),
    }


def _where(payload: DeliveryIn) -> dict:
    courier = payload.delivery == Delivery.COURIER
    return {
        "delivery": payload.delivery,
        "address_id": payload.address_id if courier else None,
        "pickup_store_id": None if courier else payload.store_id,
    }


def placed_out(checkout: Checkout) -> dict:
    """A checkout with its orders, as placing or paying it answers."""
    orders = checkout.orders.select_related("store").order_by("id")
    return {
        "number": checkout.number,
        "total": checkout.total,
        "orders": [
            {
                "number": order.number,
                "store_name": order.store.name,
                "status": order.status,
                "total": order.total,
            }
            for order in orders
        ],
    }


@router.post(
    "/quote",
    response={200: QuoteOut, **errors(409)},
    summary="结算报价：按配送方式拆单、运费、应付总额和提交令牌",
)
def quote(request, payload: DeliveryIn):
    where = _where(payload)
    return _quote(checkout_quote(buyer=request.user, **where), payload.delivery)


@router.post(
    "/place",
    response={200: PlacedOut, 409: PriceChangedOut},
    summary="提交订单（同一令牌重复提交返回同一结算单）",
)
def place(request, payload: PlaceIn):
    """409 `price_changed` carries the new `total`: show it and submit again with a new token
    from a new quote. Other 409s: `identity_incomplete` (real name and mobile first),
    `checkout_invalid`, `line_unavailable`, `insufficient_stock`."""
    placed = checkout_place(
        buyer=request.user,
        token=payload.token,
        expected_total_fen=to_fen(Decimal(payload.expected_total)),
        note=payload.note,
        **_where(payload),
    )
    return placed_out(placed)


@router.get(
    "/pickup-stores",
    response={200: list[StoreOut], **errors(404)},
    summary="本城可自提全部已勾选商品的门店（由近及远）",
)
def pickup_store_list(request, query: Query[PickupQuery]):
    city = city_get(code=query.city)
    if city is None:
        raise UnknownCity(_("没有这个城市，请重新选择。"))
    found = pickup_stores(
        buyer=request.user,
        city_code=city.code,
        latitude=float(city.latitude),
        longitude=float(city.longitude),
    )
    return [store_out(item.store, item.distance_km) for item in found]


@router.post(
    "/{number}/pay",
    response={200: PayOut, **errors(404, 409, 502)},
    summary="发起支付：返回客户端所需的跳转地址、二维码内容或表单",
)
def pay(request, payload: PayIn, number: str = Path(..., pattern=NUMBER)):
    """404: no such checkout of yours; 409 `checkout_not_payable`: no order of it awaits
    payment; 502: the provider did not answer, try again. WeChat H5 names the address the
    request came from to WeChat Pay."""
    return _pay(request, number, channel=payload.channel)


@router.post(
    "/{number}/pay/wechat-jsapi",
    response={200: PayOut, **errors(404, 409, 502)},
    summary="在微信内支付（JSAPI）：返回 wx.requestPayment 的已签名参数",
)
def pay_wechat_jsapi(request, payload: JsapiPayIn, number: str = Path(..., pattern=NUMBER)):
    """`jsapi` carries appId, timeStamp, nonceStr, package and signType, and paySign: the
    merchant's RSA-SHA256 signature of the first four, per WeChat Pay v3; pass them to
    `wx.requestPayment` (mini-program) or `WeixinJSBridge` (official account). Refusals as
    for `pay`."""
    return _pay(request, number, channel=Channel.WECHAT_JSAPI, openid=payload.openid)


def _pay(request, number: str, *, channel: str, openid: str = "") -> dict:
    if not Checkout.objects.filter(buyer=request.user, number=number).exists():
        raise NotFound(_("没有这个结算单。"))
    payment, started = checkout_pay(
        buyer=request.user,
        checkout_number=number,
        channel=channel,
        base_url=request.build_absolute_uri("/"),
        return_url=reverse("storefront:pay_result", args=[number]),
        client_ip=client_ip(request),
        openid=openid,
    )
    return payment_out(payment, started)


def payment_out(payment: Payment, started: PaymentStart) -> dict:
    """What the client needs to start a payment it asked for (a checkout's or a top-up's)."""
    return {
        "payment_number": payment.out_trade_no,
        "channel": started.channel,
        "amount": payment.amount,
        "redirect_url": started.redirect_url,
        "qr_code": started.qr_code,
        "form_action": started.form_action,
        "form_fields": dict(started.form_fields),
        "jsapi": dict(started.jsapi),
    }
