from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallCenterConfig(AppConfig):
    name = "rongcheng.callcenter"
    label = "callcenter"
    verbose_name = _("呼叫中心")
