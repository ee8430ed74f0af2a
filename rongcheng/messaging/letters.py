"""The message center (MSG-1, SELL-1): mail-like letters between members, stores' mailboxes
and the platform's (complaints and suggestions with their answers), chat messages a member
missed while offline, and the system notices (`notifications.Notice`) beside them."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.messaging.errors import (
    LetterNotAnswerable,
    LetterNotFound,
    LetterRateLimited,
    MemberBlocked,
    MessageInvalid,
    RecipientNotFound,
)
from rongcheng.messaging.models import ChatMessage, Conversation, Letter, MemberBlock
from rongcheng.messaging.teams import is_agent
from rongcheng.notifications.models import Notice
from rongcheng.notifications.push import notify_user
from rongcheng.stores.models import Store

Party = Letter.Party
PLATFORM_KINDS = (Letter.Kind.COMPLAINT, Letter.Kind.SUGGESTION)


# --- Reading ---------------------------------------------------------------------------------


def member_inbox(*, member: User) -> QuerySet[Letter]:
    return Letter.objects.filter(recipient=member).select_related("sender", "sender_store")


def member_sent(*, member: User) -> QuerySet[Letter]:
    return Letter.objects.filter(sender=member, sender_party=Party.MEMBER).select_related(
        "recipient", "recipient_store"
    )


def store_inbox(*, store_id: int) -> QuerySet[Letter]:
    return Letter.objects.filter(recipient_store_id=store_id).select_related("sender")


def store_sent(*, store_id: int) -> QuerySet[Letter]:
    return Letter.objects.filter(sender_store_id=store_id).select_related("sender", "recipient")


def platform_inbox(*, kind: str = "") -> QuerySet[Letter]:
    letters = Letter.objects.filter(recipient_party=Party.PLATFORM)
    if kind:
        letters = letters.filter(kind=kind)
    return letters.select_related("sender").prefetch_related("replies")


def member_notices(*, member: User) -> QuerySet[Notice]:
    """System notices (order notifications and the like) shown in the message center."""
    return Notice.objects.filter(recipient=member)


def unread_count(*, member: User) -> int:
    """The header's number: unread letters and system notices."""
    letters = Letter.objects.filter(recipient=member, read_at__isnull=True).count()
    notices = Notice.objects.filter(recipient=member, read_at__isnull=True).count()
    return letters + notices


def _may_read(user: User, letter: Letter) -> bool:
    def mailbox(party: str, member_id: int | None, store_id: int | None) -> bool:
        if party == Party.MEMBER:
            return member_id == user.pk
        if party == Party.STORE:
            return is_agent(user=user, store_id=store_id) if store_id else False
        if party == Party.PLATFORM:
            return is_agent(user=user, store_id=None)
        return False

    sender_member = letter.sender_id if letter.sender_party == Party.MEMBER else None
    return mailbox(letter.recipient_party, letter.recipient_id, letter.recipient_store_id) or (
        mailbox(letter.sender_party, sender_member, letter.sender_store_id)
    )


def letter_get(*, user: User, letter_id: int) -> Letter:
    """A letter its sender's or recipient's mailbox holds; to anyone else it does not exist."""
    letter = (
        Letter.objects.select_related("sender", "recipient", "sender_store", "recipient_store")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or not user.is_authenticated or not _may_read(user, letter):
        raise LetterNotFound(_("没有这封站内信。"))
    return letter


# --- Writing ---------------------------------------------------------------------------------


def _clean(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    limit = settings.RONGCHENG["LETTER_MAX_CHARS"]
    if not subject or len(subject) > 60:
        raise MessageInvalid(_("请填写主题（60 字以内）。"), field="subject")
    if not body or len(body) > limit:
        raise MessageInvalid(_("请填写内容（%(limit)s 字以内）。") % {"limit": limit}, field="body")
    return subject, body


def _check_rate(sender: User) -> None:
    count, window = settings.RONGCHENG["LETTER_RATE_LIMIT"]
    since = timezone.now() - window
    if Letter.objects.filter(sender=sender, created_at__gte=since).count() >= count:
        raise LetterRateLimited(_("发信太频繁了，请稍后再发。"))


def _deliver(letter: Letter) -> Letter:
    letter.save()
    if letter.recipient_id is not None:
        notify_user(
            user_id=letter.recipient_id,
            payload={"kind": "letter", "title": letter.subject, "reference": str(letter.pk)},
        )
    return letter


def letter_send(
    *,
    sender: User,
    subject: str,
    body: str,
    to_username: str = "",
    to_store_id: int | None = None,
) -> Letter:
    """A member writes to another member (by username; not when either blocked the other) or
    to a store's mailbox."""
    subject, body = _clean(subject, body)
    letter = Letter(
        kind=Letter.Kind.MESSAGE,
        sender=sender,
        sender_party=Party.MEMBER,
        subject=subject,
        body=body,
    )
    with transaction.atomic():
        _check_rate(sender)
        if to_store_id is not None:
            store = Store.objects.filter(pk=to_store_id, is_active=True).first()
            if store is None:
                raise RecipientNotFound(_("没有这个门店。"))
            letter.recipient_party, letter.recipient_store = Party.STORE, store
        else:
            recipient = User.objects.filter(username=to_username, is_active=True).first()
            if recipient is None or recipient.pk == sender.pk:
                raise RecipientNotFound(_("没有这个会员。"), field="to")
            either = Q(blocker=sender, blocked=recipient) | Q(blocker=recipient, blocked=sender)
            if MemberBlock.objects.filter(either).exists():
                raise MemberBlocked(_("你们之间已屏蔽，无法发送站内信。"))
            letter.recipient_party, letter.recipient = Party.MEMBER, recipient
        return _deliver(letter)


def letter_to_platform(*, sender: User, kind: str, subject: str, body: str) -> Letter:
    """A complaint or suggestion to the platform; its answer comes back to the inbox."""
    if kind not in PLATFORM_KINDS:
        raise MessageInvalid(_("请选择投诉或建议。"), field="kind")
    subject, body = _clean(subject, body)
    with transaction.atomic():
        _check_rate(sender)
        return _deliver(
            Letter(
                kind=kind,
                sender=sender,
                sender_party=Party.MEMBER,
                recipient_party=Party.PLATFORM,
                subject=subject,
                body=body,
            )
        )


def letter_reply(*, user: User, letter_id: int, body: str) -> Letter:
    """Answer a letter from the mailbox that received it: a member's own, a store's (its
    staff answer as the store) or the platform's (its agents answer complaints and
    suggestions). The answer goes to the letter's sender."""
    letter = letter_get(user=user, letter_id=letter_id)
    party = letter.recipient_party
    if party == Party.MEMBER and letter.recipient_id != user.pk:
        raise LetterNotFound(_("没有这封站内信。"))
    if party != Party.MEMBER and not is_agent(user=user, store_id=letter.recipient_store_id):
        raise LetterNotFound(_("没有这封站内信。"))
    if letter.sender_party == Party.SYSTEM:
        raise LetterNotAnswerable(_("系统消息无需回复。"))
    subject = letter.subject if letter.subject.startswith("Re:") else f"Re: {letter.subject}"
    subject, body = _clean(subject[:60], body)
    reply = Letter(
        kind=Letter.Kind.ANSWER if party != Party.MEMBER else Letter.Kind.MESSAGE,
        sender=user,
        sender_party=party,
        sender_store_id=letter.recipient_store_id,
        recipient_party=letter.sender_party,
        subject=subject,
        body=body,
        reply_to=letter,
    )
    if letter.sender_party == Party.MEMBER:
        reply.recipient_id = letter.sender_id
    elif letter.sender_party == Party.STORE:
        reply.recipient_store_id = letter.sender_store_id
    with transaction.atomic():
        _check_rate(user)
        _deliver(reply)
        if letter.read_at is None:
            Letter.objects.filter(pk=letter.pk).update(read_at=timezone.now())
    return reply


def letter_mark_read(*, user: User, letter_id: int) -> Letter:
    """Opening a letter from the receiving mailbox reads it (a sender's copy stays as it is)."""
    letter = letter_get(user=user, letter_id=letter_id)
    in_my_inbox = (
        letter.recipient_id == user.pk
        if letter.recipient_party == Party.MEMBER
        else is_agent(user=user, store_id=letter.recipient_store_id)
    )
    if in_my_inbox and letter.read_at is None:
        letter.read_at = timezone.now()
        Letter.objects.filter(pk=letter.pk, read_at__isnull=True).update(read_at=letter.read_at)
    return letter


def notices_mark_all_read(*, member: User) -> int:
    return Notice.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def letter_for_unread_chat(
    *, conversation: Conversation, recipient: User, message: ChatMessage
) -> Letter | None:
    """A member without an open chat finds the message in the message center: one unread
    letter per conversation (the chat holds every message)."""
    waiting = Letter.objects.filter(
        kind=Letter.Kind.CHAT, recipient=recipient, conversation=conversation, read_at__isnull=True
    )
    if waiting.exists():
        return None
    if conversation.kind == Conversation.Kind.MEMBER:
        party, sender_name = Party.MEMBER, message.sender.display_name if message.sender else ""
    elif conversation.store_id is not None:
        party, sender_name = Party.STORE, conversation.store.name if conversation.store else ""
    else:
        party, sender_name = Party.PLATFORM, _("平台客服")
    text = message.body or _("[图片]")
    return _deliver(
        Letter(
            kind=Letter.Kind.CHAT,
            sender=message.sender,
            sender_party=party,
            sender_store_id=conversation.store_id,
            recipient_party=Party.MEMBER,
            recipient=recipient,
            subject=(_("%(name)s 给您发来了消息") % {"name": sender_name})[:60],
            body=text,
            conversation=conversation,
        )
    )


def chat_letters_mark_read(*, member: User, conversation_id: int) -> int:
    """Opening the chat reads the letters that told the member of it."""
    return Letter.objects.filter(
        kind=Letter.Kind.CHAT,
        recipient=member,
        conversation_id=conversation_id,
        read_at__isnull=True,
    ).update(read_at=timezone.now())
