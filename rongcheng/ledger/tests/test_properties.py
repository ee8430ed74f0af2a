"""Random sequences of top-ups, payments, refunds and withdrawals keep the ledger sound."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q, Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rongcheng.core.errors import ApplicationError
from rongcheng.core.money import to_yuan
from rongcheng.core.testing.factories import UserFactory
from rongcheng.ledger import chart
from rongcheng.ledger.models import Account, Withdrawal
from rongcheng.ledger.selectors import unbalanced_journals
from rongcheng.ledger.services import (
    post_checkout_payment,
    post_refund,
    post_refund_settled,
    post_wallet_payment,
    post_wallet_topup,
)
from rongcheng.ledger.tests.conftest import ledger_size
from rongcheng.ledger.wallet import (
    withdrawal_approve,
    withdrawal_cancel,
    withdrawal_pay_out,
    withdrawal_reject,
    withdrawal_request,
)
from rongcheng.stores.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

MEMBERS, STORES = 2, 3


def amounts(most_fen: int):
    return st.integers(min_value=1, max_value=most_fen).map(lambda fen: Decimal(fen) / 100)


def parts(most_fen: int):
    """One amount for each of one to three different stores."""
    return st.lists(
        st.tuples(st.integers(min_value=0, max_value=STORES - 1), amounts(most_fen)),
        min_size=1,
        max_size=STORES,
        unique_by=lambda part: part[0],
    )


gateways = st.sampled_from(["alipay", "wechat", "unionpay"])
who = st.integers(min_value=0, max_value=MEMBERS - 1)
# Spending is drawn smaller than paying in, so that most spending is possible.
operations = st.one_of(
    st.tuples(st.just("topup"), who, gateways, amounts(200_000)),
    st.tuples(st.just("gateway_pay"), gateways, parts(50_000)),
    st.tuples(st.just("wallet_pay"), who, parts(20_000)),
    st.tuples(st.just("refund_to_wallet"), who, parts(10_000)),
    st.tuples(st.just("refund_to_gateway"), gateways, parts(10_000), st.booleans()),
    st.tuples(st.just("withdraw"), who, amounts(50_000)),
    st.tuples(
        st.just("decide"),
        st.integers(min_value=0, max_value=5),
        st.sampled_from(["approve", "reject", "pay_out", "cancel"]),
    ),
)


class World:
    def __init__(self, city):
        self.members = [UserFactory() for _ in range(MEMBERS)]
        self.stores = [StoreFactory(city=city) for _ in range(STORES)]
        self.reviewer = UserFactory(is_staff=True)
        self.reviewer.user_permissions.add(Permission.objects.get(codename="review_withdrawal"))
        self.step = 0
        for index, member in enumerate(self.members):  # so that spending is possible at once
            post_wallet_topup(
                member=member, gateway="alipay", reference=f"start:{index}", amount=Decimal(1000)
            )

    def run(self, operation) -> None:
        self.step += 1
        name, *args = operation
        getattr(self, name)(*args, reference=f"op:{self.step}")

    def _parts(self, parts):
        return [(self.stores[index], amount) for index, amount in parts]

    def topup(self, member, gateway, amount, *, reference):
        post_wallet_topup(
            member=self.members[member], gateway=gateway, reference=reference, amount=amount
        )

    def gateway_pay(self, gateway, parts, *, reference):
        post_checkout_payment(
            gateway=gateway,
            reference=reference,
            amount=sum(amount for _store, amount in parts),
            parts=self._parts(parts),
        )

    def wallet_pay(self, member, parts, *, reference):
        post_wallet_payment(
            member=self.members[member],
            reference=reference,
            amount=sum(amount for _store, amount in parts),
            parts=self._parts(parts),
        )

    def refund_to_wallet(self, member, parts, *, reference):
        post_refund(
            reference=reference,
            parts=self._parts(parts),
            to=chart.member_wallet(self.members[member]),
        )

    def refund_to_gateway(self, gateway, parts, settled, *, reference):
        post_refund(
            reference=reference, parts=self._parts(parts), to=chart.refunds_payable(gateway)
        )
        if settled:
            post_refund_settled(
                gateway=gateway,
                reference=reference,
                amount=sum(amount for _store, amount in parts),
            )

    def withdraw(self, member, amount, *, reference):
        withdrawal_request(
            member=self.members[member],
            amount=amount,
            channel="bank",
            payee_name="会员",
            payee_account="6222000000000000",
        )

    def decide(self, index, decision, *, reference):
        withdrawal = Withdrawal.objects.order_by("pk")[index : index + 1].first()
        if withdrawal is None:
            return
        actor = self.reviewer
        {
            "approve": lambda: withdrawal_approve(withdrawal=withdrawal, actor=actor),
            "reject": lambda: withdrawal_reject(withdrawal=withdrawal, actor=actor, reason="r"),
            "pay_out": lambda: withdrawal_pay_out(
                withdrawal=withdrawal, actor=actor, payout_reference=reference
            ),
            "cancel": lambda: withdrawal_cancel(withdrawal=withdrawal, member=withdrawal.member),
        }[decision]()


def _assert_sound():
    assert unbalanced_journals() == []
    forbidden = Account.objects.filter(allow_negative=False, balance__lt=0)
    assert not forbidden.exists()
    call_command("ledger_reconcile", stdout=StringIO(), stderr=StringIO())
    # Money only moves: all balances together are zero.
    assert to_yuan(Account.objects.aggregate(total=Sum("balance"))["total"] or 0) == 0
    # What members were owed but withdrew waits in one place until paid out or returned.
    waiting = Withdrawal.objects.filter(
        Q(status=Withdrawal.Status.REQUESTED) | Q(status=Withdrawal.Status.APPROVED)
    ).aggregate(total=Sum("amount"))["total"]
    assert chart.withdrawals_pending().balance == (waiting or 0)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operations, min_size=1, max_size=20))
def test_random_sequences_keep_the_ledger_sound(regions, sequence):
    with transaction.atomic():
        world = World(regions["150600"])
        for operation in sequence:
            before = ledger_size()
            try:
                with transaction.atomic():
                    world.run(operation)
                event(f"{operation[0]} posted")
            except ApplicationError:
                # A refused movement (overdraft, wrong state) leaves the ledger as it was.
                assert ledger_size() == before
                event(f"{operation[0]} refused")
            _assert_sound()
        transaction.set_rollback(True)
