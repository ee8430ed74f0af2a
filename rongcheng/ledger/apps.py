from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "rongcheng.ledger"
    label = "ledger"
    verbose_name = _("资金账务")

    def ready(self):
        from rongcheng.accounts import roles
        from rongcheng.accounts.privacy import register_exporter
        from rongcheng.ledger.selectors import wallet_export

        register_exporter("wallet", wallet_export)

        # Operations read balances and journals and review withdrawals; money moves only
        # through the ledger services (the admin pages are read-only).
        roles.register_baseline_grants(
            roles.OPERATIONS,
            [
                *roles.model_permissions(
                    "ledger", ["account", "journal", "entry", "withdrawal"], ("view",)
                ),
                "ledger.review_withdrawal",
            ],
        )
