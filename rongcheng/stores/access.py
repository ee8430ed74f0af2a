"""Load a store on behalf of a user, checking that the user may act for it (tenancy).

This is the one check: seller-center pages, services and the API load a store through
`access_store` and nothing else. Store staff act only for the active stores they belong to;
operators holding the `stores.act_for_any_store` permission may act for every active store
(ROLE-3 helps stores). A closed store (`is_active` false) takes no changes from anyone.
"""

from collections.abc import Collection

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.stores.errors import StoreAccessDenied, StoreClosed, StoreNotFound
from rongcheng.stores.models import Store, StoreMembership

ACT_FOR_ANY_STORE = "stores.act_for_any_store"


def access_store(
    *,
    user: User,
    store_id: int,
    roles: Collection[str] | None = None,
) -> Store:
    """The store, if it is open and `user` is active staff of it in one of `roles` (any role
    when None)."""
    store = Store.objects.filter(id=store_id).first()
    if store is None:
        raise StoreNotFound(_("没有这个门店。"))
    if not user.is_active:
        raise StoreAccessDenied(_("您没有此门店的操作权限。"))
    if not user.has_perm(ACT_FOR_ANY_STORE):
        memberships = StoreMembership.objects.filter(store=store, user=user, is_active=True)
        if roles is not None:
            memberships = memberships.filter(role__in=list(roles))
        if not memberships.exists():
            raise StoreAccessDenied(_("您没有此门店的操作权限。"))
    if not store.is_active:
        raise StoreClosed(_("门店已停业，不能再办理业务。"))
    return store
