from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "rongcheng.inventory"
    label = "inventory"
    verbose_name = _("库存")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations watch listings and stock across stores; stock itself changes only
        # through the inventory services (the admin pages are read-only).
        roles.register_baseline_grants(
            roles.OPERATIONS,
            roles.model_permissions(
                "inventory", ["storelisting", "stock", "stockmovement"], ("view",)
            ),
        )
