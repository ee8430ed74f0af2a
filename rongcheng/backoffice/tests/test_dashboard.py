from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rongcheng.accounts import roles
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.models import SandboxSms

pytestmark = pytest.mark.django_db


def sms(n: int, *, days_ago: int = 0) -> None:
    for i in range(n):
        message = SandboxSms.objects.create(
            mobile="13900000000",
            sign_name="绒城购",
            template_code="SMS_1",
            params={"code": "123456"},
            content="验证码 123456",
            biz_id=f"biz-{days_ago}-{i}",
        )
        if days_ago:
            SandboxSms.objects.filter(pk=message.pk).update(
                sent_at=timezone.now() - timedelta(days=days_ago)
            )


@pytest.fixture
def figures():
    """Members: 2 today, 1 three days ago, 1 ten days ago (closed); SMS: 3 today, 2 earlier."""
    now = timezone.now()
    UserFactory.create_batch(2, date_joined=now)
    UserFactory(date_joined=now - timedelta(days=3))
    UserFactory(date_joined=now - timedelta(days=10), closed_at=now)
    sms(3)
    sms(2, days_ago=2)


def cards(response) -> dict[str, int]:
    return {str(card["title"]): card["value"] for card in response.context["cards"]}


def test_figures_are_exact(client, figures, django_assert_max_num_queries):
    admin = staff_with_role(roles.PLATFORM_ADMIN)
    staff_with_role(roles.STORE_CLERK)
    staff_with_role(roles.STORE_CLERK)
    staff_with_role(roles.STORE_CLERK, is_active=False)
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert cards(response) == {
        "今日注册会员": 2,
        "近 7 天注册会员": 3,
        "会员总数": 3,
        "今日发送短信（沙箱发件箱）": 3,
        "账务对账": "尚未对账",
    }
    per_role = {row["name"]: row["count"] for row in response.context["staff_table"]["rows"]}
    assert per_role == {name: 0 for name in roles.SEEDED} | {
        roles.PLATFORM_ADMIN: 1,
        roles.STORE_CLERK: 2,
    }
    assert [row["name"] for row in response.context["staff_table"]["rows"]] == list(roles.SEEDED)
    html = response.content.decode()
    assert "今日注册会员" in html and "各角色在岗员工" in html


def test_each_role_sees_only_the_figures_it_may(client, figures):
    client.force_login(staff_with_role(roles.CS_AGENT))
    response = client.get(reverse("admin:index"))
    assert set(cards(response)) == {
        "今日注册会员",
        "近 7 天注册会员",
        "会员总数",
        "今日发送短信（沙箱发件箱）",
    }
    assert response.context["staff_table"] is None

    client.force_login(staff_with_role(roles.STORE_CLERK))
    response = client.get(reverse("admin:index"))
    assert response.context["cards"] == [] and response.context["staff_table"] is None
    assert "暂无可查看的概览数据" in response.content.decode()


def test_sidebar_lists_only_permitted_sections(client):
    client.force_login(staff_with_role(roles.CS_AGENT))
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:accounts_user_changelist") in html
    assert reverse("admin:notifications_sandboxsms_changelist") in html
    assert reverse("admin:auth_group_changelist") not in html
