"""Outgoing notifications. Every send waits for the surrounding transaction to commit."""

import logging

from django.core.mail import send_mail
from django.db import transaction

from rongcheng.notifications.sms import get_provider

logger = logging.getLogger(__name__)


def _deliver_sms(mobile: str, template_code: str, params: dict[str, str]) -> None:
    biz_id = get_provider().send(mobile, template_code, params)
    logger.info("SMS %s sent to %s***%s (%s)", template_code, mobile[:3], mobile[-4:], biz_id)


def sms_send(*, mobile: str, template_code: str, params: dict[str, str]) -> None:
    """Send a templated SMS once the current transaction commits (never from inside it).

    A failing gateway is logged, not raised: the data the message belongs to is already
    committed, and the shopper can ask for the message again.
    """
    transaction.on_commit(lambda: _deliver_sms(mobile, template_code, dict(params)), robust=True)


def email_send(*, to: str, subject: str, body: str) -> None:
    """Send a plain-text e-mail once the current transaction commits."""
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [to], fail_silently=False), robust=True
    )
