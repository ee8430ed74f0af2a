"""The message board (BOARD-1): members, or visitors with a verified mobile number, post by
kind; customer service publishes, hides with a reason, replies in public and records that
they contacted the author (who, if a member, is told of the reply)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import SmsCode, User
from rongcheng.accounts.verification import sms_code_verify
from rongcheng.board.errors import PostInvalid, PostNotFound
from rongcheng.board.models import Post
from rongcheng.notifications.models import Notice
from rongcheng.notifications.services import notices_send

BODY_MAX = 1000
NICKNAME_MAX = 20


def _clean(text: str, limit: int, field: str, message: str) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise PostInvalid(message, field=field)
    return text


def board_post(
    *,
    kind: str,
    body: str,
    author: User | None = None,
    nickname: str = "",
    mobile: str = "",
    code: str = "",
) -> Post:
    """A new post awaiting moderation. A visitor proves `mobile` with an SMS code (purpose
    board_post); a member posts under their account and mobile."""
    if kind not in Post.Kind.values:
        raise PostInvalid(_("请选择留言类型。"), field="kind")
    body = _clean(body, BODY_MAX, "body", _("内容须为 1–1000 个字。"))
    if author is not None and author.is_authenticated:
        nickname = nickname.strip()[:NICKNAME_MAX] or author.display_name[:1] + "**"
        mobile = author.mobile or ""
    else:
        author = None
        nickname = _clean(nickname, NICKNAME_MAX, "nickname", _("请填写称呼（1–20 个字）。"))
        sms_code_verify(mobile=mobile, purpose=SmsCode.Purpose.BOARD_POST, code=code)
    with transaction.atomic():
        return Post.objects.create(
            kind=kind, body=body, author=author, nickname=nickname, mobile=mobile
        )


def post_moderate(
    *,
    post_id: int,
    actor: User,
    state: str,
    hide_reason: str = "",
    reply: str = "",
    contact_note: str = "",
) -> Post:
    """Publish, hide (a reason is required) or keep pending; set the public reply and the
    record of contacting the author. A new or changed reply tells a member author."""
    if state not in Post.State.values:
        raise PostInvalid(_("状态无效。"), field="state")
    hide_reason = hide_reason.strip()[:200]
    if state == Post.State.HIDDEN and not hide_reason:
        raise PostInvalid(_("隐藏留言须填写原因。"), field="hide_reason")
    reply = reply.strip()[:BODY_MAX]
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(id=post_id).first()
        if post is None:
            raise PostNotFound(_("没有这条留言。"))
        replied = bool(reply) and reply != post.reply
        post.state = state
        post.hide_reason = hide_reason if state == Post.State.HIDDEN else ""
        post.reply = reply
        post.replied_at = timezone.now() if replied else (post.replied_at if reply else None)
        post.contact_note = contact_note.strip()[:200]
        post.moderated_by = actor
        post.save()
        if replied and post.author_id:
            notices_send(
                recipient_ids=[post.author_id],
                kind=Notice.Kind.BOARD_REPLY,
                title=_("客服回复了您的%(kind)s") % {"kind": post.get_kind_display()},
                body=reply[:200],
                reference=str(post.id),
            )
        return post


def posts_publish(*, post_ids: list[int], actor: User) -> int:
    """Publish pending posts in one statement; returns how many."""
    with transaction.atomic():
        return Post.objects.filter(id__in=post_ids, state=Post.State.PENDING).update(
            state=Post.State.PUBLISHED, moderated_by=actor, updated_at=timezone.now()
        )
