"""Hooks the unfold admin site calls: the dashboard figures and the environment label."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts import stats as account_stats
from rongcheng.ledger.selectors import latest_reconciliation
from rongcheng.notifications import stats as notification_stats
from rongcheng.notifications.sms import sandbox_outbox_enabled


def environment_callback(request):
    """Staff should never mistake the demo (sandbox SMS, payments) for the real platform."""
    if settings.PRODUCTION:
        return None
    return [_("演示环境"), "warning"]


def sandbox_outbox_visible(request) -> bool:
    """The outbox exists only while the sandbox delivers SMS, for staff who may read it."""
    return sandbox_outbox_enabled() and request.user.has_perm("notifications.view_sandboxsms")


def dashboard_callback(request, context):
    """Figures for the index page; each one only for staff allowed to see what it counts."""
    user = request.user
    cards = []
    if user.has_perm("accounts.view_user"):
        signups = account_stats.member_signups()
        members = reverse("admin:accounts_user_changelist") + "?is_staff__exact=0"
        cards += [
            {"title": _("今日注册会员"), "value": signups.today, "icon": "person_add"},
            {"title": _("近 7 天注册会员"), "value": signups.last_7_days, "icon": "group_add"},
            {"title": _("会员总数"), "value": signups.total, "icon": "groups", "href": members},
        ]
    if sandbox_outbox_visible(request):
        cards.append(
            {
                "title": _("今日发送短信（沙箱发件箱）"),
                "value": notification_stats.sandbox_sms_sent_today(),
                "icon": "sms",
                "href": reverse("admin:notifications_sandboxsms_changelist"),
            }
        )
    if user.has_perm("ledger.view_reconciliation"):
        cards.append(_reconciliation_card())
    staff_table = None
    if user.has_perm("auth.view_group") and user.has_perm("accounts.view_user"):
        users = reverse("admin:accounts_user_changelist")
        staff_table = {
            "title": _("各角色在岗员工"),
            "headers": [_("角色"), _("人数")],
            "rows": [
                {
                    "name": group.name,
                    "count": count,
                    "href": f"{users}?groups__id__exact={group.pk}",
                }
                for group, count in account_stats.staff_per_role()
            ],
        }
    context.update(
        {
            "title": _("概览"),
            "cards": cards,
            "staff_table": staff_table,
            "welcome": _("%(name)s，欢迎回来。") % {"name": user.display_name},
            "nothing_to_show": _("您的角色暂无可查看的概览数据，请从左侧菜单进入工作。"),
        }
    )
    return context


def _reconciliation_card() -> dict:
    """The last daily reconciliation: operations see at once when the ledger disagrees."""
    run = latest_reconciliation()
    href = reverse("admin:ledger_reconciliation_changelist")
    if run is None:
        return {"title": _("账务对账"), "value": _("尚未对账"), "icon": "fact_check", "href": href}
    if run.differences:
        return {
            "title": _("账务对账发现差异（%(time)s）")
            % {"time": f"{timezone.localtime(run.ran_at):%m-%d %H:%M}"},
            "value": _("%(count)s 处差异") % {"count": run.differences},
            "icon": "error",
            "href": reverse("admin:ledger_reconciliation_change", args=[run.pk]),
            "class": "rc-figure rc-alert",
            "icon_class": "rc-alert-icon",
        }
    return {
        "title": _("账务对账（%(time)s）")
        % {"time": f"{timezone.localtime(run.ran_at):%m-%d %H:%M}"},
        "value": _("无差异"),
        "icon": "fact_check",
        "href": href,
    }
