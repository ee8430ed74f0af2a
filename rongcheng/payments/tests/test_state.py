import itertools

import pytest

from rongcheng.payments.errors import InvalidTransition
from rongcheng.payments.models import EventSource, EventType, Payment, PaymentEvent, PaymentStatus
from rongcheng.payments.state import TRANSITIONS, transition
from rongcheng.payments.tests.conftest import new_payment

pytestmark = pytest.mark.django_db
ALLOWED = {
    ("pending", "paid"),
    ("pending", "closed"),
    ("closed", "paid"),
    ("paid", "partially_refunded"),
    ("paid", "refunded"),
    ("partially_refunded", "partially_refunded"),
    ("partially_refunded", "refunded"),
}


def test_the_transition_table_is_exactly_the_lifecycle():
    table = {(start, to) for start, targets in TRANSITIONS.items() for to in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(
    ("start", "to"), list(itertools.product(PaymentStatus.values, PaymentStatus.values))
)
def test_every_transition_is_allowed_or_refused_with_nothing_written(member, handlers, start, to):
    payment = new_payment(member)
    Payment.objects.filter(pk=payment.pk).update(status=start)
    payment.status = start

    if (start, to) in ALLOWED:
        event = transition(payment, to=to, event_type=EventType.CLOSED, source=EventSource.SYSTEM)
        assert (event.from_status, event.to_status) == (start, to)
        assert Payment.objects.get().status == to
    else:
        with pytest.raises(InvalidTransition):
            transition(payment, to=to, event_type=EventType.CLOSED, source=EventSource.SYSTEM)
        assert Payment.objects.get().status == start
        assert not PaymentEvent.objects.exists()


def test_a_stale_payment_is_refused(member, handlers):
    payment = new_payment(member)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CLOSED)

    with pytest.raises(InvalidTransition):
        transition(payment, to=PaymentStatus.CLOSED, event_type=EventType.CLOSED, source="system")

    assert not PaymentEvent.objects.exists()
