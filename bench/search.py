"""Search benchmark: generated products on PostgreSQL, varied queries, latency percentiles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench_search python bench/search.py

Fills an empty database (migrations, then --products generated products with key attributes),
rebuilds the search index, then runs --queries generated queries five ways in one connection,
each query every way in turn (so that the shared host's load reaches every way alike):
  1. indexed search, results page only (count, page, product cards);
  2. indexed search with facets (what the search page and the API run), a broad search's
     ranking and facet counts kept from earlier searches, as in use (way 1 of the same query
     has kept its ranking);
  3. the same with nothing kept, under a fresh index generation, as after a write to the
     index (a first visit), run before ways 1 and 2 of its query;
  4. the naive baseline: a plain `icontains` scan of name, subtitle and description with the
     same filters, sorted by sales (count and page);
  5. the same scan with the facets of way 2 counted the naive way (like for like with ways 2
     and 3, which way 4 is not).
Prints a Markdown table; --write adds it to bench/BENCHMARKS.md as the first entry under
"## Search", keeping the earlier ones.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402

from rongcheng.catalog.models import (  # noqa: E402
    Attribute,
    AttributeOption,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductType,
)
from rongcheng.catalog.selectors.categories import (  # noqa: E402
    category_key_attributes,
    category_tree,
)
from rongcheng.catalog.services import category_save  # noqa: E402
from rongcheng.core.dates import local_day  # noqa: E402
from rongcheng.search.backends import Clause  # noqa: E402
from rongcheng.search.filters import SearchFilters, SearchSort  # noqa: E402
from rongcheng.search.kept_counts import SCOPE, index_changed  # noqa: E402
from rongcheng.search.models import DocType, SearchDocument  # noqa: E402
from rongcheng.search.query import matching  # noqa: E402
from rongcheng.search.selectors import advanced_search  # noqa: E402
from rongcheng.search.services import index_rebuild  # noqa: E402
from rongcheng.search.text import keywords, pinyin  # noqa: E402
from rongcheng.seo import generations  # noqa: E402

MARK = "基准"  # brands made here start with it, so a real catalogue is never touched
AUDIENCES = ["女士", "男士", "儿童"]
COLLARS = ["高领", "圆领", "V领", "半高领", "翻领", "堆堆领"]
KNITS = ["粗针", "细针", "麻花", "提花", "平针"]
MATERIALS = ["羊绒", "山羊绒", "羊毛", "牦牛绒", "驼绒", "真丝"]
ITEMS = ["羊绒衫", "开衫", "毛衣", "大衣", "围巾", "披肩", "针织裙", "打底衫", "马甲", "帽子"]
STYLES = ["宽松", "修身", "纯色", "条纹", "双面", "落肩", "短款", "长款"]
COLOURS = ["驼色", "黑色", "燕麦色", "藏青", "酒红", "米白", "浅灰", "雾霾蓝"]
ENGLISH = ["cashmere", "sweater", "cardigan", "scarf", "wool", "coat", "knit"]
WORDS = AUDIENCES + COLLARS + KNITS + MATERIALS + ITEMS + STYLES + COLOURS


def _catalogue(rng: random.Random):
    """Product type with key attributes, a three-level category tree and brands."""
    kind = ProductType.objects.create(name=f"{MARK}针织")
    collar = Attribute.objects.create(product_type=kind, name="领型", is_key=True)
    knit = Attribute.objects.create(product_type=kind, name="针法", is_key=True, position=1)
    for attribute, values in ((collar, COLLARS), (knit, KNITS)):
        AttributeOption.objects.bulk_create(
            AttributeOption(attribute=attribute, value=v, position=i) for i, v in enumerate(values)
        )
    leaves = []
    for position, audience in enumerate(AUDIENCES):
        root = category_save(
            category=Category(name=f"{audience}服饰", position=position, product_type=kind)
        )
        for group in ("上装", "外套", "配饰"):
            middle = category_save(category=Category(name=f"{audience}{group}", parent=root))
            for item in rng.sample(ITEMS, 4):
                leaves.append(
                    category_save(category=Category(name=f"{audience}{item}", parent=middle))
                )
    brands = Brand.objects.bulk_create(Brand(name=f"{MARK}品牌{i:02d}") for i in range(50))
    return collar, knit, leaves, brands


def _generate(count: int, rng: random.Random) -> None:
    collar, knit, leaves, brands = _catalogue(rng)
    options = {
        attribute.id: {o.value: o for o in attribute.options.all()} for attribute in (collar, knit)
    }
    today = local_day()
    batch = 5000
    for start in range(0, count, batch):
        products, chosen = [], []
        for n in range(start, min(start + batch, count)):
            c, k = rng.choice(COLLARS), rng.choice(KNITS)
            name = (
                f"{rng.choice(AUDIENCES)}{c}{rng.choice(STYLES)}{rng.choice(MATERIALS)}"
                f"{rng.choice(ITEMS)} {n:06d}"
            )
            products.append(
                Product(
                    style_code=f"B{n:07d}",
                    name=name,
                    subtitle=f"{rng.choice(COLOURS)} {' '.join(rng.sample(ENGLISH, 2))}",
                    description=f"{rng.choice(MATERIALS)}面料，{k}工艺，{rng.choice(STYLES)}版型。",
                    category=rng.choice(leaves),
                    brand=rng.choice(brands),
                    launch_date=today - timedelta(days=rng.randrange(720)),
                    price=Decimal(rng.randrange(199, 8999)),
                    sales_count=int(rng.paretovariate(1.2) * 10),
                )
            )
            chosen.append((c, k))
        Product.objects.bulk_create(products)
        ProductAttributeValue.objects.bulk_create(
            ProductAttributeValue(product=p, attribute_id=a.id, option=options[a.id][v])
            for p, (c, k) in zip(products, chosen, strict=True)
            for a, v in ((collar, c), (knit, k))
        )
        print(f"  products {min(start + batch, count):,}/{count:,}", flush=True)


def _queries(count: int, rng: random.Random) -> list[tuple[str, SearchFilters, int]]:
    """(kind, filters, page): one and several words, pinyin, initials, English, facets."""
    tree = category_tree()
    categories = list(tree.nodes)
    brands = list(Brand.objects.filter(name__startswith=MARK).values_list("id", flat=True))
    collar = Attribute.objects.get(name="领型", product_type__name=f"{MARK}针织")
    made = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.30:
            kind, q = "one word", rng.choice(WORDS)
        elif roll < 0.55:
            kind, q = "several words", " ".join(rng.sample(WORDS, rng.choice((2, 2, 3))))
        elif roll < 0.65:
            kind, q = "pinyin", pinyin(rng.choice(MATERIALS + ITEMS))[0]
        elif roll < 0.75:
            kind, q = "initials", pinyin(rng.choice(ITEMS + COLLARS))[1]
        elif roll < 0.80:
            kind, q = "english", rng.choice(ENGLISH)
        else:
            kind, q = "facets only", ""
        filters = SearchFilters(q=q)
        if kind == "facets only" or rng.random() < 0.35:
            kind = kind if kind == "facets only" else kind + " + facets"
            changes: dict = {"category_id": rng.choice(categories)}
            if rng.random() < 0.5:
                changes["brand_id"] = rng.choice(brands)
            if rng.random() < 0.5:
                changes["attributes"] = ((collar.id, rng.choice(COLLARS)),)
            if rng.random() < 0.4:
                low = rng.randrange(0, 5000, 100)
                changes["price_min"], changes["price_max"] = Decimal(low), Decimal(low + 2000)
            filters = filters.with_changes(**changes)
        sort = rng.choice([""] * 5 + [SearchSort.SALES, SearchSort.PRICE, SearchSort.NEWEST])
        page = 1 if rng.random() < 0.9 else rng.choice((2, 3))
        made.append((kind, filters.with_changes(sort=sort), page))
    return made


def _scanned(filters: SearchFilters, skip: object = None):
    """The naive baseline's products: every keyword somewhere in name, subtitle or
    description, and every filter but `skip` ("brand" or an attribute id)."""
    products = Product.objects.filter(is_active=True)
    for word in filters.q.split():
        products = products.filter(
            Q(name__icontains=word) | Q(subtitle__icontains=word) | Q(description__icontains=word)
        )
    if filters.category_id is not None:
        products = products.filter(category_id__in=category_tree().subtree_ids(filters.category_id))
    if filters.brand_id is not None and skip != "brand":
        products = products.filter(brand_id=filters.brand_id)
    for attribute_id, value in filters.attributes:
        if attribute_id != skip:
            having = ProductAttributeValue.objects.filter(
                product=OuterRef("pk"), attribute_id=attribute_id, option__value=value
            )
            products = products.filter(Exists(having))
    if filters.price_min is not None:
        products = products.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        products = products.filter(price__lte=filters.price_max)
    return products


def _scan(filters: SearchFilters, page: int, size: int = 40) -> int:
    """The naive baseline: count and page."""
    products = _scanned(filters)
    total = products.count()
    list(products.order_by("-sales_count", "-id")[(page - 1) * size : page * size])
    return total


def _scan_with_facets(filters: SearchFilters, page: int) -> int:
    """The naive baseline with the facets the search page shows, counted the naive way:
    the products grouped by category and brand (every filter but the brand), the brands'
    names, and each key attribute of the chosen category, its values joined from the
    attribute rows of the products (every filter but that attribute)."""
    total = _scan(filters, page)
    by_brand = list(
        _scanned(filters, skip="brand")
        .values_list("category_id", "brand_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    list(Brand.objects.filter(id__in={brand_id for _c, brand_id, _n in by_brand}))
    if filters.category_id is not None:
        for attribute in category_key_attributes(category_id=filters.category_id):
            values = ProductAttributeValue.objects.filter(
                attribute=attribute, product__in=_scanned(filters, skip=attribute.id)
            )
            list(values.values_list("option__value").annotate(n=Count("id")).order_by())
    return total


def _time(ways: dict, queries) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """Each query every way in turn: a change of the shared host's load reaches every way
    alike, so the ways compare within a class."""
    for _kind, filters, page in queries[:50]:  # warm caches and the connection
        for run in ways.values():
            run(filters, page)
    latencies: dict[str, list[float]] = {label: [] for label in ways}
    totals: dict[str, list[int]] = {label: [] for label in ways}
    for _kind, filters, page in queries:
        for label, run in ways.items():
            started = time.perf_counter()
            totals[label].append(run(filters, page))
            latencies[label].append((time.perf_counter() - started) * 1000)
    return latencies, totals


def _cuts(latencies: list[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        return (latencies[0],) * 3 if latencies else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _by_class(queries, runs: dict[str, list[float]], ratios: list[tuple[str, str]]) -> list[str]:
    """p50/p95/p99 of each run per query class (the tail of one class hides in the mix), and
    for each (run, baseline) of `ratios` the run's p95 as a share of the baseline's in the
    same run: the host's load cancels."""
    kinds = sorted({kind for kind, _filters, _page in queries})
    head = " | ".join(f"{label} p50 / p95 / p99" for label in runs)
    shares = " | ".join(f"{label} p95 ÷ {baseline}" for label, baseline in ratios)
    lines = [
        f"| class | n | {head} | {shares} |",
        "|---|---|" + "---|" * (len(runs) + len(ratios)),
    ]
    for kind in kinds:
        picked = [i for i, (k, _f, _p) in enumerate(queries) if k == kind]
        cuts = {label: _cuts([latencies[i] for i in picked]) for label, latencies in runs.items()}
        cells = [" / ".join(f"{cut:.1f}" for cut in cuts[label]) for label in runs]
        shared = [f"{cuts[label][1] / cuts[baseline][1]:.2f}" for label, baseline in ratios]
        lines.append(f"| {kind} | {len(picked)} | {' | '.join(cells + shared)} |")
    return lines


def _row(label: str, latencies: list[float]) -> str:
    p50, p95, p99 = _cuts(latencies)
    qps = len(latencies) / (sum(latencies) / 1000)
    return f"| {label} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {max(latencies):.1f} | {qps:,.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    parser.add_argument(
        "--keep-index", action="store_true", help="skip the rebuild when every product has one"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…")
    rng = random.Random(args.seed)  # noqa: S311 - made-up data, not secrets
    call_command("migrate", verbosity=0)
    ours = Product.objects.filter(brand__name__startswith=MARK).count()
    if Product.objects.count() != ours:
        sys.exit("This database holds other products: give the benchmark its own database.")
    if ours != args.products:
        if ours:
            sys.exit(f"The database holds {ours:,} generated products: drop it to change size.")
        print(f"Generating {args.products:,} products …", flush=True)
        _generate(args.products, rng)
    indexed_products = SearchDocument.objects.filter(doc_type=DocType.PRODUCT).count()
    if args.keep_index and indexed_products == args.products:
        rebuilt = "kept from an earlier run"
    else:
        print("Rebuilding the search index …", flush=True)
        started = time.perf_counter()
        index_rebuild()
        rebuild = time.perf_counter() - started
        rebuilt = (
            f"rebuilt in {rebuild:.0f} s ({args.products / rebuild:,.0f} products/s, "
            "jieba segmentation included)"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
        index_size = cursor.fetchone()[0]
    queries = _queries(args.queries, rng)
    index_changed()  # nothing kept by an earlier run counts in this one

    def page_only(filters, page):
        return advanced_search(filters=filters, page=page, with_facets=False).total

    def with_facets(filters, page):
        return advanced_search(filters=filters, page=page).total

    def first_visit(filters, page):
        # Under a fresh generation nothing is kept, as in the first search after a write to
        # the index; the generation in use is put back after, so the other ways keep theirs.
        # A number never used before each time (a bump would give every first visit the
        # same one, and a statement repeated in the mix would find its counts kept).
        (in_use,) = generations.current([SCOPE])
        cache.set(generations.PREFIX + SCOPE, time.time_ns(), timeout=None)
        try:
            return advanced_search(filters=filters, page=page).total
        finally:
            cache.set(generations.PREFIX + SCOPE, in_use, timeout=None)

    print(f"Running {len(queries):,} queries five ways …", flush=True)
    runs, totals = _time(
        {
            "first visit": first_visit,
            "results": page_only,
            "facets": with_facets,
            "scan": _scan,
            "scan + facets": _scan_with_facets,
        },
        queries,
    )
    indexed, faceted, first, scanned, scanned_facets = (
        runs[k] for k in ("results", "facets", "first visit", "scan", "scan + facets")
    )
    found, scan_found = totals["results"], totals["scan"]
    broad = (
        matching(DocType.PRODUCT, [Clause(k) for k in keywords("羊绒")], ranked=False).count()
        / args.products
    )
    kinds: dict[str, int] = {}
    for kind, _filters, _page in queries:
        kinds[kind] = kinds.get(kind, 0) + 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    report = "\n".join(
        [
            f"### {local_day():%Y-%m-%d}: `bench/search.py` output",
            "",
            f"{args.products:,} generated products on PostgreSQL {server.split()[0]}; "
            f"{len(queries):,} generated queries, run one after the other in one connection "
            "(milliseconds, measured in the calling process, so they include Django's own work; "
            "queries per second = queries / total time, one client).",
            "",
            "| run | p50 | p95 | p99 | max | queries/s |",
            "|---|---|---|---|---|---|",
            _row("indexed search: results page (count, page, cards)", indexed),
            _row("indexed search with facets (the search page and API)", faceted),
            _row("indexed search with facets, nothing kept (first visit)", first),
            _row("naive `icontains` scan (count, page)", scanned),
            _row("naive scan with the same facets, counted the naive way", scanned_facets),
            "",
            "By query class (milliseconds; the results page compares with the scan, the ways "
            "with facets with both the scan and the scan with facets):",
            "",
            *_by_class(
                queries,
                {
                    "results": indexed,
                    "facets": faceted,
                    "first visit": first,
                    "scan": scanned,
                    "scan + facets": scanned_facets,
                },
                ratios=[
                    ("results", "scan"),
                    ("facets", "scan"),
                    ("first visit", "scan"),
                    ("facets", "scan + facets"),
                    ("first visit", "scan + facets"),
                ],
            ),
            "",
            f"- Query mix: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}; "
            "facets are a category subtree, often with a brand, a key attribute and a price "
            "range; sort by relevance mostly, else sales, price or newest; 10% on page 2–3.",
            f"- Queries with results: indexed {sum(1 for n in found if n):,}, "
            f"scan {sum(1 for n in scan_found if n):,} (the scan finds nothing for pinyin and "
            "initials, and only exact substrings for the rest).",
            f"- Index: {rebuilt}; documents table with its indexes {index_size}.",
            "- Reading: the index answers selective queries (several words, pinyin, facets) "
            "from the GIN index, while the scan reads every product. A word found in most "
            f"products (羊绒 is in {broad:.0%} of them, as in a cashmere shop) is counted up to "
            "the 1,000 results a search lists and ranked among the 1,000 best sellers it "
            "matches; its facets count every match, one pass over them, kept until the index "
            "is next written (the first-visit way runs each query under a fresh generation).",
            f"- 1-minute load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
            "CPUs; compare rows of this table with each other only.",
            f"- Reproduce: `DATABASE_URL=postgres://…/rc_bench_search python bench/search.py "
            f"--products {args.products} --queries {args.queries} --seed {args.seed} --write`.",
            f"- Date {local_day():%Y-%m-%d}; PostgreSQL shared_buffers {buffers}.",
        ]
    )
    print(report)
    if args.write:
        _write(report)


def _write(entry: str) -> None:
    """Add the entry first under "## Search" (made when missing), above the earlier ones."""
    path = ROOT / "bench" / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition("## Search\n")
    if found:
        text = head + found + "\n" + entry + "\n" + rest
    else:
        text = text.rstrip("\n") + "\n\n## Search\n\n" + entry + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
