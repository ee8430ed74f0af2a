"""Housekeeping of account data, run by periodic jobs; each function is idempotent."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rongcheng.accounts.models import SmsCode


def sms_codes_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every SMS code past its expiry in one statement; returns how many went."""
    with transaction.atomic():
        deleted, _ = SmsCode.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
