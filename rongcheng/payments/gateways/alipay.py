"""Alipay through python-alipay-sdk: PC page pay, mobile WAP pay, QR precreate, asynchronous
notifications, trade query and refund.

Notifications are verified the way Alipay prescribes: RSA2 (SHA256withRSA) over the sorted
parameters without sign and sign_type, then app_id, seller_id and the amount and trade status.
The SDK's server calls go through a transport: HTTPS to Alipay, or the in-process sandbox.
"""

import binascii
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.error import URLError
from urllib.parse import urljoin
from urllib.request import urlopen

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.payments.errors import ChannelUnavailable, GatewayUnavailable
from rongcheng.payments.gateways.base import (
    Gateway,
    GatewayReply,
    NotificationRefused,
    PaymentStart,
    RefundOutcome,
    TradeState,
    TradeStatus,
)
from rongcheng.payments.gateways.common import beijing_time, key_text, parse_form, require
from rongcheng.payments.models import Channel, Payment, Provider, Refund

logger = logging.getLogger(__name__)

Transport = Callable[[str, float], str]
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # Alipay's times are Beijing time
TRADE_STATUSES = {
    "TRADE_SUCCESS": TradeStatus.PAID,
    "TRADE_FINISHED": TradeStatus.PAID,
    "WAIT_BUYER_PAY": TradeStatus.PENDING,
    "TRADE_CLOSED": TradeStatus.CLOSED,
}
SUCCESS = "10000"
BUSINESS_FAILED = "40004"


def https_transport(url: str, timeout: float) -> str:
    with urlopen(url, timeout=timeout) as response:  # noqa: S310 - the configured https gateway
        return response.read().decode()


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    app_private_key: str
    alipay_public_key: str
    seller_id: str
    gateway: str
    transport: Transport = https_transport


def alipay_config() -> AlipayConfig:
    """The sandbox's identity while PAYMENTS_SANDBOX is on, else the ALIPAY_* variables."""
    if settings.PAYMENTS_SANDBOX:
        from rongcheng.payments.sandbox.alipay import sandbox_config

        return sandbox_config()
    conf = settings.RONGCHENG["ALIPAY"]
    config = AlipayConfig(
        app_id=conf["APP_ID"],
        app_private_key=key_text(conf["APP_PRIVATE_KEY"], conf["APP_PRIVATE_KEY_FILE"]),
        alipay_public_key=key_text(conf["ALIPAY_PUBLIC_KEY"], conf["ALIPAY_PUBLIC_KEY_FILE"]),
        seller_id=conf["SELLER_ID"],
        gateway=conf["GATEWAY"],
    )
    require(
        "Alipay",
        {
            "ALIPAY_APP_ID": config.app_id,
            "ALIPAY_APP_PRIVATE_KEY(_FILE)": config.app_private_key,
            "ALIPAY_PUBLIC_KEY(_FILE)": config.alipay_public_key,
            "ALIPAY_SELLER_ID": config.seller_id,
        },
    )
    return config


class AlipayClient(AliPay):
    """The SDK's client, its server API calls (query, refund, precreate) sent by `transport`.

    Everything else — signing requests, verifying the signed answers — is the SDK's own code.
    """

    def __init__(self, *, config: AlipayConfig) -> None:
        super().__init__(
            appid=config.app_id,
            app_private_key_string=config.app_private_key,
            alipay_public_key_string=config.alipay_public_key,
            sign_type="RSA2",
        )
        self._gateway = config.gateway
        self._transport = config.transport

    def verified_sync_response(self, data: dict, response_type: str) -> dict:
        url = f"{self._gateway}?{self.sign_data(data)}"
        raw = self._transport(url, self._config.timeout)
        return self._verify_and_return_sync_response(raw, response_type)


def _amount(value: str | None) -> Decimal:
    try:
        amount = Decimal(value or "")
    except InvalidOperation:
        raise NotificationRefused("malformed_amount") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise NotificationRefused("malformed_amount")
    return amount


# Refund refusals that pass: Alipay's system busy, or the merchant's balance short for now.
RETRYABLE_REFUND_ERRORS = frozenset({"ACQ.SYSTEM_ERROR", "ACQ.SELLER_BALANCE_NOT_ENOUGH"})


class AlipayGateway(Gateway):
    provider = Provider.ALIPAY
    channels = frozenset({Channel.ALIPAY_PAGE, Channel.ALIPAY_WAP, Channel.ALIPAY_QR})

    def __init__(self, config: AlipayConfig | None = None) -> None:
        self.config = config or alipay_config()
        self.client = AlipayClient(config=self.config)

    def _call(self, api: Callable[..., dict], **kwargs: Any) -> dict:
        """One server API call; any failure to get a genuine answer is GatewayUnavailable."""
        try:
            return api(**kwargs)
        except AliPayValidationError:
            logger.error("Alipay answer to %s failed signature verification", api.__name__)
            raise GatewayUnavailable(_("支付宝应答验签失败。")) from None
        except (AliPayException, URLError, OSError, ValueError) as error:
            logger.warning("Alipay %s failed: %s", api.__name__, error)
            raise GatewayUnavailable(_("支付宝暂时无法访问，请稍后再试。")) from error

    def start(
        self,
        payment: Payment,
        *,
        notify_url: str,
        return_url: str,
        client_ip: str = "",
        openid: str = "",
    ) -> PaymentStart:
        order = {
            "subject": payment.subject,
            "out_trade_no": payment.out_trade_no,
            "total_amount": f"{payment.amount:.2f}",
            # Alipay closes the trade itself at our deadline and takes no money after it.
            "time_expire": timezone.localtime(payment.expires_at).strftime(TIME_FORMAT),
            "notify_url": notify_url,
        }
        # The sandbox's gateway is a path on this site: make it absolute for apps.
        gateway = urljoin(notify_url, self.config.gateway)
        if payment.channel == Channel.ALIPAY_PAGE:
            signed = self.client.api_alipay_trade_page_pay(return_url=return_url, **order)
            return PaymentStart(channel=payment.channel, redirect_url=f"{gateway}?{signed}")
        if payment.channel == Channel.ALIPAY_WAP:
            signed = self.client.api_alipay_trade_wap_pay(
                return_url=return_url, quit_url=return_url, **order
            )
            return PaymentStart(channel=payment.channel, redirect_url=f"{gateway}?{signed}")
        if payment.channel == Channel.ALIPAY_QR:
            answer = self._call(self.client.api_alipay_trade_precreate, **order)
            if answer.get("code") != SUCCESS or not answer.get("qr_code"):
                logger.warning("Alipay precreate refused: %s", answer)
                raise GatewayUnavailable(
                    _("支付宝未能生成付款码：%(reason)s") % {"reason": answer.get("sub_msg", "")}
                )
            return PaymentStart(channel=payment.channel, qr_code=answer["qr_code"])
        raise ChannelUnavailable(_("支付宝不支持该支付方式。"))

    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> TradeState:
        params = parse_form(body)
        signature = params.pop("sign", "")
        if params.pop("sign_type", "") != "RSA2" or not signature:
            raise NotificationRefused("bad_signature")
        try:
            genuine = self.client.verify(dict(params), signature)
        except (AliPayException, ValueError, binascii.Error):
            genuine = False
        if not genuine:
            raise NotificationRefused("bad_signature")
        if params.get("app_id") != self.config.app_id:
            raise NotificationRefused("wrong_app_id")
        if params.get("seller_id") != self.config.seller_id:
            raise NotificationRefused("wrong_seller_id")
        if not params.get("out_trade_no") or not params.get("trade_no"):
            raise NotificationRefused("malformed")
        return TradeState(
            out_trade_no=params["out_trade_no"],
            status=TRADE_STATUSES.get(params.get("trade_status", ""), TradeStatus.OTHER),
            provider_trade_no=params["trade_no"],
            amount=_amount(params.get("total_amount")),
            paid_at=beijing_time(params.get("gmt_payment"), TIME_FORMAT),
            raw=params,
        )

    def query(self, payment: Payment) -> TradeState:
        answer = self._call(self.client.api_alipay_trade_query, out_trade_no=payment.out_trade_no)
        if (
            answer.get("code") == BUSINESS_FAILED
            and answer.get("sub_code") == "ACQ.TRADE_NOT_EXIST"
        ):
            return TradeState(out_trade_no=payment.out_trade_no, status=TradeStatus.NOT_FOUND)
        if answer.get("code") != SUCCESS or answer.get("out_trade_no") != payment.out_trade_no:
            logger.warning("Alipay query of %s failed: %s", payment.out_trade_no, answer)
            raise GatewayUnavailable(_("支付宝查询失败。"))
        try:
            amount = _amount(answer.get("total_amount"))
        except NotificationRefused:
            raise GatewayUnavailable(_("支付宝查询失败。")) from None
        return TradeState(
            out_trade_no=payment.out_trade_no,
            status=TRADE_STATUSES.get(answer.get("trade_status", ""), TradeStatus.OTHER),
            provider_trade_no=answer.get("trade_no", ""),
            amount=amount,
            paid_at=beijing_time(answer.get("send_pay_date"), TIME_FORMAT),
            raw=answer,
        )

    def refund(self, payment: Payment, refund: Refund, *, notify_url: str) -> RefundOutcome:
        answer = self._call(
            self.client.api_alipay_trade_refund,
            refund_amount=f"{refund.amount:.2f}",
            out_trade_no=payment.out_trade_no,
            out_request_no=refund.request_id,
            refund_reason=refund.reason,
        )
        if answer.get("code") == SUCCESS:
            # Alipay numbers refunds by (trade_no, out_request_no); a repeated request answers
            # success again with fund_change "N", which is the same refund.
            return RefundOutcome(
                succeeded=True, provider_refund_id=f"{answer['trade_no']}:{refund.request_id}"
            )
        if answer.get("code") == BUSINESS_FAILED:
            return RefundOutcome(
                succeeded=False,
                error=f"{answer.get('sub_code', '')} {answer.get('sub_msg', '')}",
                retryable=answer.get("sub_code") in RETRYABLE_REFUND_ERRORS,
            )
        logger.warning("Alipay refund %s failed: %s", refund.request_id, answer)
        raise GatewayUnavailable(_("支付宝退款暂时无法完成，请稍后再试。"))

    def reply(self, *, accepted: bool) -> GatewayReply:
        return GatewayReply(body="success" if accepted else "fail")
