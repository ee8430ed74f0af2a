"""The providers' notification endpoint and the sandbox providers' pages. Thin: the work is in
services.py and sandbox/."""

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rongcheng.payments.gateways import NOTIFYING
from rongcheng.payments.gateways.base import PaymentStart
from rongcheng.payments.gateways.common import from_fen
from rongcheng.payments.models import Provider, SandboxAlipayTrade, SandboxTrade
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.sandbox import books
from rongcheng.payments.sandbox import unionpay as sandbox_unionpay
from rongcheng.payments.sandbox import wechat as sandbox_wechat
from rongcheng.payments.sandbox.delivery import deliver_after_commit
from rongcheng.payments.services import payment_notification_handle

# Kept with the notification: what identifies the sender, never the visitor's credentials.
PRIVATE_HEADERS = frozenset({"cookie", "authorization"})


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    """Asynchronous notifications from a provider (Alipay and UnionPay post a signed form,
    WeChat Pay signed JSON with its signature in the Wechatpay-* headers)."""
    if provider not in NOTIFYING:
        raise Http404
    headers = {
        name: value
        for name, value in request.headers.items()
        if name.lower() not in PRIVATE_HEADERS
    }
    reply = payment_notification_handle(provider=provider, body=request.body, headers=headers)
    return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)


def _sandbox_on() -> None:
    if not settings.PAYMENTS_SANDBOX:
        raise Http404


@never_cache
def sandbox_alipay_gateway(request: HttpRequest) -> HttpResponse:
    """Alipay's gateway.do for page and WAP pay: check the signed order, open the cashier."""
    _sandbox_on()
    try:
        trade = sandbox_alipay.open_cashier(request.META.get("QUERY_STRING", ""))
    except sandbox_alipay.SandboxRefused as refusal:
        return HttpResponseBadRequest(f"Sandbox Alipay refused the request: {refusal}")
    return redirect("payments:sandbox_alipay_cashier", trade.out_trade_no)


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_alipay_cashier(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    """The sandbox cashier: the amount, a QR to scan with a phone, and pay or fail."""
    _sandbox_on()
    trade = SandboxAlipayTrade.objects.filter(out_trade_no=out_trade_no).first()
    if trade is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "pay":
                trade, body = sandbox_alipay.trade_pay(out_trade_no)
                deliver_after_commit(
                    Provider.ALIPAY,
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                )
            else:
                trade = sandbox_alipay.trade_fail(out_trade_no)
        except sandbox_alipay.SandboxRefused:
            error = _("该交易已关闭，不能付款。")
        else:
            return redirect(sandbox_alipay.return_url(trade) or request.path)
    return render(
        request,
        "payments/sandbox_alipay_cashier.html",
        {
            "subject": trade.subject,
            "out_trade_no": trade.out_trade_no,
            "amount": trade.total_amount,
            "paid": trade.paid_at is not None,
            "closed": sandbox_alipay.trade_status(trade) == "TRADE_CLOSED",
            "qr_svg": _qr_of_this_page(request),
            "error": error,
        },
    )


def _qr_of_this_page(request: HttpRequest) -> str:
    """A QR code of the cashier's own address, to "scan" and pay on a phone."""
    return segno.make(request.build_absolute_uri(request.path), error="m").svg_inline(
        scale=5, border=2
    )


@csrf_exempt  # posted by the buyer's browser from the shop, as to UnionPay's gateway
@never_cache
@require_POST
def sandbox_unionpay_front(request: HttpRequest) -> HttpResponse:
    """UnionPay's frontTransReq.do: check the merchant's signed form, open the card cashier."""
    _sandbox_on()
    try:
        trade = sandbox_unionpay.front_open(request.POST.dict())
    except books.SandboxRefused as refusal:
        return HttpResponseBadRequest(f"Sandbox UnionPay refused the request: {refusal}")
    return redirect("payments:sandbox_cashier", Provider.UNIONPAY, trade.out_trade_no)


def gateway_form(request: HttpRequest, start: PaymentStart) -> HttpResponse:
    """The page that posts a payment's form to the provider (UnionPay's front form) at once;
    paying apps return it for PaymentStart.form_action."""
    return render(
        request,
        "payments/gateway_form.html",
        {"action": start.form_action, "fields": dict(start.form_fields)},
    )


# What the buyer's payment at a sandbox cashier sends: (trade, notification body, headers).
PAID_NOTIFICATIONS = {
    Provider.WECHAT: sandbox_wechat.paid_notification,
    Provider.UNIONPAY: sandbox_unionpay.paid_notification,
}


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_cashier(request: HttpRequest, provider: str, out_trade_no: str) -> HttpResponse:
    """The sandbox WeChat Pay "scan" page and UnionPay bank-card cashier: pay or fail."""
    _sandbox_on()
    if provider not in PAID_NOTIFICATIONS:
        raise Http404
    trade = SandboxTrade.objects.filter(provider=provider, out_trade_no=out_trade_no).first()
    if trade is None:
        raise Http404
    back = request.GET.get("redirect_url", "")  # WeChat H5: where the buyer goes back to
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        trade.return_url = back
        trade.save(update_fields=["return_url"])
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "pay":
                trade, body, headers = PAID_NOTIFICATIONS[provider](out_trade_no)
                deliver_after_commit(provider, body, headers)
            else:
                trade = books.trade_fail(provider, out_trade_no)
        except books.SandboxRefused:
            error = _("该交易已关闭，不能付款。")
        else:
            return redirect(trade.return_url or request.path)
    return render(
        request,
        f"payments/sandbox_{provider}_cashier.html",
        {
            "subject": trade.subject,
            "out_trade_no": trade.out_trade_no,
            "amount": from_fen(trade.amount_fen),
            "paid": trade.paid_at is not None,
            "closed": books.trade_status(trade) == "CLOSED",
            "qr_svg": _qr_of_this_page(request),
            "error": error,
        },
    )
