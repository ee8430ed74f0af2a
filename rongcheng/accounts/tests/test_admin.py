"""The back office shows each role what its permissions allow, and no more."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from rongcheng.accounts import roles
from rongcheng.accounts.models import GroupParent, User
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.testing.factories import UserFactory
from rongcheng.regions.models import Region
from rongcheng.stores.services import store_membership_set
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "index",
    "users",
    "user",
    "user_add",
    "groups",
    "group_add",
    "regions",
    "region_add",
    "sms",
]
# Expected status of each page above, per role.
MATRIX = {
    roles.CS_AGENT: [200, 200, 200, 403, 403, 403, 200, 403, 200],
    roles.CS_SUPERVISOR: [200, 200, 200, 403, 403, 403, 200, 403, 200],
    roles.OPERATIONS: [200, 200, 200, 403, 200, 403, 200, 200, 200],
    roles.PLATFORM_ADMIN: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    roles.STORE_MANAGER: [200, 403, 403, 403, 403, 403, 200, 403, 403],
    roles.STORE_CLERK: [200, 403, 403, 403, 403, 403, 200, 403, 403],
    roles.FULFILLMENT_OPERATOR: [200, 403, 403, 403, 403, 403, 200, 403, 403],
}


def page_url(page: str, member: User) -> str:
    return {
        "index": reverse("admin:index"),
        "users": reverse("admin:accounts_user_changelist"),
        "user": reverse("admin:accounts_user_change", args=[member.pk]),
        "user_add": reverse("admin:accounts_user_add"),
        "groups": reverse("admin:auth_group_changelist"),
        "group_add": reverse("admin:auth_group_add"),
        "regions": reverse("admin:regions_region_changelist"),
        "region_add": reverse("admin:regions_region_add"),
        "sms": reverse("admin:notifications_sandboxsms_changelist"),
    }[page]


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "mobile": user.mobile or "",
        "email": user.email or "",
        "real_name": user.real_name,
        "landline": "",
        "postcode": "",
        "city": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_reaches_exactly_its_pages(client, member, role):
    client.force_login(staff_with_role(role))
    got = [client.get(page_url(page, member)).status_code for page in PAGES]
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, MATRIX[role], strict=True))


def test_a_member_is_sent_to_the_login_page(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_agent_views_members_but_cannot_change_them(client, member):
    client.force_login(staff_with_role(roles.CS_AGENT))
    page = client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert page.status_code == 200 and member.mobile in page.content.decode()
    response = client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        user_form(member, real_name="李四"),
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.real_name == "张三"


def test_supervisor_changes_a_member_but_not_roles_nor_staff(client, member):
    client.force_login(staff_with_role(roles.CS_SUPERVISOR))
    response = client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        user_form(
            member,
            real_name="李四",
            is_staff="on",
            is_superuser="on",
            groups=[Group.objects.get(name=roles.PLATFORM_ADMIN).pk],
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.real_name == "李四"
    assert not member.is_staff and not member.is_superuser and not member.groups.exists()

    colleague = staff_with_role(roles.CS_AGENT, real_name="王五")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for target in (colleague, superuser):
        change = reverse("admin:accounts_user_change", args=[target.pk])
        assert client.post(change, user_form(target, real_name="冒名")).status_code == 403
        password = reverse("admin:auth_user_password_change", args=[target.pk])
        assert client.get(password).status_code == 403
    colleague.refresh_from_db()
    superuser.refresh_from_db()
    assert colleague.real_name == "王五" and superuser.real_name == ""


@pytest.mark.parametrize("role", [roles.CS_SUPERVISOR, roles.OPERATIONS])
@pytest.mark.parametrize("membership_active", [True, False])
def test_store_staff_are_protected_like_staff(client, regions, role, membership_active):
    """A store clerk need not be back-office staff: a membership alone protects the account."""
    clerk = UserFactory(real_name="王店员")
    store = StoreFactory(city=regions["150600"])
    store_membership_set(store=store, user=clerk, role="clerk", is_active=membership_active)
    password_hash = User.objects.get(pk=clerk.pk).password
    client.force_login(staff_with_role(role))
    password = reverse("admin:auth_user_password_change", args=[clerk.pk])
    assert client.get(password).status_code == 403
    new = {"password1": "Taken#Over2026", "password2": "Taken#Over2026"}
    assert client.post(password, new).status_code == 403
    change = reverse("admin:accounts_user_change", args=[clerk.pk])
    assert client.post(change, user_form(clerk, real_name="冒名")).status_code == 403
    clerk.refresh_from_db()
    assert clerk.password == password_hash and clerk.real_name == "王店员"


def test_role_managers_set_the_password_of_store_staff(client, regions):
    clerk = UserFactory()
    store_membership_set(store=StoreFactory(city=regions["150600"]), user=clerk, role="clerk")
    client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
    password = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = client.post(password, {"password1": "New#Secret2026", "password2": "New#Secret2026"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("New#Secret2026")


def test_platform_admin_grants_roles_but_cannot_make_a_superuser(client, member):
    client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
    clerk = Group.objects.get(name=roles.STORE_CLERK)
    response = client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        user_form(member, is_staff="on", is_superuser="on", groups=[clerk.pk]),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff and not member.is_superuser
    assert list(member.groups.all()) == [clerk]


def test_operations_change_a_region(client, regions):
    client.force_login(staff_with_role(roles.OPERATIONS))
    dongsheng = regions["150602"]
    response = client.post(
        reverse("admin:regions_region_change", args=[dongsheng.pk]),
        {
            "code": "150602",
            "name": "东胜区（新）",
            "level": "3",
            "parent": "150600",
            "longitude": "109.963333",
            "latitude": "39.822593",
            "pinyin": "dongsheng",
            "initials": "ds",
        },
    )
    assert response.status_code == 302
    assert Region.objects.get(pk="150602").name == "东胜区（新）"


def test_user_list_shows_roles(client, django_assert_max_num_queries):
    client.force_login(staff_with_role(roles.CS_AGENT, username="agent01"))
    for _ in range(5):
        staff_with_role(roles.STORE_CLERK)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("admin:accounts_user_changelist"))
    html = response.content.decode()
    assert html.count(roles.STORE_CLERK) >= 5 and roles.CS_AGENT in html


class TestGroupAdmin:
    def change_url(self, name: str) -> str:
        return reverse("admin:auth_group_change", args=[Group.objects.get(name=name).pk])

    def form(self, name: str, parent: str | None) -> dict:
        group = Group.objects.get(name=name)
        return {
            "name": name,
            "parent": Group.objects.get(name=parent).pk if parent else "",
            "permissions": list(group.permissions.values_list("pk", flat=True)),
        }

    def test_page_shows_parent_inherited_permissions_and_children(
        self, client, django_assert_max_num_queries
    ):
        client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
        with django_assert_max_num_queries(17):
            response = client.get(self.change_url(roles.CS_SUPERVISOR))
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<option value="{Group.objects.get(name=roles.CS_AGENT).pk}" selected>' in html
        assert "查看 沙箱短信" in html and "查看 用户" in html  # inherited from 客服坐席
        assert roles.OPERATIONS in html  # its child

    def test_view_only_staff_see_the_parent_read_only(self, client):
        client.force_login(staff_with_role(roles.OPERATIONS))
        html = client.get(self.change_url(roles.STORE_MANAGER)).content.decode()
        assert roles.STORE_CLERK in html and "<select" not in html

    def test_cycle_is_refused_and_nothing_changes(self, client):
        client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
        before = set(GroupParent.objects.values_list("group_id", "parent_id"))
        response = client.post(
            self.change_url(roles.CS_AGENT), self.form(roles.CS_AGENT, roles.OPERATIONS)
        )
        assert response.status_code == 200
        assert "循环继承" in response.content.decode()
        assert set(GroupParent.objects.values_list("group_id", "parent_id")) == before

    def test_parent_is_set_through_the_form(self, client):
        client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
        response = client.post(
            self.change_url(roles.FULFILLMENT_OPERATOR),
            self.form(roles.FULFILLMENT_OPERATOR, roles.STORE_CLERK),
        )
        assert response.status_code == 302
        fulfillment = Group.objects.get(name=roles.FULFILLMENT_OPERATOR)
        assert roles.group_parent(group=fulfillment).name == roles.STORE_CLERK

    def test_new_group_with_a_parent(self, client):
        client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
        response = client.post(
            reverse("admin:auth_group_add"),
            {"name": "区域督导", "parent": Group.objects.get(name=roles.STORE_MANAGER).pk},
        )
        assert response.status_code == 302
        supervisor = staff_with_role("区域督导")
        assert supervisor.has_perm("regions.view_region")  # from 门店店员, two up

    def test_seeded_role_keeps_its_name_and_cannot_be_deleted(self, client):
        client.force_login(staff_with_role(roles.PLATFORM_ADMIN))
        response = client.post(
            self.change_url(roles.STORE_CLERK),
            {**self.form(roles.STORE_CLERK, None), "name": "店员"},
        )
        assert response.status_code == 302
        assert Group.objects.filter(name=roles.STORE_CLERK).exists()
        delete = self.change_url(roles.STORE_CLERK).replace("/change/", "/delete/")
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert Group.objects.filter(name=roles.STORE_CLERK).exists()
