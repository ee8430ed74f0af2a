"""The visitor's IP address, the one rule for every feature that counts or locates by address:
login lockouts (django-axes, `AXES_CLIENT_IP_CALLABLE`), SMS code limits per address and
IP → city.

Each proxy appends the address it received the request from to X-Forwarded-For, and the last
proxy is the connection itself (REMOTE_ADDR). With `TRUSTED_PROXY_COUNT` = N proxies in front of
the web processes, the hops are the X-Forwarded-For entries followed by REMOTE_ADDR, and the
visitor is the hop N places left of REMOTE_ADDR: the N-th X-Forwarded-For entry from the right.
Entries further left were written by the visitor and are ignored, so a forged header changes
nothing. With N = 0 (the embedded setup, no proxy) the header is never read. With fewer hops
than N + 1 the request came past fewer proxies, each of them trusted: the farthest hop is the
visitor.

The rule holds only when the web processes can be reached through the proxies alone (gunicorn
and uvicorn listen on 127.0.0.1 in deploy/).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address in canonical form; None when that hop is not an address."""
    hops = [request.META.get("REMOTE_ADDR", "")]
    trusted = settings.RONGCHENG["TRUSTED_PROXY_COUNT"]
    if trusted > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()] + hops
    return canonical_address(hops[max(0, len(hops) - 1 - trusted)])


def canonical_address(value: str) -> str | None:
    """'1.2.3.4', '1.2.3.4:5678', '[2001:db8::1]:443' or '2001:DB8::1' as an address, else None."""
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
