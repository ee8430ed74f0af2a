"""The database router: reads of read-only requests to a replica, everything else to the primary."""

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from rongcheng.core.db_routing import (
    PRIMARY_COOKIE,
    READ_YOUR_WRITES_SECONDS,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    replica_reads,
)
from rongcheng.inventory.models import Stock


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def test_reads_of_a_read_only_block_go_to_the_replica(replicas):
    with replica_reads():
        assert Stock.objects.all().db == "replica1"
        assert Stock.objects.filter(on_hand__gt=0).db == "replica1"


def test_reads_outside_requests_go_to_the_primary(replicas):
    """Tasks and commands act on what they read: never a lagging copy."""
    assert Stock.objects.all().db == "default"


def test_locks_and_writes_go_to_the_primary_and_pin_the_rest_of_the_block(replicas):
    with replica_reads():
        assert Stock.objects.select_for_update().db == "default"
        # After the lock was asked for, the block reads its own database.
        assert Stock.objects.all().db == "default"
    with replica_reads():
        assert PrimaryReplicaRouter().db_for_write(Stock) == "default"
        assert Stock.objects.all().db == "default"


def test_reads_inside_a_transaction_go_to_the_primary(replicas, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads():
        assert Stock.objects.all().db == "default"


def test_without_replicas_everything_goes_to_the_primary():
    with replica_reads():
        assert Stock.objects.all().db == "default"


def test_only_the_primary_is_migrated():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "inventory") is True
    assert router.allow_migrate("replica1", "inventory") is False


def reading_view(seen):
    def view(request):
        seen.append(Stock.objects.all().db)
        return HttpResponse("ok")

    return view


def writing_view(seen):
    def view(request):
        seen.append(Stock.objects.all().db)
        PrimaryReplicaRouter().db_for_write(Stock)  # as save() or select_for_update() ask
        seen.append(Stock.objects.all().db)
        return HttpResponse("ok")

    return view


MEMBER = {"HTTP_COOKIE": "sessionid=abc"}


def test_a_members_read_only_request_reads_the_replica_and_sets_no_cookie(replicas):
    seen = []
    response = ReplicaReadsMiddleware(reading_view(seen))(RequestFactory().get("/", **MEMBER))
    assert seen == ["replica1"]
    assert PRIMARY_COOKIE not in response.cookies


def test_an_api_call_with_a_token_reads_the_replica(replicas):
    seen = []
    request = RequestFactory().get("/api/orders", HTTP_AUTHORIZATION="Bearer t0ken")
    ReplicaReadsMiddleware(reading_view(seen))(request)
    assert seen == ["replica1"]


def test_anonymous_pages_shared_through_the_caches_are_rendered_from_the_primary(replicas):
    seen = []
    ReplicaReadsMiddleware(reading_view(seen))(RequestFactory().get("/product/12/"))
    assert seen == ["default"]


def test_a_post_reads_the_primary_and_pins_the_client_for_a_while(replicas):
    seen = []
    response = ReplicaReadsMiddleware(reading_view(seen))(RequestFactory().post("/", **MEMBER))
    assert seen == ["default"]
    cookie = response.cookies[PRIMARY_COOKIE]
    assert (cookie.value, cookie["max-age"], cookie["httponly"]) == (
        "1",
        READ_YOUR_WRITES_SECONDS,
        True,
    )


def test_a_get_that_writes_switches_to_the_primary_and_pins_the_client(replicas):
    seen = []
    response = ReplicaReadsMiddleware(writing_view(seen))(RequestFactory().get("/", **MEMBER))
    assert seen == ["replica1", "default"]
    assert response.cookies[PRIMARY_COOKIE]["max-age"] == READ_YOUR_WRITES_SECONDS


def test_a_client_that_just_wrote_reads_its_writes_from_the_primary(replicas):
    seen = []
    request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid=abc; {PRIMARY_COOKIE}=1")
    response = ReplicaReadsMiddleware(reading_view(seen))(request)
    assert seen == ["default"]
    assert PRIMARY_COOKIE not in response.cookies


def test_requests_after_the_middleware_read_the_primary_again(replicas):
    seen = []
    ReplicaReadsMiddleware(reading_view(seen))(RequestFactory().get("/", **MEMBER))
    assert seen == ["replica1"]
    assert Stock.objects.all().db == "default"
