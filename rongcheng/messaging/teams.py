"""Who answers a conversation: a store's manager and clerks (through stores/access.py), or
the platform's agents (the `messaging.answer_platform_chat` permission)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.messaging.errors import NotAnAgent
from rongcheng.stores.access import access_store
from rongcheng.stores.errors import StoreAccessDenied, StoreClosed, StoreNotFound
from rongcheng.stores.models import StoreMembership

PLATFORM_AGENT = "messaging.answer_platform_chat"
CHAT_ROLES = (StoreMembership.Role.MANAGER, StoreMembership.Role.CLERK)


def require_agent(*, user: User, store_id: int | None) -> None:
    """Refuses a user who may not answer for the team (a store, or the platform when None)."""
    if store_id is None:
        if not (user.is_active and user.has_perm(PLATFORM_AGENT)):
            raise NotAnAgent(_("您不是平台客服。"))
        return
    try:
        access_store(user=user, store_id=store_id, roles=CHAT_ROLES)
    except (StoreAccessDenied, StoreClosed, StoreNotFound) as refusal:
        raise NotAnAgent(_("您不是此门店的客服。")) from refusal


def is_agent(*, user: User, store_id: int | None) -> bool:
    try:
        require_agent(user=user, store_id=store_id)
    except NotAnAgent:
        return False
    return True


def team_agents(*, store_id: int | None) -> QuerySet[User]:
    """Everyone who may answer for the team, by name."""
    if store_id is None:
        agents = User.objects.with_perm(PLATFORM_AGENT, include_superusers=False)
    else:
        agents = User.objects.filter(
            store_memberships__store_id=store_id,
            store_memberships__store__is_active=True,
            store_memberships__is_active=True,
            store_memberships__role__in=CHAT_ROLES,
        )
    return agents.filter(is_active=True).order_by("id")


def of_team(store_id: int | None) -> Q:
    """Rows of a team: a store's, or the platform's (no store)."""
    return Q(store__isnull=True) if store_id is None else Q(store_id=store_id)
