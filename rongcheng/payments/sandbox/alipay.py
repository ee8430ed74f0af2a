"""The sandbox Alipay: plays Alipay's open platform inside the platform.

- Its key pair and the app's key pair are generated once (sandbox/keys.py); the platform's
  Alipay adapter is configured with them exactly as with real Alipay keys.
- `answer_api` is the adapter's transport: it checks the request's RSA2 signature with the app's
  public key and answers alipay.trade.query / .refund / .precreate as Alipay does, the answer
  signed with the sandbox Alipay private key (the SDK verifies it as it would a real one).
- `open_cashier`, `trade_pay` and `trade_fail` back the cashier page (views.py): paying builds
  Alipay's asynchronous notification, form-encoded and RSA2-signed, which the view hands to the
  same service as /payments/notify/alipay/.
The sandbox keeps its own books (SandboxAlipayTrade, SandboxAlipayRefund), as Alipay does.
"""

import json
import secrets
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from rongcheng.payments.gateways.common import (
    public_key_of,
    rsa_sha256_sign,
    rsa_sha256_verify,
    sorted_pairs,
)
from rongcheng.payments.models import SandboxAlipayRefund, SandboxAlipayTrade

# The sandbox merchant's identity (Alipay app ids and partner ids have these shapes).
APP_ID = "9021000000000001"
SELLER_ID = "2088000000000001"
BUYER_ID = "2088000000000002"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PAGE_PAY_METHODS = {"alipay.trade.page.pay", "alipay.trade.wap.pay"}


class SandboxRefused(Exception):
    """A request the sandbox Alipay would refuse (bad signature, unknown trade…)."""


def _keys() -> dict[str, dict[str, str]]:
    from rongcheng.payments.sandbox.keys import key_pairs

    return key_pairs("alipay", ("app", "alipay"))


def sandbox_config():
    from rongcheng.payments.gateways.alipay import AlipayConfig

    keys = _keys()
    return AlipayConfig(
        app_id=APP_ID,
        app_private_key=keys["app"]["private"],
        alipay_public_key=keys["alipay"]["public"],
        seller_id=SELLER_ID,
        gateway=reverse("payments:sandbox_alipay_gateway"),
        transport=answer_api,
    )


def rsa2_sign(message: str) -> str:
    """Sign as Alipay does: SHA256withRSA with the sandbox Alipay private key, base64."""
    return rsa_sha256_sign(_keys()["alipay"]["private"], message)


def _app_signed(params: dict[str, str]) -> bool:
    """Alipay checks a request's sign over every other parameter with the app's public key."""
    genuine = rsa_sha256_verify(
        public_key_of(_keys()["app"]["public"]),
        sorted_pairs(params, exclude=("sign",)),
        params.get("sign", ""),
    )
    return genuine and params.get("sign_type") == "RSA2" and params.get("app_id") == APP_ID


def _request(query: str) -> tuple[dict[str, str], dict]:
    params = dict(parse_qsl(query, keep_blank_values=True))
    if not _app_signed(params):
        raise SandboxRefused("isv.invalid-signature")
    return params, json.loads(params.get("biz_content") or "{}")


def _now_text() -> str:
    return timezone.localtime().strftime(TIME_FORMAT)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _failed(sub_code: str, sub_msg: str) -> dict[str, str]:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}


def _new_trade_no() -> str:
    return f"{timezone.localdate():%Y%m%d}2200{secrets.randbelow(10**16):016d}"


def _expired(trade: SandboxAlipayTrade) -> bool:
    return trade.time_expire is not None and timezone.now() >= trade.time_expire


def _open_trade(params: dict[str, str], biz: dict, *, product_code: str) -> SandboxAlipayTrade:
    """Create the trade on first sight of its out_trade_no; the same order may be reopened."""
    amount = Decimal(biz["total_amount"])
    time_expire = biz.get("time_expire")
    trade, _created = SandboxAlipayTrade.objects.get_or_create(
        out_trade_no=biz["out_trade_no"],
        defaults={
            "trade_no": _new_trade_no(),
            "app_id": params["app_id"],
            "subject": biz["subject"],
            "total_amount": amount,
            "product_code": product_code,
            "notify_url": params.get("notify_url", ""),
            "return_url": params.get("return_url", ""),
            "time_expire": timezone.make_aware(datetime.strptime(time_expire, TIME_FORMAT))
            if time_expire
            else None,
        },
    )
    if trade.total_amount != amount:
        raise SandboxRefused("ACQ.CONTEXT_INCONSISTENT")
    return trade


def _precreate(params: dict[str, str], biz: dict) -> dict[str, str]:
    try:
        trade = _open_trade(params, biz, product_code="FACE_TO_FACE_PAYMENT")
    except SandboxRefused as refusal:
        return _failed(str(refusal), "交易信息被篡改")
    origin = urlsplit(trade.notify_url)
    cashier = reverse("payments:sandbox_alipay_cashier", args=[trade.out_trade_no])
    return {
        "code": "10000",
        "msg": "Success",
        "out_trade_no": trade.out_trade_no,
        "qr_code": f"{origin.scheme}://{origin.netloc}{cashier}",
    }


def trade_status(trade: SandboxAlipayTrade) -> str:
    if trade.trade_status == "WAIT_BUYER_PAY" and _expired(trade):
        return "TRADE_CLOSED"
    return trade.trade_status


def _query(params: dict[str, str], biz: dict) -> dict[str, str]:
    trade = SandboxAlipayTrade.objects.filter(out_trade_no=biz.get("out_trade_no", "")).first()
    if trade is None:
        return _failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
    answer = {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": trade_status(trade),
        "total_amount": _money(trade.total_amount),
    }
    if trade.paid_at:
        answer |= {
            "buyer_user_id": BUYER_ID,
            "buyer_pay_amount": _money(trade.total_amount),
            "receipt_amount": _money(trade.total_amount),
            "send_pay_date": timezone.localtime(trade.paid_at).strftime(TIME_FORMAT),
        }
    return answer


def _refund(params: dict[str, str], biz: dict) -> dict[str, str]:
    amount = Decimal(biz["refund_amount"])
    request_no = biz.get("out_request_no") or biz.get("out_trade_no", "")
    with transaction.atomic():
        trade = (
            SandboxAlipayTrade.objects.select_for_update()
            .filter(out_trade_no=biz.get("out_trade_no", ""))
            .first()
        )
        if trade is None:
            return _failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        earlier = trade.refunds.filter(out_request_no=request_no).first()
        if earlier is None:
            if trade.paid_at is None:
                return _failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            if amount <= 0 or trade.refunded_amount + amount > trade.total_amount:
                return _failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
            SandboxAlipayRefund.objects.create(
                trade=trade, out_request_no=request_no, refund_amount=amount
            )
            trade.refunded_amount += amount
            SandboxAlipayTrade.objects.filter(pk=trade.pk).update(
                refunded_amount=F("refunded_amount") + amount,
                # A trade refunded in full is closed, as Alipay reports it.
                trade_status="TRADE_CLOSED"
                if trade.refunded_amount == trade.total_amount
                else trade.trade_status,
            )
        elif earlier.refund_amount != amount:
            return _failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与原请求不一致")
    return {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "buyer_user_id": BUYER_ID,
        "fund_change": "N" if earlier else "Y",
        "refund_fee": _money(trade.refunded_amount),
        "gmt_refund_pay": _now_text(),
    }


API = {
    "alipay.trade.query": _query,
    "alipay.trade.refund": _refund,
    "alipay.trade.precreate": _precreate,
}


def signed_response(method: str, content: dict[str, str]) -> str:
    """Alipay's answer: the response object and the RSA2 signature of its exact JSON text."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    name = method.replace(".", "_") + "_response"
    return f'{{"{name}":{text},"sign":"{rsa2_sign(text)}"}}'


def answer_api(url: str, timeout: float) -> str:
    """The adapter's transport in sandbox mode: Alipay's gateway.do, in process."""
    query = urlsplit(url).query
    method = dict(parse_qsl(query)).get("method", "")
    try:
        params, biz = _request(query)
    except SandboxRefused as refusal:
        content = {"code": "40002", "msg": "Invalid Arguments", "sub_code": str(refusal)}
        return signed_response(method, content | {"sub_msg": "验签出错"})
    if method not in API:
        return signed_response(method, {"code": "40002", "msg": "Invalid Arguments"})
    return signed_response(method, API[method](params, biz))


def open_cashier(query: str) -> SandboxAlipayTrade:
    """A browser arriving at the gateway with a signed page/WAP pay request opens the trade."""
    params, biz = _request(query)
    if params.get("method") not in PAGE_PAY_METHODS:
        raise SandboxRefused("isv.invalid-method")
    try:
        return _open_trade(params, biz, product_code=biz.get("product_code", ""))
    except (KeyError, ValueError, ArithmeticError):
        raise SandboxRefused("isv.missing-parameter") from None


def signed_form(params: dict[str, str]) -> str:
    """Alipay's form-encoded notification (and return) parameters: RSA2 over every parameter
    but sign and sign_type, with the sandbox Alipay private key."""
    params = params | {"sign_type": "RSA2"}
    signature = rsa2_sign(sorted_pairs(params, exclude=("sign", "sign_type")))
    return urlencode(params | {"sign": signature})


def trade_pay(out_trade_no: str) -> tuple[SandboxAlipayTrade, str]:
    """The buyer pays: the trade succeeds (once) and Alipay's signed notification body is built.

    A trade that was paid already gets the same notification again, as Alipay re-sends them.
    """
    with transaction.atomic():
        trade = SandboxAlipayTrade.objects.select_for_update().get(out_trade_no=out_trade_no)
        if trade.paid_at is None:
            if trade_status(trade) != "WAIT_BUYER_PAY":
                raise SandboxRefused("ACQ.TRADE_HAS_CLOSE")
            trade.trade_status = "TRADE_SUCCESS"
            trade.paid_at = timezone.now()
            trade.save(update_fields=["trade_status", "paid_at"])
    amount = _money(trade.total_amount)
    params = {
        "notify_time": _now_text(),
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "charset": "utf-8",
        "version": "1.0",
        "app_id": trade.app_id,
        "auth_app_id": trade.app_id,
        "seller_id": SELLER_ID,
        "buyer_id": BUYER_ID,
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": trade.trade_status,
        "subject": trade.subject,
        "total_amount": amount,
        "receipt_amount": amount,
        "buyer_pay_amount": amount,
        "invoice_amount": amount,
        "gmt_create": timezone.localtime(trade.created_at).strftime(TIME_FORMAT),
        "gmt_payment": timezone.localtime(trade.paid_at).strftime(TIME_FORMAT),
    }
    return trade, signed_form(params)


def trade_fail(out_trade_no: str) -> SandboxAlipayTrade:
    """The buyer's payment fails: Alipay closes the unpaid trade (no notification is sent)."""
    with transaction.atomic():
        trade = SandboxAlipayTrade.objects.select_for_update().get(out_trade_no=out_trade_no)
        if trade.paid_at is None:
            trade.trade_status = "TRADE_CLOSED"
            trade.save(update_fields=["trade_status"])
    return trade


def return_url(trade: SandboxAlipayTrade) -> str:
    """Where the buyer goes back to, with Alipay's signed synchronous return parameters (which
    the platform never trusts: only notifications and queries settle a payment)."""
    if not trade.return_url:
        return ""
    params = {
        "charset": "utf-8",
        "method": "alipay.trade.page.pay.return",
        "app_id": trade.app_id,
        "auth_app_id": trade.app_id,
        "seller_id": SELLER_ID,
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
        "total_amount": _money(trade.total_amount),
        "timestamp": _now_text(),
        "version": "1.0",
    }
    separator = "&" if "?" in trade.return_url else "?"
    return trade.return_url + separator + signed_form(params)
