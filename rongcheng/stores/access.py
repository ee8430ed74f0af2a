"""Load a store on behalf of a user, checking that the user may act for it (tenancy).

Store staff act only for the stores they belong to; operators holding the
`stores.act_for_any_store` permission may act for every store (ROLE-3 helps stores).
"""

from collections.abc import Collection

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.stores.errors import StoreAccessDenied, StoreNotFound
from rongcheng.stores.models import Store, StoreMembership

ACT_FOR_ANY_STORE = "stores.act_for_any_store"


def access_store(
    *,
    user: User,
    store_id: int,
    roles: Collection[str] | None = None,
) -> Store:
    """The store, if `user` is active staff of it in one of `roles` (any role when None)."""
    store = Store.objects.filter(id=store_id).first()
    if store is None:
        raise StoreNotFound(_("没有这个门店。"))
    if user.is_active and user.has_perm(ACT_FOR_ANY_STORE):
        return store
    memberships = StoreMembership.objects.filter(store=store, user=user, is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    if not user.is_active or not memberships.exists():
        raise StoreAccessDenied(_("您没有此门店的操作权限。"))
    return store


def store_ids_for_user(*, user: User) -> list[int]:
    """The stores a staff member works for (their seller-center scope)."""
    return list(
        StoreMembership.objects.filter(user=user, is_active=True, store__is_active=True)
        .order_by("store_id")
        .values_list("store_id", flat=True)
    )
