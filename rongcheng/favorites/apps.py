from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FavoritesConfig(AppConfig):
    name = "rongcheng.favorites"
    label = "favorites"
    verbose_name = _("收藏")
