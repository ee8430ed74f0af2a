from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Permission

from rongcheng.accounts.errors import InvalidSmsCode
from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.verification import sms_code_send
from rongcheng.core.testing.factories import DEFAULT_PASSWORD, UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.errors import (
    InsufficientBalance,
    PaymentPasswordIncorrect,
    PaymentPasswordInvalid,
    PaymentPasswordLocked,
    PaymentPasswordNotSet,
    ReviewDenied,
    TransitionNotAllowed,
    VerificationRequired,
    WithdrawalInvalid,
)
from rongcheng.ledger.models import PaymentPassword, Withdrawal
from rongcheng.ledger.services import post_wallet_topup
from rongcheng.ledger.state import TRANSITIONS
from rongcheng.ledger.tests.conftest import balances, ledger_size
from rongcheng.ledger.wallet import (
    wallet_check_payment_password,
    wallet_set_payment_password,
    withdrawal_approve,
    withdrawal_cancel,
    withdrawal_pay_out,
    withdrawal_reject,
    withdrawal_request,
)
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db

D = Decimal
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
Status = Withdrawal.Status


# --- Payment password ------------------------------------------------------------------------


@pytest.fixture
def with_password(member):
    wallet_set_payment_password(user=member, password="802417", login_password=DEFAULT_PASSWORD)
    return member


def test_set_with_the_login_password_stores_a_hash(member):
    row = wallet_set_payment_password(
        user=member, password="802417", login_password=DEFAULT_PASSWORD
    )
    assert row.password_hash != "802417"
    assert check_password("802417", row.password_hash)
    wallet_check_payment_password(user=member, password="802417")


@pytest.mark.parametrize(
    "password", ["12345", "1234567", "12a456", "", "111111", "123456", "987654"]
)
def test_weak_or_malformed_passwords_are_refused(member, password):
    with pytest.raises(PaymentPasswordInvalid):
        wallet_set_payment_password(user=member, password=password, login_password=DEFAULT_PASSWORD)
    assert not PaymentPassword.objects.exists()


def test_setting_needs_proof_of_identity(member):
    with pytest.raises(VerificationRequired):
        wallet_set_payment_password(user=member, password="802417")
    with pytest.raises(PaymentPasswordIncorrect, match="还可尝试 4 次"):
        wallet_set_payment_password(user=member, password="802417", login_password="wrong")
    # Still not set: the wrong try is counted on an unusable password.
    with pytest.raises(PaymentPasswordNotSet):
        wallet_check_payment_password(user=member, password="802417")
    assert PaymentPassword.objects.get().failures == 1


def test_reset_with_an_sms_code(with_password, committed):
    with committed():
        sms_code_send(mobile=with_password.mobile, purpose=SmsCode.Purpose.PAYMENT_PASSWORD)
    code = last_sms_code(with_password.mobile)
    with pytest.raises(InvalidSmsCode):
        wallet_set_payment_password(user=with_password, password="530816", sms_code="000000")
    wallet_set_payment_password(user=with_password, password="530816", sms_code=code)
    wallet_check_payment_password(user=with_password, password="530816")
    with pytest.raises(PaymentPasswordIncorrect):
        wallet_check_payment_password(user=with_password, password="802417")


def test_unset_password_cannot_confirm(member):
    with pytest.raises(PaymentPasswordNotSet):
        wallet_check_payment_password(user=member, password="802417")


def test_wrong_tries_count_down_then_lock_for_the_set_period(with_password):
    with time_machine.travel(NOW, tick=False) as traveller:
        for left in (4, 3, 2, 1):
            with pytest.raises(PaymentPasswordIncorrect, match=f"还可尝试 {left} 次"):
                wallet_check_payment_password(user=with_password, password="000001")
        with pytest.raises(PaymentPasswordLocked, match="请 3 小时后再试"):
            wallet_check_payment_password(user=with_password, password="000001")
        # Locked: even the right password is refused, and the login password cannot reset it.
        with pytest.raises(PaymentPasswordLocked):
            wallet_check_payment_password(user=with_password, password="802417")
        with pytest.raises(PaymentPasswordLocked):
            wallet_set_payment_password(
                user=with_password, password="530816", login_password=DEFAULT_PASSWORD
            )
        assert check_password("802417", PaymentPassword.objects.get().password_hash)
        traveller.shift(timedelta(minutes=179))
        with pytest.raises(PaymentPasswordLocked, match="请 60 秒后再试"):
            wallet_check_payment_password(user=with_password, password="802417")
        traveller.shift(timedelta(minutes=1))
        wallet_check_payment_password(user=with_password, password="802417")


def test_a_right_password_clears_the_count(with_password, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "PAYMENT_PASSWORD_MAX_FAILURES": 2}
    with pytest.raises(PaymentPasswordIncorrect):
        wallet_check_payment_password(user=with_password, password="000001")
    wallet_check_payment_password(user=with_password, password="802417")
    with pytest.raises(PaymentPasswordIncorrect, match="还可尝试 1 次"):
        wallet_check_payment_password(user=with_password, password="000001")


def test_wrong_login_passwords_count_against_the_payment_password(with_password, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "PAYMENT_PASSWORD_MAX_FAILURES": 2}
    with pytest.raises(PaymentPasswordIncorrect):
        wallet_set_payment_password(user=with_password, password="530816", login_password="nope")
    with pytest.raises(PaymentPasswordLocked):
        wallet_set_payment_password(user=with_password, password="530816", login_password="nope")
    assert check_password("802417", PaymentPassword.objects.get().password_hash)


# --- Withdrawals -----------------------------------------------------------------------------


@pytest.fixture
def funded(member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("500.00"))
    return member


@pytest.fixture
def reviewer(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_withdrawal"))
    return user


def _request(member, amount="200.00"):
    return withdrawal_request(
        member=member,
        amount=D(amount),
        channel="bank",
        payee_name="张三",
        payee_account="6222020200112233445",
    )


def _money(member):
    return balances(
        chart.member_wallet(member), chart.withdrawals_pending(), chart.gateway_clearing("bank")
    )


def _history(withdrawal):
    return list(withdrawal.events.values_list("from_status", "to_status"))


def test_request_moves_the_amount_out_of_the_wallet(funded):
    withdrawal = _request(funded)
    assert withdrawal.status == Status.REQUESTED
    assert withdrawal.number.startswith("TX") and len(withdrawal.number) == 20
    assert _money(funded) == [D("300.00"), D("200.00"), D("0.00")]
    assert _history(withdrawal) == [("", Status.REQUESTED)]


def test_request_beyond_the_balance_is_refused_and_leaves_nothing(funded):
    with pytest.raises(InsufficientBalance):
        _request(funded, "500.01")
    assert not Withdrawal.objects.exists()
    assert _money(funded) == [D("500.00"), D("0.00"), D("0.00")]


def test_request_needs_a_payee(funded):
    with pytest.raises(WithdrawalInvalid):
        withdrawal_request(
            member=funded, amount=D("1.00"), channel="bank", payee_name=" ", payee_account="1"
        )
    assert not Withdrawal.objects.exists()
    assert ledger_size() == (1, 2)


def test_approved_and_paid_out(funded, reviewer):
    withdrawal = withdrawal_approve(withdrawal=_request(funded), actor=reviewer)
    assert _money(funded) == [D("300.00"), D("200.00"), D("0.00")]
    withdrawal = withdrawal_pay_out(
        withdrawal=withdrawal, actor=reviewer, payout_reference="B20260302001"
    )
    assert (withdrawal.status, withdrawal.payout_reference) == (Status.PAID_OUT, "B20260302001")
    assert _money(funded) == [D("300.00"), D("0.00"), D("200.00")]
    assert _history(withdrawal) == [
        ("", Status.REQUESTED),
        (Status.REQUESTED, Status.APPROVED),
        (Status.APPROVED, Status.PAID_OUT),
    ]
    assert list(withdrawal.events.values_list("actor", flat=True)) == [
        funded.pk,
        reviewer.pk,
        reviewer.pk,
    ]


@pytest.mark.parametrize("approved_first", [False, True])
def test_rejected_returns_the_money(funded, reviewer, approved_first):
    withdrawal = _request(funded)
    if approved_first:
        withdrawal = withdrawal_approve(withdrawal=withdrawal, actor=reviewer)
    withdrawal = withdrawal_reject(
        withdrawal=withdrawal, actor=reviewer, reason="收款账号与实名不符"
    )
    assert (withdrawal.status, withdrawal.reason) == (Status.REJECTED, "收款账号与实名不符")
    assert _money(funded) == [D("500.00"), D("0.00"), D("0.00")]


def test_member_cancels_a_request(funded):
    withdrawal = withdrawal_cancel(withdrawal=_request(funded), member=funded)
    assert withdrawal.status == Status.CANCELLED
    assert _money(funded) == [D("500.00"), D("0.00"), D("0.00")]


def test_another_member_cannot_cancel(funded):
    withdrawal = _request(funded)
    with pytest.raises(ReviewDenied):
        withdrawal_cancel(withdrawal=withdrawal, member=UserFactory())
    assert Withdrawal.objects.get().status == Status.REQUESTED


def test_only_reviewers_decide(funded):
    withdrawal = _request(funded)
    clerk = UserFactory(is_staff=True)
    with pytest.raises(ReviewDenied):
        withdrawal_approve(withdrawal=withdrawal, actor=clerk)
    with pytest.raises(ReviewDenied):
        withdrawal_reject(withdrawal=withdrawal, actor=funded, reason="x")
    assert Withdrawal.objects.get().status == Status.REQUESTED
    assert _history(withdrawal) == [("", Status.REQUESTED)]


def test_reject_and_pay_out_need_their_note(funded, reviewer):
    withdrawal = withdrawal_approve(withdrawal=_request(funded), actor=reviewer)
    with pytest.raises(WithdrawalInvalid):
        withdrawal_reject(withdrawal=withdrawal, actor=reviewer, reason="  ")
    with pytest.raises(WithdrawalInvalid):
        withdrawal_pay_out(withdrawal=withdrawal, actor=reviewer, payout_reference="")
    assert Withdrawal.objects.get().status == Status.APPROVED


ACTIONS = {
    Status.APPROVED: lambda w, reviewer: withdrawal_approve(withdrawal=w, actor=reviewer),
    Status.REJECTED: lambda w, reviewer: withdrawal_reject(
        withdrawal=w, actor=reviewer, reason="r"
    ),
    Status.PAID_OUT: lambda w, reviewer: withdrawal_pay_out(
        withdrawal=w, actor=reviewer, payout_reference="p"
    ),
    Status.CANCELLED: lambda w, reviewer: withdrawal_cancel(withdrawal=w, member=w.member),
}
# How to bring a fresh request to each status.
PATHS = {
    Status.REQUESTED: [],
    Status.APPROVED: [Status.APPROVED],
    Status.PAID_OUT: [Status.APPROVED, Status.PAID_OUT],
    Status.REJECTED: [Status.REJECTED],
    Status.CANCELLED: [Status.CANCELLED],
}


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("to", list(ACTIONS))
def test_every_transition_allowed_and_every_other_refused(funded, reviewer, start, to):
    withdrawal = _request(funded)
    for step in PATHS[start]:
        withdrawal = ACTIONS[step](withdrawal, reviewer)
    before = (_money(funded), ledger_size(), _history(withdrawal))
    if to in TRANSITIONS[start]:
        assert ACTIONS[to](withdrawal, reviewer).status == to
        assert Withdrawal.objects.get().status == to
    else:
        with pytest.raises(TransitionNotAllowed):
            ACTIONS[to](withdrawal, reviewer)
        assert Withdrawal.objects.get().status == start
        assert (_money(funded), ledger_size(), _history(withdrawal)) == before
