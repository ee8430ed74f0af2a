"""The sandbox WeChat Pay: plays WeChat Pay API v3 inside the platform.

- The merchant's API key pair, WeChat Pay's platform key pair and the APIv3 key are generated
  once (sandbox/keys.py); the adapter is configured with them exactly as with real ones.
- `answer_api` is the adapter's transport: it checks the request's WECHATPAY2-SHA256-RSA2048
  Authorization with the merchant's public key and answers the Native/H5/JSAPI orders, the
  order query and domestic refunds as WeChat Pay does, each answer signed with the platform key
  (the SDK verifies it as it would a real one).
- Notifications are WeChat Pay's: the resource encrypted AES-256-GCM with the APIv3 key, the
  request signed over timestamp, nonce and body with the platform key. Paying at the cashier
  sends TRANSACTION.SUCCESS; a refund is accepted PROCESSING, then REFUND.SUCCESS is sent.
"""

import base64
import json
import re
import secrets
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone

from rongcheng.payments.gateways.common import public_key_of, rsa_sha256_sign, rsa_sha256_verify
from rongcheng.payments.models import Provider, SandboxRefund, SandboxTrade
from rongcheng.payments.sandbox import books
from rongcheng.payments.sandbox.delivery import deliver_after_commit
from rongcheng.payments.sandbox.keys import _new_key_pair, sandbox_material

# The sandbox merchant (WeChat Pay ids have these shapes).
MCHID = "1900000109"
APPID = "wx8888888888888888"
CERT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
PUBLIC_KEY_ID = "PUB_KEY_ID_0119000000092026120600000000000001"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
TRADE_TYPES = {"native": "NATIVE", "h5": "MWEB", "jsapi": "JSAPI"}
AUTHORIZATION = re.compile(r'(\w+)="([^"]*)"')


def _material() -> dict:
    return sandbox_material(
        "wechat",
        lambda: {
            "merchant": _new_key_pair(),
            "wechatpay": _new_key_pair(),
            "apiv3_key": secrets.token_hex(16),  # 32 characters, as WeChat Pay's APIv3 key
        },
    )


def sandbox_config():
    from rongcheng.payments.gateways.wechat import WechatConfig

    material = _material()
    return WechatConfig(
        mchid=MCHID,
        appid=APPID,
        private_key=material["merchant"]["private"],
        cert_serial=CERT_SERIAL,
        apiv3_key=material["apiv3_key"],
        platform_public_key=material["wechatpay"]["public"],
        platform_serial=PUBLIC_KEY_ID,
        gateway="",
        transport=answer_api,
    )


def signed_headers(body: str, *, timestamp: int | None = None, nonce: str = "") -> dict[str, str]:
    """WeChat Pay's signature headers over `body`, with the sandbox platform key."""
    timestamp = int(timezone.now().timestamp()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_hex(16).upper()
    signature = rsa_sha256_sign(
        _material()["wechatpay"]["private"], f"{timestamp}\n{nonce}\n{body}\n"
    )
    return {
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Serial": PUBLIC_KEY_ID,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


def _answer(status: int, content: dict) -> tuple[int, dict[str, str], str]:
    body = json.dumps(content, ensure_ascii=False) if content else ""
    return status, {"Content-Type": "application/json"} | signed_headers(body), body


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], str]:
    return _answer(status, {"code": code, "message": message})


def _merchant_signed(method: str, path: str, headers: dict[str, str], body: str) -> bool:
    """WeChat Pay checks the Authorization over method, path, timestamp, nonce and body."""
    scheme, _space, fields = headers.get("Authorization", "").partition(" ")
    params = dict(AUTHORIZATION.findall(fields))
    message = f"{method}\n{path}\n{params.get('timestamp')}\n{params.get('nonce_str')}\n{body}\n"
    return (
        scheme == "WECHATPAY2-SHA256-RSA2048"
        and params.get("mchid") == MCHID
        and params.get("serial_no") == CERT_SERIAL
        and rsa_sha256_verify(
            public_key_of(_material()["merchant"]["public"]), message, params.get("signature", "")
        )
    )


def _order(kind: str, request: dict) -> tuple[int, dict[str, str], str]:
    if request.get("mchid") != MCHID or request.get("appid") != APPID:
        return _error(400, "PARAM_ERROR", "商户号或appid不正确")
    # As WeChat Pay: JSAPI pays as the payer's openid, H5 names the payer's address.
    payer = {
        "jsapi": {"payer_openid": (request.get("payer") or {}).get("openid", "")},
        "h5": {"payer_client_ip": (request.get("scene_info") or {}).get("payer_client_ip", "")},
    }.get(kind, {})
    if not all(payer.values()):
        return _error(400, "PARAM_ERROR", f"缺少参数 {', '.join(payer)}")
    try:
        trade = books.open_trade(
            Provider.WECHAT,
            request["out_trade_no"],
            int(request["amount"]["total"]),
            merchant_id=MCHID,
            app_id=APPID,
            subject=request["description"],
            channel=kind,
            notify_url=request["notify_url"],
            expires_at=datetime.fromisoformat(request["time_expire"]),
            extra=payer,
        )
    except books.SandboxRefused:
        return _error(400, "INVALID_REQUEST", "201 商户订单号重复")
    except (KeyError, TypeError, ValueError):
        return _error(400, "PARAM_ERROR", "参数错误")
    cashier = books.cashier_url(trade)
    if kind == "native":
        return _answer(200, {"code_url": cashier})
    if kind == "h5":
        return _answer(200, {"h5_url": f"{cashier}?prepay_id=wx{trade.trade_no}"})
    return _answer(200, {"prepay_id": f"wx{trade.trade_no}"})


def transaction_resource(trade: SandboxTrade) -> dict:
    """An order as WeChat Pay describes it (query answer, TRANSACTION notification)."""
    status = books.trade_status(trade)
    resource = {
        "appid": trade.app_id,
        "mchid": trade.merchant_id,
        "out_trade_no": trade.out_trade_no,
        "trade_type": TRADE_TYPES.get(trade.channel, "NATIVE"),
        "trade_state": status,
        "trade_state_desc": {"SUCCESS": "支付成功", "CLOSED": "已关闭"}.get(status, "未支付"),
        "amount": {"total": trade.amount_fen, "currency": "CNY"},
    }
    if trade.paid_at:
        resource |= {
            "transaction_id": trade.trade_no,
            "bank_type": "OTHERS",
            "success_time": timezone.localtime(trade.paid_at).isoformat(timespec="seconds"),
            "payer": {"openid": trade.extra.get("payer_openid") or OPENID},
            "amount": resource["amount"]
            | {"payer_total": trade.amount_fen, "payer_currency": "CNY"},
        }
    return resource


def refund_resource(refund: SandboxRefund) -> dict:
    trade = refund.trade
    resource = {
        "mchid": trade.merchant_id,
        "out_trade_no": trade.out_trade_no,
        "transaction_id": trade.trade_no,
        "out_refund_no": refund.out_refund_no,
        "refund_id": refund.refund_no,
        "refund_status": refund.status,
        "user_received_account": "支付用户零钱",
        "amount": {
            "total": trade.amount_fen,
            "refund": refund.amount_fen,
            "payer_total": trade.amount_fen,
            "payer_refund": refund.amount_fen,
        },
    }
    if refund.succeeded_at:
        resource["success_time"] = timezone.localtime(refund.succeeded_at).isoformat(
            timespec="seconds"
        )
    return resource


def _query(out_trade_no: str, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
    trade = SandboxTrade.objects.filter(
        provider=Provider.WECHAT, out_trade_no=out_trade_no, merchant_id=query.get("mchid")
    ).first()
    if trade is None:
        return _error(404, "ORDER_NOT_EXIST", "订单不存在")
    return _answer(200, transaction_resource(trade))


def _refund(request: dict) -> tuple[int, dict[str, str], str]:
    trade = SandboxTrade.objects.filter(
        provider=Provider.WECHAT, out_trade_no=request.get("out_trade_no", "")
    ).first()
    if trade is None:
        return _error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
    try:
        amount = request["amount"]
        if int(amount["total"]) != trade.amount_fen:
            return _error(400, "PARAM_ERROR", "订单金额不一致")
        refund, created = books.refund_record(
            trade,
            out_refund_no=request["out_refund_no"],
            amount_fen=int(amount["refund"]),
            notify_url=request.get("notify_url", ""),
        )
    except books.SandboxRefused as refusal:
        return _error(403 if str(refusal) == "NOT_ENOUGH" else 400, str(refusal), "退款请求被拒绝")
    except (KeyError, TypeError, ValueError):
        return _error(400, "PARAM_ERROR", "参数错误")
    resource = refund_resource(refund)
    if created:
        # WeChat Pay answers PROCESSING, pays back, then notifies REFUND.SUCCESS.
        deliver_after_commit(Provider.WECHAT, *refund_notification(refund.pk))
    return _answer(
        200,
        {
            "refund_id": resource["refund_id"],
            "out_refund_no": resource["out_refund_no"],
            "transaction_id": resource["transaction_id"],
            "out_trade_no": resource["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": resource["user_received_account"],
            "create_time": timezone.localtime(refund.created_at).isoformat(timespec="seconds"),
            "status": refund.status,
            "amount": resource["amount"] | {"currency": "CNY"},
        },
    )


def answer_api(
    method: str, url: str, headers: dict[str, str], body: str
) -> tuple[int, dict[str, str], str]:
    """The adapter's transport in sandbox mode: api.mch.weixin.qq.com, in process."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not _merchant_signed(method, path, headers, body):
        return _error(401, "SIGN_ERROR", "签名错误")
    request = json.loads(body) if body else {}
    if method == "POST" and parts.path.startswith("/v3/pay/transactions/"):
        kind = parts.path.rsplit("/", 1)[1]
        if kind in TRADE_TYPES:
            return _order(kind, request)
    if method == "GET" and parts.path.startswith("/v3/pay/transactions/out-trade-no/"):
        return _query(parts.path.rsplit("/", 1)[1], dict(parse_qsl(parts.query)))
    if method == "POST" and parts.path == "/v3/refund/domestic/refunds":
        return _refund(request)
    return _error(404, "NOT_FOUND", "接口不存在")


def notification(event_type: str, resource: dict) -> tuple[str, dict[str, str]]:
    """WeChat Pay's notification: the resource AES-256-GCM encrypted, the request signed."""
    original_type, _dot, _event = event_type.lower().partition(".")
    nonce = secrets.token_hex(6)  # 12 characters, as WeChat Pay's
    associated = original_type
    ciphertext = AESGCM(_material()["apiv3_key"].encode()).encrypt(
        nonce.encode(), json.dumps(resource, ensure_ascii=False).encode(), associated.encode()
    )
    body = json.dumps(
        {
            "id": secrets.token_hex(18),
            "create_time": timezone.localtime().isoformat(timespec="seconds"),
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功" if original_type == "transaction" else "退款成功",
            "resource": {
                "original_type": original_type,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": associated,
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
    )
    return body, {"Content-Type": "application/json"} | signed_headers(body)


def paid_notification(out_trade_no: str) -> tuple[SandboxTrade, str, dict[str, str]]:
    """The buyer pays at the cashier: TRANSACTION.SUCCESS (again, for a paid trade)."""
    trade = books.trade_pay(Provider.WECHAT, out_trade_no)
    return trade, *notification("TRANSACTION.SUCCESS", transaction_resource(trade))


def refund_notification(refund_pk: int) -> tuple[str, dict[str, str]]:
    """The refund reaches the buyer: REFUND.SUCCESS."""
    refund = books.refund_succeed(refund_pk)
    return notification("REFUND.SUCCESS", refund_resource(refund))
