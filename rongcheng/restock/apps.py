from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestockConfig(AppConfig):
    name = "rongcheng.restock"
    label = "restock"
    verbose_name = _("到货通知")
