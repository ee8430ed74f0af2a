"""Writes to stores and their staff; operations create stores (ROLE-4, ROLE-5)."""

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.regions.models import Region
from rongcheng.search.services import store_index_update_later
from rongcheng.seo.purge import purge_stock, purge_store
from rongcheng.stores.errors import StoreInUse, StoreInvalid
from rongcheng.stores.models import Store, StoreMembership


def store_validate(*, store: Store) -> None:
    """A store lies in a city; only franchise (a) stores use a platform warehouse."""
    city = Region.objects.filter(code=store.city_id).first()
    if city is None or city.level != Region.Level.CITY:
        raise StoreInvalid(_("门店所在城市必须是地级市。"), field="city")
    if store.kind == Store.Kind.FRANCHISE_A:
        is_fulfillment = store.warehouse_id is not None and (
            Store.objects.filter(id=store.warehouse_id, kind=Store.Kind.FULFILLMENT).exists()
        )
        if not is_fulfillment:
            raise StoreInvalid(
                _("平台仓储质检的加盟店必须指定一个发货中心作为平台仓。"), field="warehouse"
            )
    elif store.warehouse_id is not None:
        raise StoreInvalid(_("只有平台仓储质检的加盟店使用平台仓。"), field="warehouse")


# What decides whether a store's stock counts on the product pages of its city.
STOCK_SHOWN_BY = ("is_active", "kind", "city_id")


def store_save(*, store: Store) -> Store:
    """Create or change a store after checking its city and warehouse."""
    with transaction.atomic():
        store_validate(store=store)
        before = Store.objects.filter(pk=store.pk).values_list(*STOCK_SHOWN_BY).first()
        store.save()
        purge_store(store_id=store.pk)
        if before is not None and before != tuple(getattr(store, f) for f in STOCK_SHOWN_BY):
            # Opened, closed or moved: the stock it lists counts elsewhere, or no longer.
            listed = store.listings.filter(is_listed=True)
            purge_stock(product_ids=listed.values_list("product_id", flat=True))
        store_index_update_later(store_ids=[store.pk])
    return store


def store_delete(*, store: Store) -> None:
    """Delete a store entered by mistake. A store with staff, goods, stock or consigned
    stores has a history others refer to: it is closed (not active) instead, never deleted."""
    with transaction.atomic():
        in_use = (
            store.memberships.exists()
            or store.listings.exists()
            or store.stock.exists()
            or store.consigned_stores.exists()
        )
        if in_use:
            raise StoreInUse(
                _("门店已有员工、上架商品或库存记录，不能删除；如已停业，请取消勾选“营业中”。")
            )
        store_id = store.pk
        store.delete()
        purge_store(store_id=store_id)
        store_index_update_later(store_ids=[store_id])


def store_membership_set(
    *, store: Store, user: User, role: str, is_active: bool = True
) -> StoreMembership:
    """Put a user on a store's staff in a role (or change the role)."""
    _role_check(role)
    with transaction.atomic():
        membership, _created = StoreMembership.objects.update_or_create(
            store=store, user=user, defaults={"role": role, "is_active": is_active}
        )
    return membership


def store_membership_save(*, membership: StoreMembership) -> StoreMembership:
    """Save a membership as edited in the back office (new, or a changed role or state)."""
    _role_check(membership.role)
    with transaction.atomic():
        membership.save()
    return membership


def store_membership_delete(*, membership: StoreMembership) -> None:
    """Remove a membership entered by mistake; the user's past acts keep their name."""
    with transaction.atomic():
        membership.delete()


def _role_check(role: str) -> None:
    if role not in StoreMembership.Role.values:
        raise StoreInvalid(_("未知的门店角色。"), field="role")
