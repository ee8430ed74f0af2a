from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestockConfig(AppConfig):
    name = "rongcheng.restock"
    label = "restock"
    verbose_name = _("到货通知")

    def ready(self):
        from rongcheng.accounts import roles
        from rongcheng.inventory.receipts import register_receipt_listener
        from rongcheng.restock.services import restock_goods_received

        register_receipt_listener(restock_goods_received)
        # Customer service searches registrations, contacts members and orders for them.
        roles.register_baseline_grants(
            roles.CS_AGENT,
            roles.model_permissions("restock", ["registration"], ("view", "change")),
        )
