"""The back office: balances and journals to read, withdrawals decided through the services."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from rongcheng.accounts import roles
from rongcheng.accounts.tests.factories import staff_with_role
from rongcheng.ledger import chart
from rongcheng.ledger.models import Withdrawal
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.tests.conftest import ledger_size
from rongcheng.ledger.wallet import withdrawal_request

pytestmark = pytest.mark.django_db

D = Decimal
Status = Withdrawal.Status
WITHDRAWALS = reverse("admin:ledger_withdrawal_changelist")


@pytest.fixture
def operator(client):
    user = staff_with_role(roles.OPERATIONS)
    client.force_login(user)
    return user


@pytest.fixture
def withdrawal(member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("500.00"))
    return withdrawal_request(
        member=member,
        amount=D("120.00"),
        channel="alipay",
        payee_name="张三",
        payee_account="zhangsan@example.cn",
    )


def _act(client, action, withdrawal, **extra):
    return client.post(
        WITHDRAWALS, {"action": action, "_selected_action": [withdrawal.pk], **extra}, follow=True
    )


def test_operations_read_balances_and_journals(client, operator, withdrawal, member):
    wallet = chart.member_wallet(member)
    page = client.get(reverse("admin:ledger_account_changelist"))
    assert page.status_code == 200
    assert "380.00" in page.content.decode()
    page = client.get(reverse("admin:ledger_account_change", args=[wallet.pk]))
    assert page.status_code == 200
    statement = page.content.decode()
    assert all(value in statement for value in ("账户流水", "-120.00", "380.00", "500.00"))
    journal = wallet.entries.order_by("id").first().journal
    page = client.get(reverse("admin:ledger_journal_change", args=[journal.pk]))
    assert page.status_code == 200
    assert "-500.00" in page.content.decode()
    assert client.get(reverse("admin:ledger_account_add")).status_code == 403
    assert client.get(reverse("admin:ledger_journal_delete", args=[journal.pk])).status_code == 403


def test_approve_then_pay_out(client, operator, withdrawal, member):
    assert "已处理 1 笔提现" in _act(client, "approve", withdrawal).content.decode()
    assert Withdrawal.objects.get().status == Status.APPROVED
    form = _act(client, "pay_out", withdrawal)
    assert "打款流水号" in form.content.decode()
    assert Withdrawal.objects.get().status == Status.APPROVED
    _act(client, "pay_out", withdrawal, apply="1", note="ALI2026030200001")
    paid = Withdrawal.objects.get()
    assert (paid.status, paid.payout_reference) == (Status.PAID_OUT, "ALI2026030200001")
    assert chart.gateway_clearing("alipay").balance == D("-380.00")
    assert list(paid.events.values_list("actor", flat=True)) == [
        member.pk,
        operator.pk,
        operator.pk,
    ]


def test_reject_returns_the_money(client, operator, withdrawal, member):
    _act(client, "reject", withdrawal, apply="1", note="收款账号与实名不符")
    rejected = Withdrawal.objects.get()
    assert (rejected.status, rejected.reason) == (Status.REJECTED, "收款账号与实名不符")
    assert chart.member_wallet(member).balance == D("500.00")


def test_a_refused_decision_is_reported_and_changes_nothing(client, operator, withdrawal):
    before = ledger_size()
    page = _act(client, "pay_out", withdrawal, apply="1", note="ALI1")
    assert "不能改为" in page.content.decode()
    assert Withdrawal.objects.get().status == Status.REQUESTED
    assert ledger_size() == before


def test_staff_without_the_review_permission_cannot_decide(client, withdrawal):
    agent = staff_with_role(roles.CS_AGENT)
    agent.user_permissions.add(Permission.objects.get(codename="view_withdrawal"))
    client.force_login(agent)
    assert client.get(WITHDRAWALS).status_code == 200
    _act(client, "approve", withdrawal)
    assert Withdrawal.objects.get().status == Status.REQUESTED
