"""The signed-in staff member's stores, and loading one of them for a seller-center page.

Tenancy: every page loads its store through stores.access.access_store with the roles the
inventory services require. A store the user does not work for answers 404, so that its
existence is not revealed; a user who works for no store at all gets 403.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from rongcheng.checkout.counter import CASH_ROLES
from rongcheng.inventory.services import LISTING_ROLES
from rongcheng.stores.access import ACT_FOR_ANY_STORE, access_store
from rongcheng.stores.errors import StoreAccessDenied, StoreNotFound
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.selectors import staff_memberships


def memberships(request: HttpRequest) -> list[StoreMembership]:
    """The user's active memberships, read once per request (the header asks too)."""
    cached = getattr(request, "_store_memberships", None)
    if cached is None:
        user = request.user
        cached = staff_memberships(user_id=user.pk) if user.is_authenticated else []
        request._store_memberships = cached  # type: ignore[attr-defined]
    return cached


@dataclass(frozen=True)
class Workplace:
    """The store a page acts for, and what the layout needs to know about the user there."""

    store: Store
    role_label: str
    may_list: bool
    may_take_cash: bool
    memberships: list[StoreMembership]


def require_staff(request: HttpRequest) -> list[StoreMembership]:
    mine = memberships(request)
    if not mine:
        raise PermissionDenied
    return mine


def load_store(
    request: HttpRequest, store_id: int, *, roles: Collection[str] | None = None
) -> Workplace:
    """The store for a page, checked by access_store alone.

    How a refusal is shown depends on the user's own stores: a store they do not work for
    answers 404 (its existence stays hidden), a role the page does not allow 403 with its
    reason, and a user who works for no store at all 403.
    """
    user = request.user
    mine = memberships(request)
    membership = next((m for m in mine if m.store_id == store_id), None)
    try:
        store = access_store(user=user, store_id=store_id, roles=roles)  # type: ignore[arg-type]
    except StoreNotFound:
        raise Http404 from None
    except StoreAccessDenied:
        if not mine:
            raise PermissionDenied from None
        if membership is None:
            raise Http404 from None
        raise
    operator = user.has_perm(ACT_FOR_ANY_STORE)
    return Workplace(
        store=store,
        role_label=membership.get_role_display() if membership else "",
        may_list=operator or (membership is not None and membership.role in LISTING_ROLES),
        may_take_cash=operator or (membership is not None and membership.role in CASH_ROLES),
        memberships=mine,
    )
