"""Every page carries the Content-Security-Policy; the pages nginx serves carry the same."""

import re
from pathlib import Path

import pytest
from csp.utils import build_policy
from django.conf import settings

from rongcheng.core.uploads import MEDIA_CSP, MEDIA_TYPES
from rongcheng.seo.page_cache import HEADER as PAGE_CACHE

NGINX_DIR = Path(settings.BASE_DIR, "deploy", "nginx")
NGINX_CONF = (NGINX_DIR / "locations.conf").read_text()
TEMPLATES = sorted(Path(settings.BASE_DIR, "rongcheng").glob("*/jinja2/**/*.html"))
SITE_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'",),
    "media-src": ("'self'",),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}


def parse_policy(header: str) -> dict[str, tuple[str, ...]]:
    """A policy as {directive: sources}; django-csp writes directives in no fixed order."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = tuple(sources)
    return directives


def _nginx_location(prefix: str) -> str:
    match = re.search(rf"\nlocation {re.escape(prefix)} \{{\n(.*?)\n\}}", NGINX_CONF, re.S)
    assert match, prefix
    return match.group(1)


def _nginx_header(block: str, name: str) -> str:
    match = re.search(rf'add_header {name} "([^"]+)" always;', block)
    assert match, name
    return match.group(1)


@pytest.mark.django_db
def test_shopper_pages_carry_the_site_policy_also_from_the_page_cache(client, regions):
    first = client.get("/terms/")
    second = client.get("/terms/")
    assert (first[PAGE_CACHE], second[PAGE_CACHE]) == ("miss", "hit")
    assert parse_policy(first["Content-Security-Policy"]) == SITE_POLICY
    assert parse_policy(second["Content-Security-Policy"]) == SITE_POLICY
    assert parse_policy(client.get("/login/")["Content-Security-Policy"]) == SITE_POLICY


@pytest.mark.django_db
def test_only_the_back_office_may_evaluate_scripts_and_use_inline_styles(client):
    policy = parse_policy(client.get("/backoffice/login/")["Content-Security-Policy"])
    assert policy == SITE_POLICY | {
        "script-src": ("'self'", "'unsafe-eval'"),
        "style-src": ("'self'", "'unsafe-inline'"),
    }


@pytest.mark.django_db
def test_the_api_documentation_may_show_data_icons_and_the_api_has_the_site_policy(client):
    docs = parse_policy(client.get("/api/docs")["Content-Security-Policy"])
    assert docs == SITE_POLICY | {"img-src": ("'self'", "data:")}
    api = parse_policy(client.get("/api/openapi.json")["Content-Security-Policy"])
    assert api == SITE_POLICY


def test_nginx_sends_the_site_policy_with_published_pages():
    published = _nginx_location("/")
    assert parse_policy(_nginx_header(published, "Content-Security-Policy")) == SITE_POLICY
    assert parse_policy(build_policy()) == SITE_POLICY
    # nosniff and the other common headers (tests/deploy/test_nginx.py checks them served).
    assert "include /etc/nginx/rongcheng/security-headers.conf;" in published


def test_nginx_serves_media_as_the_embedded_server_does():
    media = _nginx_location("/media/")
    assert _nginx_header(media, "Content-Security-Policy") == MEDIA_CSP
    assert "include /etc/nginx/rongcheng/security-headers.conf;" in media
    security_headers = (NGINX_DIR / "security-headers.conf").read_text()
    assert "add_header X-Content-Type-Options nosniff always;" in security_headers
    assert "default_type application/octet-stream;" in media
    types = re.search(r"types \{\n(.*?)\n    \}", media, re.S).group(1)
    served = {
        extension: content_type
        for content_type, *extensions in (line.rstrip(";").split() for line in types.splitlines())
        for extension in extensions
    }
    assert served == MEDIA_TYPES
    shared = (NGINX_DIR / "shared.conf").read_text()
    inline = re.search(r'"~\*\\\.\(([^)]+)\)\$" ""', shared).group(1)
    assert set(inline.replace("jpe?g", "jpg|jpeg").split("|")) == set(MEDIA_TYPES)


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=lambda path: str(path.relative_to(path.parents[3]))
)
def test_no_template_has_inline_script_or_style(template):
    """Published and cached pages cannot carry a per-request nonce: scripts and styles come
    from static files; JSON-LD data blocks are not scripts the policy governs."""
    source = template.read_text()
    inline_scripts = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", source
    )
    assert inline_scripts == []
    assert re.findall(r"<style|\sstyle=|\son[a-z]+=", source) == []
