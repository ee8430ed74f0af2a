"""What a locked-out login attempt gets back (django-axes calls this)."""

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rongcheng.accounts.errors import LoginLocked


def locked_out_response(request, original_response, credentials):
    error = LoginLocked(_("登录失败次数过多，账号已临时锁定，请 15 分钟后再试或通过短信找回密码。"))
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=error.status)
    html = render_to_string("auth/locked.html", {"message": error.message}, request=request)
    return HttpResponse(html, status=error.status)
