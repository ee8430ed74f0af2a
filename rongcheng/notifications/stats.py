"""Figures about outgoing messages for the back-office dashboard (reads only)."""

from datetime import datetime

from django.utils import timezone

from rongcheng.notifications.models import SandboxSms


def sandbox_sms_sent_today(*, now: datetime | None = None) -> int:
    """Messages in the sandbox outbox since local midnight."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return SandboxSms.objects.filter(sent_at__gte=today).count()
