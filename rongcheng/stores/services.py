"""Writes to stores and their staff; operations create stores (ROLE-4, ROLE-5)."""

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.regions.models import Region
from rongcheng.search.services import store_index_update_later
from rongcheng.seo.purge import purge_store
from rongcheng.stores.errors import StoreInvalid
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


def store_save(*, store: Store) -> Store:
    """Create or change a store after checking its city and warehouse."""
    with transaction.atomic():
        store_validate(store=store)
        store.save()
        purge_store(store_id=store.pk)
        store_index_update_later(store_ids=[store.pk])
    return store


def store_membership_set(
    *, store: Store, user: User, role: str, is_active: bool = True
) -> StoreMembership:
    """Put a user on a store's staff in a role (or change the role)."""
    if role not in StoreMembership.Role.values:
        raise StoreInvalid(_("未知的门店角色。"), field="role")
    with transaction.atomic():
        membership, _created = StoreMembership.objects.update_or_create(
            store=store, user=user, defaults={"role": role, "is_active": is_active}
        )
    return membership
