from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "rongcheng.seo"
    label = "seo"
    verbose_name = "搜索引擎优化"
