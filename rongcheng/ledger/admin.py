"""Operations read balances and journals and review withdrawals. Nothing here writes directly:
the withdrawal actions call the wallet services, which post the journals."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.core.errors import ApplicationError
from rongcheng.ledger.models import (
    Account,
    Entry,
    Journal,
    Reconciliation,
    Withdrawal,
    WithdrawalEvent,
)
from rongcheng.ledger.wallet import (
    REVIEW_PERMISSION,
    withdrawal_approve,
    withdrawal_pay_out,
    withdrawal_reject,
)


class StatementInline(ReadOnlyMixin, TabularInline):
    """The account's statement for operations: newest first, with the running balance."""

    model = Entry
    verbose_name_plural = _("账户流水")
    fields = ["posted_at", "journal", "amount", "balance_after"]
    readonly_fields = fields
    ordering = ["-id"]
    per_page = 20
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("journal")

    @admin.display(description=_("记账时间"))
    def posted_at(self, entry):
        return entry.journal.created_at


@admin.register(Account)
class AccountAdmin(ReadOnlyMixin, ModelAdmin):
    list_display = ["id", "kind", "unit", "owner", "store", "code", "balance", "created_at"]
    list_filter = ["kind", "unit", "code"]
    search_fields = ["owner__username", "owner__mobile", "store__name", "store__code"]
    list_select_related = ["owner", "store"]
    inlines = [StatementInline]


class EntryInline(ReadOnlyMixin, TabularInline):
    model = Entry
    fields = ["account", "amount", "balance_after"]
    readonly_fields = fields
    extra = 0


@admin.register(Journal)
class JournalAdmin(ReadOnlyMixin, ModelAdmin):
    list_display = ["id", "created_at", "kind", "reference", "memo", "reverses"]
    list_filter = ["kind"]
    search_fields = ["reference", "idempotency_key"]
    inlines = [EntryInline]


class WithdrawalEventInline(ReadOnlyMixin, TabularInline):
    model = WithdrawalEvent
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0


class DecisionForm(forms.Form):
    note = forms.CharField(max_length=200)


DECISIONS = {
    "reject": {
        "title": _("驳回提现"),
        "label": _("驳回原因（会员可见）"),
        "submit": _("驳回，退回钱包"),
        "service": lambda withdrawal, actor, note: withdrawal_reject(
            withdrawal=withdrawal, actor=actor, reason=note
        ),
    },
    "pay_out": {
        "title": _("记录打款"),
        "label": _("打款流水号"),
        "submit": _("确认已打款"),
        "service": lambda withdrawal, actor, note: withdrawal_pay_out(
            withdrawal=withdrawal, actor=actor, payout_reference=note
        ),
    },
}
BACK = _("返回")
DONE = _("已处理 %(count)d 笔提现。")


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyMixin, ModelAdmin):
    list_display = ["number", "created_at", "member", "amount", "channel", "status"]
    list_filter = ["status", "channel"]
    search_fields = ["number", "member__username", "member__mobile", "payee_account"]
    list_select_related = ["member"]
    inlines = [WithdrawalEventInline]
    actions = ["approve", "reject", "pay_out"]

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def _apply(self, request: HttpRequest, queryset: QuerySet, service) -> None:
        done = 0
        for withdrawal in queryset.order_by("pk"):
            try:
                service(withdrawal, request.user)
                done += 1
            except ApplicationError as error:
                self.message_user(request, f"{withdrawal.number}：{error.message}", messages.ERROR)
        if done:
            self.message_user(request, DONE % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("审核通过"), permissions=["review"])
    def approve(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda withdrawal, actor: withdrawal_approve(withdrawal=withdrawal, actor=actor),
        )

    def _decide(self, request, queryset, action: str):
        """Ask for the note the decision needs, then apply it to every selected withdrawal."""
        decision = DECISIONS[action]
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        form.fields["note"].label = decision["label"]
        if form.is_valid():
            note = form.cleaned_data["note"]
            self._apply(
                request,
                queryset,
                lambda withdrawal, actor: decision["service"](withdrawal, actor, note),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": decision["title"],
            "decision": decision,
            "back": BACK,
            "action": action,
            "form": form,
            "withdrawals": queryset.order_by("pk"),
        }
        return TemplateResponse(request, "ledger/admin/withdrawal_decision.html", context)

    @admin.action(description=_("驳回（退回钱包）"), permissions=["review"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description=_("记录已打款"), permissions=["review"])
    def pay_out(self, request, queryset):
        return self._decide(request, queryset, "pay_out")


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyMixin, ModelAdmin):
    """The daily reconciliation's log: a run with differences lists each one."""

    list_display = [
        "ran_at",
        "accounts_checked",
        "journals_checked",
        "balance_differences",
        "unbalanced_journals",
    ]
    fields = [*list_display, "details"]
    readonly_fields = fields
    date_hierarchy = "ran_at"
