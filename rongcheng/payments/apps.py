from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "rongcheng.payments"
    label = "payments"
    verbose_name = _("支付")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations read payments, their events, refunds and the notifications as received;
        # payments change only through the payment services (the admin pages are read-only).
        roles.register_baseline_grants(
            roles.OPERATIONS,
            roles.model_permissions(
                "payments",
                ["payment", "paymentevent", "refund", "gatewaynotification"],
                ("view",),
            ),
        )
