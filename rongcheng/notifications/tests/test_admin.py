"""The sandbox outbox in the back office: codes only for staff with their own permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rongcheng.accounts import roles
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.models import SandboxSms
from rongcheng.notifications.sms.sandbox import SandboxSmsProvider

pytestmark = pytest.mark.django_db

CODE = "483920"
SENT = f"【绒城购】您的验证码为{CODE}，10分钟内有效。请勿泄露给他人。"
MASKED = "【绒城购】您的验证码为******，10分钟内有效。请勿泄露给他人。"
OUTBOX = reverse("admin:notifications_sandboxsms_changelist")


@pytest.fixture
def message():
    SandboxSmsProvider().send("13900000000", "verification_code", {"code": CODE, "minutes": "10"})
    return SandboxSms.objects.get()


def pages(client, message) -> list[str]:
    detail = reverse("admin:notifications_sandboxsms_change", args=[message.pk])
    responses = [client.get(OUTBOX), client.get(detail)]
    assert [response.status_code for response in responses] == [200, 200]
    return [response.content.decode() for response in responses]


@pytest.mark.parametrize("role", [roles.CS_AGENT, roles.CS_SUPERVISOR, roles.OPERATIONS])
def test_customer_service_reads_the_outbox_with_codes_masked(client, message, role):
    client.force_login(staff_with_role(role))
    for html in pages(client, message):
        assert CODE not in html
        assert MASKED in html
    assert "13900000000" in pages(client, message)[0]


def test_the_code_permission_shows_the_codes(client, message):
    tester = staff_with_role(roles.CS_AGENT)
    tester.user_permissions.add(Permission.objects.get(codename="view_sms_code"))
    client.force_login(tester)
    listing, detail = pages(client, message)
    assert SENT in listing and SENT in detail


def test_with_a_real_gateway_the_outbox_is_gone(client, message, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "SMS_PROVIDER": "aliyun"}
    for user in (staff_with_role(roles.CS_AGENT), UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(user)
        assert client.get(OUTBOX).status_code == 403
        index = client.get(reverse("admin:index")).content.decode()
        assert OUTBOX not in index
        assert "今日发送短信（沙箱发件箱）" not in index
