# A benchmark: it profiles requests in this process against a loaded catalogue.
# ruff: noqa: S311
"""Where one uncached request of the home, a category and a product page spends its time:
each SQL statement with its duration, the template rendering, and a pyinstrument profile of
the rest. Run it against a database loaded by bench/catalog_pages.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench .venv/bin/python bench/profile_pages.py
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/profile_pages.py --profile

Each page is requested a few times to fill the shared blocks and compile the templates (as in
a process that has served for a while), then profiled at an address not requested before, so
the page cache misses as on a first visit.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEFAULT_CITY_CODE", "150600")
os.environ.setdefault("EMBEDDED_SCHEDULER", "false")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("PYINSTRUMENT_IGNORE_OVERHEAD_WARNING", "1")  # a shared, busy host

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.backends.jinja2 import Template  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from rongcheng.catalog.models import Brand, Category, Product  # noqa: E402
from rongcheng.storefront.browse import category_url  # noqa: E402

WARMING = 3


class Statements:
    """Every SQL statement a request runs, with its time in milliseconds."""

    def __init__(self):
        self.seen: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append(((time.perf_counter() - began) * 1000, sql))


class RenderTimer:
    """Milliseconds spent in Jinja2 templates' render()."""

    def __init__(self):
        self.ms = 0.0
        self._render = Template.render

    def __enter__(self):
        timer = self

        def render(template, context=None, request=None):
            began = time.perf_counter()
            try:
                return timer._render(template, context, request)
            finally:
                timer.ms += (time.perf_counter() - began) * 1000

        Template.render = render  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc):
        Template.render = self._render  # type: ignore[method-assign]


def addresses(rng: random.Random, count: int) -> dict[str, tuple[str, list[str]]]:
    """Per page, a warming address and `count` fresh ones (new to the page cache)."""
    products = rng.sample(list(Product.objects.values_list("id", flat=True)), count + 1)
    categories = [category_url(c.id, c.name) for c in Category.objects.order_by("position", "id")]
    sorts = ("sales", "price", "-price", "newest")
    # As in bench/catalog_pages.py's cold mode: no brand, or one of them.
    brands = ["", *(f"&brand={pk}" for pk in Brand.objects.values_list("id", flat=True))]
    return {
        "home": ("/", [f"/?utm_source=p{n}" for n in range(count)]),
        "category": (
            categories[0],
            [
                f"{rng.choice(categories)}?sort={rng.choice(sorts)}&page={rng.randrange(1, 6)}"
                f"{rng.choice(brands)}"
                for _ in range(count)
            ],
        ),
        "product": (
            f"/product/{products[-1]}/",
            [f"/product/{pk}/" for pk in products[:count]],
        ),
    }


def profile(name: str, warm: str, fresh: list[str], show_profile: bool) -> None:
    client = Client()
    # The warming requests fill the shared blocks and compile the templates, as in a
    # process that has served for a while.
    for n in range(WARMING):
        assert client.get(f"{warm}{'&' if '?' in warm else '?'}warm={n}").status_code == 200
    for address in fresh:  # the shared blocks of every category and store in the sample
        client.get(address + ("&" if "?" in address else "?") + "warm=1")
    statements = Statements()
    profiler = Profiler(interval=0.0005)
    with connection.execute_wrapper(statements), RenderTimer() as render:
        began, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        for address in fresh:
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
        profiler.stop()
        total = (time.perf_counter() - began) * 1000 / len(fresh)
        cpu = (time.process_time() - cpu) * 1000 / len(fresh)
    sql = sum(ms for ms, _ in statements.seen) / len(fresh)
    print(f"\n## {name} on {connection.vendor}: {len(fresh)} fresh addresses, e.g. {fresh[0]}")
    print(
        f"per request {total:.1f} ms ({cpu:.1f} ms of this process's CPU): "
        f"SQL {sql:.1f} ms in {len(statements.seen) / len(fresh):.1f} statements, "
        f"templates {render.ms / len(fresh):.1f} ms (SQL run while rendering included), "
        f"rest {total - sql - render.ms / len(fresh):.1f} ms"
    )
    by_statement: dict[str, list[float]] = {}
    for ms, text in statements.seen:
        by_statement.setdefault(" ".join(text.split())[:200], []).append(ms)
    for text, times in sorted(by_statement.items(), key=lambda item: -sum(item[1])):
        print(f"  {sum(times) / len(fresh):6.2f} ms  ×{len(times) / len(fresh):.1f}  {text}")
    if show_profile:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", choices=["home", "category", "product"], action="append")
    parser.add_argument("--requests", type=int, default=30, help="fresh addresses per page")
    parser.add_argument("--profile", action="store_true", help="print the pyinstrument tree")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    pages = addresses(random.Random(args.seed), args.requests)
    for name in args.page or list(pages):
        warm, fresh = pages[name]
        profile(name, warm, fresh, args.profile)


if __name__ == "__main__":
    main()
