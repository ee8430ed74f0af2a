from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "rongcheng.stores"
    label = "stores"
    verbose_name = _("门店")

    def ready(self):
        from rongcheng.accounts import roles

        # Operations create and run the stores (ROLE-3/4/5); customer service looks them up.
        # Store roles get nothing here: their pages are scoped to their own store.
        roles.register_baseline_grants(
            roles.OPERATIONS, roles.model_permissions("stores", ["store", "storemembership"])
        )
        roles.register_baseline_grants(
            roles.CS_AGENT, roles.model_permissions("stores", ["store"], ("view",))
        )
