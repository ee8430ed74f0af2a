"""An in-process visitor: requests go through the whole site (middleware, real views) as an
anonymous shopper of the default city, at the shop's public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from rongcheng.regions.middleware import COOKIE_NAME as CITY_COOKIE


def site_host() -> tuple[str, bool]:
    """(host, https?) of SITE_URL, else the first concrete name of ALLOWED_HOSTS."""
    site = urlsplit(settings.RONGCHENG["SITE_URL"])
    if site.netloc:
        return site.netloc, site.scheme == "https"
    concrete = [host for host in settings.ALLOWED_HOSTS if host != "*" and host[:1] != "."]
    return (concrete[0] if concrete else "localhost"), False


class Visitor:
    def __init__(self) -> None:
        self.host, self.secure = site_host()
        self.client = Client(HTTP_HOST=self.host, raise_request_exception=False)
        self.client.cookies[CITY_COOKIE] = settings.RONGCHENG["DEFAULT_CITY_CODE"]

    def get(self, path: str):
        return self.client.get(path, secure=self.secure)
