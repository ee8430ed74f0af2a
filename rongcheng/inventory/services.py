"""Writes to what stores sell and hold. Every service takes the acting user and checks that
they work for the store (stores.access); stock numbers change only through conditional
UPDATEs with F() and every change appends a StockMovement row."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Product, Sku
from rongcheng.inventory.errors import InsufficientStock, InvalidQuantity, ProductUnavailable
from rongcheng.inventory.models import Stock, StockMovement, StoreListing
from rongcheng.inventory.receipts import receipt_announce
from rongcheng.seo.purge import purge_products, purge_stock, purge_store
from rongcheng.stores.access import access_store
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.selectors import SHOP_KINDS

LISTING_ROLES = (StoreMembership.Role.MANAGER, StoreMembership.Role.CLERK)
STOCK_ROLES = (
    StoreMembership.Role.MANAGER,
    StoreMembership.Role.CLERK,
    StoreMembership.Role.FULFILLMENT,
)
# SKUs named in one statement; keeps each statement and its parameter list small.
BATCH = 500


def listing_set(*, actor: User, store_id: int, product_ids: Iterable[int], listed: bool) -> int:
    """List (上架) or delist (下架) catalogue products in one store; returns how many changed.

    A store can list only products the platform has in its catalogue (ROLE-3/ROLE-4).
    """
    ids = sorted(set(product_ids))
    now = timezone.now()
    with transaction.atomic():
        store = access_store(user=actor, store_id=store_id, roles=LISTING_ROLES)
        purge_store(store_id=store.pk)
        purge_products(product_ids=ids)
        if not listed:
            return StoreListing.objects.filter(
                store=store, product_id__in=ids, is_listed=True
            ).update(is_listed=False, delisted_at=now, updated_at=now)
        available = set(
            Product.objects.filter(id__in=ids, is_active=True).values_list("id", flat=True)
        )
        if len(available) != len(ids):
            raise ProductUnavailable(_("有商品不在商品库中或已停售，不能上架。"))
        StoreListing.objects.bulk_create(
            [StoreListing(store=store, product_id=pk, is_listed=False) for pk in ids],
            ignore_conflicts=True,
        )
        return StoreListing.objects.filter(store=store, product_id__in=ids, is_listed=False).update(
            is_listed=True, listed_at=now, updated_at=now
        )


def _merge(lines: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    totals: dict[int, int] = {}
    for sku_id, quantity in lines:
        if quantity <= 0:
            raise InvalidQuantity(_("入库数量必须大于零。"), field="quantity")
        totals[sku_id] = totals.get(sku_id, 0) + quantity
    return sorted(totals.items())


def _ensure_rows(store: Store, sku_ids: Sequence[int]) -> None:
    known = Sku.objects.filter(id__in=sku_ids).count()
    if known != len(sku_ids):
        raise ProductUnavailable(_("有 SKU 不在商品库中。"))
    Stock.objects.bulk_create(
        [Stock(store=store, sku_id=sku_id) for sku_id in sku_ids], ignore_conflicts=True
    )


def _purge_stock_pages(store: Store, sku_ids: Sequence[int]) -> None:
    """Stock shows only on the pages of the products a shop lists (units in the visitor's
    city); a fulfillment center's stock shows on no page."""
    if store.kind not in SHOP_KINDS:
        return
    for start in range(0, len(sku_ids), BATCH):
        listed = StoreListing.objects.filter(
            store=store, is_listed=True, product__skus__in=sku_ids[start : start + BATCH]
        )
        purge_stock(product_ids=listed.values_list("product_id", flat=True).distinct())


def _lock_rows(store: Store, sku_ids: Sequence[int]) -> None:
    """Lock the store's rows of `sku_ids` (sorted) in SKU order, chunk after chunk.

    Each chunk is a run of the sorted SKUs and is locked in SKU order, so every receipt takes
    its locks in one global order (store, then SKU: the unique key of a row) and two
    receipts sharing SKUs wait for each other instead of deadlocking.
    """
    for start in range(0, len(sku_ids), BATCH):
        chunk = sku_ids[start : start + BATCH]
        rows = Stock.objects.select_for_update().filter(store=store, sku_id__in=chunk)
        list(rows.order_by("sku_id").values_list("id", flat=True))


def _journal(
    *,
    store: Store,
    deltas: dict[int, int],
    kind: str,
    actor: User,
    reference: str,
    note: str,
) -> None:
    after = Stock.objects.filter(store=store, sku_id__in=list(deltas)).values_list(
        "sku_id", "on_hand", "reserved"
    )
    StockMovement.objects.bulk_create(
        StockMovement(
            store=store,
            sku_id=sku_id,
            kind=kind,
            on_hand_delta=deltas[sku_id],
            on_hand_after=on_hand,
            reserved_after=reserved,
            actor=actor,
            reference=reference,
            note=note,
        )
        for sku_id, on_hand, reserved in after
    )


def stock_receive(
    *,
    actor: User,
    store_id: int,
    lines: Iterable[tuple[int, int]],
    reference: str = "",
    note: str = "",
) -> int:
    """Book goods into a store's stock: (sku_id, quantity) lines, e.g. a consignment from
    headquarters (STORE-2). Returns the number of units received."""
    merged = _merge(lines)
    sku_ids = [sku_id for sku_id, _quantity in merged]
    now = timezone.now()
    with transaction.atomic():
        store = access_store(user=actor, store_id=store_id, roles=STOCK_ROLES)
        _purge_stock_pages(store, sku_ids)
        _ensure_rows(store, sku_ids)
        _lock_rows(store, sku_ids)
        # Add the quantities with one UPDATE per distinct quantity.
        by_quantity: dict[int, list[int]] = {}
        for sku_id, quantity in merged:
            by_quantity.setdefault(quantity, []).append(sku_id)
        for quantity, skus in by_quantity.items():
            for start in range(0, len(skus), BATCH):
                Stock.objects.filter(store=store, sku_id__in=skus[start : start + BATCH]).update(
                    on_hand=F("on_hand") + quantity, updated_at=now
                )
        _journal(
            store=store,
            deltas=dict(merged),
            kind=StockMovement.Kind.RECEIPT,
            actor=actor,
            reference=reference,
            note=note,
        )
        receipt_announce(store=store, sku_ids=sku_ids)
    return sum(quantity for _sku, quantity in merged)


def stock_adjust(
    *, actor: User, store_id: int, sku_id: int, delta: int, note: str, reference: str = ""
) -> Stock:
    """Correct one SKU's count after a stock-take (盘盈 +, 盘亏 −). A loss may not take the
    count below zero or below what is reserved for orders."""
    if delta == 0:
        raise InvalidQuantity(_("调整数量不能为零。"), field="delta")
    with transaction.atomic():
        store = access_store(user=actor, store_id=store_id, roles=STOCK_ROLES)
        _purge_stock_pages(store, [sku_id])
        if delta > 0:
            _ensure_rows(store, [sku_id])
        changed = Stock.objects.filter(
            store=store, sku_id=sku_id, on_hand__gte=F("reserved") - delta
        ).update(on_hand=F("on_hand") + delta, updated_at=timezone.now())
        if not changed:
            raise InsufficientStock(_("库存不足：调整后的数量不能少于零或已预留的数量。"))
        _journal(
            store=store,
            deltas={sku_id: delta},
            kind=StockMovement.Kind.ADJUSTMENT,
            actor=actor,
            reference=reference,
            note=note,
        )
        return Stock.objects.get(store=store, sku_id=sku_id)
