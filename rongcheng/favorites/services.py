"""A member's favorites (FAV-1): products and stores kept in folders. New favorites land in
the default folder; folders are created, renamed and deleted by their owner, and deleting
one moves its items back to the default folder."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.catalog.models import Product
from rongcheng.catalog.selectors.cards import cards
from rongcheng.favorites.errors import (
    FavoriteNotFound,
    FavoriteTargetUnavailable,
    FolderInvalid,
    FolderNotFound,
)
from rongcheng.favorites.models import Favorite, FavoriteFolder
from rongcheng.stores.models import Store

DEFAULT_FOLDER_NAME = "默认收藏夹"
FOLDERS_MAX = 20
NAME_MAX = 20


def folder_default(*, owner: User) -> FavoriteFolder:
    """The owner's default folder, made on first use (race-safe: one default per owner)."""
    folder = FavoriteFolder.objects.filter(owner=owner, is_default=True).first()
    if folder is not None:
        return folder
    try:
        with transaction.atomic():
            return FavoriteFolder.objects.create(
                owner=owner, name=DEFAULT_FOLDER_NAME, is_default=True
            )
    except IntegrityError:
        return FavoriteFolder.objects.get(owner=owner, is_default=True)


def _own_folder(owner: User, folder_id: int) -> FavoriteFolder:
    folder = FavoriteFolder.objects.filter(owner=owner, id=folder_id).first()
    if folder is None:
        raise FolderNotFound(_("没有这个收藏夹。"))
    return folder


def _clean_name(owner: User, name: str, *, exclude_id: int = 0) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise FolderInvalid(_("收藏夹名称须为 1–20 个字。"), field="name")
    taken = FavoriteFolder.objects.filter(owner=owner, name=name).exclude(id=exclude_id)
    if taken.exists():
        raise FolderInvalid(_("已有同名的收藏夹。"), field="name")
    return name


def folder_create(*, owner: User, name: str) -> FavoriteFolder:
    folder_default(owner=owner)
    with transaction.atomic():
        # Lock the owner's default folder so that two creations count folders one at a time.
        FavoriteFolder.objects.select_for_update().filter(owner=owner, is_default=True).first()
        name = _clean_name(owner, name)
        if FavoriteFolder.objects.filter(owner=owner).count() >= FOLDERS_MAX:
            raise FolderInvalid(_("收藏夹最多 %(n)s 个。") % {"n": FOLDERS_MAX})
        return FavoriteFolder.objects.create(owner=owner, name=name)


def folder_rename(*, owner: User, folder_id: int, name: str) -> FavoriteFolder:
    with transaction.atomic():
        folder = _own_folder(owner, folder_id)
        if folder.is_default:
            raise FolderInvalid(_("默认收藏夹不能改名。"))
        folder.name = _clean_name(owner, name, exclude_id=folder.id)
        folder.save(update_fields=["name", "updated_at"])
        return folder


def folder_delete(*, owner: User, folder_id: int) -> int:
    """Delete a folder of the owner's; its items move to the default folder. Returns how many
    items moved."""
    with transaction.atomic():
        folder = _own_folder(owner, folder_id)
        if folder.is_default:
            raise FolderInvalid(_("默认收藏夹不能删除。"))
        default = folder_default(owner=owner)
        moved = Favorite.objects.filter(folder=folder).update(folder=default)
        folder.delete()
        return moved


def favorite_add(
    *, owner: User, product_id: int | None = None, store_id: int | None = None
) -> Favorite:
    """Keep a product or a store in the default folder. Keeping it again changes nothing."""
    if (product_id is None) == (store_id is None):
        raise FavoriteTargetUnavailable(_("请选择要收藏的商品或门店。"))
    saved_price = None
    if product_id is not None:
        card = cards(Product.objects.filter(id=product_id, is_active=True), limit=1)
        if not card:
            raise FavoriteTargetUnavailable(_("该商品已下架，不能收藏。"))
        saved_price = card[0].price.amount
        target = {"product_id": product_id}
    else:
        assert store_id is not None
        if not Store.objects.filter(id=store_id, is_active=True).exists():
            raise FavoriteTargetUnavailable(_("没有这个门店。"))
        target = {"store_id": store_id}
    existing = Favorite.objects.filter(owner=owner, **target).first()
    if existing is not None:
        return existing
    folder = folder_default(owner=owner)
    try:
        with transaction.atomic():
            return Favorite.objects.create(
                owner=owner, folder=folder, saved_price=saved_price, **target
            )
    except IntegrityError:  # the same favorite added twice at once
        return Favorite.objects.get(owner=owner, **target)


def favorite_remove(*, owner: User, favorite_id: int) -> None:
    deleted, _rows = Favorite.objects.filter(owner=owner, id=favorite_id).delete()
    if not deleted:
        raise FavoriteNotFound(_("没有这条收藏。"))


def favorites_move(*, owner: User, favorite_ids: Iterable[int], folder_id: int) -> int:
    """Move the owner's favorites into one of their folders; returns how many moved. Ids that
    are not the owner's refuse the whole move."""
    ids = set(favorite_ids)
    with transaction.atomic():
        folder = _own_folder(owner, folder_id)
        items = Favorite.objects.filter(owner=owner, id__in=ids)
        if not ids or items.count() != len(ids):
            raise FavoriteNotFound(_("没有这条收藏。"))
        return items.update(folder=folder)
