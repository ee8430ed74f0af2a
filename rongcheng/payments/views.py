"""The providers' notification endpoint and the sandbox Alipay's pages. Thin: the work is in
services.py and sandbox/alipay.py."""

from functools import partial

import segno
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rongcheng.payments.gateways import GATEWAYS
from rongcheng.payments.models import Provider, SandboxAlipayTrade
from rongcheng.payments.sandbox import alipay as sandbox_alipay
from rongcheng.payments.services import payment_notification_handle

# Kept with the notification: what identifies the sender, never the visitor's credentials.
PRIVATE_HEADERS = frozenset({"cookie", "authorization"})


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    """Asynchronous notifications from a provider (Alipay posts a signed form)."""
    if provider not in GATEWAYS:
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
                # Alipay's notification, handled by the same service as /payments/notify/alipay/.
                transaction.on_commit(
                    partial(
                        payment_notification_handle,
                        provider=Provider.ALIPAY,
                        body=body.encode(),
                        headers={
                            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"
                        },
                    )
                )
            else:
                trade = sandbox_alipay.trade_fail(out_trade_no)
        except sandbox_alipay.SandboxRefused:
            error = _("该交易已关闭，不能付款。")
        else:
            return redirect(sandbox_alipay.return_url(trade) or request.path)
    qr = segno.make(request.build_absolute_uri(request.path), error="m")
    return render(
        request,
        "payments/sandbox_alipay_cashier.html",
        {
            "trade": trade,
            "paid": trade.paid_at is not None,
            "closed": sandbox_alipay.trade_status(trade) == "TRADE_CLOSED",
            "qr_svg": qr.svg_inline(scale=5, border=2),
            "error": error,
        },
    )
