"""The JSON API for the app and the mini-program (OpenAPI docs at /api/docs)."""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rongcheng.api import accounts, bag, catalog, community, member, orders, regions, wallet
from rongcheng.api import checkout as checkout_api
from rongcheng.api import messaging as messaging_api
from rongcheng.api import search as search_api
from rongcheng.api.contract import ContractAPI
from rongcheng.core.errors import ApplicationError

api = ContractAPI(title="绒城购 API", version="1", urls_namespace="api")


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(str(part) for part in first.get("loc", [])[1:]) or "body"
    message = _("参数有误：%(field)s（%(detail)s）") % {
        "field": field,
        "detail": first.get("msg", ""),
    }
    return api.create_response(
        request, {"code": "invalid_input", "message": message, "errors": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(
        request, {"code": "not_authenticated", "message": _("请先登录。")}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja could not parse the body as JSON
        body = {"code": "malformed_body", "message": _("请求内容无法解析，请发送 JSON 对象。")}
        return api.create_response(request, body, status=400)
    return api.create_response(
        request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
    )


api.add_router("/regions", regions.router)
api.add_router("/auth", accounts.router)
api.add_router("/member", member.router)
api.add_router("/search", search_api.router)
api.add_router("/catalog", catalog.router)
api.add_router("/bag", bag.router)
api.add_router("/checkout", checkout_api.router)
api.add_router("/orders", orders.router)
api.add_router("/messages", messaging_api.router)
api.add_router("/wallet", wallet.router)
community.add_routers(api)
