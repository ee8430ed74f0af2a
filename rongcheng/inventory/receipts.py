"""Other apps hear of goods booked into a store (到货通知 tells the members waiting for them)
without inventory knowing those apps: they register a listener in their AppConfig.ready().

Listeners run inside the receipt's transaction, after the stock rows are written and
locked, so what they write commits or rolls back with the receipt; they must not call a
provider (notifications wait for the commit on their own)."""

from collections.abc import Callable, Sequence

from rongcheng.stores.models import Store

ReceiptListener = Callable[..., None]
_listeners: list[ReceiptListener] = []


def register_receipt_listener(listener: ReceiptListener) -> None:
    """`listener(store=…, sku_ids=…)` is called for every receipt; registering twice is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)


def receipt_announce(*, store: Store, sku_ids: Sequence[int]) -> None:
    for listener in _listeners:
        listener(store=store, sku_ids=sku_ids)
