"""Seed the platform's roles, how they inherit, and the permissions of what exists so far.

Child ← parent: the child holds every permission of the parent.
  平台管理员 ← 运营 ← 客服班长 ← 客服坐席
  门店店长 ← 门店店员
  发货中心操作员
Later apps give these roles their own permissions with ``roles.grant_in_migration``.
"""

from django.db import migrations

from rongcheng.accounts import roles

PARENTS = {
    roles.PLATFORM_ADMIN: roles.OPERATIONS,
    roles.OPERATIONS: roles.CS_SUPERVISOR,
    roles.CS_SUPERVISOR: roles.CS_AGENT,
    roles.STORE_MANAGER: roles.STORE_CLERK,
}

GRANTS = {
    roles.CS_AGENT: [
        "accounts.view_user",
        "accounts.view_address",
        "accounts.view_consentrecord",
        "notifications.view_sandboxsms",
        "regions.view_region",
    ],
    roles.CS_SUPERVISOR: ["accounts.change_user"],
    roles.OPERATIONS: ["regions.add_region", "regions.change_region", "auth.view_group"],
    roles.PLATFORM_ADMIN: [
        "accounts.add_user",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
    ],
    roles.STORE_CLERK: ["regions.view_region"],
    roles.FULFILLMENT_OPERATOR: ["regions.view_region"],
}


def seed_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    link_model = apps.get_model("accounts", "GroupParent")
    using = schema_editor.connection.alias
    groups = {
        name: group_model.objects.using(using).get_or_create(name=name)[0] for name in roles.SEEDED
    }
    for child, parent in PARENTS.items():
        link_model.objects.using(using).get_or_create(
            group=groups[child], defaults={"parent": groups[parent]}
        )
    roles.grant_in_migration(apps, GRANTS, using=using)


def unseed_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    group_model.objects.using(schema_editor.connection.alias).filter(
        name__in=roles.SEEDED
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_roles, unseed_roles)]
