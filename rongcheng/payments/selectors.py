from datetime import datetime

from django.conf import settings

from rongcheng.payments.models import Payment, PaymentStatus


def payments_due_for_query(*, now: datetime, limit: int) -> list[int]:
    """Ids of payments still pending PAYMENT_QUERY_AFTER after they started, oldest first."""
    started_before = now - settings.RONGCHENG["PAYMENT_QUERY_AFTER"]
    return list(
        Payment.objects.filter(status=PaymentStatus.PENDING, created_at__lte=started_before)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def payment_by_out_trade_no(out_trade_no: str) -> Payment | None:
    return Payment.objects.filter(out_trade_no=out_trade_no).first()
