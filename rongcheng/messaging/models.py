"""Live chat (IM-1, ROLE-7) and the message center (MSG-1).

A conversation is between a member and a team (a store's staff, or the platform's customer
service) or between two members. Messages are stored before they are delivered; each side's
read position is the id of the last message it has read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel
from rongcheng.core.uploads import validate_image_upload


class Conversation(BaseModel):
    class Kind(models.TextChoices):
        STORE = "store", _("门店客服")
        PLATFORM = "platform", _("平台客服")
        MEMBER = "member", _("会员私信")

    class Status(models.TextChoices):
        WAITING = "waiting", _("等待接入")
        OPEN = "open", _("接待中")
        CLOSED = "closed", _("已结束")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # The member who started it; for a member conversation, `peer` is the other member.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.CASCADE,
        related_name="chats_started",
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("对方会员"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chats_received",
    )
    store = models.ForeignKey(
        "stores.Store", verbose_name=_("门店"), on_delete=models.CASCADE, null=True, blank=True
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接待客服"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chats_answered",
    )
    # Where the member opened it: a product page or an order, shown beside the chat.
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True)
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True)
    last_message_at = models.DateTimeField(_("最后消息时间"), null=True, blank=True)
    customer_read_id = models.BigIntegerField(default=0)
    # What the team (any of its agents) or the peer member has read.
    other_read_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("在线会话")
        verbose_name_plural = _("在线会话")
        permissions = [("answer_platform_chat", _("接待平台在线客服"))]
        constraints = [
            models.CheckConstraint(
                name="chat_party_matches_kind",
                condition=(
                    Q(kind="store", store__isnull=False, peer__isnull=True)
                    | Q(kind="platform", store__isnull=True, peer__isnull=True)
                    | Q(kind="member", store__isnull=True, peer__isnull=False, agent__isnull=True)
                ),
            ),
            # One live conversation per member and team, one thread per pair of members.
            models.UniqueConstraint(
                fields=["customer", "store"],
                condition=Q(kind="store") & ~Q(status="closed"),
                name="one_live_store_chat",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(kind="platform") & ~Q(status="closed"),
                name="one_live_platform_chat",
            ),
            models.UniqueConstraint(
                fields=["customer", "peer"], condition=Q(kind="member"), name="one_member_thread"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "store", "status", "last_message_at"]),
            models.Index(fields=["agent", "status"]),
            models.Index(fields=["customer", "kind", "status"]),
            models.Index(fields=["peer", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class ChatMessage(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        IMAGE = "image", _("图片")
        EVENT = "event", _("系统提示")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # Empty for events (接入, 转接, 结束).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(_("内容"), blank=True)
    image = models.ImageField(
        _("图片"), upload_to="chat/%Y/%m/", blank=True, validators=[validate_image_upload]
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("聊天消息")
        verbose_name_plural = _("聊天消息")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["sender", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class MemberBlock(models.Model):
    """`blocker` receives no chat messages or letters from `blocked` (ROLE-7)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"


class AgentSeat(BaseModel):
    """An agent's place in a team's rota: whether they take new conversations now, and when
    they last got one (the next goes to the free agent with the fewest open ones)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, null=True, blank=True)
    accepting = models.BooleanField(_("接待中"), default=False)
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "store"],
                condition=Q(store__isnull=False),
                name="one_store_seat_per_agent",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(store__isnull=True), name="one_platform_seat"
            ),
        ]


class CannedReply(BaseModel):
    """A prepared answer of a team (a store's, or the platform's when `store` is empty)."""

    store = models.ForeignKey(
        "stores.Store", verbose_name=_("门店"), on_delete=models.CASCADE, null=True, blank=True
    )
    title = models.CharField(_("标题"), max_length=30)
    body = models.CharField(_("内容"), max_length=500)

    class Meta:
        verbose_name = _("快捷回复")
        verbose_name_plural = _("快捷回复")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A message-center letter (MSG-1). It comes from a member, a store or the platform
    (`sender` is who wrote it; empty for the system) and goes to one member, one store's
    mailbox or the platform's."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("站内信")
        CHAT = "chat", _("客服消息")
        COMPLAINT = "complaint", _("投诉")
        SUGGESTION = "suggestion", _("建议")
        ANSWER = "answer", _("回复")

    class Party(models.TextChoices):
        MEMBER = "member", _("会员")
        STORE = "store", _("门店")
        PLATFORM = "platform", _("平台")
        SYSTEM = "system", _("系统")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters_sent",
    )
    sender_party = models.CharField(max_length=10, choices=Party.choices)
    sender_store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipient_party = models.CharField(max_length=10, choices=Party.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letters_received",
    )
    recipient_store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("主题"), max_length=60)
    body = models.TextField(_("内容"), max_length=2000)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内信")
        verbose_name_plural = _("站内信")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="letter_recipient_matches_party",
                condition=(
                    Q(recipient_party="member", recipient__isnull=False, recipient_store=None)
                    | Q(recipient_party="store", recipient=None, recipient_store__isnull=False)
                    | Q(recipient_party="platform", recipient=None, recipient_store=None)
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient_store", "read_at"]),
            models.Index(fields=["recipient_party", "kind", "read_at"]),
            models.Index(fields=["sender", "sender_party"]),
        ]

    def __str__(self) -> str:
        return self.subject
