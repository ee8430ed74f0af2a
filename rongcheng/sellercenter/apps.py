from django.apps import AppConfig


class SellerCenterConfig(AppConfig):
    name = "rongcheng.sellercenter"
    label = "sellercenter"
