"""/service/: the platform's customer-service desk (agents with
`messaging.answer_platform_chat`): the chat workspace and the complaints and suggestions."""

from django.urls import path

from rongcheng.sellercenter.views import chat, letters

app_name = "service"

urlpatterns = [
    path("", chat.platform_workspace, name="chat"),
    path("seat/", chat.platform_action, {"action": "seat"}, name="chat_seat"),
    path("canned/", chat.platform_action, {"action": "canned"}, name="chat_canned"),
    *(
        path(
            f"<int:conversation_id>/{action}/",
            chat.platform_action,
            {"action": action},
            name=f"chat_{action}",
        )
        for action in chat.CONVERSATION_ACTIONS
    ),
    path("letters/", letters.platform_letters, name="letters"),
    path("letters/<int:letter_id>/", letters.platform_letter, name="letter"),
]
