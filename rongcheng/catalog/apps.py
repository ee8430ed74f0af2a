from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "rongcheng.catalog"
    label = "catalog"
    verbose_name = "商品目录"
