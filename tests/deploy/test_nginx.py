"""Both TLS topologies of deploy/nginx/, run for real: schemes, redirects, probe, headers."""

import re

import pytest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import override_settings
from django.test.client import RequestFactory

from tests.deploy.nginx_harness import DEPLOY, check, render, running_nginx

HASHED = "css/app.0123456789ab.css"


def publish(root, path: str, html: str = "<!doctype html><title>条款</title>") -> None:
    page = root / "published" / path.strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(html)


def add_static(root) -> None:
    for name in (HASHED, "css/app.css"):
        path = root / "var" / "static" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("body{}")


def security_headers(response) -> dict[str, str | None]:
    names = ("Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options")
    return {name: response.headers.get(name) for name in names}


SECURE = {
    "Strict-Transport-Security": "max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("topology", ["tls-at-nginx.conf", "tls-at-load-balancer.conf"])
def test_nginx_accepts_the_configuration(tmp_path, topology):
    main, _, _ = render(topology, tmp_path, backend_ports=(8001,))
    result = check(main)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_tls_at_nginx(tmp_path):
    with running_nginx("tls-at-nginx.conf", tmp_path) as nginx:
        add_static(tmp_path)
        publish(tmp_path, "/terms/")
        plain = nginx.get("/product/12/?from=home")
        probe = nginx.get("/healthz")
        page = nginx.get("/cart/", https=True)
        published = nginx.get("/terms/", https=True)
        hashed = nginx.get(f"/static/{HASHED}", https=True)
        unhashed = nginx.get("/static/css/app.css", https=True)
        metrics_from_loopback = nginx.get("/metrics", https=True)
        (tmp_path / "media" / "a.jpg").write_bytes(b"\xff\xd8")
        (tmp_path / "media" / "a.html").write_text("<script>")
        picture = nginx.get("/media/a.jpg", https=True)
        page_in_media = nginx.get("/media/a.html", https=True)

    assert (plain.status, plain.headers["Location"]) == (
        301,
        "https://shop.example.com/product/12/?from=home",
    )
    assert probe.status == 200
    assert probe.json()["headers"]["X-Forwarded-Proto"] == "http"
    assert probe.json()["path"] == "/healthz"
    assert page.status == 200
    assert page.json()["headers"]["X-Forwarded-Proto"] == "https"
    assert re.fullmatch(r"[0-9a-f]{32}", page.json()["headers"]["X-Request-ID"])
    assert (published.status, published.headers["X-Published"]) == (200, "yes")
    assert security_headers(published) == SECURE
    assert published.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in published.headers["Content-Security-Policy"]
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert unhashed.headers["Cache-Control"] == "no-cache"
    assert security_headers(hashed) == security_headers(unhashed) == SECURE
    assert metrics_from_loopback.json()["path"] == "/metrics"
    assert (picture.headers["Content-Type"], picture.headers.get("Content-Disposition")) == (
        "image/jpeg",
        None,
    )
    assert page_in_media.headers["Content-Type"] == "application/octet-stream"
    assert page_in_media.headers["Content-Disposition"] == "attachment"
    for media in (picture, page_in_media):
        assert security_headers(media) == SECURE
        assert media.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_tls_at_the_load_balancer_keeps_its_scheme_and_answers_its_probe(tmp_path):
    with running_nginx("tls-at-load-balancer.conf", tmp_path) as nginx:
        publish(tmp_path, "/en/terms/")
        add_static(tmp_path)
        over_https = nginx.get("/cart/", X_Forwarded_Proto="https")
        over_http = nginx.get("/cart/?step=2", X_Forwarded_Proto="http")
        probe = nginx.get("/healthz")
        probe_over_http = nginx.get("/healthz", X_Forwarded_Proto="http")
        published = nginx.get("/en/terms/", X_Forwarded_Proto="https")
        static = nginx.get(f"/static/{HASHED}", X_Forwarded_Proto="https")

    # Passed on, not replaced by nginx's own plain-HTTP scheme: no redirect loop in Django.
    assert over_https.status == 200
    assert over_https.json()["headers"]["X-Forwarded-Proto"] == "https"
    assert (over_http.status, over_http.headers["Location"]) == (
        301,
        "https://shop.example.com/cart/?step=2",
    )
    assert probe.status == probe_over_http.status == 200
    assert probe.json()["path"] == "/healthz"
    assert (published.status, published.headers["X-Published"]) == (200, "yes")
    assert security_headers(published) == security_headers(static) == SECURE


def test_nginx_sends_the_hsts_header_django_sends_in_production():
    headers = (DEPLOY / "security-headers.conf").read_text()
    nginx_hsts = re.search(r'Strict-Transport-Security "([^"]+)"', headers).group(1)
    with override_settings(
        SECURE_HSTS_SECONDS=3600,  # the first stage (test_production_settings checks it)
        SECURE_HSTS_INCLUDE_SUBDOMAINS=False,
        SECURE_HSTS_PRELOAD=False,
        SECURE_SSL_REDIRECT=False,
    ):
        request = RequestFactory().get("/", secure=True)
        response = SecurityMiddleware(lambda request: HttpResponse())(request)
    assert response["Strict-Transport-Security"] == nginx_hsts
