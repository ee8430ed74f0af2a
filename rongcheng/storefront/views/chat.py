"""在线客服 for shoppers (IM-1, ROLE-7): a chat with the store that sells a product, a store,
the store of an order, the platform's customer service, or another member. Opening one twice
gives the same live conversation. Members only; another member's conversation answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.messaging import services
from rongcheng.messaging.access import access_conversation
from rongcheng.messaging.letters import chat_letters_mark_read
from rongcheng.messaging.selectors import (
    blocked_members,
    conversation_messages,
    member_conversations,
    message_payload,
)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
def chat_with_store(request, store_id: int):
    product_id = _int(request.GET.get("product", ""))
    conversation = services.conversation_open(
        member=request.user, store_id=store_id, product_id=product_id
    )
    return redirect("storefront:chat", conversation.pk)


@login_required
def chat_about_order(request, number: str):
    conversation = services.conversation_open(member=request.user, order_number=number)
    return redirect("storefront:chat", conversation.pk)


@login_required
def chat_with_platform(request):
    conversation = services.conversation_open(member=request.user)
    return redirect("storefront:chat", conversation.pk)


@login_required
def chat_with_member(request, username: str):
    conversation = services.conversation_open_with_member(member=request.user, username=username)
    return redirect("storefront:chat", conversation.pk)


@login_required
def chat(request, conversation_id: int):
    seat = access_conversation(user=request.user, conversation_id=conversation_id)
    conversation = seat.conversation
    history = conversation_messages(conversation=conversation)
    if history:
        services.conversation_read(
            user=request.user, conversation_id=conversation.pk, up_to=history[-1]["id"]
        )
    chat_letters_mark_read(member=request.user, conversation_id=conversation.pk)
    peer = conversation.peer if seat.side == "customer" else conversation.customer
    return render(
        request,
        "chat/chat.html",
        {
            "section": "chats",
            "conversation": conversation,
            "history": history,
            "my_side": seat.side,
            "other_read_id": conversation.other_read_id
            if seat.side == "customer"
            else conversation.customer_read_id,
            "peer": peer if conversation.kind == "member" else None,
            "blocked": peer in blocked_members(member=request.user) if peer else False,
        },
    )


@login_required
def chat_list(request):
    return render(
        request,
        "chat/list.html",
        {
            "section": "chats",
            "conversations": member_conversations(member=request.user)[:100],
            "blocked": blocked_members(member=request.user),
        },
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def chat_send(request, conversation_id: int):
    """The form's own path (no JavaScript) and the way pictures are sent."""
    try:
        message = services.message_send(
            sender=request.user,
            conversation_id=conversation_id,
            body=request.POST.get("body", ""),
            image=request.FILES.get("image"),
        )
    except ApplicationError as refusal:
        if _wants_json(request):
            return JsonResponse(refusal.as_dict(), status=refusal.status)
        messages.error(request, refusal.message)
        return redirect("storefront:chat", conversation_id)
    if _wants_json(request):
        return JsonResponse(message_payload(message, message.conversation))
    return redirect("storefront:chat", conversation_id)


@login_required
@require_POST
def chat_close(request, conversation_id: int):
    services.conversation_close(user=request.user, conversation_id=conversation_id)
    return redirect("storefront:chat", conversation_id)


@login_required
@require_POST
def member_block_toggle(request, username: str):
    if request.POST.get("block") == "1":
        services.member_block(member=request.user, username=username)
    else:
        services.member_unblock(member=request.user, username=username)
    return redirect("storefront:member_chats")
