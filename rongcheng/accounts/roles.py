"""Role groups (ADM-11): the seeded roles, their inheritance, and granting them.

A role is a Django ``Group``. A group may inherit from one parent group (``GroupParent``) and
then holds every permission of its ancestors, at any depth (see ``backends.py``). The seeded
roles are referred to by these constants; their names are the stable keys, so the back office
keeps them from being renamed or deleted.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.backends import ancestor_group_ids
from rongcheng.accounts.models import GroupParent, User
from rongcheng.core.errors import ApplicationError, NotFound

PLATFORM_ADMIN = "平台管理员"
OPERATIONS = "运营"
CS_SUPERVISOR = "客服班长"
CS_AGENT = "客服坐席"
STORE_MANAGER = "门店店长"
STORE_CLERK = "门店店员"
FULFILLMENT_OPERATOR = "发货中心操作员"

SEEDED = (
    PLATFORM_ADMIN,
    OPERATIONS,
    CS_SUPERVISOR,
    CS_AGENT,
    STORE_MANAGER,
    STORE_CLERK,
    FULFILLMENT_OPERATOR,
)

# Managing roles (editing groups, granting them) is what lets a user change other staff.
MANAGE_ROLES_PERMISSION = "auth.change_group"


class RoleCycle(ApplicationError):
    code = "role_cycle"


class RoleUnknown(NotFound):
    code = "role_unknown"


# --- Selectors -------------------------------------------------------------------------------


def group_ancestors(*, group: Group) -> list[Group]:
    """The group's parent, grandparent … nearest first (one query for the links)."""
    parent_of = dict(GroupParent.objects.values_list("group_id", "parent_id"))
    chain: list[int] = []
    current = parent_of.get(group.pk)
    while current is not None and current not in chain and current != group.pk:
        chain.append(current)
        current = parent_of.get(current)
    by_id = Group.objects.in_bulk(chain)
    return [by_id[pk] for pk in chain]


def group_children(*, group: Group) -> list[Group]:
    return list(Group.objects.filter(inheritance__parent=group).order_by("name"))


def group_parent(*, group: Group) -> Group | None:
    link = GroupParent.objects.filter(group=group).select_related("parent").first()
    return link.parent if link else None


def group_inherited_permissions(*, group: Group) -> list[tuple[Group, list[Permission]]]:
    """Each ancestor with the permissions it passes down, nearest ancestor first."""
    ancestors = group_ancestors(group=group)
    if not ancestors:
        return []
    by_group: dict[int, list[Permission]] = {g.pk: [] for g in ancestors}
    through = Group.permissions.through.objects.filter(group__in=ancestors).select_related(
        "permission__content_type"
    )
    for row in through.order_by("permission__content_type__app_label", "permission__codename"):
        by_group[row.group_id].append(row.permission)
    return [(g, by_group[g.pk]) for g in ancestors]


def group_would_cycle(*, group: Group, parent: Group) -> bool:
    """Whether making ``parent`` the parent of ``group`` would make ``group`` its own ancestor."""
    return parent.pk == group.pk or group.pk in ancestor_group_ids({parent.pk})


def user_roles(*, user: User) -> list[Group]:
    """The roles granted to the user, by name; uses ``prefetch_related("groups")`` if done."""
    return sorted(user.groups.all(), key=lambda g: g.name)


def user_can_manage_roles(*, user: User) -> bool:
    return user.has_perm(MANAGE_ROLES_PERMISSION)


def user_is_staff_account(*, user: User) -> bool:
    """Back-office staff, superusers and store staff (any store membership, even a lapsed one):
    their rights go beyond a member's, so only role managers may change them (their password
    above all)."""
    return user.is_staff or user.is_superuser or user.store_memberships.exists()


# --- Services --------------------------------------------------------------------------------


def user_grant_role(*, user: User, role: str) -> User:
    """Give the user a role; every role is a staff role, so the back office opens to them."""
    with transaction.atomic():
        group = Group.objects.filter(name=role).first()
        if group is None:
            raise RoleUnknown(_("角色“%(role)s”不存在。") % {"role": role})
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user


def group_set_parent(*, group: Group, parent: Group | None) -> Group:
    """Make ``group`` inherit from ``parent`` (or from nothing); a cycle is refused."""
    with transaction.atomic():
        # Serialise inheritance changes: two edits that are each acyclic may close a cycle
        # together. NO KEY UPDATE leaves granting groups to users unblocked.
        list(Group.objects.select_for_update(no_key=True).order_by("pk").values_list("pk"))
        if parent is None:
            GroupParent.objects.filter(group=group).delete()
            return group
        if group_would_cycle(group=group, parent=parent):
            raise RoleCycle(
                _("“%(group)s”不能继承自“%(parent)s”：那是它自己或它的下级角色组，会形成循环继承。")
                % {"parent": parent.name, "group": group.name},
                field="parent",
            )
        GroupParent.objects.update_or_create(group=group, defaults={"parent": parent})
        return group


# --- Seeding ---------------------------------------------------------------------------------

# Child ← parent: the child holds every permission of the parent.
#   平台管理员 ← 运营 ← 客服班长 ← 客服坐席;  门店店长 ← 门店店员;  发货中心操作员
BASELINE_PARENTS = {
    PLATFORM_ADMIN: OPERATIONS,
    OPERATIONS: CS_SUPERVISOR,
    CS_SUPERVISOR: CS_AGENT,
    STORE_MANAGER: STORE_CLERK,
}

# The permissions ("app_label.codename") each seeded role always holds. Apps add theirs with
# register_baseline_grants() from their AppConfig.ready(); operators may grant more.
BASELINE_GRANTS: dict[str, set[str]] = {role: set() for role in SEEDED}


def register_baseline_grants(role: str, permissions: list[str]) -> None:
    BASELINE_GRANTS[role].update(permissions)


def model_permissions(
    app_label: str,
    models: list[str],
    actions: tuple[str, ...] = ("view", "add", "change", "delete"),
) -> list[str]:
    """["catalog.view_product", "catalog.add_product", …] for each model and action."""
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


register_baseline_grants(
    CS_AGENT,
    [
        "accounts.view_user",
        "accounts.view_address",
        "accounts.view_consentrecord",
        "notifications.view_sandboxsms",
        "regions.view_region",
    ],
)
register_baseline_grants(CS_SUPERVISOR, ["accounts.change_user"])
register_baseline_grants(
    OPERATIONS, ["regions.add_region", "regions.change_region", "auth.view_group"]
)
register_baseline_grants(
    PLATFORM_ADMIN,
    ["accounts.add_user", "auth.add_group", "auth.change_group", "auth.delete_group"],
)
register_baseline_grants(STORE_CLERK, ["regions.view_region"])
register_baseline_grants(FULFILLMENT_OPERATOR, ["regions.view_region"])


def roles_seed(*, using: str = "default") -> None:
    """Create the seeded roles, their inheritance and baseline permissions when missing.

    Runs after every migrate and every flush (post_migrate, as Django does for permissions),
    so the roles exist in every database, test databases included. Idempotent.
    """
    groups = {name: Group.objects.using(using).get_or_create(name=name)[0] for name in SEEDED}
    for child, parent in BASELINE_PARENTS.items():
        GroupParent.objects.using(using).get_or_create(
            group=groups[child], defaults={"parent": groups[parent]}
        )
    wanted = {perm for perms in BASELINE_GRANTS.values() for perm in perms}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    through = Group.permissions.through
    through.objects.using(using).bulk_create(
        [
            through(group_id=groups[role].pk, permission_id=by_name[perm])
            for role, perms in BASELINE_GRANTS.items()
            for perm in perms
        ],
        ignore_conflicts=True,
    )
