import pytest
from django.db import connections

from rongcheng.core.observability import probes


def scrape(client, **meta) -> str:
    response = client.get("/metrics", **meta)
    assert response.status_code == 200
    return response.content.decode()


def sample(text: str, line_start: str) -> float:
    values = [line.split()[-1] for line in text.splitlines() if line.startswith(line_start)]
    return float(values[0]) if values else 0.0


@pytest.mark.django_db
def test_metrics_count_requests_per_view_and_page_cache_results(client, regions):
    requests = 'rongcheng_http_requests_total{method="GET",status="200",view="healthz"}'
    misses = 'rongcheng_page_cache_responses_total{result="miss"}'
    hits = 'rongcheng_page_cache_responses_total{result="hit"}'
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/terms/")
    client.get("/terms/")
    after = scrape(client)
    assert sample(after, requests) - sample(before, requests) == 2
    assert sample(after, misses) - sample(before, misses) == 1
    assert sample(after, hits) - sample(before, hits) == 1
    assert 'rongcheng_http_request_seconds_count{view="healthz"}' in after
    assert 'rongcheng_db_query_seconds_count{database="default"}' in after


@pytest.mark.redis  # the shared cache is the one timed, the broker's queue the one measured
@pytest.mark.django_db
def test_metrics_time_the_shared_cache_and_measure_the_broker_s_queue(client, regions):
    client.get("/terms/")
    after = scrape(client)
    assert 'rongcheng_cache_operation_seconds_count{operation="get"}' in after
    assert 'rongcheng_celery_queue_length{queue="celery"}' in after


@pytest.mark.django_db  # the 404 page reads the catalogue
def test_metrics_are_for_the_internal_network_only(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    # Behind nginx the connection is internal, the visitor is not.
    settings.RONGCHENG = settings.RONGCHENG | {"TRUSTED_PROXY_COUNT": 1}
    forwarded = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert forwarded.status_code == 404


@pytest.mark.django_db
def test_readiness_checks_the_database_and_redis(client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"database": True, "redis": True})


@pytest.mark.django_db
def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse():
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"database": False, "redis": True})


def test_readiness_fails_when_redis_does_not_answer(client, monkeypatch, settings):
    monkeypatch.setattr(probes, "_database_answers", lambda: True)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"database": True, "redis": False})


def test_the_liveness_probe_touches_no_database(client):
    # No django_db mark: a query would fail the test.
    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
@pytest.mark.parametrize("prober_host", ["10.0.0.5", "localhost:8001", "[::1]:8001", ""])
def test_the_probes_answer_whatever_host_the_load_balancer_names(client, settings, prober_host):
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    assert client.get("/healthz", HTTP_HOST=prober_host).content == b"ok"
    ready = client.get("/readyz", HTTP_HOST=prober_host)
    assert (ready.status_code, ready.json()) == (200, {"database": True, "redis": True})


def test_other_paths_still_refuse_a_host_outside_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    assert client.get("/terms/", HTTP_HOST="10.0.0.5").status_code == 400
    assert client.get("/healthz/x", HTTP_HOST="10.0.0.5").status_code == 400
