"""A visitor's bag, kept in the session as plain lists so any session backend can store it.

The same rules as the member's bag apply (`services.check_line`); at login the lines move
into the member's bag (`bag_merge_session`).
"""

from collections.abc import Iterable, MutableMapping
from typing import Any

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.cart.errors import BagLineMissing
from rongcheng.cart.selectors import BagEntry
from rongcheng.cart.services import bag_merge, check_line

SESSION_KEY = "rc_bag"

Session = MutableMapping[str, Any]


def session_bag_entries(session: Session) -> list[BagEntry]:
    """The visitor's lines, newest first (like the member's bag)."""
    return [
        BagEntry(int(sku), int(quantity), bool(ticked))
        for sku, quantity, ticked in session.get(SESSION_KEY, [])
    ]


def _store(session: Session, entries: list[BagEntry]) -> None:
    session[SESSION_KEY] = [[entry.sku_id, entry.quantity, entry.selected] for entry in entries]


def session_bag_add(session: Session, *, sku_id: int, quantity: int = 1) -> BagEntry:
    entries = session_bag_entries(session)
    current = next((entry for entry in entries if entry.sku_id == sku_id), None)
    total = quantity + (current.quantity if current else 0)
    check_line(sku_id=sku_id, quantity=total, lines_in_bag=len(entries), is_new=current is None)
    added = BagEntry(sku_id, total, True)
    _store(session, [added, *(entry for entry in entries if entry.sku_id != sku_id)])
    return added


def session_bag_set_quantity(session: Session, *, sku_id: int, quantity: int) -> BagEntry:
    entries = session_bag_entries(session)
    if not any(entry.sku_id == sku_id for entry in entries):
        raise BagLineMissing(_("购物袋里没有这件商品。"))
    check_line(sku_id=sku_id, quantity=quantity, lines_in_bag=0, is_new=False)
    changed = [
        BagEntry(sku_id, quantity, entry.selected) if entry.sku_id == sku_id else entry
        for entry in entries
    ]
    _store(session, changed)
    return next(entry for entry in changed if entry.sku_id == sku_id)


def session_bag_remove(session: Session, *, sku_ids: Iterable[int]) -> None:
    gone = set(sku_ids)
    _store(session, [entry for entry in session_bag_entries(session) if entry.sku_id not in gone])


def session_bag_select(session: Session, *, sku_ids: Iterable[int], selected: bool) -> None:
    chosen = set(sku_ids)
    _store(
        session,
        [
            BagEntry(entry.sku_id, entry.quantity, selected) if entry.sku_id in chosen else entry
            for entry in session_bag_entries(session)
        ],
    )


def bag_merge_session(*, user: User, session: Session) -> int:
    """Called right after login: the visitor's lines join the member's bag and leave the
    session. Returns the lines merged."""
    merged = bag_merge(user=user, entries=session_bag_entries(session))
    session.pop(SESSION_KEY, None)
    return merged
