"""Give every request the visitor's city: the one they chose, else the default city."""

from django.utils.functional import SimpleLazyObject

from rongcheng.regions.selectors import default_city, region_get
from rongcheng.regions.services import SESSION_KEY


def _visitor_city(request):
    code = request.session.get(SESSION_KEY)
    return (code and region_get(code=code)) or default_city()


class VisitorCityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.city = SimpleLazyObject(lambda: _visitor_city(request))
        return self.get_response(request)
