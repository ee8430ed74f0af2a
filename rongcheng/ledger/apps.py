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
        from rongcheng.ledger.topup import PURPOSE, wallet_topped_up
        from rongcheng.payments import purposes

        register_exporter("wallet", wallet_export)
        # A top-up paid after its payment closed is still the member's money: credited alike.
        purposes.register(PURPOSE, on_paid=wallet_topped_up)

        # Operations read balances and journals and review withdrawals; money moves only
        # through the ledger services (the admin pages are read-only).
        roles.register_baseline_grants(
            roles.OPERATIONS,
            [
                *roles.model_permissions(
                    "ledger",
                    ["account", "journal", "entry", "withdrawal", "reconciliation"],
                    ("view",),
                ),
                "ledger.review_withdrawal",
            ],
        )
