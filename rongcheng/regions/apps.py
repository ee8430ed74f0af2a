from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "rongcheng.regions"
    label = "regions"
    verbose_name = "地区"
