from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "rongcheng.cms"
    label = "cms"
    verbose_name = "页面与广告"

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
