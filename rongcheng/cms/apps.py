from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "rongcheng.cms"
    label = "cms"
    verbose_name = "页面与广告"
