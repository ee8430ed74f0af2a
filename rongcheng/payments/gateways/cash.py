"""Cash at a store's counter. There is no provider: the clerk records the cash received
(`services.payment_record_cash`), and a refund is the cash the clerk hands back, done the
moment it is recorded. Nothing can be started online, queried or notified."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from rongcheng.payments.errors import ChannelUnavailable
from rongcheng.payments.gateways.base import (
    Gateway,
    GatewayReply,
    NotificationRefused,
    PaymentStart,
    RefundOutcome,
    RefundReport,
    TradeState,
    TradeStatus,
)
from rongcheng.payments.models import Channel, Payment, Provider, Refund


class CashGateway(Gateway):
    provider = Provider.CASH
    channels = frozenset({Channel.CASH_COUNTER})

    def start(
        self,
        payment: Payment,
        *,
        notify_url: str,
        return_url: str,
        client_ip: str = "",
        openid: str = "",
    ) -> PaymentStart:
        raise ChannelUnavailable(_("现金请在门店收银台支付。"))

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> TradeState | RefundReport:
        raise NotificationRefused("no_notifications")

    def query(self, payment: Payment) -> TradeState:
        # A cash payment is recorded paid in the transaction that creates it.
        return TradeState(out_trade_no=payment.out_trade_no, status=TradeStatus.OTHER)

    def refund(self, payment: Payment, refund: Refund, *, notify_url: str) -> RefundOutcome:
        return RefundOutcome(succeeded=True, provider_refund_id=f"cash:{refund.request_id}")

    def reply(self, *, accepted: bool) -> GatewayReply:
        return GatewayReply(body="", status=404)
