"""Outgoing notifications. Every send waits for the surrounding transaction to commit."""

import logging
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from rongcheng.notifications.models import Notice
from rongcheng.notifications.push import notify_user
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


def notices_send(
    *, recipient_ids: Iterable[int], kind: str, title: str, body: str = "", reference: str = ""
) -> list[Notice]:
    """Store an in-site notice per recipient and push it to their open pages after commit."""
    notices = Notice.objects.bulk_create(
        Notice(recipient_id=user_id, kind=kind, title=title, body=body, reference=reference)
        for user_id in sorted(set(recipient_ids))
    )
    for notice in notices:
        notify_user(
            user_id=notice.recipient_id,
            payload={"kind": kind, "title": title, "body": body, "reference": reference},
        )
    return notices


def notices_mark_read(*, user_id: int, kind: str, reference: str) -> int:
    """The user has seen what the notices are about (the badge goes down); returns how many."""
    return Notice.objects.filter(
        recipient_id=user_id, kind=kind, reference=reference, read_at__isnull=True
    ).update(read_at=timezone.now())
