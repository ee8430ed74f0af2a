from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "rongcheng.orders"
    label = "orders"
    verbose_name = _("订单")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations follow every order; orders change only through their services.
        roles.register_baseline_grants(
            roles.OPERATIONS,
            roles.model_permissions(
                "orders", ["order", "orderline", "orderevent", "cancellationrequest"], ("view",)
            ),
        )
