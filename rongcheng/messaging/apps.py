from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "rongcheng.messaging"
    label = "messaging"
    verbose_name = _("客服与消息")
