"""The screen pop (来电弹屏, CALL-8): who is calling, their recent orders and what they have
open with customer service, in a fixed number of queries whatever the member's history."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.accounts.services import user_create
from rongcheng.callcenter.errors import NumberInvalid
from rongcheng.callcenter.models import Call
from rongcheng.messaging.models import Conversation, Letter
from rongcheng.orders.models import Order
from rongcheng.orders.selectors import buyer_orders

RECENT = 5
TICKET_KINDS = (Letter.Kind.COMPLAINT, Letter.Kind.SUGGESTION)


@dataclass
class ScreenPop:
    call: Call
    customer_number: str
    member: User | None
    can_register: bool
    orders: list[Order] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    tickets: list[Letter] = field(default_factory=list)


MOBILE = re.compile(r"^1\d{10}$")


def customer_number(call: Call) -> str:
    return call.callee_number if call.direction == Call.Direction.OUTBOUND else call.caller_number


def screen_pop(call: Call) -> ScreenPop:
    """`call` with its `caller` loaded (select_related) keeps this at three queries."""
    member = call.caller
    number = customer_number(call)
    pop = ScreenPop(
        call=call, customer_number=number, member=member, can_register=bool(MOBILE.match(number))
    )
    if member is None:
        return pop
    pop.orders = list(buyer_orders(buyer=member).prefetch_related(None)[:RECENT])
    pop.conversations = list(
        Conversation.objects.filter(customer=member)
        .exclude(status=Conversation.Status.CLOSED)
        .exclude(kind=Conversation.Kind.MEMBER)
        .select_related("store")
        .order_by("-created_at", "-id")[:RECENT]
    )
    # A complaint or suggestion is open until the platform has answered it.
    pop.tickets = list(
        Letter.objects.filter(sender=member, recipient_party=Letter.Party.PLATFORM)
        .filter(kind__in=TICKET_KINDS)
        .exclude(Exists(Letter.objects.filter(reply_to=OuterRef("pk"))))
        .order_by("-created_at", "-id")[:RECENT]
    )
    return pop


def member_create_for_call(call: Call, *, real_name: str) -> User:
    """Register the caller as a member from the call. They have agreed to nothing yet and
    have no password: they sign in later with an SMS code to the same number."""
    if not MOBILE.match(customer_number(call)):
        raise NumberInvalid(_("只有手机号码可以登记为会员。"))
    with transaction.atomic():
        member = user_create(
            mobile=customer_number(call), password=get_random_string(32), real_name=real_name
        )
        member.set_unusable_password()
        member.save(update_fields=["password"])
        Call.objects.filter(pk=call.pk, caller=None).update(caller=member)
    call.caller = member
    return member
