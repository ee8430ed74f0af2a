from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "rongcheng.messaging"
    label = "messaging"
    verbose_name = _("客服与消息")

    def ready(self):
        from rongcheng.accounts import roles

        # Customer service answers the platform's live chat (the desk at /service/).
        roles.register_baseline_grants(roles.CS_AGENT, ["messaging.answer_platform_chat"])
