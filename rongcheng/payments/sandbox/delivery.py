"""A sandbox provider's asynchronous notification, handed after commit to the same service that
/payments/notify/<provider>/ calls (in the embedded setup there is nobody else to post it)."""

from collections.abc import Mapping
from functools import partial

from django.db import transaction


def deliver_after_commit(provider: str, body: str, headers: Mapping[str, str]) -> None:
    from rongcheng.payments.services import payment_notification_handle

    transaction.on_commit(
        partial(
            payment_notification_handle,
            provider=provider,
            body=body.encode(),
            headers=dict(headers),
        )
    )
