"""Holding stock for orders not yet shipped (R-9).

Each stock row changes with one conditional UPDATE (`reserved = reserved + n WHERE on_hand -
reserved >= n`): under READ COMMITTED a waiting UPDATE re-checks its condition against the
committed row, so two buyers can never take the same unit and no retry loop is needed. Rows
are taken in one global order (SKU, then store) so that checkouts cannot deadlock. Every
change appends a StockMovement per order line. Callers hold the transaction: a refusal raises
and the caller's rollback undoes the rows already reserved.
"""

from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Sku
from rongcheng.core.sql import insert
from rongcheng.inventory.errors import InsufficientStock
from rongcheng.inventory.models import Stock, StockMovement


class Hold(NamedTuple):
    """Units of one SKU held in one store for one order (`reference`: the order number)."""

    store_id: int
    sku_id: int
    quantity: int
    reference: str


def _row_order(hold: Hold) -> tuple[int, int]:
    return hold.sku_id, hold.store_id


# The conditional UPDATE answers the row's counts after it: the movements need no read-back.
_RESERVE = (
    f"UPDATE {Stock._meta.db_table} SET reserved = reserved + %s, updated_at = %s "  # noqa: S608
    "WHERE store_id = %s AND sku_id = %s AND on_hand - reserved >= %s "
    "RETURNING on_hand, reserved"
)
_RELEASE = (
    f"UPDATE {Stock._meta.db_table} SET reserved = reserved - %s, updated_at = %s "  # noqa: S608
    "WHERE store_id = %s AND sku_id = %s AND reserved >= %s "
    "RETURNING on_hand, reserved"
)


def _apply(holds: Iterable[Hold], *, sign: int, kind: str, actor: User | None, note: str) -> None:
    holds = sorted(holds, key=_row_order)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    movements = []
    with connection.cursor() as cursor:
        for (sku_id, store_id), grouped in groupby(holds, key=_row_order):
            group = list(grouped)
            units = sum(hold.quantity for hold in group)
            cursor.execute(
                _RESERVE if sign > 0 else _RELEASE, [units, now, store_id, sku_id, units]
            )
            after = cursor.fetchone()
            if after is None:
                _refuse(sku_id, reserving=sign > 0)
            on_hand, reserved = after
            # The row moved by the whole group at once; give each line the count after its part.
            running = reserved - sign * units
            for hold in group:
                running += sign * hold.quantity
                movements.append(
                    StockMovement(
                        store_id=store_id,
                        sku_id=sku_id,
                        kind=kind,
                        reserved_delta=sign * hold.quantity,
                        on_hand_after=on_hand,
                        reserved_after=running,
                        actor=actor,
                        reference=hold.reference,
                        note=note,
                    )
                )
    insert(movements)


def _refuse(sku_id: int, *, reserving: bool) -> None:
    code = Sku.objects.filter(id=sku_id).values_list("code", flat=True).first() or sku_id
    if reserving:
        raise InsufficientStock(_("库存不足：%(code)s 可售数量不够。") % {"code": code})
    # Releasing more than is held means the order and stock records disagree: stop loudly.
    raise InsufficientStock(_("预留数量不足，无法释放：%(code)s。") % {"code": code})


def stock_reserve(*, holds: Iterable[Hold], actor: User | None = None, note: str = "") -> None:
    """Reserve every hold or raise InsufficientStock naming the first SKU that is short."""
    _apply(holds, sign=1, kind=StockMovement.Kind.RESERVATION, actor=actor, note=note)


def stock_release(*, holds: Iterable[Hold], actor: User | None = None, note: str = "") -> None:
    """Give held units back to sale (an order cancelled or closed unpaid)."""
    _apply(holds, sign=-1, kind=StockMovement.Kind.RELEASE, actor=actor, note=note)
