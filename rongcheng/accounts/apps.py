from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_roles(sender, using="default", **kwargs):
    # Django creates each app's permissions in its own post_migrate (sent only for apps with
    # models); seed once, after the last of them.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        from rongcheng.accounts.roles import roles_seed

        roles_seed(using=using)


class AccountsConfig(AppConfig):
    name = "rongcheng.accounts"
    label = "accounts"
    verbose_name = _("会员与权限")

    def ready(self):
        post_migrate.connect(_seed_roles, dispatch_uid="accounts.seed_roles")
