from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfillmentConfig(AppConfig):
    name = "rongcheng.fulfillment"
    label = "fulfillment"
    verbose_name = _("配送")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations keep the shipping-fee templates (ADM-3 delivery management).
        roles.register_baseline_grants(
            roles.OPERATIONS,
            roles.model_permissions(
                "fulfillment",
                ["shippingfeetemplate", "shippingfeerule"],
                ("view", "add", "change"),
            ),
        )
