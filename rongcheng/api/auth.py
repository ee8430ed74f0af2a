"""Who is calling the API: a bearer token (app, mini-program) or the web session.

Routers that serve members use `auth=member_auth`; inside, `request.user` is the member either
way and `request.api_token` is the token when one was used.
"""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from rongcheng.accounts.tokens import api_token_authenticate
from rongcheng.core.errors import PermissionDenied


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


def require_csrf(request) -> None:
    """Session-authenticated writes must carry Django's CSRF token (X-CSRFToken header)."""
    if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
        raise CsrfFailed(_("页面已过期，请刷新后重试。"))


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(key=token.strip())
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class MemberSessionAuth(SessionAuth):
    def _get_key(self, request):
        # The base class answers a failed check with an English HttpError; ours says it in
        # the member's language with a stable code.
        if request.user.is_authenticated:
            require_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


member_auth = [ApiTokenAuth(), MemberSessionAuth()]
