"""Reading the bag: each line with the price in force now and whether it can still be bought."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from rongcheng.accounts.models import User
from rongcheng.cart.models import BagLine
from rongcheng.catalog.calculations import Price, sku_price
from rongcheng.catalog.fetch import sku_pricing
from rongcheng.catalog.models import ProductImage, Sku
from rongcheng.core.media_urls import media_url
from rongcheng.inventory.models import StoreListing


@dataclass(frozen=True)
class BagEntry:
    """A line of a bag, in the database or in a visitor's session."""

    sku_id: int
    quantity: int
    selected: bool = True


class Problem:
    """Why a line cannot be bought now (empty: it can)."""

    NONE = ""
    INACTIVE = "inactive"  # the product or the SKU left the catalogue
    NOT_LISTED = "not_listed"  # no store sells it any more
    SOLD_OUT = "sold_out"  # no unit left anywhere
    SHORT = "short"  # fewer units left than the line asks for


@dataclass(frozen=True)
class SkuState:
    sku: Sku
    listed: bool
    units: int  # units that can still be sold, over all open stores

    def problem(self, quantity: int) -> str:
        if not (self.sku.is_active and self.sku.product.is_active):
            return Problem.INACTIVE
        if not self.listed:
            return Problem.NOT_LISTED
        if self.units <= 0:
            return Problem.SOLD_OUT
        if self.units < quantity:
            return Problem.SHORT
        return Problem.NONE


@dataclass(frozen=True)
class BagLineView:
    sku: Sku
    quantity: int
    selected: bool
    price: Price
    problem: str
    thumbnail_url: str

    @property
    def available(self) -> bool:
        return self.problem == Problem.NONE

    @property
    def total(self) -> Decimal:
        return self.price.amount * self.quantity


@dataclass(frozen=True)
class BagView:
    lines: list[BagLineView]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def selected_total(self) -> Decimal:
        return sum(
            (line.total for line in self.lines if line.selected and line.available),
            Decimal("0.00"),
        )


def sku_states(*, sku_ids: Sequence[int]) -> Mapping[int, SkuState]:
    """Per SKU: is it listed in an open store, and how many units can still be sold (one query)."""
    listed = StoreListing.objects.filter(
        product=OuterRef("product_id"), is_listed=True, store__is_active=True
    )
    thumbnail = (
        ProductImage.objects.filter(product=OuterRef("product_id"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )
    skus = (
        Sku.objects.filter(id__in=list(sku_ids))
        .select_related("product")
        .annotate(
            listed=Exists(listed),
            thumbnail_name=Subquery(thumbnail),
            units=Coalesce(
                Sum(
                    F("stock__on_hand") - F("stock__reserved"),
                    filter=Q(stock__store__is_active=True),
                ),
                0,
            ),
        )
    )
    return {sku.id: SkuState(sku, sku.listed, sku.units) for sku in skus}


def bag_view(*, entries: Sequence[BagEntry], now: datetime | None = None) -> BagView:
    """The lines of a bag with today's prices; SKUs deleted from the catalogue drop out."""
    now = now or timezone.now()
    states = sku_states(sku_ids=[entry.sku_id for entry in entries])
    lines = []
    for entry in entries:
        state = states.get(entry.sku_id)
        if state is None:
            continue
        lines.append(
            BagLineView(
                sku=state.sku,
                quantity=entry.quantity,
                selected=entry.selected,
                price=sku_price(sku_pricing(state.sku), now),
                problem=state.problem(entry.quantity),
                thumbnail_url=media_url(state.sku.thumbnail_name),  # type: ignore[attr-defined]
            )
        )
    return BagView(lines)


def member_bag_entries(*, user: User) -> list[BagEntry]:
    rows = BagLine.objects.filter(bag__user=user).values_list("sku_id", "quantity", "selected")
    return [BagEntry(sku_id, quantity, selected) for sku_id, quantity, selected in rows]


def member_bag(*, user: User, now: datetime | None = None) -> BagView:
    return bag_view(entries=member_bag_entries(user=user), now=now)


def bag_count(*, user: User) -> int:
    """Units in the member's bag, for the header (one query)."""
    total = BagLine.objects.filter(bag__user=user).aggregate(units=Sum("quantity"))["units"]
    return total or 0
