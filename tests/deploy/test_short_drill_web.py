"""The drill's web checks (deploy/drill/drill.py), run in the normal suite: nginx with the
load-balancer topology in front of two real gunicorn "hosts", each with its own directory, on
the suite's PostgreSQL and Redis. Pages and API go through nginx to both hosts; a price
change reaches both hosts' page caches and both hosts' published files; one host killed -9
under load costs no request.

Read-your-writes against a lagging streaming replica: test_short_drill_replica.py."""

import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from rongcheng.catalog.models import Sku
from rongcheng.catalog.services import product_price_refresh
from rongcheng.catalog.tests.factories import BrandFactory, CategoryFactory, make_product
from rongcheng.seo.publish import Publisher
from tests.deploy.nginx_harness import HOST, running_nginx
from tests.deploy.web_hosts import THROUGH_BALANCER, Answer, WebHost, get, wait_for

pytestmark = [pytest.mark.drill, pytest.mark.postgres, pytest.mark.redis]
# A session cookie takes requests past the published files to Django.
TO_DJANGO = {**THROUGH_BALANCER, "Cookie": "sessionid=none"}


@dataclass
class Deployment:
    nginx_port: int
    hosts: tuple[WebHost, WebHost]

    def through_nginx(self, path: str, headers: dict[str, str] = TO_DJANGO) -> Answer:
        return get(self.nginx_port, path, headers)


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two hosts started together behind nginx, for the module; nginx serves host A's published
    files, as the nginx of host A would."""
    root = tmp_path_factory.mktemp("deployment")
    nginx_root = root / "nginx"
    hosts = (
        WebHost("A", (root / "a").resolve(), nginx_root / "published"),
        WebHost("B", (root / "b").resolve(), root / "b" / "published"),
    )
    for host in hosts:
        host.directory.mkdir()
        host.published.mkdir(parents=True)
    with django_db_blocker.unblock():  # the database's address, for the hosts
        for host in hosts:
            host.start()
    try:
        for host in hosts:
            host.wait_ready()
        ports = tuple(host.port for host in hosts)
        with running_nginx("tls-at-load-balancer.conf", nginx_root, ports) as nginx:
            yield Deployment(nginx.http_port, hosts)
    finally:
        for host in hosts:
            host.kill()


@pytest.fixture
def product(transactional_db, regions):
    """Committed, so that the hosts see it."""
    category = CategoryFactory(name="羊绒衫")
    return make_product(
        name="经典圆领羊绒衫", category=category, brand=BrandFactory(name="鄂尔多斯"),
        price=D("1280.00"),
    )  # fmt: skip


def price_tag(price: str) -> str:
    return f"<small>¥</small>{price}"


def finished(*publishing: subprocess.Popen) -> list[str]:
    outputs = [process.communicate(timeout=120)[0] for process in publishing]
    assert [process.returncode for process in publishing] == [0] * len(publishing), outputs
    return outputs


def test_pages_and_the_api_go_through_nginx_to_both_hosts(deployment, product):
    paths = ("/", "/en/", "/terms/", f"/product/{product.id}/", "/api/openapi.json", "/healthz",
             "/readyz", "/sitemap.xml")  # fmt: skip
    before = [host.served() for host in deployment.hosts]
    statuses = Counter(deployment.through_nginx(path).status for path in paths * 3)

    def served() -> list[int]:
        return [host.served() - start for host, start in zip(deployment.hosts, before, strict=True)]

    # A host writes its access log line just after the answer.
    wait_for(lambda: sum(served()) >= 24, 10, f"the hosts logged {served()} requests")
    assert statuses == {200: 24}
    assert sum(served()) == 24
    assert min(served()) >= 8  # nginx takes turns: neither host is left out


def test_the_load_balancers_probe_naming_a_host_by_address_is_answered(deployment):
    probe = {**THROUGH_BALANCER, "Host": "10.0.0.5"}
    assert deployment.through_nginx("/healthz", probe).body == "ok"
    ready = deployment.through_nginx("/readyz", probe)
    assert (ready.status, ready.body) == (200, '{"database": true, "redis": true}')
    assert deployment.through_nginx("/terms/", {**probe, "Cookie": "sessionid=none"}).status == 400


def test_a_price_change_is_purged_on_both_hosts(deployment, product):
    path = f"/product/{product.id}/"
    a, b = deployment.hosts
    for host in (a, b):  # each host's page cache keeps the anonymous page
        assert price_tag("1280.00") in get(host.port, path, THROUGH_BALANCER).body
        assert get(host.port, path, THROUGH_BALANCER).headers["X-Page-Cache"] == "hit"
    for host in (a, b):  # what each host published before (set up in-process: quicker)
        site = {"PUBLISHED_DIR": host.published, "SITE_URL": f"https://{HOST}"}
        with override_settings(RONGCHENG=settings.RONGCHENG | site, ALLOWED_HOSTS=[HOST]):
            assert Publisher().publish_all([path]).written == [path]
    published = deployment.through_nginx(path, THROUGH_BALANCER)
    assert published.headers["X-Published"] == "yes"
    assert price_tag("1280.00") in published.body

    with transaction.atomic():
        Sku.objects.filter(product=product).update(price=D("990.00"))
        product_price_refresh(product_ids=[product.id])

    # The purge bumped the generation in the Redis both hosts share: the old copy is retired
    # for both, the first host to be asked renders the new one and the other is served it.
    answers = [get(host.port, path, THROUGH_BALANCER) for host in (a, b)]
    assert [(answer.headers["X-Page-Cache"], price_tag("990.00") in answer.body)
            for answer in answers] == [("miss", True), ("hit", True)]  # fmt: skip
    started = time.monotonic()
    outputs = finished(a.publish_stale(), b.publish_stale())
    print(f"both hosts' timers refreshed the page in {time.monotonic() - started:.1f} s")
    for host, output in zip((a, b), outputs, strict=True):
        summary = next(line for line in output.splitlines() if line.startswith("published "))
        assert summary == f"published 1 pages, removed 0, skipped 0 → {host.published}"
    for host in (a, b):
        assert price_tag("990.00") in host.page(path)
        assert price_tag("1280.00") not in host.page(path)
    published = deployment.through_nginx(path, THROUGH_BALANCER)
    assert published.headers["X-Published"] == "yes"
    assert price_tag("990.00") in published.body


def test_one_host_killed_under_load_fails_no_request(deployment, product):
    """Last in the module: host A does not come back."""
    a, b = deployment.hosts
    statuses: Counter = Counter()
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            try:
                statuses[deployment.through_nginx("/terms/").status] += 1
            except OSError as error:
                statuses[type(error).__name__] += 1

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        a.kill()
        at_kill, b_at_kill = sum(statuses.values()), b.served()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    total = sum(statuses.values())
    print(f"{total} requests, {total - at_kill} after host A was killed: {dict(statuses)}")
    assert set(statuses) == {200}
    assert total - at_kill >= 3
    # Every request answered after the kill was host B's; up to one per thread may have been
    # logged by B between the two counts taken at the kill.
    after_kill = total - at_kill - len(threads)
    wait_for(lambda: b.served() - b_at_kill >= after_kill, 10, "host B did not answer them")
