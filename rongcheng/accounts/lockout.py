"""Login lockout (django-axes): what a locked-out attempt gets back, and the client address.

Axes locks an (account, IP address) pair after AXES_FAILURE_LIMIT failures; another address is
not blocked, and recovering the password by SMS, e-mail or security question lifts the lock.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import LoginLocked
from rongcheng.accounts.passwords import member_by_identifier
from rongcheng.accounts.verification import humanize_wait


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
