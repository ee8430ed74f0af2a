"""UnionPay online gateway payment (网关支付), interface version 5.1.0, written on `cryptography`:
the front form (PC and mobile), backend notifications, transaction query and refunds with their
notifications.

Signing (signMethod 01): the parameters but `signature`, sorted and joined as `k=v&…`, hashed
with SHA-256 to a lowercase hex string; that hex string is signed SHA256withRSA (PKCS#1 v1.5)
and base64-encoded. UnionPay's messages carry their signing certificate (`signPubKeyCert`): it is
trusted only if the configured middle certificate issued it, the configured root issued that,
all are valid today, and its CN names UnionPay as owner.
"""

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
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
    RefundReport,
    RefundResult,
    TradeState,
    TradeStatus,
)
from rongcheng.payments.gateways.common import (
    from_fen,
    key_text,
    parse_form,
    require,
    rsa_sha256_sign,
    rsa_sha256_verify,
    sorted_pairs,
    to_fen,
)
from rongcheng.payments.models import Channel, Payment, Provider, Refund

logger = logging.getLogger(__name__)

Transport = Callable[[str, dict[str, str]], str]  # (url, form) -> form-encoded answer
FRONT_PATH = "/gateway/api/frontTransReq.do"
BACK_PATH = "/gateway/api/backTransReq.do"
QUERY_PATH = "/gateway/api/queryTrans.do"
TIME_FORMAT = "%Y%m%d%H%M%S"  # Beijing time
CHANNEL_TYPES = {Channel.UNIONPAY_PC: "07", Channel.UNIONPAY_WAP: "08"}
SUCCEEDED = frozenset({"00", "A6"})
IN_PROGRESS = frozenset({"03", "04", "05"})
NO_SUCH_TRADE = "34"
# Refund refusals that pass (5.1.0 respCode): the system closed for now (02, "请稍后再试"),
# busy (06), asked too often (37), outside the hours it takes the transaction (39). Every
# other refusal is final: a message we got wrong (10–14), the merchant or original trade
# (30–46), the card or its bank (60–79). 03–05 refuse nothing: the refund is under way.
RETRYABLE_REFUND_ERRORS = frozenset({"02", "06", "37", "39"})
CONSUME, REFUND = "01", "04"


def https_transport(url: str, form: dict[str, str]) -> str:
    request = Request(url, data=urlencode(form).encode(), method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    with urlopen(request, timeout=10) as response:  # noqa: S310 - the configured https gateway
        return response.read().decode()


@dataclass(frozen=True)
class UnionpayConfig:
    mer_id: str
    sign_key: str  # the merchant's signing private key, PEM
    sign_cert: str  # its certificate (its serial number is the certId)
    root_cert: str
    middle_cert: str
    sign_cert_owner: str
    gateway: str
    transport: Transport = https_transport


def unionpay_config() -> UnionpayConfig:
    """The sandbox's identity while PAYMENTS_SANDBOX is on, else the UNIONPAY_* variables."""
    if settings.PAYMENTS_SANDBOX:
        from rongcheng.payments.sandbox.unionpay import sandbox_config

        return sandbox_config()
    conf = settings.RONGCHENG["UNIONPAY"]
    config = UnionpayConfig(
        mer_id=conf["MER_ID"],
        sign_key=key_text(conf["SIGN_KEY"], conf["SIGN_KEY_FILE"]),
        sign_cert=key_text(conf["SIGN_CERT"], conf["SIGN_CERT_FILE"]),
        root_cert=key_text("", conf["ROOT_CERT_FILE"]),
        middle_cert=key_text("", conf["MIDDLE_CERT_FILE"]),
        sign_cert_owner=conf["SIGN_CERT_OWNER"],
        gateway=conf["GATEWAY"],
    )
    require(
        "UnionPay",
        {
            "UNIONPAY_MER_ID": config.mer_id,
            "UNIONPAY_SIGN_KEY(_FILE)": config.sign_key,
            "UNIONPAY_SIGN_CERT(_FILE)": config.sign_cert,
            "UNIONPAY_ROOT_CERT_FILE": config.root_cert,
            "UNIONPAY_MIDDLE_CERT_FILE": config.middle_cert,
        },
    )
    return config


def cert_id(cert_pem: str) -> str:
    """UnionPay's certId: the certificate's serial number in decimal."""
    return str(x509.load_pem_x509_certificate(cert_pem.encode()).serial_number)


def _digest(params: Mapping[str, str]) -> str:
    return hashlib.sha256(sorted_pairs(params, exclude=("signature",)).encode()).hexdigest()


def sign(params: Mapping[str, str], private_key_pem: str) -> dict[str, str]:
    """The parameters with their 5.1.0 signMethod 01 signature."""
    return dict(params) | {"signature": rsa_sha256_sign(private_key_pem, _digest(params))}


def signature_valid(params: Mapping[str, str], public_key: rsa.RSAPublicKey) -> bool:
    return rsa_sha256_verify(public_key, _digest(params), params.get("signature", ""))


def _beijing(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(TIME_FORMAT)


class UnionpayGateway(Gateway):
    provider = Provider.UNIONPAY
    channels = frozenset(CHANNEL_TYPES)

    def __init__(self, config: UnionpayConfig | None = None) -> None:
        self.config = config or unionpay_config()
        self.cert_id = cert_id(self.config.sign_cert)
        self._root = x509.load_pem_x509_certificate(self.config.root_cert.encode())
        self._middle = x509.load_pem_x509_certificate(self.config.middle_cert.encode())

    def _signed(self, **fields: str) -> dict[str, str]:
        common = {
            "version": "5.1.0",
            "encoding": "UTF-8",
            "signMethod": "01",
            "accessType": "0",
            "merId": self.config.mer_id,
            "certId": self.cert_id,
        }
        return sign(common | fields, self.config.sign_key)

    def genuine(self, params: Mapping[str, str]) -> bool:
        """Signed by UnionPay: its certificate chains to our root and names UnionPay."""
        try:
            cert = x509.load_pem_x509_certificate(params.get("signPubKeyCert", "").encode())
            cert.verify_directly_issued_by(self._middle)
            self._middle.verify_directly_issued_by(self._root)
        except (ValueError, TypeError, InvalidSignature):
            return False
        now = timezone.now()
        for each in (cert, self._middle, self._root):
            if not each.not_valid_before_utc <= now <= each.not_valid_after_utc:
                return False
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        owner = str(names[0].value).split("@") if names else []
        if len(owner) < 3 or owner[2] != self.config.sign_cert_owner:
            return False
        key = cert.public_key()
        return isinstance(key, rsa.RSAPublicKey) and signature_valid(params, key)

    def _call(self, path: str, form: dict[str, str]) -> dict[str, str]:
        try:
            answer = parse_form(self.config.transport(self.config.gateway + path, form).encode())
        except (URLError, OSError, NotificationRefused) as error:
            logger.warning("UnionPay %s failed: %s", path, error)
            raise GatewayUnavailable(_("银联暂时无法访问，请稍后再试。")) from error
        if not self.genuine(answer):
            logger.error("UnionPay answer to %s failed signature verification", path)
            raise GatewayUnavailable(_("银联应答验签失败。"))
        return answer

    def start(
        self,
        payment: Payment,
        *,
        notify_url: str,
        return_url: str,
        client_ip: str = "",
        openid: str = "",
    ) -> PaymentStart:
        channel_type = CHANNEL_TYPES.get(payment.channel)  # type: ignore[call-overload]
        if channel_type is None:
            raise ChannelUnavailable(_("银联不支持该支付方式。"))
        form = self._signed(
            txnType=CONSUME,
            txnSubType="01",
            bizType="000201",
            channelType=channel_type,
            orderId=payment.out_trade_no,
            txnTime=_beijing(payment.created_at),
            txnAmt=str(to_fen(payment.amount)),
            currencyCode="156",
            frontUrl=return_url,
            backUrl=notify_url,
            # UnionPay takes no money after our deadline.
            payTimeout=_beijing(payment.expires_at),
        )
        # The sandbox's gateway is a path on this site: make it absolute for apps.
        action = urljoin(notify_url, self.config.gateway + FRONT_PATH)
        return PaymentStart(channel=payment.channel, form_action=action, form_fields=form)

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> TradeState | RefundReport:
        params = parse_form(body)
        if not self.genuine(params):
            raise NotificationRefused("bad_signature")
        if params.get("merId") != self.config.mer_id:
            raise NotificationRefused("wrong_merchant_id")
        if not params.get("orderId") or not params.get("queryId"):
            raise NotificationRefused("malformed")
        amount = from_fen(_fen(params.get("txnAmt")))
        if params.get("txnType") == REFUND:
            return RefundReport(
                out_trade_no="",
                provider_trade_no=params.get("origQryId", ""),
                request_id=params.get("reqReserved", ""),
                result=_refund_result(params.get("respCode", "")),
                amount=amount,
                provider_refund_id=params["queryId"],
                detail=f"{params.get('respCode', '')} {params.get('respMsg', '')}",
                raw=params,
            )
        if params.get("txnType") != CONSUME:
            raise NotificationRefused("malformed")
        return TradeState(
            out_trade_no=params["orderId"],
            status=TradeStatus.PAID if params.get("respCode") in SUCCEEDED else TradeStatus.OTHER,
            provider_trade_no=params["queryId"],
            amount=amount,
            raw=params,
        )

    def query(self, payment: Payment) -> TradeState:
        answer = self._call(
            QUERY_PATH,
            self._signed(
                txnType="00",
                txnSubType="00",
                bizType="000000",
                orderId=payment.out_trade_no,
                txnTime=_beijing(payment.created_at),
            ),
        )
        if answer.get("respCode") == NO_SUCH_TRADE:
            return TradeState(out_trade_no=payment.out_trade_no, status=TradeStatus.NOT_FOUND)
        if answer.get("respCode") != "00" or answer.get("orderId") != payment.out_trade_no:
            logger.warning("UnionPay query of %s failed: %s", payment.out_trade_no, answer)
            raise GatewayUnavailable(_("银联查询失败。"))
        outcome = answer.get("origRespCode", "")
        try:
            amount = from_fen(_fen(answer.get("txnAmt")))
        except NotificationRefused:
            raise GatewayUnavailable(_("银联查询失败。")) from None
        return TradeState(
            out_trade_no=payment.out_trade_no,
            status=TradeStatus.PAID
            if outcome in SUCCEEDED
            else TradeStatus.PENDING
            if outcome in IN_PROGRESS
            else TradeStatus.CLOSED,
            provider_trade_no=answer.get("queryId", ""),
            amount=amount,
            raw=answer,
        )

    def refund(self, payment: Payment, refund: Refund, *, notify_url: str) -> RefundOutcome:
        answer = self._call(
            BACK_PATH,
            self._signed(
                txnType=REFUND,
                txnSubType="00",
                bizType="000201",
                channelType="07",
                orderId=refund_order_id(refund.request_id),
                origQryId=payment.provider_trade_no,
                txnTime=_beijing(timezone.now()),
                txnAmt=str(to_fen(refund.amount)),
                backUrl=notify_url,
                # Echoed in the refund notification: how we find the refund again.
                reqReserved=refund.request_id,
            ),
        )
        code = answer.get("respCode", "")
        if code == "00" or code in IN_PROGRESS:
            # Accepted: the refund notification (txnType 04) settles it.
            return RefundOutcome(succeeded=False, pending=True)
        return RefundOutcome(
            succeeded=False,
            error=f"{code} {answer.get('respMsg', '')}",
            retryable=code in RETRYABLE_REFUND_ERRORS,
        )

    def reply(self, *, accepted: bool) -> GatewayReply:
        return GatewayReply(body="ok" if accepted else "fail", status=200 if accepted else 400)


def refund_order_id(request_id: str) -> str:
    """UnionPay order ids are 8–40 letters and digits: one derived from the request id, the
    same on every retry."""
    return "RF" + hashlib.sha256(request_id.encode()).hexdigest()[:30]


def _refund_result(code: str) -> RefundResult:
    if code in SUCCEEDED:
        return RefundResult.SUCCEEDED
    return RefundResult.OTHER if code in IN_PROGRESS else RefundResult.FAILED


def _fen(value: Any) -> int:
    if not isinstance(value, str) or not value.isdigit():
        raise NotificationRefused("malformed_amount")
    return int(value)
