from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "rongcheng.search"
    label = "search"
    verbose_name = _("站内搜索")
