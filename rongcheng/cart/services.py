"""Writes to the member's bag. Quantities are checked against what can still be sold; a line
that later becomes unavailable stays in the bag, marked by the selectors, until removed."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.cart.errors import BagInvalid, BagLineMissing, SkuUnavailable
from rongcheng.cart.models import Bag, BagLine
from rongcheng.cart.selectors import BagEntry, Problem, sku_states
from rongcheng.core.sql import Statement


def check_line(*, sku_id: int, quantity: int, lines_in_bag: int, is_new: bool) -> None:
    """The rules every bag (member or visitor) applies to a line before it is stored."""
    limit = settings.RONGCHENG["BAG_LINE_MAX_QUANTITY"]
    if not 1 <= quantity <= limit:
        raise BagInvalid(_("每件商品的数量须在 1 到 %(limit)s 之间。") % {"limit": limit})
    if is_new and lines_in_bag >= settings.RONGCHENG["BAG_MAX_LINES"]:
        raise BagInvalid(_("购物袋已满，请先结算或删除部分商品。"))
    state = sku_states(sku_ids=[sku_id]).get(sku_id)
    if state is None:
        raise SkuUnavailable(_("该商品不存在。"))
    problem = state.problem(quantity)
    if problem == Problem.SHORT:
        raise SkuUnavailable(
            _("库存不足：%(code)s 仅剩 %(units)s 件。")
            % {"code": state.sku.code, "units": state.units}
        )
    if problem:
        raise SkuUnavailable(_("%(code)s 已售罄或已下架。") % {"code": state.sku.code})


def _bag(user: User) -> Bag:
    bag, _created = Bag.objects.get_or_create(user=user)
    return bag


def bag_line_add(*, user: User, sku_id: int, quantity: int = 1) -> BagLine:
    """Put units of a SKU in the bag (adding to a line already there) and tick the line."""
    with transaction.atomic():
        bag = _bag(user)
        line = BagLine.objects.select_for_update().filter(bag=bag, sku_id=sku_id).first()
        current = line.quantity if line else 0
        check_line(
            sku_id=sku_id,
            quantity=current + quantity,
            lines_in_bag=bag.lines.count(),
            is_new=line is None,
        )
        if line is None:
            return BagLine.objects.create(bag=bag, sku_id=sku_id, quantity=quantity)
        line.quantity = current + quantity
        line.selected = True
        line.save(update_fields=["quantity", "selected", "updated_at"])
        return line


def bag_line_set_quantity(*, user: User, sku_id: int, quantity: int) -> BagLine:
    with transaction.atomic():
        line = BagLine.objects.select_for_update().filter(bag__user=user, sku_id=sku_id).first()
        if line is None:
            raise BagLineMissing(_("购物袋里没有这件商品。"))
        check_line(sku_id=sku_id, quantity=quantity, lines_in_bag=0, is_new=False)
        line.quantity = quantity
        line.save(update_fields=["quantity", "updated_at"])
        return line


# Every order placed from the bag removes its lines: SQL written once (core/sql.py).
_REMOVE = Statement(
    f"DELETE FROM {BagLine._meta.db_table} WHERE sku_id IN (%s) AND bag_id IN "  # noqa: S608
    f"(SELECT id FROM {Bag._meta.db_table} WHERE user_id = %s)"
)


def bag_lines_remove(*, user: User, sku_ids: Iterable[int]) -> int:
    """Remove lines; returns how many were removed."""
    return _REMOVE.run([list(sku_ids), user.pk])


def bag_lines_select(*, user: User, sku_ids: Iterable[int], selected: bool) -> int:
    """Tick (or untick) lines for the next checkout; returns how many changed."""
    return BagLine.objects.filter(bag__user=user, sku_id__in=list(sku_ids)).update(
        selected=selected
    )


def bag_merge(*, user: User, entries: Iterable[BagEntry]) -> int:
    """Merge a visitor's bag into the member's at login; returns the lines merged.

    Quantities of a SKU in both bags add up, capped at the per-line limit; the merged lines
    keep the visitor's ticks. SKUs that left the catalogue are dropped.
    """
    entries = list(entries)
    if not entries:
        return 0
    limit = settings.RONGCHENG["BAG_LINE_MAX_QUANTITY"]
    with transaction.atomic():
        bag = _bag(user)
        known = set(sku_states(sku_ids=[entry.sku_id for entry in entries]))
        entries = [entry for entry in entries if entry.sku_id in known]
        existing = {
            line.sku_id: line
            for line in BagLine.objects.select_for_update().filter(
                bag=bag, sku_id__in=[entry.sku_id for entry in entries]
            )
        }
        for entry in entries:
            if entry.sku_id in existing:
                line = existing[entry.sku_id]
                line.quantity = min(line.quantity + entry.quantity, limit)
                line.selected = entry.selected
                line.save(update_fields=["quantity", "selected", "updated_at"])
        BagLine.objects.bulk_create(
            BagLine(
                bag=bag,
                sku_id=entry.sku_id,
                quantity=min(entry.quantity, limit),
                selected=entry.selected,
            )
            for entry in entries
            if entry.sku_id not in existing
        )
        return len(entries)
