"""Favorites with folders (FAV-1): the default folder, the owner's folders, moving, and the
price drop and sold-out marks of the favorites list."""

from decimal import Decimal

import pytest

from rongcheng.catalog.services import product_price_refresh
from rongcheng.core.testing.factories import UserFactory
from rongcheng.favorites.errors import (
    FavoriteNotFound,
    FavoriteTargetUnavailable,
    FolderInvalid,
    FolderNotFound,
)
from rongcheng.favorites.models import Favorite, FavoriteFolder
from rongcheng.favorites.selectors import member_favorites, member_folders
from rongcheng.favorites.services import (
    FOLDERS_MAX,
    favorite_add,
    favorite_remove,
    favorites_move,
    folder_create,
    folder_delete,
    folder_rename,
)

pytestmark = pytest.mark.django_db


def test_a_new_favorite_lands_in_the_default_folder_once(mall):
    first = favorite_add(owner=mall.buyer, product_id=mall.product.id)
    again = favorite_add(owner=mall.buyer, product_id=mall.product.id)
    store = favorite_add(owner=mall.buyer, store_id=mall.store_a.id)

    assert again.pk == first.pk
    assert first.folder.is_default and first.folder.name == "默认收藏夹"
    assert store.folder_id == first.folder_id
    assert first.saved_price == Decimal("1280.00")
    assert store.saved_price is None
    assert Favorite.objects.filter(owner=mall.buyer).count() == 2
    assert [(f.name, f.count) for f in member_folders(owner=mall.buyer)] == [("默认收藏夹", 2)]


def test_refused_targets_write_nothing(mall):
    mall.product.is_active = False
    mall.product.save()
    for target in ({"product_id": mall.product.id}, {"store_id": 999999}, {}):
        with pytest.raises(FavoriteTargetUnavailable):
            favorite_add(owner=mall.buyer, **target)
    assert not Favorite.objects.exists()
    assert not FavoriteFolder.objects.exists()


def test_folders_are_created_renamed_and_deleted_by_their_owner(mall):
    kept = favorite_add(owner=mall.buyer, product_id=mall.product.id)
    winter = folder_create(owner=mall.buyer, name="  冬季  必买 ")
    assert winter.name == "冬季 必买"
    assert favorites_move(owner=mall.buyer, favorite_ids=[kept.id], folder_id=winter.id) == 1

    folder_rename(owner=mall.buyer, folder_id=winter.id, name="送礼")
    with pytest.raises(FolderInvalid):
        folder_create(owner=mall.buyer, name="送礼")
    with pytest.raises(FolderInvalid):
        folder_rename(owner=mall.buyer, folder_id=kept.folder_id, name="改名")
    with pytest.raises(FolderInvalid):
        folder_delete(owner=mall.buyer, folder_id=kept.folder_id)

    assert folder_delete(owner=mall.buyer, folder_id=winter.id) == 1
    kept.refresh_from_db()
    assert kept.folder.is_default
    assert list(FavoriteFolder.objects.filter(owner=mall.buyer).values_list("name", flat=True)) == [
        "默认收藏夹"
    ]


def test_no_more_than_the_folder_limit(mall):
    for n in range(FOLDERS_MAX - 1):
        folder_create(owner=mall.buyer, name=f"夹{n}")
    with pytest.raises(FolderInvalid):
        folder_create(owner=mall.buyer, name="再来一个")
    assert FavoriteFolder.objects.filter(owner=mall.buyer).count() == FOLDERS_MAX


def test_another_members_favorites_and_folders_are_out_of_reach(mall):
    other = UserFactory()
    theirs = favorite_add(owner=other, product_id=mall.product.id)
    their_folder = folder_create(owner=other, name="他的")
    mine = favorite_add(owner=mall.buyer, store_id=mall.store_a.id)
    my_folder = folder_create(owner=mall.buyer, name="我的")

    with pytest.raises(FavoriteNotFound):
        favorites_move(owner=mall.buyer, favorite_ids=[mine.id, theirs.id], folder_id=my_folder.id)
    with pytest.raises(FolderNotFound):
        favorites_move(owner=mall.buyer, favorite_ids=[mine.id], folder_id=their_folder.id)
    with pytest.raises(FolderNotFound):
        folder_rename(owner=mall.buyer, folder_id=their_folder.id, name="抢来的")
    with pytest.raises(FavoriteNotFound):
        favorite_remove(owner=mall.buyer, favorite_id=theirs.id)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    their_folder.refresh_from_db()
    assert mine.folder.is_default and theirs.folder.is_default
    assert their_folder.name == "他的"


def test_the_list_shows_the_price_drop_and_sold_out(mall):
    favorite_add(owner=mall.buyer, product_id=mall.product.id)
    (row,) = member_favorites(owner=mall.buyer).object_list
    assert row.sold_out  # listed in two stores, but no unit in stock
    assert row.price_drop == Decimal("0.00")

    mall.stock(mall.store_a, mall.sku_m, 3)
    mall.product.skus.update(price=Decimal("1080.00"))
    product_price_refresh(product_ids=[mall.product.id])

    (row,) = member_favorites(owner=mall.buyer).object_list
    assert not row.sold_out
    assert row.price.amount == Decimal("1080.00")
    assert row.price_drop == Decimal("200.00")


def test_the_list_costs_the_same_queries_for_one_and_many(mall, django_assert_num_queries):
    favorite_add(owner=mall.buyer, product_id=mall.product.id)
    favorite_add(owner=mall.buyer, store_id=mall.store_a.id)
    favorite_add(owner=mall.buyer, store_id=mall.store_b.id)
    with django_assert_num_queries(2):
        page = member_favorites(owner=mall.buyer)
        assert len(page.object_list) == 3
