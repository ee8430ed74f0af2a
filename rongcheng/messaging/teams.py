"""Who answers a conversation: a store's manager and clerks (through stores/access.py), or
the platform's agents (the `messaging.answer_platform_chat` permission)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rongcheng.accounts.models import GroupParent, User
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


def _holders_of_platform_permission() -> QuerySet[User]:
    """Users granted PLATFORM_AGENT themselves or through a role group, which inherits the
    permissions of its ancestors (accounts.GroupParent)."""
    app_label, codename = PLATFORM_AGENT.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is None:
        return User.objects.none()
    holding = set(permission.group_set.values_list("pk", flat=True))
    parent_of = dict(GroupParent.objects.values_list("group_id", "parent_id"))

    def inherits(group_id: int) -> bool:
        seen: set[int] = set()
        while group_id not in seen:
            if group_id in holding:
                return True
            seen.add(group_id)
            if group_id not in parent_of:
                return False
            group_id = parent_of[group_id]
        return False

    groups = [pk for pk in Group.objects.values_list("pk", flat=True) if inherits(pk)]
    granted = Q(user_permissions=permission) | Q(groups__in=groups)
    return User.objects.filter(pk__in=User.objects.filter(granted).values("pk"))


def team_agents(*, store_id: int | None) -> QuerySet[User]:
    """Everyone who may answer for the team, by name."""
    if store_id is None:
        agents = _holders_of_platform_permission()
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
