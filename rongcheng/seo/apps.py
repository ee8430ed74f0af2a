from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeoConfig(AppConfig):
    name = "rongcheng.seo"
    label = "seo"
    verbose_name = _("搜索引擎优化")
