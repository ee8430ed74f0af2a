"""WeChat Pay API v3 through wechatpayv3: Native QR (PC), H5 (mobile browsers), JSAPI (the
WeChat mall and app), notifications, order query, domestic refunds and their notifications.

A notification is taken only when the SDK verifies its WECHATPAY2-SHA256-RSA2048 signature
(Wechatpay-Signature over timestamp, nonce and body, with the platform public key named by
Wechatpay-Serial), its timestamp is within five minutes, its nonce was not seen before (the SDK
checks neither), its AES-256-GCM resource decrypts with the APIv3 key, and the merchant, app,
amount and state match. Server calls go through a transport: HTTPS to WeChat Pay, or the
in-process sandbox.
"""

import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core
from wechatpayv3.type import RequestType
from wechatpayv3.utils import aes_decrypt, build_authorization

from rongcheng.payments.errors import ChannelUnavailable, GatewayUnavailable
from rongcheng.payments.gateways.base import (
    Gateway,
    GatewayReply,
    NotificationRefused,
    PaymentStart,
    RefundOutcome,
    RefundReport,
    RefundResult,
    TradeState,
    TradeStatus,
)
from rongcheng.payments.gateways.common import from_fen, key_text, require, to_fen
from rongcheng.payments.models import Channel, NotificationNonce, Payment, Provider, Refund

logger = logging.getLogger(__name__)

# (method, url, headers, body) -> (status, headers, body)
Transport = Callable[[str, str, dict[str, str], str], tuple[int, Mapping[str, str], str]]
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
# WeChat Pay's rule: a notification signed longer ago (or ahead) than this is refused.
FRESHNESS = timedelta(minutes=5)
TRADE_STATES = {
    "SUCCESS": TradeStatus.PAID,
    "NOTPAY": TradeStatus.PENDING,
    "USERPAYING": TradeStatus.PENDING,
    "CLOSED": TradeStatus.CLOSED,
    "REVOKED": TradeStatus.CLOSED,
    "PAYERROR": TradeStatus.CLOSED,
}
REFUND_RESULTS = {
    "SUCCESS": RefundResult.SUCCEEDED,
    "CLOSED": RefundResult.FAILED,
    "ABNORMAL": RefundResult.FAILED,
}
PAY_TYPES = {
    Channel.WECHAT_NATIVE: WeChatPayType.NATIVE,
    Channel.WECHAT_H5: WeChatPayType.H5,
    Channel.WECHAT_JSAPI: WeChatPayType.JSAPI,
}


def https_transport(
    method: str, url: str, headers: dict[str, str], body: str
) -> tuple[int, Mapping[str, str], str]:
    response = requests.request(method, url, headers=headers, data=body.encode(), timeout=10)
    return response.status_code, response.headers, response.text


@dataclass(frozen=True)
class WechatConfig:
    mchid: str
    appid: str
    private_key: str  # the merchant's API certificate key
    cert_serial: str  # the merchant's API certificate serial number
    apiv3_key: str
    platform_public_key: str  # WeChat Pay's public key (or platform certificate), PEM
    platform_serial: str  # its id (PUB_KEY_ID_…) or the certificate's serial number
    gateway: str
    transport: Transport = https_transport


def _public_key_pem(pem: str) -> str:
    """The public key of a platform certificate, or the public key itself."""
    if "BEGIN CERTIFICATE" not in pem:
        return pem
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return (
        x509.load_pem_x509_certificate(pem.encode())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def wechat_config() -> WechatConfig:
    """The sandbox's identity while PAYMENTS_SANDBOX is on, else the WECHATPAY_* variables."""
    if settings.PAYMENTS_SANDBOX:
        from rongcheng.payments.sandbox.wechat import sandbox_config

        return sandbox_config()
    conf = settings.RONGCHENG["WECHATPAY"]
    config = WechatConfig(
        mchid=conf["MCHID"],
        appid=conf["APPID"],
        private_key=key_text(conf["PRIVATE_KEY"], conf["PRIVATE_KEY_FILE"]),
        cert_serial=conf["CERT_SERIAL_NO"],
        apiv3_key=conf["APIV3_KEY"],
        platform_public_key=key_text(conf["PLATFORM_PUBLIC_KEY"], conf["PLATFORM_PUBLIC_KEY_FILE"]),
        platform_serial=conf["PLATFORM_SERIAL"],
        gateway=conf["GATEWAY"],
    )
    require(
        "WeChat Pay",
        {
            "WECHATPAY_MCHID": config.mchid,
            "WECHATPAY_APPID": config.appid,
            "WECHATPAY_PRIVATE_KEY(_FILE)": config.private_key,
            "WECHATPAY_CERT_SERIAL_NO": config.cert_serial,
            "WECHATPAY_APIV3_KEY": config.apiv3_key,
            "WECHATPAY_PLATFORM_PUBLIC_KEY(_FILE)": config.platform_public_key,
            "WECHATPAY_PLATFORM_SERIAL": config.platform_serial,
        },
    )
    return config


class WechatCore(Core):
    """The SDK's core, its requests sent by the configured transport.

    Signing requests (build_authorization), verifying answers and notifications
    (_verify_signature) and decrypting resources stay the SDK's own code. Only the configured
    platform key is trusted: the SDK never downloads certificates.
    """

    def __init__(self, config: WechatConfig) -> None:
        super().__init__(
            mchid=config.mchid,
            cert_serial_no=config.cert_serial,
            private_key=config.private_key,
            apiv3_key=config.apiv3_key,
            public_key=_public_key_pem(config.platform_public_key),
            public_key_id=config.platform_serial,
        )
        self._gate_way = config.gateway
        self._transport = config.transport

    def signed_by_wechatpay(self, headers: Mapping[str, str], body: str) -> bool:
        lower = {name.lower(): value for name, value in headers.items()}
        if not lower.get("wechatpay-signature"):
            return False
        if lower.get("wechatpay-serial") != self._public_key_id:
            return False  # another key: never fetched, refused
        if lower.get("wechatpay-signature-type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
            return False
        return self._verify_signature(lower | {"wechatpay-signature-type": SIGNATURE_TYPE}, body)

    def request(self, path, method=RequestType.GET, data=None, **_options):  # type: ignore[override]
        body = json.dumps(data) if data else ""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Wechatpay-Serial": self._public_key_id,
            "Authorization": build_authorization(
                path, method.value, self._mchid, self._cert_serial_no, self._private_key, body
            ),
        }
        status, answer_headers, text = self._transport(
            method.value, self._gate_way + path, headers, body
        )
        if 200 <= status < 300 and not self.signed_by_wechatpay(answer_headers, text):
            raise GatewayUnavailable(_("微信支付应答验签失败。"))
        return status, text


class WechatClient(WeChatPay):
    def __init__(self, config: WechatConfig) -> None:
        super().__init__(
            wechatpay_type=WeChatPayType.NATIVE,
            mchid=config.mchid,
            private_key=config.private_key,
            cert_serial_no=config.cert_serial,
            appid=config.appid,
            apiv3_key=config.apiv3_key,
            public_key=_public_key_pem(config.platform_public_key),
            public_key_id=config.platform_serial,
        )
        self._core: WechatCore = WechatCore(config)


def _rfc3339(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _fen(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise NotificationRefused("malformed_amount")
    return value


def _nonce_first_seen(nonce: str) -> bool:
    """Record a notification's nonce; False if it was seen within the freshness window."""
    now = timezone.now()
    NotificationNonce.objects.filter(seen_at__lt=now - 3 * FRESHNESS).delete()
    try:
        with transaction.atomic():
            NotificationNonce.objects.create(provider=Provider.WECHAT, nonce=nonce, seen_at=now)
    except IntegrityError:
        return False
    return True


# Refund refusals that pass: the merchant's balance short for now, WeChat Pay busy.
RETRYABLE_REFUND_ERRORS = frozenset({"NOT_ENOUGH", "SYSTEM_ERROR", "FREQUENCY_LIMITED"})


class WechatGateway(Gateway):
    provider = Provider.WECHAT
    channels = frozenset(PAY_TYPES)

    def __init__(self, config: WechatConfig | None = None) -> None:
        self.config = config or wechat_config()
        self.client = WechatClient(self.config)

    def _call(self, api: Callable[..., tuple[int, str]], **kwargs: Any) -> tuple[int, dict]:
        """One server API call: (HTTP status, JSON answer), or GatewayUnavailable."""
        try:
            status, text = api(**kwargs)
            return status, json.loads(text) if text else {}
        except GatewayUnavailable:
            logger.error("WeChat Pay answer to %s failed signature verification", api.__name__)
            raise
        except (requests.RequestException, OSError, ValueError) as error:
            logger.warning("WeChat Pay %s failed: %s", api.__name__, error)
            raise GatewayUnavailable(_("微信支付暂时无法访问，请稍后再试。")) from error

    def start(
        self,
        payment: Payment,
        *,
        notify_url: str,
        return_url: str,
        client_ip: str = "",
        openid: str = "",
    ) -> PaymentStart:
        pay_type = PAY_TYPES.get(payment.channel)  # type: ignore[call-overload]
        if pay_type is None:
            raise ChannelUnavailable(_("微信支付不支持该支付方式。"))
        if pay_type == WeChatPayType.JSAPI and not openid:
            raise ChannelUnavailable(_("请在微信中打开以使用微信支付。"))
        if pay_type == WeChatPayType.H5 and not client_ip:
            raise ChannelUnavailable(_("无法识别您的网络地址，请换用其他支付方式。"))
        status, answer = self._call(
            self.client.pay,
            description=payment.subject,
            out_trade_no=payment.out_trade_no,
            amount={"total": to_fen(payment.amount), "currency": "CNY"},
            # WeChat Pay closes the order itself at our deadline.
            time_expire=_rfc3339(payment.expires_at),
            notify_url=notify_url,
            payer={"openid": openid} if pay_type == WeChatPayType.JSAPI else None,
            scene_info={"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}}
            if pay_type == WeChatPayType.H5
            else None,
            pay_type=pay_type,
        )
        if status != 200:
            logger.warning("WeChat Pay refused order %s: %s", payment.out_trade_no, answer)
            raise GatewayUnavailable(
                _("微信支付下单失败：%(reason)s") % {"reason": answer.get("message", "")}
            )
        if pay_type == WeChatPayType.NATIVE:
            return PaymentStart(channel=payment.channel, qr_code=answer["code_url"])
        if pay_type == WeChatPayType.H5:
            url = f"{answer['h5_url']}&redirect_url={quote(return_url, safe='')}"
            return PaymentStart(channel=payment.channel, redirect_url=url)
        return PaymentStart(channel=payment.channel, jsapi=self.jsapi_params(answer["prepay_id"]))

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        """What wx.requestPayment / WeixinJSBridge takes: the prepay package signed RSA."""
        params = {
            "appId": self.config.appid,
            "timeStamp": str(int(timezone.now().timestamp())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
        }
        signed = [params["appId"], params["timeStamp"], params["nonceStr"], params["package"]]
        return params | {"paySign": self.client.sign(signed)}

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> TradeState | RefundReport:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise NotificationRefused("malformed") from None
        if not self.client._core.signed_by_wechatpay(headers, text):
            raise NotificationRefused("bad_signature")
        lower = {name.lower(): value for name, value in headers.items()}
        try:
            signed_at = datetime.fromtimestamp(int(lower["wechatpay-timestamp"]), tz=UTC)
        except (KeyError, ValueError, OverflowError):
            raise NotificationRefused("stale_timestamp") from None
        if abs(timezone.now() - signed_at) > FRESHNESS:
            raise NotificationRefused("stale_timestamp")
        if not _nonce_first_seen(lower.get("wechatpay-nonce", "")):
            raise NotificationRefused("replayed_nonce")
        resource = self._decrypted(text)
        if resource.get("mchid") != self.config.mchid:
            raise NotificationRefused("wrong_merchant_id")
        if "out_refund_no" in resource:
            return self._refund_report(resource)
        if resource.get("appid") != self.config.appid:
            raise NotificationRefused("wrong_app_id")
        return self._trade(resource)

    def _decrypted(self, text: str) -> dict:
        try:
            envelope = json.loads(text)
            encrypted = envelope["resource"]
            if envelope.get("resource_type") != "encrypt-resource":
                raise NotificationRefused("malformed")
            if encrypted.get("algorithm") != "AEAD_AES_256_GCM":
                raise NotificationRefused("malformed")
            plain = aes_decrypt(
                nonce=encrypted["nonce"],
                ciphertext=encrypted["ciphertext"],
                associated_data=encrypted.get("associated_data", ""),
                apiv3_key=self.config.apiv3_key,
            )
            if plain is None:
                raise NotificationRefused("bad_resource")
            resource = json.loads(plain)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise NotificationRefused("malformed") from None
        if not isinstance(resource, dict):
            raise NotificationRefused("malformed")
        return resource

    def _trade(self, resource: dict) -> TradeState:
        if not resource.get("out_trade_no") or not resource.get("transaction_id"):
            raise NotificationRefused("malformed")
        return TradeState(
            out_trade_no=resource["out_trade_no"],
            status=TRADE_STATES.get(resource.get("trade_state", ""), TradeStatus.OTHER),
            provider_trade_no=resource["transaction_id"],
            amount=from_fen(_fen((resource.get("amount") or {}).get("total"))),
            paid_at=_parse_time(resource.get("success_time")),
            raw=resource,
        )

    def _refund_report(self, resource: dict) -> RefundReport:
        if not resource.get("refund_id"):
            raise NotificationRefused("malformed")
        return RefundReport(
            out_trade_no=resource.get("out_trade_no", ""),
            request_id=resource["out_refund_no"],
            result=REFUND_RESULTS.get(resource.get("refund_status", ""), RefundResult.OTHER),
            amount=from_fen(_fen((resource.get("amount") or {}).get("refund"))),
            provider_refund_id=resource["refund_id"],
            detail=str(resource.get("refund_status", "")),
            raw=resource,
        )

    def query(self, payment: Payment) -> TradeState:
        status, answer = self._call(self.client.query, out_trade_no=payment.out_trade_no)
        if status == 404 and answer.get("code") == "ORDER_NOT_EXIST":
            return TradeState(out_trade_no=payment.out_trade_no, status=TradeStatus.NOT_FOUND)
        if status != 200 or answer.get("out_trade_no") != payment.out_trade_no:
            logger.warning("WeChat Pay query of %s failed: %s", payment.out_trade_no, answer)
            raise GatewayUnavailable(_("微信支付查询失败。"))
        if not answer.get("transaction_id"):  # not paid: no transaction yet
            return TradeState(
                out_trade_no=payment.out_trade_no,
                status=TRADE_STATES.get(answer.get("trade_state", ""), TradeStatus.OTHER),
                raw=answer,
            )
        try:
            return self._trade(answer)
        except NotificationRefused:
            raise GatewayUnavailable(_("微信支付查询失败。")) from None

    def refund(self, payment: Payment, refund: Refund, *, notify_url: str) -> RefundOutcome:
        status, answer = self._call(
            self.client.refund,
            out_refund_no=refund.request_id,
            amount={
                "refund": to_fen(refund.amount),
                "total": to_fen(payment.amount),
                "currency": "CNY",
            },
            out_trade_no=payment.out_trade_no,
            reason=refund.reason or None,
            notify_url=notify_url,
        )
        if status == 200:
            result = REFUND_RESULTS.get(answer.get("status", ""), RefundResult.OTHER)
            return RefundOutcome(
                succeeded=result == RefundResult.SUCCEEDED,
                provider_refund_id=answer.get("refund_id", ""),
                error=answer.get("status", ""),
                # PROCESSING: the REFUND.SUCCESS notification settles it.
                pending=result == RefundResult.OTHER,
            )
        if 400 <= status < 500 and status not in (401, 429):
            return RefundOutcome(
                succeeded=False,
                error=f"{answer.get('code', '')} {answer.get('message', '')}",
                retryable=answer.get("code") in RETRYABLE_REFUND_ERRORS,
            )
        logger.warning("WeChat Pay refund %s failed: %s %s", refund.request_id, status, answer)
        raise GatewayUnavailable(_("微信支付退款暂时无法完成，请稍后再试。"))

    def reply(self, *, accepted: bool) -> GatewayReply:
        if accepted:
            return GatewayReply(
                body=json.dumps({"code": "SUCCESS"}), content_type="application/json"
            )
        return GatewayReply(
            body=json.dumps({"code": "FAIL", "message": "失败"}, ensure_ascii=False),
            status=400,
            content_type="application/json",
        )
