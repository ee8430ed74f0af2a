from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "rongcheng.cms"
    label = "cms"
    verbose_name = _("页面与广告")

    def ready(self):
        from rongcheng.accounts import roles

        models = [
            "displaytemplate",
            "adslot",
            "ad",
            "homearea",
            "homeareaproduct",
            "homevideo",
            "promotionnotice",
        ]
        # Operations arrange the home page, templates and ad slots (ADM-7).
        roles.register_baseline_grants(roles.OPERATIONS, roles.model_permissions("cms", models))
