from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from rongcheng.regions.errors import UnknownCity
from rongcheng.regions.middleware import COOKIE_NAME, IP_SESSION_KEY, visitor_city
from rongcheng.regions.services import SESSION_KEY, visitor_city_set

SessionStore = import_module(django_settings.SESSION_ENGINE).SessionStore


@pytest.fixture
def with_xdb(settings, xdb_file):
    settings.RONGCHENG = {**settings.RONGCHENG, "IP2REGION_XDB": str(xdb_file)}


def _request(*, ip="1.180.3.4", session=None, cookie=None, **meta):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, **meta)
    request.session = session if session is not None else SessionStore()
    if cookie:
        request.COOKIES[COOKIE_NAME] = cookie
    return request


def _existing_session():
    session = SessionStore()
    session["seen"] = True
    session.save()
    return SessionStore(session.session_key)


def test_nothing_known_gives_the_default_city(all_regions):
    assert visitor_city(_request()).code == "110100"


def test_the_ip_address_gives_the_city(all_regions, with_xdb):
    assert visitor_city(_request(ip="1.180.3.4")).name == "鄂尔多斯市"


def test_the_cookie_beats_the_ip_address(all_regions, with_xdb):
    assert visitor_city(_request(ip="1.180.3.4", cookie="440300")).name == "深圳市"


def test_the_session_choice_beats_the_cookie(all_regions, with_xdb):
    session = SessionStore()
    visitor_city_set(session=session, code="350200")
    assert visitor_city(_request(session=session, cookie="440300")).name == "厦门市"


@pytest.mark.parametrize("stale", ["150000", "999999", "<script>"])
def test_a_cookie_that_is_not_a_city_is_ignored(all_regions, with_xdb, stale):
    assert visitor_city(_request(ip="1.180.3.4", cookie=stale)).name == "鄂尔多斯市"


def test_forwarded_address_counts_only_behind_trusted_proxies(all_regions, with_xdb, settings):
    meta = {"ip": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.180.3.4"}
    assert visitor_city(_request(**meta)).name == "北京市"
    settings.RONGCHENG = {**settings.RONGCHENG, "TRUSTED_PROXY_COUNT": 1}
    assert visitor_city(_request(**meta)).name == "鄂尔多斯市"


def test_the_lookup_is_kept_in_an_existing_session(
    all_regions, with_xdb, django_assert_max_num_queries
):
    session = _existing_session()
    assert visitor_city(_request(session=session)).name == "鄂尔多斯市"
    assert session[IP_SESSION_KEY] == ["1.180.3.4", "150600"]

    with django_assert_max_num_queries(1):  # the city row only: no name matching
        assert visitor_city(_request(session=session)).name == "鄂尔多斯市"
    # A new address is looked up again.
    assert visitor_city(_request(ip="113.118.1.1", session=session)).name == "深圳市"
    assert session[IP_SESSION_KEY] == ["113.118.1.1", "440300"]


def test_no_session_is_opened_just_for_the_lookup(all_regions, with_xdb):
    session = SessionStore()
    assert visitor_city(_request(session=session)).name == "鄂尔多斯市"
    assert session.session_key is None and not session.modified


def test_switching_to_an_unknown_city_is_refused_and_changes_nothing(all_regions):
    session = SessionStore()
    visitor_city_set(session=session, code="150600")
    for code in ["150000", "150602", "999999", ""]:
        with pytest.raises(UnknownCity):
            visitor_city_set(session=session, code=code)
    assert session[SESSION_KEY] == "150600"
