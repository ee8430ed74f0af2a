"""Login lockout (django-axes): the lock per account and address, the ceiling per account, and
what a locked-out attempt gets back.

Axes locks an (account, IP address) pair after AXES_FAILURE_LIMIT failures; another address is
not blocked. Failures spread over many addresses stop at a ceiling per account
(RONGCHENG["LOGIN_ACCOUNT_FAILURE_LIMIT"] within AXES_COOLOFF_TIME), which pauses password
login to that account from everywhere and tells the member by SMS. Logging in by SMS code stays
open, and recovering the password by SMS, e-mail or security question lifts both locks.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import LoginLocked
from rongcheng.accounts.models import User
from rongcheng.accounts.passwords import member_by_identifier
from rongcheng.accounts.verification import humanize_wait
from rongcheng.notifications.services import sms_send
from rongcheng.notifications.sms.base import LOGIN_PAUSED


def axes_username(request, credentials) -> str:
    """The name axes counts failures under: the account's username when the typed identifier
    (username, mobile or e-mail) belongs to a member, so the three names share one count and a
    successful login clears it; otherwise the identifier itself."""
    identifier = ((credentials or {}).get("username") or "").strip()
    user = member_by_identifier(identifier)
    return user.username if user else identifier.casefold()


def lockout_error() -> LoginLocked:
    wait = humanize_wait(settings.AXES_COOLOFF_TIME.total_seconds())
    return LoginLocked(
        _("登录失败次数过多，账号已临时锁定，请 %(wait)s后再试或通过短信找回密码。")
        % {"wait": wait}
    )


def locked_out_response(request, original_response, credentials):
    """Called by django-axes (AXES_LOCKOUT_CALLABLE) for the page and the API alike."""
    error = lockout_error()
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=error.status)
    html = render_to_string("auth/locked.html", {"message": error.message}, request=request)
    return HttpResponse(html, status=error.status)


class AccountCeilingHandler(AxesDatabaseHandler):
    """Axes' lock per (account, address), plus the ceiling per account (AXES_HANDLER)."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or _over_ceiling(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or not _over_ceiling(request, credentials):
            return
        request.axes_locked_out = True  # the middleware answers with locked_out_response
        request.axes_credentials = credentials
        _notify_member_once(get_client_username(request, credentials))


def _over_ceiling(request, credentials) -> bool:
    """Whether the account's failures from every address, within the cool-off, reach the ceiling
    (counted as axes counts its pairs: a row's failures while its last one is recent)."""
    failures = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.RONGCHENG["LOGIN_ACCOUNT_FAILURE_LIMIT"]


def _notify_member_once(username: str) -> None:
    """Text the member when the ceiling trips: once per lock, however long the attack lasts
    (each further failure extends the lock and the marker alike)."""
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    marker = f"login-ceiling-notice:{username}"
    if not cache.add(marker, 1, timeout=cool_off):
        cache.touch(marker, timeout=cool_off)
        return
    user = User.objects.filter(username=username, is_active=True).first()
    if user is not None and user.mobile:
        sms_send(
            mobile=user.mobile,
            template_code=LOGIN_PAUSED,
            params={"minutes": str(cool_off // 60)},
        )
