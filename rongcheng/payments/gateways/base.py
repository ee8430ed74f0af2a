"""What every payment gateway adapter offers. Adding a provider means one subclass of `Gateway`
in this package and an entry in `gateways.GATEWAYS` (docs/payments.md)."""

import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from rongcheng.payments.models import Payment, Refund


class TradeStatus(enum.StrEnum):
    """A provider's trade status, in our words."""

    PAID = "paid"
    PENDING = "pending"  # created at the provider, the buyer has not paid yet
    CLOSED = "closed"  # the provider will not take money for it any more
    NOT_FOUND = "not_found"  # the buyer never opened the provider's cashier
    OTHER = "other"  # anything we do not act on (e.g. a refund report)


@dataclass(frozen=True)
class TradeState:
    """A trade as the provider reported it, by a verified notification or a query answer."""

    out_trade_no: str
    status: TradeStatus
    provider_trade_no: str = ""
    amount: Decimal | None = None
    paid_at: datetime | None = None
    raw: Mapping[str, str] = field(default_factory=dict)


class RefundResult(enum.StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    OTHER = "other"  # still processing at the provider


@dataclass(frozen=True)
class RefundReport:
    """A refund as the provider reported it by a verified refund notification."""

    out_trade_no: str  # "" when the provider names the payment by its own number only
    request_id: str  # our Refund.request_id
    result: RefundResult
    amount: Decimal
    provider_refund_id: str = ""
    provider_trade_no: str = ""  # the refunded payment's provider trade number, when given
    detail: str = ""  # the provider's own words for the result, kept with a failed refund
    raw: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentStart:
    """What the client needs to take the buyer to the provider: a page to open, a QR to show,
    a form to post (UnionPay) or the parameters of the WeChat JSAPI call."""

    channel: str
    redirect_url: str = ""
    qr_code: str = ""
    form_action: str = ""
    form_fields: Mapping[str, str] = field(default_factory=dict)
    jsapi: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundOutcome:
    succeeded: bool
    provider_refund_id: str = ""
    error: str = ""
    # Accepted by the provider, which reports the result later by a refund notification.
    pending: bool = False
    # Refused for a passing reason: the same refund may be asked again later.
    retryable: bool = False


@dataclass(frozen=True)
class GatewayReply:
    """The response body the provider expects to a notification."""

    body: str
    status: int = 200
    content_type: str = "text/plain"


class NotificationRefused(Exception):
    """The notification is not genuine or does not belong to us; `reason` is a stable code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Gateway(ABC):
    provider: str
    channels: frozenset[str]

    @abstractmethod
    def start(
        self,
        payment: Payment,
        *,
        notify_url: str,
        return_url: str,
        client_ip: str = "",
        openid: str = "",
    ) -> PaymentStart:
        """Client parameters for the payment's channel (may call the provider: QR codes).
        `client_ip` is the buyer's address (WeChat H5), `openid` the buyer in the WeChat app
        (JSAPI)."""

    @abstractmethod
    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> TradeState | RefundReport:
        """Verify an asynchronous notification and read it; raise NotificationRefused if forged,
        tampered with, replayed or meant for another merchant."""

    @abstractmethod
    def query(self, payment: Payment) -> TradeState:
        """Ask the provider for the trade's status (raises GatewayUnavailable)."""

    @abstractmethod
    def refund(self, payment: Payment, refund: Refund, *, notify_url: str) -> RefundOutcome:
        """Refund `refund.amount` of the payment; repeating a request id must be safe. Providers
        that report the result later post it to `notify_url`."""

    @abstractmethod
    def reply(self, *, accepted: bool) -> GatewayReply:
        """The success reply (stop notifying) or the failure reply (notify again)."""
