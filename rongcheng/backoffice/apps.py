from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "rongcheng.backoffice"
    label = "backoffice"

    def ready(self):
        from django.contrib import admin

        # unfold's own admin/index.html comes first on the template path; the dashboard is ours.
        admin.site.index_template = "backoffice/index.html"
        admin.site.index_title = _("概览")
        admin.site.login_template = "backoffice/login.html"
