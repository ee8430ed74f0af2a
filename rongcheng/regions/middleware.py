"""Give every request the visitor's city (MALL-2).

In order: the city chosen in this session, the city remembered in the long-lived `rc_city`
cookie, the city of the visitor's IP address, the default city. The IP lookup is kept in
the session once the visitor has one; no session is opened just for it, so crawlers and
first page views do not create session rows.
"""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from rongcheng.core.client_ip import client_ip
from rongcheng.regions.ip_lookup import city_locator
from rongcheng.regions.models import Region
from rongcheng.regions.selectors import city_get
from rongcheng.regions.services import SESSION_KEY

COOKIE_NAME = "rc_city"
IP_SESSION_KEY = "ip_city"  # [address, city code] of the last lookup


def visitor_city(request) -> Region | None:
    if not hasattr(request, "_visitor_city"):
        request._visitor_city = _resolve(request)
    return request._visitor_city


def _resolve(request) -> Region | None:
    for code in (request.session.get(SESSION_KEY), request.COOKIES.get(COOKIE_NAME)):
        if code and (city := city_get(code=code)):
            return city
    ip = client_ip(request)
    has_session = request.session.session_key is not None
    if has_session:
        cached = request.session.get(IP_SESSION_KEY)
        if cached and cached[0] == ip and (city := city_get(code=cached[1])):
            return city
    city = city_locator().locate(ip)
    if has_session and city is not None:
        request.session[IP_SESSION_KEY] = [ip, city.code]
    return city


def remember_city(response, city: Region) -> None:
    """Keep the chosen city in a cookie, so it outlives the session."""
    response.set_cookie(
        COOKIE_NAME,
        city.code,
        max_age=int(settings.RONGCHENG["CITY_COOKIE_AGE"].total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class VisitorCityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.city = SimpleLazyObject(lambda: visitor_city(request))
        return self.get_response(request)
