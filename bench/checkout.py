# A benchmark: fixed-seed random data, clients in forked processes.
# ruff: noqa: S311
"""Order placement through `checkout_place` on PostgreSQL, against the same database's rate
for the bare SQL of a reservation: one hot SKU, then 1,000 SKUs spread over ten stores.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench .venv/bin/python bench/checkout.py
    … bench/checkout.py --rounds 3 --seconds 10 --clients 32 --processes 4   # 8 threads each
    … bench/checkout.py --profile 200     # where one client's placement spends its time
    … bench/checkout.py --prepared        # statements prepared once per connection

Creates its own database next to the one DATABASE_URL names (`<name>_checkout_bench`,
migrated, dropped at the end unless --keep), and fills it: regions, ten stores in Ordos, 500
cashmere products in two sizes (1,000 SKUs) listed and stocked one store each, one hot SKU,
a fee template, and buyers with a real name, a mobile number, an address and a bag.

Each run starts `--clients` clients at once (by default one forked process each, as gunicorn's
sync workers serve requests, or threads spread over `--processes`; one connection each), lets
them warm up for two seconds, then counts what they complete in `--seconds`:
  - bare SQL: in one transaction, the conditional UPDATE of the stock row that placement runs
    (`reserved = reserved + 1 WHERE on_hand - reserved >= 1`) and the INSERT of an order row;
  - the placement's rows as bare SQL: the rows a placement must keep (checkout, order, line,
    first event, the reservation's UPDATE and its movement, the emptied bag line), written into
    the real tables with values computed before the run: the floor of any placement;
  - placement: a buyer's bag line checked out by courier through `checkout_place` (pricing,
    store assignment, checkout, order, lines, event, reservation, movement, bag).
Rounds turn which of the three goes first, so all see the same background load. At the end
every stock row is checked: reserved within on hand, and equal to the units of the orders (and
bare order rows) that hold it. Prints Markdown tables for bench/BENCHMARKS.md: the rates,
and the CPU per transaction of the clients, of their PostgreSQL backends and of the whole host
(read from Linux's /proc: PostgreSQL must run on this host).
"""

import argparse
import cProfile
import multiprocessing
import os
import pstats
import random
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models.fields import AutoFieldMixin  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from rongcheng.accounts.models import Address, User  # noqa: E402
from rongcheng.cart.models import Bag, BagLine  # noqa: E402
from rongcheng.catalog.models import Brand, Category, Product, Sku  # noqa: E402
from rongcheng.checkout.errors import LineUnavailable  # noqa: E402
from rongcheng.checkout.models import Checkout  # noqa: E402
from rongcheng.checkout.selectors import checkout_quote  # noqa: E402
from rongcheng.checkout.services import checkout_place  # noqa: E402
from rongcheng.core.numbers import public_number  # noqa: E402
from rongcheng.core.testing.factories import RegionTreeFactory  # noqa: E402
from rongcheng.fulfillment.models import ShippingFeeRule, ShippingFeeTemplate  # noqa: E402
from rongcheng.inventory.errors import InsufficientStock  # noqa: E402
from rongcheng.inventory.models import Stock, StockMovement, StoreListing  # noqa: E402
from rongcheng.orders.models import Delivery, Order, OrderEvent, OrderLine  # noqa: E402
from rongcheng.stores.models import Store  # noqa: E402

STORES = 10
SPREAD_PRODUCTS = 500  # two sizes each: 1,000 SKUs
PRICES = [Decimal(p) for p in ("680", "980", "1280", "1580", "1880", "2280", "2680", "3280")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["静", "敏", "伟", "芳", "娜", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "霞"]
WARMUP = 2.0
BARE_TABLE = "bench_bare_order"

BARE_UPDATE = (
    f"UPDATE {Stock._meta.db_table} SET reserved = reserved + %s, updated_at = now() "  # noqa: S608
    "WHERE store_id = %s AND sku_id = %s AND on_hand - reserved >= %s"
)
BARE_INSERT = (
    f"INSERT INTO {BARE_TABLE} (number, buyer_id, store_id, sku_id, quantity, created_at) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, now())"
)


@dataclass(frozen=True)
class Mall:
    hot_sku: int
    hot_store: int
    spread: list[tuple[int, int]]  # (store_id, sku_id) of the 1,000 spread SKUs
    buyers: list[tuple[User, int, int]]  # (buyer, address id, bag id)
    totals: dict[int, int]  # what the buyer confirms for one unit of each SKU, in fen


# --- Data ------------------------------------------------------------------------------------


def _build(buyer_count: int, rng: random.Random) -> Mall:
    regions = RegionTreeFactory.create_tree()
    ordos, district = regions["150600"], regions["150602"]
    category = Category.objects.create(name="女士羊绒衫")
    brand = Brand.objects.create(name="绒城")
    stores = Store.objects.bulk_create(
        Store(
            code=f"ordos-{i:02d}",
            name=f"鄂尔多斯{i + 1}号店",
            kind=Store.Kind.DIRECT,
            city=ordos,
            address=f"康巴什区{i + 1}号",
            latitude=Decimal("39.608266") + Decimal(i) / 50,
            longitude=Decimal("109.781327") + Decimal(i) / 50,
            phone="0477-8500000",
        )
        for i in range(STORES)
    )
    today = timezone.localdate()
    products = Product.objects.bulk_create(
        Product(
            style_code=f"CB{n:05d}",
            name=f"羊绒衫 {n:03d}" if n else "经典圆领羊绒衫（爆款）",
            category=category,
            brand=brand,
            launch_date=today,
            price=PRICES[n % len(PRICES)],
        )
        for n in range(SPREAD_PRODUCTS + 1)
    )
    skus = Sku.objects.bulk_create(
        Sku(
            product=product,
            code=f"{product.style_code}-{size}",
            colour="驼色",
            size=size,
            position=k,
            price=product.price,
        )
        for product in products
        for k, size in enumerate(("M", "L"))
    )
    hot, spread_skus = skus[0], skus[2:]
    home = {sku.pk: stores[sku.product_id % STORES] for sku in spread_skus}
    home[hot.pk] = stores[0]
    StoreListing.objects.bulk_create(
        StoreListing(store=home[sku.pk], product_id=sku.product_id, listed_at=timezone.now())
        for sku in [hot, *spread_skus[::2]]
    )
    # Enough units that no run sells out: the runs measure placements, not refusals.
    Stock.objects.bulk_create(
        Stock(store=home[sku.pk], sku=sku, on_hand=1_000_000 if sku is hot else 100_000)
        for sku in [hot, *spread_skus]
    )
    template = ShippingFeeTemplate.objects.create(
        name="按件计费", basis=ShippingFeeTemplate.Basis.PIECE, is_active=True
    )
    ShippingFeeRule.objects.create(
        template=template,
        first_units=1,
        first_fee=Decimal("12"),
        additional_units=1,
        additional_fee=Decimal("5"),
        free_threshold=Decimal("1500"),
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"bench{n:05d}",
            password=password,
            real_name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
            mobile=f"139{n:08d}",
        )
        for n in range(buyer_count)
    )
    addresses = Address.objects.bulk_create(
        Address(
            user=user,
            recipient=user.real_name,
            phone=user.mobile or "",
            province=regions["150000"],
            city=ordos,
            district=district,
            detail=f"鄂尔多斯大街{rng.randrange(1, 300)}号",
            is_default=True,
        )
        for user in users
    )
    bags = Bag.objects.bulk_create(Bag(user=user) for user in users)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, number varchar(24) NOT NULL "
            "UNIQUE, buyer_id bigint NOT NULL, store_id bigint NOT NULL, sku_id bigint NOT NULL, "
            "quantity integer NOT NULL, created_at timestamptz NOT NULL)"
        )
        cursor.execute("ANALYZE")
    buyers = [
        (user, address.pk, bag.pk)
        for user, address, bag in zip(users, addresses, bags, strict=True)
    ]
    return Mall(
        hot_sku=hot.pk,
        hot_store=stores[0].pk,
        spread=[(home[sku.pk].pk, sku.pk) for sku in spread_skus],
        buyers=buyers,
        totals=_totals(buyers[0], [hot, *spread_skus]),
    )


def _totals(probe: tuple[User, int, int], skus: list[Sku]) -> dict[int, int]:
    """The total the confirmation page shows for one unit, priced once per price point."""
    buyer, address_id, bag_id = probe
    by_price: dict[Decimal, int] = {}
    for sku in skus:
        if sku.price not in by_price:
            line = BagLine.objects.create(bag_id=bag_id, sku=sku, quantity=1)
            quote = checkout_quote(buyer=buyer, delivery=Delivery.COURIER, address_id=address_id)
            by_price[sku.price] = quote.priced.total_fen
            line.delete()
    return {sku.pk: by_price[sku.price] for sku in skus}


def _fill_bags(mall: Mall, sku_ids: list[int]) -> None:
    """The first buyers' bags hold one ticked unit each of the SKU drawn for them."""
    BagLine.objects.all().delete()
    BagLine.objects.bulk_create(
        BagLine(bag_id=bag_id, sku_id=sku_id, quantity=1)
        for (_buyer, _address, bag_id), sku_id in zip(mall.buyers, sku_ids, strict=False)
    )


# --- Clients ---------------------------------------------------------------------------------


def _place(item) -> bool:
    buyer, address_id, total = item
    try:
        checkout_place(
            buyer=buyer,
            token=secrets.token_hex(16),
            delivery=Delivery.COURIER,
            address_id=address_id,
            expected_total_fen=total,
        )
    except (InsufficientStock, LineUnavailable):
        return False
    return True


class _Short(Exception):
    pass


def _bare(item) -> bool:
    buyer_id, store_id, sku_id = item
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(BARE_UPDATE, [1, store_id, sku_id, 1])
            if cursor.rowcount != 1:
                raise _Short
            cursor.execute(BARE_INSERT, [secrets.token_hex(12), buyer_id, store_id, sku_id, 1])
    except _Short:
        return False
    return True


# --- The placement's own rows as bare SQL: the floor of any placement -----------------------
# The rows the issue asks a placement to keep (checkout, order, line, first event, reservation
# with its movement, the emptied bag line), written into the real tables with values computed
# before the run: no reads, no pricing, no Python between the statements. What separates a
# placement from this floor is our code; what separates this floor from the bare SQL is the
# records themselves.


def _insert_sql(model) -> tuple[str, list]:
    columns = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    values = ", ".join(["%s"] * len(columns))
    table = model._meta.db_table
    return f"INSERT INTO {table} ({names}) VALUES ({values}) RETURNING id", columns  # noqa: S608


FLOOR_INSERTS = {model: _insert_sql(model) for model in (Checkout, Order, OrderLine, OrderEvent)}
FLOOR_MOVEMENT = _insert_sql(StockMovement)
FLOOR_BAG = f"DELETE FROM {BagLine._meta.db_table} WHERE bag_id = %s AND sku_id = %s"  # noqa: S608


def _params(obj, model) -> list:
    """The row's values as the ORM prepares them; the parent's id is filled in by the run."""
    return [
        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        for field in FLOOR_INSERTS.get(model, FLOOR_MOVEMENT)[1]
    ]


def _floor_item(
    buyer: User, bag_id: int, store_id: int, sku_id: int, product_id: int, total_fen: int
) -> tuple:
    total = Decimal(total_fen) / 100
    checkout = Checkout(
        number=public_number(),
        buyer=buyer,
        token=secrets.token_hex(16),
        delivery=Delivery.COURIER,
        total=total,
    )
    order = Order(
        number=public_number(),
        checkout_id=0,
        buyer=buyer,
        store_id=store_id,
        delivery=Delivery.COURIER,
        recipient=buyer.real_name,
        phone=buyer.mobile,
        province_id="150000",
        city_id="150600",
        district_id="150602",
        address_detail="鄂尔多斯大街1号",
        subtotal=total,
        shipping_fee=Decimal(0),
        total=total,
        weight_grams=300,
        pay_due_at=timezone.now(),
    )
    line = OrderLine(
        order_id=0,
        sku_id=sku_id,
        product_id=product_id,
        product_name="羊绒衫",
        sku_code="CB00001-M",
        colour="驼色",
        size="M",
        quantity=1,
        unit_price=total,
        regular_price=total,
        subtotal=total,
        total=total,
    )
    event = OrderEvent(order_id=0, to_status=Order.Status.AWAITING_PAYMENT, actor=buyer)
    movement = StockMovement(
        store_id=store_id,
        sku_id=sku_id,
        kind=StockMovement.Kind.RESERVATION,
        reserved_delta=1,
        on_hand_after=0,
        reserved_after=0,
        actor=buyer,
        reference=order.number,
    )
    return (
        _params(checkout, Checkout),
        _params(order, Order),
        _params(line, OrderLine),
        _params(event, OrderEvent),
        _params(movement, None),
        (store_id, sku_id, bag_id),
    )


def _slot(model, name: str) -> int:
    return [field.name for field in FLOOR_INSERTS[model][1]].index(name)


CHECKOUT_SLOT, ORDER_SLOTS = (
    _slot(Order, "checkout"),
    (_slot(OrderLine, "order"), _slot(OrderEvent, "order")),
)


def _floor(item) -> bool:
    checkout, order, line, event, movement, (store_id, sku_id, bag_id) = item
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FLOOR_INSERTS[Checkout][0], checkout)
            order[CHECKOUT_SLOT] = cursor.fetchone()[0]
            cursor.execute(FLOOR_INSERTS[Order][0], order)
            order_id = cursor.fetchone()[0]
            line[ORDER_SLOTS[0]] = event[ORDER_SLOTS[1]] = order_id
            cursor.execute(FLOOR_INSERTS[OrderLine][0], line)
            cursor.execute(FLOOR_INSERTS[OrderEvent][0], event)
            cursor.execute(FLOOR_BAG, [bag_id, sku_id])
            cursor.execute(BARE_UPDATE, [1, store_id, sku_id, 1])
            if cursor.rowcount != 1:
                raise _Short
            cursor.execute(FLOOR_MOVEMENT[0], movement)
    except _Short:
        return False
    return True


# --- CPU: where a transaction's cost lands (Linux /proc, the database on this host) ------------

TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    """Seconds of CPU the PostgreSQL backend `pid` has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _host_busy() -> float:
    """Seconds of CPU the whole host has used, every core and process together."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICK


def _client(work, items, barrier, seconds, out: list) -> None:
    """Run `work` on items back to back until the window closes; record each completion, and
    the CPU this client's thread and its PostgreSQL backend used meanwhile."""
    done = []  # (finished at, seconds taken, succeeded)
    error = ""
    began = time.monotonic()
    until = began + WARMUP + seconds
    cpu = [0.0, 0.0]  # (client, server) seconds
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        barrier.wait(timeout=300)
        client_cpu, server_cpu = time.thread_time(), _backend_cpu(backend)
        began = time.monotonic()
        until = began + WARMUP + seconds
        for item in items:
            if time.monotonic() >= until:
                break
            started = time.monotonic()
            ok = work(item)
            finished = time.monotonic()
            done.append((finished, finished - started, ok))
        else:
            error = "ran out of buyers: raise --buyers"
        cpu = [time.thread_time() - client_cpu, _backend_cpu(backend) - server_cpu]
    except Exception as exc:  # any other failure is reported and fails the run
        error = f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()
    out.append((began, until, done, error, *cpu))


def _process(work, chunks, barrier, seconds, queue) -> None:
    out: list = []
    threads = [
        threading.Thread(target=_client, args=(work, items, barrier, seconds, out))
        for items in chunks
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


@dataclass(frozen=True)
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    refused: int
    errors: list[str]
    # Milliseconds of CPU per completed transaction, warm-up included: the clients' own, their
    # PostgreSQL backends', and the whole host's (the rest: other PostgreSQL processes such as
    # the WAL writer, the kernel's scheduling, and any other work on the host).
    client_ms: float = 0.0
    server_ms: float = 0.0
    host_ms: float = 0.0


def _run(work, items: list, args) -> Result:
    """Items are dealt round-robin to the clients; clients to processes."""
    clients = [items[c :: args.clients] for c in range(args.clients)]
    per_process = [clients[p :: args.processes] for p in range(args.processes)]
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.clients + 1)  # and this process, to read the host's CPU
    queue = context.Queue()
    connections.close_all()  # children open their own
    children = [
        context.Process(target=_process, args=(work, chunks, barrier, args.seconds, queue))
        for chunks in per_process
        if chunks
    ]
    for child in children:
        child.start()
    barrier.wait(timeout=300)
    host = _host_busy()
    outcomes = [entry for _child in children for entry in queue.get(timeout=600)]
    host = _host_busy() - host
    for child in children:
        child.join()
    errors = [error for *_rest, error, _client_cpu, _server_cpu in outcomes if error]
    completed = sum(len(done) for _b, _u, done, *_rest in outcomes) or 1
    per_tx = {
        "client_ms": sum(entry[4] for entry in outcomes) / completed * 1000,
        "server_ms": sum(entry[5] for entry in outcomes) / completed * 1000,
        "host_ms": host / completed * 1000,
    }
    opened = max(began for began, *_rest in outcomes) + WARMUP
    closed = min(until for _began, until, *_rest in outcomes)
    counted = [
        (took, ok)
        for _began, _until, done, *_rest in outcomes
        for at, took, ok in done
        if opened <= at <= closed
    ]
    latencies = sorted(took * 1000 for took, ok in counted if ok)
    if not latencies:
        return Result(0.0, 0.0, 0.0, 0, errors or ["nothing completed"], **per_tx)
    return Result(
        rate=len(latencies) / (closed - opened),
        p50_ms=latencies[len(latencies) // 2],
        p99_ms=latencies[int(len(latencies) * 0.99)],
        refused=sum(1 for _took, ok in counted if not ok),
        errors=errors,
        **per_tx,
    )


def _measure(mall: Mall, scenario: str, rng: random.Random, args) -> tuple[Result, ...]:
    """(bare SQL, the placement's rows as bare SQL, placement), in an order that turns with
    the rounds so that each sees the same background load."""
    if scenario == "hot":
        rows = [(mall.hot_store, mall.hot_sku)] * len(mall.buyers)
    else:
        rows = [rng.choice(mall.spread) for _buyer in mall.buyers]
    placing = [
        (buyer, address_id, mall.totals[sku_id])
        for (buyer, address_id, _bag), (_store, sku_id) in zip(mall.buyers, rows, strict=True)
    ]
    # The bare SQL needs no bag: its items repeat so that it never runs out.
    bare = [(buyer.pk, *row) for (buyer, *_), row in zip(mall.buyers, rows, strict=True)] * 50
    # The floor's rows carry numbers of their own: three per buyer.
    products = dict(Sku.objects.values_list("id", "product_id"))
    floor = [
        _floor_item(buyer, bag_id, store_id, sku_id, products[sku_id], mall.totals[sku_id])
        for (buyer, _address, bag_id), (store_id, sku_id) in zip(mall.buyers, rows, strict=True)
        for _copy in range(3)
    ]
    runs = [(_bare, bare), (_floor, floor), (_place, placing)]
    turn = args.round % len(runs)
    results = {}
    for work, items in runs[turn:] + runs[:turn]:
        if work is _place:  # the floor empties bag lines too
            _fill_bags(mall, [sku_id for _store, sku_id in rows])
        results[work] = _run(work, items, args)
    return results[_bare], results[_floor], results[_place]


# --- Checks and reports ----------------------------------------------------------------------


def _oversold() -> tuple[int, int, int]:
    """(rows reserved beyond on hand, rows whose reserved differs from its orders, rows)."""
    stock, order, line = Stock._meta.db_table, Order._meta.db_table, OrderLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {stock} WHERE reserved > on_hand")  # noqa: S608
        beyond = cursor.fetchone()[0]
        cursor.execute(
            f"""
            WITH held AS (
                SELECT o.store_id, l.sku_id, l.quantity FROM {line} l
                JOIN {order} o ON o.id = l.order_id WHERE o.status = %s
                UNION ALL SELECT store_id, sku_id, quantity FROM {BARE_TABLE}
            ), per_row AS (SELECT store_id, sku_id, sum(quantity) AS units FROM held GROUP BY 1, 2)
            SELECT count(*) FILTER (WHERE s.reserved <> coalesce(h.units, 0)), count(*)
            FROM {stock} s LEFT JOIN per_row h USING (store_id, sku_id)
            """,  # noqa: S608
            [Order.Status.AWAITING_PAYMENT],
        )
        differ, rows = cursor.fetchone()
    return beyond, differ, rows


def _cost(mall: Mall, count: int = 100) -> tuple[int, float, float]:
    """(SQL statements, milliseconds of this process's CPU, milliseconds of its PostgreSQL
    backend's CPU) per placement, one client alone."""
    rows = mall.spread[:count]
    _fill_bags(mall, [sku_id for _store, sku_id in rows])
    items = [
        (buyer, address_id, mall.totals[sku_id])
        for (buyer, address_id, _bag), (_store, sku_id) in zip(mall.buyers, rows, strict=False)
    ]
    with CaptureQueriesContext(connection) as queries:
        _place(items[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu, server = time.process_time(), _backend_cpu(backend)
    for item in items[1:]:
        _place(item)
    cpu, server = time.process_time() - cpu, _backend_cpu(backend) - server
    return len(queries), cpu / (len(items) - 1) * 1000, server / (len(items) - 1) * 1000


def _profile(mall: Mall, count: int) -> None:
    rng = random.Random(1)
    rows = [rng.choice(mall.spread) for _buyer in mall.buyers]
    _fill_bags(mall, [sku_id for _store, sku_id in rows])
    items = [
        (buyer, address_id, mall.totals[sku_id])
        for (buyer, address_id, _bag), (_store, sku_id) in zip(mall.buyers, rows, strict=True)
    ][:count]
    half = len(items) // 2
    started, cpu = time.perf_counter(), time.process_time()
    for item in items[:half]:
        _place(item)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{half} placements by one client: {took / half * 1000:.1f} ms each, "
        f"of which {cpu / half * 1000:.1f} ms of this process's CPU",
        flush=True,
    )
    profile = cProfile.Profile(time.process_time)  # the CPU clock: what the cores pay
    profile.enable()
    for item in items[half:]:
        _place(item)
    profile.disable()
    # Our own functions by cumulative time: where a placement spends it, stage by stage.
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


Round = tuple[int, str, Result, Result, Result]  # round, scenario, bare, floor, placement


def _ratio(part: Result, whole: Result) -> float:
    return part.rate / whole.rate if whole.rate else 0.0


def _table(results: list[Round]) -> str:
    lines = [
        "| SKUs | round | bare SQL tx/s | placement's rows as bare SQL tx/s | placements/s "
        "| rows ÷ bare | placement ÷ bare | placement ÷ rows | placement p50 / p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for round_, scenario, bare, floor, placed in results:
        lines.append(
            f"| {_label(scenario)} | {round_} | {bare.rate:,.0f} | {floor.rate:,.0f} | "
            f"{placed.rate:,.0f} | {_ratio(floor, bare):.0%} | {_ratio(placed, bare):.0%} | "
            f"{_ratio(placed, floor):.0%} | {placed.p50_ms:.0f} / {placed.p99_ms:.0f} ms |"
        )
    for scenario in ("hot", "spread"):
        mine = [(b, f, p) for _r, s, b, f, p in results if s == scenario]
        if mine:

            def median(values) -> float:
                return statistics.median(list(values))

            lines.append(
                f"| **{_label(scenario)}** | median | "
                f"{median(b.rate for b, _f, _p in mine):,.0f} | "
                f"{median(f.rate for _b, f, _p in mine):,.0f} | "
                f"{median(p.rate for _b, _f, p in mine):,.0f} | "
                f"{median(_ratio(f, b) for b, f, _p in mine):.0%} | "
                f"**{median(_ratio(p, b) for b, _f, p in mine):.0%}** | "
                f"{median(_ratio(p, f) for _b, f, p in mine):.0%} | |"
            )
    return "\n".join(lines)


def _cpu_table(results: list[Round]) -> str:
    """CPU per transaction, medians of the rounds: the client's, its backend's, the host's."""
    lines = [
        "| SKUs | bare SQL: client / server / host ms | placement's rows as bare SQL | placement |",
        "|---|---:|---:|---:|",
    ]

    def cell(runs: list[Result]) -> str:
        return " / ".join(
            f"{statistics.median(getattr(run, name) for run in runs):.2f}"
            for name in ("client_ms", "server_ms", "host_ms")
        )

    for scenario in ("hot", "spread"):
        mine = [kinds for _r, s, *kinds in results if s == scenario]
        if mine:
            cells = " | ".join(cell([kinds[k] for kinds in mine]) for k in range(3))
            lines.append(f"| {_label(scenario)} | {cells} |")
    return "\n".join(lines)


def _label(scenario: str) -> str:
    return "1 hot SKU" if scenario == "hot" else f"{SPREAD_PRODUCTS * 2:,} spread"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per run")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--processes", type=int, help="default: one per client, as sync workers serve requests"
    )
    parser.add_argument("--buyers", type=int, default=6400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=int, help="profile this many placements, one client")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument(
        "--prepared",
        action="store_true",
        help="server-side binding with statements prepared on first use (not behind PgBouncer)",
    )
    args = parser.parse_args()
    args.processes = args.processes or args.clients
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…")
    if args.prepared:
        # What the server's planning costs: each statement is planned once per connection.
        connection.settings_dict["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 1}
    base_name = settings.DATABASES["default"]["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{base_name}_checkout_bench"
    rng = random.Random(args.seed)
    print(
        f"Creating {base_name}_checkout_bench … (load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with transaction.atomic():
            mall = _build(args.buyers, rng)
        statements, cpu_ms, server_ms = _cost(mall)
        if args.profile:
            print(
                f"One placement: {statements} statements, {cpu_ms:.1f} ms of the client's CPU, "
                f"{server_ms:.1f} ms of its backend's",
                flush=True,
            )
            _profile(mall, args.profile)
            return
        results = []
        for round_ in range(1, args.rounds + 1):
            args.round = round_
            for scenario in ("hot", "spread"):
                bare, floor, placed = _measure(mall, scenario, rng, args)
                results.append((round_, scenario, bare, floor, placed))
                print(
                    f"round {round_} {_label(scenario)}: bare {bare.rate:,.0f}/s, "
                    f"rows {floor.rate:,.0f}/s, placement {placed.rate:,.0f}/s, "
                    f"refused {bare.refused + floor.refused + placed.refused}, "
                    f"load {os.getloadavg()[0]:.1f}; CPU ms per tx (client/server/host): bare "
                    f"{bare.client_ms:.2f}/{bare.server_ms:.2f}/{bare.host_ms:.2f}, rows "
                    f"{floor.client_ms:.2f}/{floor.server_ms:.2f}/{floor.host_ms:.2f}, placement "
                    f"{placed.client_ms:.2f}/{placed.server_ms:.2f}/{placed.host_ms:.2f}",
                    flush=True,
                )
                for error in sorted(set(bare.errors + floor.errors + placed.errors)):
                    print(f"  ! {error}", flush=True)
        beyond, differ, rows = _oversold()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0].split()[0]
            cursor.execute("SHOW synchronous_commit")
            synchronous = cursor.fetchone()[0]
        print(
            f"\nPostgreSQL {server} (synchronous_commit {synchronous}); {args.clients} clients "
            f"({args.processes} processes, {args.clients // args.processes} threads each, one "
            "connection per thread); "
            f"{args.seconds:.0f} s a run after {WARMUP:.0f} s of warm-up; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.\n"
        )
        print(_table(results))
        print()
        print(_cpu_table(results))
        print(
            f"\nOne placement, one client alone: {statements} SQL statements, {cpu_ms:.1f} ms "
            f"of the client's CPU (Django, psycopg) and {server_ms:.1f} ms of its PostgreSQL "
            "backend's. Orders (placed, and written by the floor): "
            f"{Order.objects.count():,}; reservation movements: "
            f"{StockMovement.objects.filter(kind=StockMovement.Kind.RESERVATION).count():,}. "
            f"Stock rows reserved beyond on hand: {beyond}; rows whose reserved differs from "
            f"their orders' units: {differ} (of {rows:,})."
        )
        if beyond or differ:
            sys.exit("OVERSOLD")
        if any(run.errors for _r, _s, *runs in results for run in runs):
            sys.exit("Some clients failed: see the lines marked ! above.")
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept {settings.DATABASES['default']['NAME']}")
        else:
            connection.creation.destroy_test_db(base_name, verbosity=0)


if __name__ == "__main__":
    main()
