from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "rongcheng.checkout"
    label = "checkout"
    verbose_name = _("结算")

    def ready(self):
        from rongcheng.accounts import roles

        roles.register_baseline_grants(
            roles.OPERATIONS, roles.model_permissions("checkout", ["checkout"], ("view",))
        )
