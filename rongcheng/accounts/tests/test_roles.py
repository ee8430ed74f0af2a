import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from rongcheng.accounts import roles
from rongcheng.accounts.models import GroupParent
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def role(name: str) -> Group:
    return Group.objects.get(name=name)


def links() -> set[tuple[str, str]]:
    return set(GroupParent.objects.values_list("group__name", "parent__name"))


SEEDED_LINKS = {
    (roles.PLATFORM_ADMIN, roles.OPERATIONS),
    (roles.OPERATIONS, roles.CS_SUPERVISOR),
    (roles.CS_SUPERVISOR, roles.CS_AGENT),
    (roles.STORE_MANAGER, roles.STORE_CLERK),
}


def test_seeded_roles_and_their_inheritance():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.SEEDED)
    assert links() == SEEDED_LINKS


CALL_RECORD_MODELS = ["call", "callleg", "agentevent", "recording"]
CATALOG_MODELS = [
    "product",
    "sku",
    "productimage",
    "productparameter",
    "productattributevalue",
    "category",
    "brand",
    "brandfeature",
    "audience",
    "producttype",
    "attribute",
    "attributeoption",
]
CMS_MODELS = [
    "displaytemplate",
    "adslot",
    "ad",
    "homearea",
    "homeareaproduct",
    "homevideo",
    "promotionnotice",
]
INVENTORY_MODELS = ["storelisting", "stock", "stockmovement"]
PAYMENT_MODELS = ["payment", "paymentevent", "refund", "gatewaynotification"]
ORDER_MODELS = ["order", "orderline", "orderevent", "cancellationrequest"]
FEE_MODELS = ["shippingfeetemplate", "shippingfeerule"]
LEDGER_MODELS = ["account", "journal", "entry", "withdrawal", "reconciliation"]


@pytest.mark.parametrize(
    ("name", "own"),
    [
        (
            roles.CS_AGENT,
            {
                "accounts.view_user",
                "accounts.view_address",
                "accounts.view_consentrecord",
                "notifications.view_sandboxsms",
                "regions.view_region",
                "catalog.view_product",
                "catalog.view_sku",
                "stores.view_store",
                "questions.view_question",
                "questions.answer_question",
                "restock.view_registration",
                "restock.change_registration",
                "board.view_post",
                "board.change_post",
                "messaging.answer_platform_chat",
            },
        ),
        (
            roles.CS_SUPERVISOR,
            {"accounts.change_user", "callcenter.supervise_calls", "notifications.view_smsdelivery"}
            | set(roles.model_permissions("callcenter", CALL_RECORD_MODELS, ("view",)))
            | set(roles.model_permissions("notifications", ["smscampaign", "customergroup"])),
        ),
        (
            roles.OPERATIONS,
            {"regions.add_region", "regions.change_region", "auth.view_group"}
            | set(roles.model_permissions("catalog", CATALOG_MODELS))
            | set(roles.model_permissions("stores", ["store", "storemembership"]))
            | set(roles.model_permissions("cms", CMS_MODELS))
            | set(roles.model_permissions("helpcenter", ["column", "article", "articleimage"]))
            | set(roles.model_permissions("inventory", INVENTORY_MODELS, ("view",)))
            | set(roles.model_permissions("payments", PAYMENT_MODELS, ("view",)))
            | set(roles.model_permissions("orders", ORDER_MODELS, ("view",)))
            | set(roles.model_permissions("checkout", ["checkout"], ("view",)))
            | set(roles.model_permissions("fulfillment", FEE_MODELS, ("view", "add", "change")))
            | set(roles.model_permissions("ledger", LEDGER_MODELS, ("view",)))
            | {"ledger.review_withdrawal"},
        ),
        (
            roles.PLATFORM_ADMIN,
            {"accounts.add_user", "auth.add_group", "auth.change_group", "auth.delete_group"},
        ),
        (roles.STORE_MANAGER, set()),
        (roles.STORE_CLERK, {"regions.view_region"}),
        (roles.FULFILLMENT_OPERATOR, {"regions.view_region"}),
    ],
)
def test_each_role_holds_its_own_permissions(name, own):
    granted = role(name).permissions.values_list("content_type__app_label", "codename")
    assert {f"{app}.{codename}" for app, codename in granted} == own


def test_platform_admin_inherits_three_roles_deep():
    admin = staff_with_role(roles.PLATFORM_ADMIN)
    assert admin.has_perm("auth.change_group")  # its own
    assert admin.has_perm("regions.change_region")  # from 运营
    assert admin.has_perm("accounts.change_user")  # from 客服班长
    assert admin.has_perm("notifications.view_sandboxsms")  # from 客服坐席, three up
    assert not admin.has_perm("accounts.delete_user")


def test_inheritance_runs_from_parent_to_child_only():
    agent = staff_with_role(roles.CS_AGENT)
    supervisor = staff_with_role(roles.CS_SUPERVISOR)
    manager = staff_with_role(roles.STORE_MANAGER)
    clerk = staff_with_role(roles.STORE_CLERK)
    assert supervisor.has_perm("accounts.view_user") and supervisor.has_perm("accounts.change_user")
    assert agent.has_perm("accounts.view_user") and not agent.has_perm("accounts.change_user")
    assert manager.has_perm("regions.view_region")
    assert not clerk.has_perm("accounts.view_user") and not manager.has_perm("accounts.view_user")


def test_grant_role_makes_a_staff_user():
    user = UserFactory()
    assert not user.is_staff
    roles.user_grant_role(user=user, role=roles.STORE_CLERK)
    roles.user_grant_role(user=user, role=roles.STORE_CLERK)  # granting twice changes nothing
    user.refresh_from_db()
    assert user.is_staff
    assert [g.name for g in roles.user_roles(user=user)] == [roles.STORE_CLERK]


def test_unknown_role_is_refused_and_nothing_changes():
    user = UserFactory()
    with pytest.raises(roles.RoleUnknown):
        roles.user_grant_role(user=user, role="店小二")
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


def test_user_roles_lists_granted_roles_by_name():
    user = staff_with_role(roles.STORE_CLERK)
    roles.user_grant_role(user=user, role=roles.CS_AGENT)
    assert [g.name for g in roles.user_roles(user=user)] == sorted(
        [roles.STORE_CLERK, roles.CS_AGENT]
    )


def test_ancestors_nearest_first_and_children():
    assert [g.name for g in roles.group_ancestors(group=role(roles.PLATFORM_ADMIN))] == [
        roles.OPERATIONS,
        roles.CS_SUPERVISOR,
        roles.CS_AGENT,
    ]
    assert roles.group_ancestors(group=role(roles.FULFILLMENT_OPERATOR)) == []
    assert [g.name for g in roles.group_children(group=role(roles.CS_AGENT))] == [
        roles.CS_SUPERVISOR
    ]
    assert roles.group_parent(group=role(roles.STORE_MANAGER)) == role(roles.STORE_CLERK)


def test_inherited_permissions_name_the_ancestor_they_come_from():
    inherited = roles.group_inherited_permissions(group=role(roles.OPERATIONS))
    assert [(g.name, sorted(p.codename for p in perms)) for g, perms in inherited] == [
        (
            roles.CS_SUPERVISOR,
            sorted(
                ["change_user", "supervise_calls", "view_smsdelivery"]
                + [f"view_{model}" for model in CALL_RECORD_MODELS]
                + [
                    perm.split(".")[1]
                    for perm in roles.model_permissions(
                        "notifications", ["smscampaign", "customergroup"]
                    )
                ]
            ),
        ),
        (
            roles.CS_AGENT,
            [
                "answer_platform_chat",
                "answer_question",
                "change_post",
                "change_registration",
                "view_address",
                "view_consentrecord",
                "view_post",
                "view_product",
                "view_question",
                "view_region",
                "view_registration",
                "view_sandboxsms",
                "view_sku",
                "view_store",
                "view_user",
            ],
        ),
    ]


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (roles.CS_AGENT, roles.PLATFORM_ADMIN),  # 平台管理员 descends from 客服坐席
        (roles.CS_SUPERVISOR, roles.OPERATIONS),
        (roles.STORE_CLERK, roles.STORE_MANAGER),
        (roles.OPERATIONS, roles.OPERATIONS),  # its own parent
    ],
)
def test_a_cycle_is_refused_and_nothing_changes(child, parent):
    with pytest.raises(roles.RoleCycle):
        roles.group_set_parent(group=role(child), parent=role(parent))
    assert links() == SEEDED_LINKS


def test_setting_and_removing_a_parent():
    fulfillment = role(roles.FULFILLMENT_OPERATOR)
    roles.group_set_parent(group=fulfillment, parent=role(roles.STORE_CLERK))
    roles.group_set_parent(group=role(roles.STORE_MANAGER), parent=None)
    assert links() == (SEEDED_LINKS - {(roles.STORE_MANAGER, roles.STORE_CLERK)}) | {
        (roles.FULFILLMENT_OPERATOR, roles.STORE_CLERK)
    }
    # a new parent replaces the old one
    roles.group_set_parent(group=fulfillment, parent=role(roles.CS_AGENT))
    assert roles.group_parent(group=fulfillment) == role(roles.CS_AGENT)
    assert staff_with_role(roles.FULFILLMENT_OPERATOR).has_perm("accounts.view_user")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_cannot_close_a_cycle_together():
    """Each edit alone is acyclic (甲 ← 乙, 乙 ← 甲); together they would form a loop."""
    first, second = Group.objects.create(name="甲"), Group.objects.create(name="乙")
    barrier = threading.Barrier(2)
    refused = []

    def set_parent(group, parent):
        try:
            barrier.wait()
            roles.group_set_parent(group=group, parent=parent)
        except roles.RoleCycle as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=set_parent, args=(first, second)),
        threading.Thread(target=set_parent, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 1
    assert GroupParent.objects.filter(group__in=[first, second]).count() == 1


@pytest.mark.django_db
def test_operations_manage_the_catalogue_and_store_roles_get_no_back_office_data():
    from rongcheng.core.testing.factories import UserFactory

    ops, clerk = UserFactory(is_staff=True), UserFactory(is_staff=True)
    roles.user_grant_role(user=ops, role=roles.OPERATIONS)
    roles.user_grant_role(user=clerk, role=roles.STORE_CLERK)
    for perm in (
        "catalog.change_product",
        "stores.add_store",
        "cms.change_homearea",
        "inventory.view_stock",
        "accounts.view_user",
    ):
        assert ops.has_perm(perm), perm
    assert not ops.has_perm("inventory.change_stock")
    assert not any(
        clerk.has_perm(perm)
        for perm in ("catalog.view_product", "stores.view_store", "inventory.view_stock")
    )
