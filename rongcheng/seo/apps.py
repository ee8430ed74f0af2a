from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "rongcheng.seo"
    label = "seo"
    verbose_name = "搜索引擎优化"

    def ready(self) -> None:
        from rongcheng.seo import checks  # noqa: F401 - registers the system check
