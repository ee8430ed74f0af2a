from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "rongcheng.catalog"
    label = "catalog"
    verbose_name = _("商品目录")

    def ready(self):
        from rongcheng.accounts import roles

        models = [
            "product",
            "sku",
            "productimage",
            "productparameter",
            "productattributevalue",
            "category",
            "brand",
            "brandfeature",
            "audience",
            "producttype",
            "attribute",
            "attributeoption",
        ]
        # Operations define the catalogue (ROLE-3); customer service looks products up.
        roles.register_baseline_grants(roles.OPERATIONS, roles.model_permissions("catalog", models))
        roles.register_baseline_grants(
            roles.CS_AGENT, roles.model_permissions("catalog", ["product", "sku"], ("view",))
        )
