from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpCenterConfig(AppConfig):
    name = "rongcheng.helpcenter"
    label = "helpcenter"
    verbose_name = _("帮助中心")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations write the help articles (HELPC-1, ADM-8).
        permissions = roles.model_permissions("helpcenter", ["column", "article", "articleimage"])
        roles.register_baseline_grants(roles.OPERATIONS, permissions)
