"""Payments: create and start one, settle it by a verified notification or an active query,
refund it. Entry points run in durable transactions; no provider is called while a row is
locked. Locks: payment → refund → whatever the purpose's handler takes (it runs last, under the
payment's lock, in the same transaction).
"""

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.core.money import ZERO, to_yuan
from rongcheng.payments import purposes
from rongcheng.payments.errors import (
    ChannelUnavailable,
    GatewayUnavailable,
    InvalidAmount,
    InvalidTransition,
    RefundExceedsPayment,
    RefundNotAllowed,
    RefundRequestConflict,
)
from rongcheng.payments.gateways import CHANNEL_PROVIDERS, get_gateway
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
from rongcheng.payments.models import (
    Channel,
    EventSource,
    EventType,
    GatewayNotification,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Provider,
    Refund,
    RefundStatus,
    Verdict,
)
from rongcheng.payments.selectors import payments_due_for_query
from rongcheng.payments.state import transition

logger = logging.getLogger(__name__)


def _rules() -> dict:
    return settings.RONGCHENG


def _yuan(amount: Decimal | str | int) -> Decimal:
    """A positive amount in whole fen, or InvalidAmount."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmount(_("金额无效。")) from None
    if not value.is_finite() or value <= 0 or to_yuan(value) != value:
        raise InvalidAmount(_("金额须为大于零的元，最多两位小数。"))
    return to_yuan(value)


def _new_out_trade_no() -> str:
    """Date + 16 random digits: unguessable, and sorts by day for people reading it."""
    return f"{timezone.localdate():%Y%m%d}{secrets.randbelow(10**16):016d}"


def payment_create(
    *, purpose: str, reference: str, buyer: Any, subject: str, amount: Decimal, channel: str
) -> Payment:
    """A pending payment of `amount` for `reference`, to be paid through `channel`."""
    purposes.get(purpose)
    provider = CHANNEL_PROVIDERS.get(channel)  # type: ignore[call-overload]
    if provider is None:
        raise ChannelUnavailable(_("不支持的支付方式。"))
    amount = _yuan(amount)
    with transaction.atomic():
        return Payment.objects.create(
            out_trade_no=_new_out_trade_no(),
            purpose=purpose,
            reference=reference,
            buyer=buyer,
            subject=subject[:128],
            amount=amount,
            provider=provider,
            channel=channel,
            expires_at=timezone.now() + _rules()["PAYMENT_TTL"],
        )


def payment_record_cash(
    *, purpose: str, reference: str, buyer: Any, subject: str, amount: Decimal, actor: Any
) -> Payment:
    """Cash a store's clerk (`actor`) took at the counter for `reference`: a payment recorded
    paid at once, then settled by the purpose's on_paid exactly as a verified notification
    settles one. Runs in the caller's transaction: the caller has locked what it sells and
    checked what is due, so a refusal writes nothing."""
    handler = purposes.get(purpose).on_paid
    amount = _yuan(amount)
    now = timezone.now()
    with transaction.atomic():
        payment = Payment.objects.create(
            out_trade_no=_new_out_trade_no(),
            purpose=purpose,
            reference=reference,
            buyer=buyer,
            subject=subject[:128],
            amount=amount,
            provider=Provider.CASH,
            channel=Channel.CASH_COUNTER,
            expires_at=now,
        )
        transition(
            payment,
            to=PaymentStatus.PAID,
            event_type=EventType.PAID,
            source=EventSource.COUNTER,
            actor=actor,
            provider_txn_id=f"counter:{payment.out_trade_no}",
            amount=amount,
            paid_at=now,
        )
        handler(payment)
    return payment


def _site(base_url: str) -> str:
    return (_rules()["SITE_URL"] or base_url).rstrip("/")


def _notify_url(provider: str, base_url: str) -> str:
    """Where `provider` posts its notifications: this site's /payments/notify/<provider>/."""
    return _site(base_url) + reverse("payments:notify", args=[provider])


def payment_start(
    *, payment: Payment, base_url: str, return_url: str, client_ip: str = "", openid: str = ""
) -> PaymentStart:
    """What the client needs to pay: the provider's page to open, a QR code to show, a form to
    post or the WeChat JSAPI parameters.

    `base_url` is the site's address as the buyer reached it (SITE_URL wins when set); the
    provider posts its notification to this site's /payments/notify/<provider>/. `client_ip`
    (WeChat H5) and `openid` (WeChat JSAPI) identify the buyer to WeChat Pay. No row is
    locked: a QR code is made by calling the provider.
    """
    if payment.status != PaymentStatus.PENDING or payment.expires_at <= timezone.now():
        raise InvalidTransition(_("该支付单已不能支付，请重新发起支付。"))
    if return_url.startswith("/"):
        return_url = _site(base_url) + return_url
    return get_gateway(payment.provider).start(
        payment,
        notify_url=_notify_url(payment.provider, base_url),
        return_url=return_url,
        client_ip=client_ip,
        openid=openid,
    )


def payment_notification_handle(
    *, provider: str, body: bytes, headers: Mapping[str, str]
) -> GatewayReply:
    """Store, verify and process a provider's asynchronous notification; answer the provider.

    Forged, tampered, foreign or wrong-amount notifications change nothing and get the failure
    reply; a repeated one changes nothing and gets the success reply.
    """
    gateway = get_gateway(provider)
    notification = GatewayNotification.objects.create(
        provider=provider, body=body.decode("utf-8", "replace"), headers=dict(headers)
    )
    try:
        report = gateway.parse_notification(body=body, headers=headers)
    except NotificationRefused as refusal:
        logger.warning("%s notification %s refused: %s", provider, notification.pk, refusal.reason)
        GatewayNotification.objects.filter(pk=notification.pk).update(
            verdict=Verdict.REFUSED, error=refusal.reason
        )
        return gateway.reply(accepted=False)
    if isinstance(report, RefundReport):
        verdict = _refund_report_settle(provider=provider, report=report, notification=notification)
    else:
        verdict = _trade_settle(
            provider=provider,
            trade=report,
            source=EventSource.NOTIFICATION,
            notification=notification,
        )
    return gateway.reply(accepted=verdict != Verdict.REFUSED)


def _trade_settle(
    *,
    provider: str,
    trade: TradeState,
    source: EventSource,
    notification: GatewayNotification | None = None,
) -> str:
    """Apply what the provider reported to its payment, once, under the payment's row lock."""
    with transaction.atomic(durable=True):
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider, out_trade_no=trade.out_trade_no)
            .first()
        )
        verdict, error = _apply_trade(payment, trade, source=source, notification=notification)
        if notification is not None:
            GatewayNotification.objects.filter(pk=notification.pk).update(
                verdict=verdict, error=error, payment=payment
            )
    if verdict == Verdict.REFUSED:
        logger.warning("%s report on %s refused: %s", provider, trade.out_trade_no, error)
    return verdict


def _apply_trade(
    payment: Payment | None,
    trade: TradeState,
    *,
    source: EventSource,
    notification: GatewayNotification | None,
) -> tuple[str, str]:
    if payment is None:
        return Verdict.REFUSED, "unknown_trade"
    if trade.amount is not None and trade.amount != payment.amount:
        return Verdict.REFUSED, "amount_mismatch"
    if trade.status == TradeStatus.PAID:
        return _apply_paid(payment, trade, source=source, notification=notification)
    now = timezone.now()
    closes = trade.status == TradeStatus.CLOSED or (
        trade.status == TradeStatus.NOT_FOUND and payment.expires_at <= now
    )
    # Only an active query closes a payment: a TRADE_CLOSED notification also follows a full
    # refund, and the refund service has recorded that already.
    if source == EventSource.QUERY and closes and payment.status == PaymentStatus.PENDING:
        transition(payment, to=PaymentStatus.CLOSED, event_type=EventType.CLOSED, source=source)
        return Verdict.PROCESSED, ""
    return Verdict.IGNORED, ""


def _apply_paid(
    payment: Payment,
    trade: TradeState,
    *,
    source: EventSource,
    notification: GatewayNotification | None,
) -> tuple[str, str]:
    seen = PaymentEvent.objects.filter(
        provider=payment.provider,
        provider_txn_id=trade.provider_trade_no,
        event_type=EventType.PAID,
    ).first()
    if seen is not None:
        if seen.payment_id == payment.pk and seen.amount == trade.amount:
            return Verdict.DUPLICATE, ""
        return Verdict.REFUSED, "conflicting_event"
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.CLOSED):
        # Paid already under another provider transaction: never take it as a second payment.
        return Verdict.REFUSED, "conflicting_event"
    late = payment.status == PaymentStatus.CLOSED
    transition(
        payment,
        to=PaymentStatus.PAID,
        event_type=EventType.PAID,
        source=source,
        provider_txn_id=trade.provider_trade_no,
        amount=trade.amount,
        notification=notification,
        paid_at=trade.paid_at or timezone.now(),
    )
    purpose = purposes.get(payment.purpose)
    (purpose.on_late if late and purpose.on_late else purpose.on_paid)(payment)
    return Verdict.PROCESSED, ""


def payment_query_pending(*, now: datetime | None = None) -> int:
    """Ask the provider about payments pending longer than PAYMENT_QUERY_AFTER and settle them
    by its answer (periodic job; any number of runs give the same result). Returns how many
    payments changed."""
    ids = payments_due_for_query(now=now or timezone.now(), limit=_rules()["PAYMENT_QUERY_BATCH"])
    gateways: dict[str, Gateway] = {}
    changed = 0
    for payment in Payment.objects.filter(pk__in=ids).order_by("pk"):
        gateway = gateways.setdefault(payment.provider, get_gateway(payment.provider))
        try:
            trade = gateway.query(payment)
        except GatewayUnavailable:
            continue  # asked again at the next run
        verdict = _trade_settle(provider=payment.provider, trade=trade, source=EventSource.QUERY)
        changed += verdict == Verdict.PROCESSED
    return changed


def payment_refund(
    *,
    payment: Payment,
    amount: Decimal,
    request_id: str,
    reason: str,
    reference: str = "",
    actor: Any = None,
    base_url: str = "",
) -> Refund:
    """Refund `amount` of a paid payment, once per `request_id`; `reference` names what it
    gives back in the paying app (an order number), for the purpose's handlers.

    The request is recorded in one transaction (the purpose's on_refund_requested runs in it),
    the provider called with no lock held, and the answer settled in another (on_refunded or
    on_refund_failed runs in that one). If the provider cannot be reached the refund stays
    pending (GatewayUnavailable is raised) and asking again with the same request id carries
    on, as the retry job does. A failed refund stays failed: use a new id (the retry job does
    for refusals that pass).
    WeChat Pay and UnionPay accept a refund and report its result later by a refund
    notification to /payments/notify/<provider>/ (SITE_URL, else `base_url`): the refund stays
    pending until it comes.
    """
    refund = _refund_record(
        payment=payment,
        amount=_yuan(amount),
        request_id=request_id,
        reason=reason,
        reference=reference,
    )
    return _refund_carry_on(refund, actor=actor, base_url=base_url)


def _refund_carry_on(refund: Refund, *, actor: Any, base_url: str) -> Refund:
    """Ask the provider for a recorded refund still pending (no lock held) and settle it."""
    if refund.status != RefundStatus.PENDING:
        return refund
    payment = Payment.objects.get(pk=refund.payment_id)
    outcome = get_gateway(payment.provider).refund(
        payment, refund, notify_url=_notify_url(payment.provider, base_url)
    )
    return _refund_settle(refund=refund, outcome=outcome, actor=actor)


def _refund_record(
    *, payment: Payment, amount: Decimal, request_id: str, reason: str, reference: str
) -> Refund:
    with transaction.atomic(durable=True):
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        earlier = Refund.objects.filter(request_id=request_id).first()
        if earlier is not None:
            same = (earlier.payment_id, earlier.amount, earlier.reference)
            if same != (locked.pk, amount, reference):
                raise RefundRequestConflict(_("该退款请求号已用于另一笔退款。"))
            return earlier
        return _refund_create(
            locked, request_id=request_id, amount=amount, reason=reason, reference=reference
        )


def _refund_create(
    payment: Payment,
    *,
    request_id: str,
    amount: Decimal,
    reason: str,
    reference: str,
    retry_of: Refund | None = None,
) -> Refund:
    """A new pending refund of the locked payment, within what is left to refund; the
    purpose's on_refund_requested runs in the same transaction."""
    # A payment refunded in full is refused below for what is left (¥0.00), not as unpaid.
    refundable = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
    if payment.status not in refundable:
        raise RefundNotAllowed(_("该支付单未支付成功，不能退款。"))
    committed = (
        payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    if committed + amount > payment.amount:
        raise RefundExceedsPayment(
            _("退款金额超过可退金额 ¥%(left)s。") % {"left": payment.amount - committed}
        )
    refund = Refund.objects.create(
        payment=payment,
        request_id=request_id,
        amount=amount,
        reference=reference,
        reason=reason[:256],
        retry_of=retry_of,
        attempt=retry_of.attempt + 1 if retry_of else 1,
    )
    on_requested = purposes.get(payment.purpose).on_refund_requested
    if on_requested is not None:
        on_requested(payment, refund)
    return refund


def _refund_settle(*, refund: Refund, outcome: RefundOutcome, actor: Any) -> Refund:
    with transaction.atomic(durable=True):
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.PENDING and not outcome.pending:
            _refund_apply(payment, refund, outcome, actor=actor)
        # else settled by a concurrent request with the same id or by the provider's
        # notification, or the notification will settle it
        return refund


def _refund_report_settle(
    *, provider: str, report: RefundReport, notification: GatewayNotification
) -> str:
    """Apply a verified refund notification to its refund, once, under the payment's lock."""
    with transaction.atomic(durable=True):
        found = Refund.objects.filter(
            request_id=report.request_id, payment__provider=provider
        ).first()
        payment = Payment.objects.select_for_update().get(pk=found.payment_id) if found else None
        refund = Refund.objects.select_for_update().get(pk=found.pk) if found else None
        verdict, error = _refund_report_check(payment, refund, report)
        if verdict == Verdict.PROCESSED:
            assert payment is not None and refund is not None
            outcome = RefundOutcome(
                succeeded=report.result == RefundResult.SUCCEEDED,
                provider_refund_id=report.provider_refund_id,
                error=report.detail,
            )
            _refund_apply(payment, refund, outcome, actor=None, notification=notification)
        GatewayNotification.objects.filter(pk=notification.pk).update(
            verdict=verdict, error=error, payment=payment
        )
    if verdict == Verdict.REFUSED:
        logger.warning("%s refund report %s refused: %s", provider, report.request_id, error)
    return verdict


def _refund_report_check(
    payment: Payment | None, refund: Refund | None, report: RefundReport
) -> tuple[str, str]:
    if payment is None or refund is None:
        return Verdict.REFUSED, "unknown_refund"
    if report.out_trade_no and report.out_trade_no != payment.out_trade_no:
        return Verdict.REFUSED, "unknown_refund"
    if report.provider_trade_no and report.provider_trade_no != payment.provider_trade_no:
        return Verdict.REFUSED, "unknown_refund"
    if report.amount != refund.amount:
        return Verdict.REFUSED, "amount_mismatch"
    if report.result == RefundResult.OTHER:
        return Verdict.IGNORED, ""
    if refund.status == RefundStatus.PENDING:
        return Verdict.PROCESSED, ""
    reported = {
        RefundResult.SUCCEEDED: RefundStatus.SUCCEEDED,
        RefundResult.FAILED: RefundStatus.FAILED,
    }[report.result]
    if refund.status == reported:
        return Verdict.DUPLICATE, ""
    return Verdict.REFUSED, "conflicting_event"


def _refund_apply(
    payment: Payment,
    refund: Refund,
    outcome: RefundOutcome,
    *,
    actor: Any,
    notification: GatewayNotification | None = None,
) -> None:
    """Settle a pending refund by the provider's answer; both rows are locked by the caller."""
    refund.settled_at = timezone.now()
    if not outcome.succeeded:
        refund.status = RefundStatus.FAILED
        refund.error = outcome.error[:256]
        refund.retryable = outcome.retryable
        refund.save(update_fields=["status", "error", "retryable", "settled_at", "updated_at"])
        on_failed = purposes.get(payment.purpose).on_refund_failed
        if on_failed is not None:
            on_failed(payment, refund)
        return
    refunded = payment.refunded_amount + refund.amount
    transition(
        payment,
        to=PaymentStatus.REFUNDED
        if refunded == payment.amount
        else PaymentStatus.PARTIALLY_REFUNDED,
        event_type=EventType.REFUNDED,
        source=EventSource.REFUND,
        actor=actor,
        provider_txn_id=outcome.provider_refund_id,
        amount=refund.amount,
        notification=notification,
        refunded_amount=refunded,
    )
    refund.status = RefundStatus.SUCCEEDED
    refund.provider_refund_id = outcome.provider_refund_id
    refund.save(update_fields=["status", "provider_refund_id", "settled_at", "updated_at"])
    on_refunded = purposes.get(payment.purpose).on_refunded
    if on_refunded is not None:
        on_refunded(payment, refund)


def _retry_request_id(failed: Refund) -> str:
    """`<first request id>-r<attempt>`: one id per attempt, the same whoever retries."""
    first = failed.request_id if failed.attempt == 1 else failed.request_id.rsplit("-r", 1)[0]
    return f"{first[:58]}-r{failed.attempt + 1}"


def _refund_record_retry(failed: Refund) -> Refund | None:
    """The retry of a refund the provider refused for a passing reason, recorded once."""
    with transaction.atomic(durable=True):
        payment = Payment.objects.select_for_update().get(pk=failed.payment_id)
        retry = Refund.objects.filter(retry_of=failed).first()
        if retry is not None:
            return retry
        try:
            return _refund_create(
                payment,
                request_id=_retry_request_id(failed),
                amount=failed.amount,
                reason=failed.reason,
                reference=failed.reference,
                retry_of=failed,
            )
        except (RefundNotAllowed, RefundExceedsPayment):
            # Refunded meanwhile some other way: nothing is left for this retry.
            return None


def payment_refunds_retry(*, now: datetime | None = None) -> int:
    """Carry on refunds still pending REFUND_RETRY_AFTER after their last attempt, and ask
    again, under a new request id, for those a provider refused for a passing reason (periodic
    job; at most REFUND_RETRY_ATTEMPTS attempts per refund). Refunds are chosen by two
    set-based queries; each provider call is made with no lock held. Returns how many refunds
    were asked for."""
    rules = _rules()
    now = now or timezone.now()
    due = now - rules["REFUND_RETRY_AFTER"]
    batch = rules["REFUND_RETRY_BATCH"]
    pending = list(
        Refund.objects.filter(status=RefundStatus.PENDING, updated_at__lte=due).order_by("pk")[
            :batch
        ]
    )
    refused = list(
        Refund.objects.filter(
            status=RefundStatus.FAILED,
            retryable=True,
            settled_at__lte=due,
            retry__isnull=True,
            attempt__lt=rules["REFUND_RETRY_ATTEMPTS"],
        ).order_by("pk")[:batch]
    )
    # Stamped first: a refund still unanswered after this run waits another period.
    Refund.objects.filter(
        pk__in=[refund.pk for refund in pending], status=RefundStatus.PENDING
    ).update(updated_at=now)
    retries = [_refund_record_retry(failed) for failed in refused]
    asked = 0
    for refund in [*pending, *(retry for retry in retries if retry is not None)]:
        try:
            _refund_carry_on(refund, actor=None, base_url="")
        except GatewayUnavailable:
            logger.warning("Refund %s still pending: gateway unavailable", refund.request_id)
        asked += 1
    return asked
