"""The screen pop: the caller's member record, recent orders and open conversations and
tickets, in three queries however long the history; a caller who is not a member can be
registered from the call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rongcheng.callcenter.errors import NumberInvalid
from rongcheng.callcenter.models import Call
from rongcheng.callcenter.screen_pop import member_create_for_call, screen_pop
from rongcheng.callcenter.tests.factories import T0
from rongcheng.checkout.tests.buying import buy, mall  # noqa: F401 - the shared fixture
from rongcheng.messaging import letters, services
from rongcheng.messaging.models import Conversation

pytestmark = pytest.mark.django_db


def inbound(number: str, member=None) -> Call:
    return Call.objects.create(
        engine_call_id=f"c-{number}",
        direction=Call.Direction.INBOUND,
        caller_number=number,
        callee_number="4008001234",
        caller=member,
        offered_at=T0,
    )


def pop_for(call: Call):
    call = Call.objects.select_related("caller", "queue").get(pk=call.pk)
    with CaptureQueriesContext(connection) as queries:
        pop = screen_pop(call)
    return pop, len(queries)


def test_the_pop_shows_the_member_orders_and_what_is_open(mall):  # noqa: F811
    buyer = mall.buyer
    mall.stock(mall.store_a, mall.sku_m, 10)
    first = buy(mall, mall.sku_m, pickup=mall.store_a).orders.get()
    call = inbound(buyer.mobile, buyer)
    pop, queries_with_one = pop_for(call)
    assert ([o.number for o in pop.orders], queries_with_one) == ([first.number], 3)

    later = [buy(mall, mall.sku_m, pickup=mall.store_a).orders.get() for _ in range(6)]
    chat = services.conversation_open(member=buyer)
    closed = services.conversation_open(member=buyer, store_id=mall.store_a.pk)
    Conversation.objects.filter(pk=closed.pk).update(status=Conversation.Status.CLOSED)
    complaint = letters.letter_to_platform(
        sender=buyer, kind="complaint", subject="快递太慢", body="三天还没到。"
    )
    answered = letters.letter_to_platform(
        sender=buyer, kind="suggestion", subject="多些颜色", body="希望有驼色。"
    )
    letters.letter_reply(user=mall.admin, letter_id=answered.pk, body="已记录，谢谢。")

    pop, queries = pop_for(call)

    assert pop.member == buyer and pop.customer_number == "13900000001"
    # The five newest of seven orders, newest first.
    assert [o.number for o in pop.orders] == [o.number for o in reversed(later)][:5]
    assert [c.pk for c in pop.conversations] == [chat.pk]
    assert [t.pk for t in pop.tickets] == [complaint.pk]
    assert queries == queries_with_one


def test_an_unknown_mobile_caller_is_registered_from_the_call(db):
    call = inbound("13711112222")
    pop, queries = pop_for(call)
    assert (pop.member, pop.can_register, pop.orders, queries) == (None, True, [], 0)

    member = member_create_for_call(call, real_name="周女士")

    call.refresh_from_db()
    assert (call.caller, member.mobile, member.real_name) == (member, "13711112222", "周女士")
    assert not member.has_usable_password()
    assert member.consents.count() == 0


def test_a_fixed_line_cannot_become_a_member(db):
    call = inbound("04778585858")
    assert pop_for(call)[0].can_register is False
    with pytest.raises(NumberInvalid):
        member_create_for_call(call, real_name="王先生")
    call.refresh_from_db()
    assert call.caller is None
