"""Checkout (FUL-1) and paying (HELP-1): confirm delivery, split and total, place the orders,
choose a payment method, and see the payment's real result. Members only."""

import secrets

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rongcheng.accounts.selectors import address_list
from rongcheng.checkout.errors import CheckoutNotPayable, PriceChanged
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay, checkout_pay_from_wallet
from rongcheng.checkout.selectors import checkout_amount_due_fen, checkout_quote, pickup_stores
from rongcheng.checkout.services import checkout_place
from rongcheng.core.client_ip import client_ip
from rongcheng.core.errors import ApplicationError, NotFound
from rongcheng.core.money import from_fen, to_fen
from rongcheng.ledger.selectors import wallet_balance, wallet_has_payment_password
from rongcheng.orders.models import Delivery
from rongcheng.payments.gateways import GATEWAYS
from rongcheng.payments.gateways.base import PaymentStart
from rongcheng.payments.models import Channel, Provider
from rongcheng.payments.views import gateway_form
from rongcheng.stores.models import Store

# The channel a browser pays through, per provider: (PC, phone). A provider is offered only
# when its gateway is installed.
BROWSER_CHANNELS = {
    Provider.ALIPAY: (Channel.ALIPAY_PAGE, Channel.ALIPAY_WAP),
    Provider.WECHAT: (Channel.WECHAT_NATIVE, Channel.WECHAT_H5),
    Provider.UNIONPAY: (Channel.UNIONPAY_PC, Channel.UNIONPAY_WAP),
}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _choice(request, addresses, stores) -> tuple[str, int | None, int | None]:
    """The delivery the buyer chose (the form's fields), else courier to the default address,
    else pick-up at the nearest store."""
    data = request.POST if request.method == "POST" else request.GET
    delivery = data.get("delivery", "")
    address_id = _int(data.get("address"))
    store_id = _int(data.get("store"))
    if delivery not in (Delivery.COURIER, Delivery.PICKUP):
        delivery = Delivery.COURIER if addresses or not stores else Delivery.PICKUP
    if address_id is None and addresses:
        address_id = next((a.id for a in addresses if a.is_default), addresses[0].id)
    if store_id is None and stores:
        store_id = stores[0].store.id
    return delivery, address_id, store_id


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    buyer = request.user
    addresses = list(address_list(user=buyer))
    city = request.city
    stores = (
        pickup_stores(
            buyer=buyer,
            city_code=city.code,
            latitude=float(city.latitude),
            longitude=float(city.longitude),
        )
        if city
        else []
    )
    delivery, address_id, store_id = _choice(request, addresses, stores)
    where = {
        "delivery": delivery,
        "address_id": address_id if delivery == Delivery.COURIER else None,
        "pickup_store_id": store_id if delivery == Delivery.PICKUP else None,
    }
    error = ""
    token = request.POST.get("token") or secrets.token_urlsafe(24)
    note = request.POST.get("note", "")
    if request.method == "POST":
        try:
            placed = checkout_place(
                buyer=buyer,
                token=token,
                expected_total_fen=_int(request.POST.get("total_fen")) or 0,
                note=note,
                **where,
            )
        except PriceChanged as changed:
            error = str(changed.message)
            token = secrets.token_urlsafe(24)
        except ApplicationError as refusal:
            error = str(refusal.message)
        else:
            return redirect("storefront:pay", number=placed.number)
    quote = None
    try:
        quote = checkout_quote(buyer=buyer, **where)
    except ApplicationError as refusal:
        error = error or str(refusal.message)
    store_names = {}
    if quote is not None:
        ids = [order.store_id for order in quote.priced.orders]
        store_names = dict(Store.objects.filter(pk__in=ids).values_list("id", "name"))
    return render(
        request,
        "checkout/checkout.html",
        {
            "addresses": addresses,
            "stores": stores,
            "delivery": delivery,
            "address_id": address_id,
            "store_id": store_id,
            "quote": quote,
            "store_names": store_names,
            "error": error,
            "token": token,
            "note": note,
            "needs_identity": not (buyer.real_name and buyer.mobile),
            "from_fen": from_fen,
        },
    )


def _buyer_checkout(request, number: str) -> Checkout:
    checkout = Checkout.objects.filter(buyer=request.user, number=number).first()
    if checkout is None:
        raise NotFound(_("没有这个结算单。"))
    return checkout


def browser_methods() -> list[tuple[str, str]]:
    """The providers a browser can pay through: (code, name)."""
    return [
        (provider.value, provider.label) for provider in BROWSER_CHANNELS if provider in GATEWAYS
    ]


def browser_channel(request, provider: str) -> str:
    """The provider's channel for this browser: WAP pay on a phone, PC pay elsewhere."""
    phone = "Mobile" in request.META.get("HTTP_USER_AGENT", "")
    return BROWSER_CHANNELS[Provider(provider)][1 if phone else 0]


def to_provider(request, started: PaymentStart, *, done_url: str):
    """Send the buyer on to the provider: its cashier page, its signed form, or a QR code
    with a link to `done_url` for when the phone has paid."""
    if started.redirect_url:
        return redirect(started.redirect_url)
    if started.form_action:
        return gateway_form(request, started)
    qr = segno.make(started.qr_code, error="m").svg_inline(scale=5, border=2)
    # The sandbox's QR names its own cashier: a link stands in for the phone's scan.
    sandbox_cashier = started.qr_code if settings.PAYMENTS_SANDBOX else ""
    return render(
        request,
        "checkout/pay_qr.html",
        {"qr": qr, "sandbox_cashier": sandbox_cashier, "done_url": done_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, number: str):
    """Choose a method and go to the provider (its cashier page, or a QR code to scan)."""
    checkout = _buyer_checkout(request, number)
    due_fen = checkout_amount_due_fen(checkout=checkout)
    if due_fen <= 0:
        return redirect("storefront:pay_result", number=number)
    error = ""
    methods = browser_methods()
    if request.method == "POST":
        provider = request.POST.get("method", "")
        if provider in dict(methods):
            done_url = reverse("storefront:pay_result", args=[number])
            try:
                _payment, started = checkout_pay(
                    buyer=request.user,
                    checkout_number=number,
                    channel=browser_channel(request, provider),
                    base_url=request.build_absolute_uri("/"),
                    return_url=done_url,
                    client_ip=client_ip(request),
                )
            except CheckoutNotPayable:
                return redirect(done_url)
            except ApplicationError as refusal:
                error = str(refusal.message)
            else:
                return to_provider(request, started, done_url=done_url)
        else:
            error = _("请选择支付方式。")
    return _pay_page(request, checkout, due_fen, error=error)


def _wallet_refusal(request, due_fen: int) -> str:
    """Why the wallet cannot pay this amount now, or "" when it can."""
    if to_fen(wallet_balance(member=request.user)) < due_fen:
        return _("余额不足，请先充值或选择其他支付方式。")
    if not wallet_has_payment_password(member=request.user):
        return _("请先设置支付密码。")
    return ""


def _pay_page(request, checkout: Checkout, due_fen: int, *, error="", wallet_error=""):
    orders = checkout.orders.select_related("store").order_by("id")
    return render(
        request,
        "checkout/pay.html",
        {
            "checkout": checkout,
            "orders": orders,
            "due": from_fen(due_fen),
            "methods": browser_methods(),
            "error": error,
            "wallet_balance": wallet_balance(member=request.user),
            "wallet_refusal": _wallet_refusal(request, due_fen),
            "wallet_error": wallet_error,
        },
    )


@login_required
@require_POST
def pay_wallet(request, number: str):
    """Pay the checkout from the buyer's wallet, confirmed by the payment password."""
    checkout = _buyer_checkout(request, number)
    try:
        checkout_pay_from_wallet(
            buyer=request.user,
            checkout_number=number,
            password=request.POST.get("password", ""),
        )
    except CheckoutNotPayable:
        return redirect("storefront:pay_result", number=number)
    except ApplicationError as refusal:
        due_fen = checkout_amount_due_fen(checkout=checkout)
        return _pay_page(request, checkout, due_fen, wallet_error=str(refusal.message))
    return redirect("storefront:pay_result", number=number)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def pay_result(request, number: str):
    """Where the provider sends the buyer back. Shows what the platform knows, never what the
    return address claims: only a verified notification or a query pays an order.

    UnionPay returns the buyer with a cross-site form POST, which carries no session cookie:
    it is answered with a redirect to this page, whose GET does. The POST changes nothing."""
    if request.method == "POST":
        return redirect("storefront:pay_result", number=number)
    return _pay_result(request, number)


@login_required
def _pay_result(request, number: str):
    checkout = _buyer_checkout(request, number)
    orders = list(checkout.orders.select_related("store").order_by("id"))
    due_fen = checkout_amount_due_fen(checkout=checkout)
    return render(
        request,
        "checkout/pay_result.html",
        {
            "checkout": checkout,
            "orders": orders,
            "paid": checkout.paid_at is not None and due_fen == 0,
            "due": from_fen(due_fen),
        },
    )
