from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "rongcheng.inventory"
    label = "inventory"
    verbose_name = "库存"
