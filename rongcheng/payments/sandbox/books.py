"""The books the sandbox WeChat Pay and UnionPay keep, as the providers keep theirs: trades,
their payment, expiry and refunds (amounts in fen). Trade states use WeChat Pay's words:
NOTPAY, SUCCESS, CLOSED, REFUND (refunded in full)."""

import secrets
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from rongcheng.payments.models import SandboxRefund, SandboxTrade


class SandboxRefused(Exception):
    """A request the sandbox provider refuses; the message is the provider's error code."""


def new_number(prefix: str) -> str:
    return f"{prefix}{timezone.localdate():%Y%m%d}{secrets.randbelow(10**16):016d}"


def open_trade(provider: str, out_trade_no: str, amount_fen: int, **fields) -> SandboxTrade:
    """The trade on first sight of its number; the same order may be opened again, but never
    with another amount."""
    trade, _created = SandboxTrade.objects.get_or_create(
        provider=provider,
        out_trade_no=out_trade_no,
        defaults={"trade_no": new_number("42"), "amount_fen": amount_fen, **fields},
    )
    if trade.amount_fen != amount_fen:
        raise SandboxRefused("ORDER_AMOUNT_CHANGED")
    return trade


def trade_status(trade: SandboxTrade) -> str:
    """Unpaid trades close at their deadline, as the providers close them."""
    if trade.status == "NOTPAY" and trade.expires_at and timezone.now() >= trade.expires_at:
        return "CLOSED"
    return trade.status


def cashier_url(trade: SandboxTrade) -> str:
    """The sandbox cashier's absolute address, on the site the notifications go to."""
    origin = urlsplit(trade.notify_url)
    path = reverse("payments:sandbox_cashier", args=[trade.provider, trade.out_trade_no])
    return f"{origin.scheme}://{origin.netloc}{path}" if origin.netloc else path


def trade_pay(provider: str, out_trade_no: str) -> SandboxTrade:
    """The buyer pays: the trade succeeds once; paying a paid trade changes nothing (the
    provider then sends its notification again)."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().get(
            provider=provider, out_trade_no=out_trade_no
        )
        if trade.paid_at is None:
            if trade_status(trade) != "NOTPAY":
                raise SandboxRefused("ORDER_CLOSED")
            trade.status = "SUCCESS"
            trade.paid_at = timezone.now()
            trade.save(update_fields=["status", "paid_at"])
    return trade


def trade_fail(provider: str, out_trade_no: str) -> SandboxTrade:
    """The buyer's payment fails: the unpaid trade is closed (no notification is sent)."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().get(
            provider=provider, out_trade_no=out_trade_no
        )
        if trade.paid_at is None:
            trade.status = "CLOSED"
            trade.save(update_fields=["status"])
    return trade


def refund_record(
    trade: SandboxTrade, *, out_refund_no: str, amount_fen: int, notify_url: str
) -> tuple[SandboxRefund, bool]:
    """(the refund, whether it is new): the same request number is the same refund, never
    more than was paid."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().get(pk=trade.pk)
        earlier = trade.refunds.filter(out_refund_no=out_refund_no).first()
        if earlier is not None:
            if earlier.amount_fen != amount_fen:
                raise SandboxRefused("INVALID_REQUEST")
            return earlier, False
        if trade.paid_at is None:
            raise SandboxRefused("TRADE_NOT_PAID")
        committed = sum(trade.refunds.values_list("amount_fen", flat=True))
        if amount_fen <= 0 or committed + amount_fen > trade.amount_fen:
            raise SandboxRefused("NOT_ENOUGH")
        refund = SandboxRefund.objects.create(
            trade=trade,
            out_refund_no=out_refund_no,
            refund_no=new_number("50"),
            amount_fen=amount_fen,
            notify_url=notify_url,
        )
        return refund, True


def refund_succeed(refund_pk: int) -> SandboxRefund:
    """The money is back with the buyer (once); a trade refunded in full is REFUND."""
    with transaction.atomic():
        refund = SandboxRefund.objects.select_for_update().select_related("trade").get(pk=refund_pk)
        if refund.succeeded_at is None:
            refund.status = "SUCCESS"
            refund.succeeded_at = timezone.now()
            refund.save(update_fields=["status", "succeeded_at"])
            SandboxTrade.objects.filter(pk=refund.trade_id).update(
                refunded_fen=F("refunded_fen") + refund.amount_fen
            )
            refund.trade.refresh_from_db()
            if refund.trade.refunded_fen == refund.trade.amount_fen:
                SandboxTrade.objects.filter(pk=refund.trade_id).update(status="REFUND")
    return refund
