"""Figures about outgoing messages for the back-office dashboard (reads only)."""

from datetime import datetime

from rongcheng.core.dates import day_start, local_day
from rongcheng.notifications.models import SandboxSms


def sandbox_sms_sent_today(*, now: datetime | None = None) -> int:
    """Messages in the sandbox outbox since local midnight."""
    return SandboxSms.objects.filter(sent_at__gte=day_start(local_day(now))).count()
