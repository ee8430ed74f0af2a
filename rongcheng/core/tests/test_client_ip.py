"""client_ip: the visitor's address behind exactly TRUSTED_PROXY_COUNT proxies."""

import pytest
from django.test import RequestFactory

from rongcheng.core.client_ip import canonical_address, client_ip

CONNECTION = "203.0.113.9"  # REMOTE_ADDR: the last hop, a proxy when any is trusted


def address(settings, trusted: int, forwarded: str | None) -> str | None:
    settings.RONGCHENG = {**settings.RONGCHENG, "TRUSTED_PROXY_COUNT": trusted}
    meta = {"REMOTE_ADDR": CONNECTION}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    "forwarded", [None, "", "1.180.3.4", "6.6.6.6, 1.180.3.4", "garbage", "127.0.0.1"]
)
def test_without_a_trusted_proxy_the_header_is_never_read(settings, forwarded):
    # A client that is not a proxy wrote the header: it says nothing about the client.
    assert address(settings, 0, forwarded) == CONNECTION


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("1.180.3.4", "1.180.3.4"),  # nginx appended the address it saw
        ("6.6.6.6, 1.180.3.4", "1.180.3.4"),  # the client forged the left entry
        ("6.6.6.6,7.7.7.7 , 1.180.3.4", "1.180.3.4"),
        ("", CONNECTION),  # no proxy header: only the connection is known
        (None, CONNECTION),
    ],
)
def test_one_trusted_proxy_vouches_for_the_rightmost_entry(settings, forwarded, expected):
    assert address(settings, 1, forwarded) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        # client → load balancer (198.51.100.7) → nginx (REMOTE_ADDR) → app
        ("1.180.3.4, 198.51.100.7", "1.180.3.4"),
        ("6.6.6.6, 1.180.3.4, 198.51.100.7", "1.180.3.4"),
        # past one proxy only: each hop known was written by a trusted proxy
        ("1.180.3.4", "1.180.3.4"),
        (None, CONNECTION),
    ],
)
def test_two_trusted_proxies_vouch_for_the_second_entry_from_the_right(
    settings, forwarded, expected
):
    assert address(settings, 2, forwarded) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.180.3.4", "1.180.3.4"),
        ("1.180.3.4:5678", "1.180.3.4"),
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("garbage", None),
        ("", None),
    ],
)
def test_canonical_address(value, expected):
    assert canonical_address(value) == expected
