"""Reading a member's favorites: folders with their counts, and a folder's items with the
price now, the drop since they were kept, and whether the product is sold out."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from rongcheng.accounts.models import User
from rongcheng.catalog.calculations import Price, card_price
from rongcheng.catalog.models import ProductImage
from rongcheng.catalog.selectors.cards import special_in_force
from rongcheng.core.media_urls import media_url
from rongcheng.favorites.models import Favorite, FavoriteFolder
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.stores.models import Store

PER_PAGE = 20


@dataclass(frozen=True)
class FolderRow:
    id: int
    name: str
    is_default: bool
    count: int


@dataclass(frozen=True)
class FavoriteRow:
    id: int
    folder_id: int
    created_at: datetime
    product_id: int | None
    store: Store | None
    name: str
    thumbnail_url: str
    price: Price | None
    saved_price: Decimal | None
    sold_out: bool

    @property
    def price_drop(self) -> Decimal:
        """How much cheaper the product is now than when it was kept (0: not cheaper)."""
        if self.price is None or self.saved_price is None:
            return Decimal("0.00")
        return max(self.saved_price - self.price.amount, Decimal("0.00"))


def member_folders(*, owner: User) -> list[FolderRow]:
    rows = FavoriteFolder.objects.filter(owner=owner).annotate(count=Count("items"))
    return [FolderRow(f.id, f.name, f.is_default, f.count) for f in rows]


def _with_product_state(items, now: datetime):
    product = OuterRef("product_id")
    thumbnail = (
        ProductImage.objects.filter(product=product).order_by("position", "id").values("thumbnail")
    )[:1]
    units = (
        Stock.objects.filter(sku__product=product, sku__is_active=True, store__is_active=True)
        .values("sku__product")
        .annotate(units=Sum(F("on_hand") - F("reserved")))
        .values("units")
    )
    special = special_in_force(now).filter(product=product).order_by("special_price")
    return items.annotate(
        thumbnail_name=Subquery(thumbnail),
        special_min=Subquery(special.values("special_price")[:1]),
        units=Coalesce(Subquery(units, output_field=IntegerField()), 0),
        listed=Exists(
            StoreListing.objects.filter(product=product, is_listed=True, store__is_active=True)
        ),
    )


def _row(item: Favorite) -> FavoriteRow:
    product = item.product
    if product is None:
        store = item.store
        assert store is not None
        return FavoriteRow(
            item.id, item.folder_id, item.created_at, None, store, store.name, "", None, None, False
        )
    state = item.__dict__
    return FavoriteRow(
        id=item.id,
        folder_id=item.folder_id,
        created_at=item.created_at,
        product_id=product.id,
        store=None,
        name=product.name,
        thumbnail_url=media_url(state["thumbnail_name"]),
        price=card_price(product.price, state["special_min"]),
        saved_price=item.saved_price,
        sold_out=not (product.is_active and state["listed"] and state["units"] > 0),
    )


def member_favorites(
    *, owner: User, folder_id: int | None = None, page: int | str = 1, now: datetime | None = None
) -> Page:
    """One page of the owner's favorites (all folders, or one), newest first: two queries."""
    items = Favorite.objects.filter(owner=owner).select_related("product", "store__city")
    if folder_id is not None:
        items = items.filter(folder_id=folder_id)
    items = _with_product_state(items, now or timezone.now()).order_by("-created_at", "-id")
    result = Paginator(items, PER_PAGE).get_page(page)
    result.object_list = [_row(item) for item in result.object_list]
    return result


def member_favorite(*, owner: User, favorite_id: int, now: datetime | None = None) -> FavoriteRow:
    items = Favorite.objects.filter(owner=owner, id=favorite_id).select_related(
        "product", "store__city"
    )
    return _row(_with_product_state(items, now or timezone.now()).get())


# A page shows at most a few dozen cards; more ids than this in one question are not a page's.
MARKS_MAX = 120


def favorite_marks(*, owner: User, product_ids: list[int]) -> dict[int, int]:
    """Which of a page's products the owner keeps: product id → favorite id (one query)."""
    if not product_ids:
        return {}
    rows = Favorite.objects.filter(owner=owner, product_id__in=product_ids[:MARKS_MAX])
    return dict(rows.values_list("product_id", "id"))
