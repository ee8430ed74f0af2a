from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "rongcheng.checkout"
    label = "checkout"
    verbose_name = _("结算")

    def ready(self):
        from rongcheng.accounts import roles
        from rongcheng.checkout.paying import PURPOSE, checkout_paid
        from rongcheng.checkout.refunding import (
            checkout_refund_failed,
            checkout_refund_requested,
            checkout_refunded,
        )
        from rongcheng.payments import purposes

        # A late payment (its payment closed first) follows the same rule as one on time:
        # closed orders revive if their stock can be held again, the rest is refunded.
        purposes.register(
            PURPOSE,
            on_paid=checkout_paid,
            on_late=checkout_paid,
            on_refund_requested=checkout_refund_requested,
            on_refunded=checkout_refunded,
            on_refund_failed=checkout_refund_failed,
        )

        roles.register_baseline_grants(
            roles.OPERATIONS, roles.model_permissions("checkout", ["checkout"], ("view",))
        )
