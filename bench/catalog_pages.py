# A benchmark: fixed-seed random data, and it runs our own commands and wrk.
# ruff: noqa: S311, S603, S607
"""Requests per second of the home, category and product pages with a large catalogue,
measured against /healthz on the same machine (gunicorn sync workers on a loopback port).

    .venv/bin/python bench/catalog_pages.py              # SQLite file in a fresh temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench .venv/bin/python bench/catalog_pages.py

Settings by environment: PRODUCTS (100000), DURATION seconds per page (15), CONNECTIONS (32),
WORKERS (2), MODE (`mixed`: a few hundred addresses asked again and again, so the page cache
answers most of them; `cold`: every request asks for an address not asked before, so each
page is rendered, as on a first visit). Page copies earlier runs left in Redis are deleted
first. A PostgreSQL database must exist; it is loaded once
and reused while it holds at least PRODUCTS products; SQLITE_PATH keeps a loaded SQLite file
between runs. The load uses wrk when installed, otherwise a bounded Python client (slower:
its figures are a floor). Prints a Markdown table for bench/BENCHMARKS.md, each page's rate
also as a share of /healthz in the same run, and the CPU each request cost by process (the
gunicorn workers, their PostgreSQL backends, Redis, the client, and the whole host, from
Linux's /proc). "Share by CPU" is /healthz's CPU a request over the page's, both without the
rest of the host: on a host shared with other work the rates follow that work, the CPU a
request costs does not.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ORDOS = "150600"
ROOTS = ["女装", "男装", "童装", "家居"]
LEAVES = ["羊绒衫", "羊绒开衫", "羊绒大衣", "围巾披肩", "针织裤"]
BATCH = 2000


# --- Loading (runs in a child process with Django set up) -----------------------------------


def load(count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.db import connection, transaction
    from django.utils import timezone

    from rongcheng.catalog.models import Audience, Brand, Category, Product, ProductImage, Sku
    from rongcheng.catalog.services import category_tree_invalidate
    from rongcheng.cms.models import Ad, AdSlot, DisplayTemplate, HomeArea, PromotionNotice
    from rongcheng.core import image_variants
    from rongcheng.core.dates import local_day
    from rongcheng.core.testing.factories import RegionTreeFactory
    from rongcheng.inventory.models import Stock, StoreListing
    from rongcheng.regions.models import Region
    from rongcheng.stores.models import Store

    existing = Product.objects.count()
    if existing >= count:
        print(f"reusing {existing} products", flush=True)
        return
    if existing:
        sys.exit(f"the database holds {existing} products: use an empty one")
    started = time.monotonic()
    rng = random.Random(2026)
    now = timezone.now()
    today = local_day()
    with transaction.atomic():
        if not Region.objects.filter(code=ORDOS).exists():
            RegionTreeFactory.create_tree()
        ordos = Region.objects.get(code=ORDOS)
        audiences = [
            Audience.objects.create(code=code, name=name, position=i)
            for i, (code, name) in enumerate([("women", "女士"), ("men", "男士"), ("kids", "儿童")])
        ]
        leaves = []
        for position, name in enumerate(ROOTS):
            root = Category.objects.create(name=name, position=position, is_recommended=True)
            leaves += [
                Category.objects.create(name=f"{name}{leaf}", parent=root, position=i)
                for i, leaf in enumerate(LEAVES)
            ]
        brands = Brand.objects.bulk_create(
            Brand(name=f"品牌{i:02d}", in_brand_hall=i < 12, is_hot=i < 8, position=i)
            for i in range(30)
        )
        stores = Store.objects.bulk_create(
            Store(
                code=f"s{i:03d}",
                name=f"鄂尔多斯{i}号店",
                kind=Store.Kind.DIRECT,
                city=ordos,
                address=f"康巴什区{i}号",
                latitude=Decimal("39.608266") + Decimal(i) / 100,
                longitude=Decimal("109.781327") + Decimal(i) / 100,
                phone="0477-8500000",
                is_recommended=i < 8,
            )
            for i in range(20)
        )
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            prices = [Decimal(rng.randrange(299, 5999)) for _ in range(size)]
            # One product in ten is on special, spread over every category.
            specials = [rng.random() < 0.1 for _ in range(size)]
            products = Product.objects.bulk_create(
                Product(
                    style_code=f"B{start + i:07d}",
                    name=f"羊绒{LEAVES[(start + i) % len(LEAVES)]}{start + i}",
                    category=leaves[(start + i) % len(leaves)],
                    brand=brands[rng.randrange(len(brands))],
                    audience=audiences[(start + i) % len(audiences)],
                    launch_date=today - datetime.timedelta(days=rng.randrange(730)),
                    sales_count=rng.randrange(5000),
                    price=prices[i],
                )
                for i in range(size)
            )
            skus = Sku.objects.bulk_create(
                Sku(
                    product=product,
                    code=f"{product.style_code}-{size_label}",
                    colour="驼色",
                    size=size_label,
                    position=n,
                    price=price + 100 * n,
                    **(
                        {
                            "special_price": (price * Decimal("0.8")).quantize(Decimal("1")),
                            "special_starts_at": now - datetime.timedelta(days=1),
                            "special_ends_at": now + datetime.timedelta(days=30),
                        }
                        if special
                        else {}
                    ),
                )
                for product, price, special in zip(products, prices, specials, strict=True)
                for n, size_label in enumerate(("M", "L"))
            )
            # Recorded as if their WebP variants were written, so that pages list them as in
            # a shop: the benchmark renders pages and never fetches a picture.
            ProductImage.objects.bulk_create(
                ProductImage(
                    product=product,
                    image=f"catalog/products/{product.style_code}/1.jpg",
                    image_widths=image_variants.recorded("picture"),
                    thumbnail=f"catalog/products/{product.style_code}/thumbs/1.jpg",
                    thumbnail_widths=image_variants.recorded("thumbnail"),
                )
                for product in products
            )
            # Every product is sold by two stores; the first of them holds stock.
            StoreListing.objects.bulk_create(
                StoreListing(
                    store=stores[(product.id + k) % len(stores)],
                    product=product,
                    listed_at=now,
                    sales_count=rng.randrange(300),
                )
                for product in products
                for k in (0, 7)
            )
            Stock.objects.bulk_create(
                Stock(store=stores[sku.product.id % len(stores)], sku=sku, on_hand=5)
                for sku in skus
            )
        grid = DisplayTemplate.objects.create(name="五列两行", layout="grid", columns=5, rows=2)
        feature = DisplayTemplate.objects.create(
            name="大图+网格", layout="feature", columns=4, rows=2
        )
        slot = AdSlot.objects.create(code="home-banner", name="首页大图")
        for i in range(3):
            Ad.objects.create(
                slot=slot,
                title=f"广告{i}",
                image=f"cms/ads/{i}.jpg",
                image_widths=image_variants.recorded("banner"),
                category=leaves[i],
                starts_at=now - datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(days=30),
                position=i,
            )
        PromotionNotice.objects.create(
            title="会员日全场九折",
            body="每月 8 日",
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=30),
        )
        areas = [
            ("banner", "大幅广告", grid, {"ad_slot": slot}),
            ("hot_products", "热销商品", grid, {}),
            ("featured_stores", "推荐门店", grid, {}),
            ("hot_brands", "热门品牌", grid, {}),
            ("special_sale", "特卖专区", grid, {}),
            *[
                ("category", f"{root.name}专区", feature if i % 2 else grid, {"category": root})
                for i, root in enumerate(Category.objects.filter(parent=None))
            ],
            ("notices", "促销公告", grid, {}),
        ]
        for position, (kind, title, template, extra) in enumerate(areas):
            HomeArea.objects.create(
                kind=kind, title=title, template=template, position=position, **extra
            )
        category_tree_invalidate()
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load in service: the statistics, and the
        # visibility map that lets the planner read an index alone (a host may run without it).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"loaded {count} products in {time.monotonic() - started:.0f}s", flush=True)


# Distinct addresses per page in the cold mode: more than a page is asked for in a run.
COLD_ADDRESSES = 6000


def sample_paths(mode: str) -> dict[str, list[str]]:
    """Per page, the addresses to measure; under "warm:<page>" those asked once before."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()

    from rongcheng.catalog.models import Brand, Category, Product
    from rongcheng.storefront.browse import category_url

    rng = random.Random(7)
    categories = [category_url(c.id, c.name) for c in Category.objects.all()]
    if mode == "cold":
        ids = list(Product.objects.order_by("?").values_list("id", flat=True)[:COLD_ADDRESSES])
        brands = [None, *Brand.objects.values_list("id", flat=True)]
        listings = [
            f"{category}?sort={sort}&page={page}" + (f"&brand={brand}" if brand else "")
            for category in categories
            for sort in ("sales", "price", "-price", "newest")
            for page in range(1, 6)
            for brand in brands
        ]
        rng.shuffle(listings)
        return {
            # Every category's shared blocks, computed before the run as a running site
            # keeps them, so that the run measures the pages, not the blocks.
            "warm:category": [f"{category}?warm=1" for category in categories],
            "healthz": ["/healthz"],
            # One home address, shared with tracking parameters that make every copy new.
            "home": [f"/?utm_source=bench{n}" for n in range(COLD_ADDRESSES)],
            "category": listings[:COLD_ADDRESSES],
            "product": [f"/product/{pk}/" for pk in ids],
        }
    ids = list(Product.objects.order_by("?").values_list("id", flat=True)[:500])
    queries = ["", "?sort=price", "?sort=newest", "?page=2", "?page=5&sort=-price"]
    return {
        "healthz": ["/healthz"],
        "home": ["/"],
        "category": [rng.choice(categories) + rng.choice(queries) for _ in range(200)],
        "product": [f"/product/{pk}/" for pk in ids],
    }


def clear_page_copies() -> None:
    """Delete the page copies earlier runs left in a shared Redis cache. A cold run writes
    thousands of first visits (a category page is 73 kB), gigabytes after a few runs, and
    runs on a cache grown so were slower and less steady; the generations and shared blocks
    stay, as a running site keeps them."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from rongcheng.seo.page_cache import KEY_PREFIX

    cache = caches["default"]
    if not isinstance(cache, RedisCache):  # a cache in each process starts empty
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key(KEY_PREFIX + "*"), count=1000))
    for start in range(0, len(keys), BATCH):
        client.unlink(*keys[start : start + BATCH])
    print(f"cleared {len(keys):,} page copies of earlier runs", flush=True)


# --- Measuring ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - a loopback address
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """Seconds of CPU process `pid` has used (user + system), 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _host_busy() -> float:
    """Seconds of CPU the whole host has used, every core and process together."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICK


def _processes(server: int, database: str | None) -> dict[str, list[int]]:
    """The processes a page's CPU lands in: the gunicorn workers, their PostgreSQL backends
    (named after the database in their command line), Redis."""
    found: dict[str, list[int]] = {"workers": [], "PostgreSQL": [], "Redis": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server:
            found["workers"].append(int(entry.name))
        elif database and command.startswith("postgres:") and f" {database} " in command:
            found["PostgreSQL"].append(int(entry.name))
        elif command.startswith("redis-server"):
            found["Redis"].append(int(entry.name))
    return found


class CpuSplit:
    """CPU milliseconds per request by process over one measured run: the workers, their
    database backends, Redis, the load generator, and the whole host (the rest is other work
    on the host and gunicorn's master)."""

    def __init__(self, server: int, database: str | None):
        self.server, self.database = server, database

    def __enter__(self):
        self.before = {
            name: {pid: _cpu(pid) for pid in pids}
            for name, pids in _processes(self.server, self.database).items()
        }
        self.client = self._client()
        self.host = _host_busy()
        return self

    def __exit__(self, *exc):
        # A backend opened during the run counts from zero; one closed during it is lost.
        self.used = {
            name: sum(_cpu(pid) - self.before[name].get(pid, 0.0) for pid in pids)
            for name, pids in _processes(self.server, self.database).items()
        }
        self.used["client"] = self._client() - self.client
        self.used["host"] = _host_busy() - self.host

    @staticmethod
    def _client() -> float:
        """wrk's CPU (a child process) or the Python client's (threads of this one)."""
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system

    def per_request(self, requests: float) -> str:
        return " · ".join(f"{seconds * 1000 / requests:.1f}" for seconds in self.used.values())

    def own(self, requests: float) -> float:
        """CPU seconds a request cost the processes that serve it and the client: what the
        rest of the host did meanwhile (other work on a shared host) left out."""
        return sum(seconds for name, seconds in self.used.items() if name != "host") / requests


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, workdir: Path) -> dict:
    script = workdir / "paths.lua"
    quoted = ",".join(f'"{path}"' for path in paths)
    # Each wrk thread walks its own part of the list, so no two threads ask for the same
    # address unless the list runs out.
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  thread:set('part', threads)\n"
        "  threads = threads + 1\n"
        "end\n"
        "local i = 0\n"
        "function init(args)\n"
        "  i = math.floor(part * #paths / 2)\n"
        "end\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    out = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "--script",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    errors = sum(int(found.group(1)) for found in (failed, timeouts) if found)
    return {"rate": rate, "requests": requests, "p50": p50, "p99": p99, "errors": errors}


def run_python(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    until = time.monotonic() + seconds
    done: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        # Each connection walks its own part of the list, as wrk's threads do, so that in
        # the cold mode no two requests ask for the same address.
        mine = paths[offset::connections] or paths
        i = -1
        while time.monotonic() < until:
            i = (i + 1) % len(mine)
            began = time.monotonic()
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            try:
                connection.request("GET", mine[i])
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                if ok:
                    done.append(time.monotonic() - began)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    done.sort()

    def quantile(q: float) -> str:
        return f"{done[int(q * (len(done) - 1))] * 1000:.1f}ms" if done else "-"

    return {
        "rate": len(done) / elapsed,
        "requests": len(done),
        "p50": quantile(0.5),
        "p99": quantile(0.99),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument("--clear", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        return load(args.load)
    if args.clear:
        return clear_page_copies()
    if args.paths:
        print(json.dumps(sample_paths(args.paths)))
        return None

    count = int(os.environ.get("PRODUCTS", "100000"))
    seconds = int(os.environ.get("DURATION", "15"))
    connections = int(os.environ.get("CONNECTIONS", "32"))
    workers = int(os.environ.get("WORKERS", "2"))
    mode = os.environ.get("MODE", "mixed")
    workdir = Path(tempfile.mkdtemp(prefix="rc-bench-"))
    sqlite_path = os.environ.get("SQLITE_PATH")
    env = {
        **os.environ,
        **({"DATABASE_URL": f"sqlite:///{sqlite_path}"} if sqlite_path else {}),
        "RONGCHENG_VAR_DIR": str(workdir),
        "DEFAULT_CITY_CODE": ORDOS,
        "EMBEDDED_SCHEDULER": "false",
        "DEBUG": "false",
    }
    url = env.get("DATABASE_URL", "")
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    database_name = url.rsplit("/", 1)[-1].split("?")[0] if database == "PostgreSQL" else None
    server = None
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run([PYTHON, __file__, "--load", str(count)], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, __file__, "--clear"], cwd=ROOT, env=env, check=True)
        paths = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--paths", mode],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(base + "/healthz")
        tool = "wrk" if shutil.which("wrk") else "python"
        print(
            f"\n{count:,} products on {database}; {mode} addresses; gunicorn sync x{workers} "
            f"on {os.cpu_count()} cores; {tool}, {connections} connections, {seconds}s a page\n"
        )
        print(
            "| page | req/s | share of /healthz | share by CPU | p50 | p99 | failed or timed out "
            "| CPU ms a request: workers · PostgreSQL · Redis · client · host |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        baseline = baseline_cpu = None
        for name, targets in paths.items():
            if name.startswith("warm:"):
                continue
            # Warm every worker's caches a little; in the cold mode with addresses left out
            # of the measured list, so that each measured request is a first visit
            # (/healthz has one address, never cached).
            warming, measured = (
                (paths.get(f"warm:{name}", []) + targets[-20:], targets[:-20])
                if mode == "cold" and len(targets) > 20
                else (targets[:20], targets)
            )
            for path in warming:
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
            with CpuSplit(server.pid, database_name) as cpu:
                if tool == "wrk":
                    result = run_wrk(base, measured, seconds, connections, workdir)
                else:
                    result = run_python(base, measured, seconds, connections)
            baseline = baseline or result["rate"]
            baseline_cpu = baseline_cpu or cpu.own(result["requests"])
            print(
                f"| {name} | {result['rate']:,.0f} | {result['rate'] / baseline:.1%} "
                f"| {baseline_cpu / cpu.own(result['requests']):.1%} "
                f"| {result['p50']} | {result['p99']} | {result['errors']} "
                f"| {cpu.per_request(result['requests'])} |",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
