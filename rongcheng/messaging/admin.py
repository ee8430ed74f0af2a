"""The back office reads conversations and letters (history, complaints); they are written
only by the chat and message-center services, never edited here."""

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from rongcheng.messaging.models import ChatMessage, Conversation, Letter


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnly, TabularInline):
    model = ChatMessage
    fields = ["created_at", "sender", "kind", "body", "image"]
    readonly_fields = fields
    extra = 0


@admin.register(Conversation)
class ConversationAdmin(ReadOnly, ModelAdmin):
    list_display = ["id", "kind", "status", "customer", "store", "agent", "last_message_at"]
    list_filter = ["kind", "status"]
    search_fields = ["customer__username", "customer__mobile", "store__name"]
    list_select_related = ["customer", "store", "agent"]
    fields = ["kind", "status", "customer", "peer", "store", "agent", "product", "order"]
    readonly_fields = fields
    inlines = [MessageInline]


@admin.register(Letter)
class LetterAdmin(ReadOnly, ModelAdmin):
    list_display = ["created_at", "kind", "subject", "sender", "sender_party", "recipient_party"]
    list_filter = ["kind", "sender_party", "recipient_party"]
    search_fields = ["subject", "sender__username", "recipient__username"]
    list_select_related = ["sender"]
    fields = ["kind", "subject", "body", "sender", "sender_party", "sender_store", "recipient"]
    fields += ["recipient_party", "recipient_store", "reply_to", "created_at", "read_at"]
    readonly_fields = fields
