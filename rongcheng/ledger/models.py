"""The double-entry ledger (R-10): accounts, journals and their entries, and the wallet's
withdrawals and payment password.

Every movement of money or points is one Journal whose Entries sum to zero per unit. An entry's
amount is signed: positive credits the account (it holds or is owed more), negative debits it.
So a member's wallet and what the platform owes a store are positive, while the platform's money
at a gateway or in a store's till shows as negative clearing balances.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel, StatusEvent


class Unit(models.TextChoices):
    """What an account counts. A journal balances per unit, so points never mix with yuan."""

    CNY = "cny", _("人民币")
    POINTS = "points", _("积分")


class Channel(models.TextChoices):
    """Where money enters or leaves the platform: one clearing account each."""

    ALIPAY = "alipay", _("支付宝")
    WECHAT = "wechat", _("微信支付")
    UNIONPAY = "unionpay", _("银联")
    BANK = "bank", _("银行转账")


class AccountKind(models.TextChoices):
    # Scoped by owner (a member):
    MEMBER_WALLET = "member_wallet", _("会员钱包（绒易付）")
    # Scoped by store:
    STORE_RECEIVABLE = "store_receivable", _("门店应收货款")
    STORE_CASH = "store_cash", _("门店代收现金")
    # Scoped by channel code:
    GATEWAY_CLEARING = "gateway_clearing", _("支付渠道清算")
    REFUNDS_PAYABLE = "refunds_payable", _("待退款")
    # One for the platform:
    PLATFORM_REVENUE = "platform_revenue", _("平台收入")
    WITHDRAWALS_PENDING = "withdrawals_pending", _("待付提现")
    # Points (unit POINTS) and commission kinds are added here by their issues, each with its
    # scope in ledger/chart.py.


class Account(models.Model):
    """One balance of one unit. `balance` is the sum of the account's entries, cached and
    changed only by journal_post under the row lock; ledger_reconcile re-derives it."""

    kind = models.CharField(_("类型"), max_length=30, choices=AccountKind.choices)
    unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices, default=Unit.CNY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    store = models.ForeignKey(
        "stores.Store",
        verbose_name=_("门店"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    code = models.CharField(_("渠道"), max_length=20, blank=True)
    balance = models.DecimalField(_("余额"), max_digits=12, decimal_places=2, default=0)
    allow_negative = models.BooleanField(_("允许负余额"), default=False)
    created_at = models.DateTimeField(_("开户时间"), default=timezone.now)

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0) | Q(allow_negative=True),
                name="ledger_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(store__isnull=True),
                name="ledger_account_one_holder",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "owner", "code"],
                condition=Q(owner__isnull=False),
                name="ledger_one_account_per_owner",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "store", "code"],
                condition=Q(store__isnull=False),
                name="ledger_one_account_per_store",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "code"],
                condition=Q(owner__isnull=True, store__isnull=True),
                name="ledger_one_platform_account",
            ),
        ]
        indexes = [models.Index(fields=["kind", "unit"])]
        triggers = [
            # Entries point at an account: what it is may never change under them.
            pgtrigger.ReadOnly(
                name="ledger_account_identity_read_only",
                fields=["kind", "unit", "owner", "store", "code"],
            ),
            pgtrigger.Protect(name="ledger_account_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        holder = self.owner_id or self.store_id or self.code
        return f"{self.get_kind_display()} {holder}" if holder else str(self.get_kind_display())


class JournalKind(models.TextChoices):
    CHECKOUT_PAYMENT = "checkout_payment", _("订单支付")
    CASH_PAYMENT = "cash_payment", _("门店现金收款")
    WALLET_PAYMENT = "wallet_payment", _("钱包支付")
    WALLET_TOPUP = "wallet_topup", _("钱包充值")
    REFUND = "refund", _("退款")
    REFUND_SETTLED = "refund_settled", _("退款到账")
    WITHDRAWAL_REQUEST = "withdrawal_request", _("提现申请")
    WITHDRAWAL_RETURN = "withdrawal_return", _("提现退回")
    WITHDRAWAL_PAYOUT = "withdrawal_payout", _("提现打款")
    REVERSAL = "reversal", _("冲正")
    # Points and commission journals are added here by their issues.


class Journal(models.Model):
    """One movement: its entries sum to zero per unit. Never changed; corrected by a reversal."""

    kind = models.CharField(_("类型"), max_length=30, choices=JournalKind.choices)
    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    reference = models.CharField(_("业务单据"), max_length=80, db_index=True)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    created_at = models.DateTimeField(_("记账时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        triggers = [
            pgtrigger.Protect(
                name="ledger_journal_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Entry(models.Model):
    """One leg of a journal on one account; `balance_after` is the account's balance right
    after it (the running balance of statements)."""

    journal = models.ForeignKey(
        Journal, verbose_name=_("凭证"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(_("变动后余额"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "-id"], name="ledger_entry_statement")]
        triggers = [
            pgtrigger.Protect(
                name="ledger_entry_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+}"


class Withdrawal(BaseModel):
    """A member's request to take unused wallet money out (ADM-6, LAW-6). Its status changes
    only through ledger/state.py."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审核")
        APPROVED = "approved", _("待打款")
        PAID_OUT = "paid_out", _("已打款")
        REJECTED = "rejected", _("已驳回")
        CANCELLED = "cancelled", _("已撤销")

    number = models.CharField(_("提现单号"), max_length=32, unique=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="withdrawals",
    )
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    channel = models.CharField(_("收款方式"), max_length=20, choices=Channel.choices)
    payee_name = models.CharField(_("收款人"), max_length=50)
    payee_account = models.CharField(_("收款账号"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(_("驳回原因"), max_length=200, blank=True)
    payout_reference = models.CharField(_("打款流水号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("提现申请")
        verbose_name_plural = _("提现申请")
        ordering = ["-created_at"]
        permissions = [("review_withdrawal", _("审核提现并记录打款"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["member", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class WithdrawalEvent(StatusEvent):
    """One status change of a withdrawal, appended by state.transition."""

    withdrawal = models.ForeignKey(
        Withdrawal, verbose_name=_("提现申请"), on_delete=models.CASCADE, related_name="events"
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=Withdrawal.Status.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("提现记录")
        verbose_name_plural = _("提现记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PaymentPassword(models.Model):
    """The 6-digit password that confirms wallet payments, hashed like login passwords."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        on_delete=models.CASCADE,
        related_name="payment_password",
    )
    password_hash = models.CharField(max_length=128)
    failures = models.PositiveSmallIntegerField(_("连续错误次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    updated_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("支付密码")
        verbose_name_plural = _("支付密码")

    def __str__(self) -> str:
        return str(self.user_id)


class Reconciliation(models.Model):
    """One run of the ledger reconciliation (the daily job): what it checked and what differed.
    `details` lists each difference as the ledger_reconcile command prints it."""

    ran_at = models.DateTimeField(_("对账时间"), default=timezone.now, db_index=True)
    accounts_checked = models.PositiveIntegerField(_("核对账户数"))
    journals_checked = models.PositiveIntegerField(_("核对凭证数"))
    balance_differences = models.PositiveIntegerField(_("余额差异"))
    unbalanced_journals = models.PositiveIntegerField(_("不平凭证"))
    details = models.JSONField(_("差异明细"), default=list)

    class Meta:
        verbose_name = _("对账记录")
        verbose_name_plural = _("对账记录")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}"

    @property
    def differences(self) -> int:
        return self.balance_differences + self.unbalanced_journals
