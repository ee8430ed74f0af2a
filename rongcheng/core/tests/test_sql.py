"""SQL without the query compiler gives and writes exactly what the ORM does."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, router
from django.test.utils import CaptureQueriesContext

from rongcheng.catalog.models import Brand, Category, Product, Sku
from rongcheng.core.sql import Statement, fields, insert

pytestmark = pytest.mark.django_db
STARTS = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
ENDS = datetime.datetime(2026, 3, 8, 15, 59, 59, tzinfo=datetime.UTC)
READ = ("code", "price", "special_price", "special_starts_at", "special_ends_at", "is_active")
SKUS = Statement(
    f"SELECT code, price, special_price, special_starts_at, special_ends_at, is_active "  # noqa: S608
    f"FROM {Sku._meta.db_table} WHERE id IN (%s) AND colour = %s ORDER BY code",
    fields(Sku, *READ),
)


@pytest.fixture
def product() -> Product:
    return Product.objects.create(
        style_code="CB001",
        name="圆领羊绒衫",
        category=Category.objects.create(name="女士羊绒衫"),
        brand=Brand.objects.create(name="绒城"),
        launch_date=datetime.date(2026, 1, 1),
        price=Decimal("1280.00"),
    )


def _sku(product: Product, size: str, **extra) -> Sku:
    return Sku(
        product=product,
        code=f"CB001-{size}",
        colour="驼色",
        size=size,
        position=0,
        price=Decimal("1280.00"),
        **extra,
    )


def test_a_statement_reads_the_values_a_queryset_gives(product):
    on_special = _sku(
        product,
        "M",
        special_price=Decimal("999.50"),
        special_starts_at=STARTS,
        special_ends_at=ENDS,
    )
    Sku.objects.bulk_create([on_special, _sku(product, "L", is_active=False)])
    ids = list(Sku.objects.values_list("id", flat=True))

    rows = SKUS.rows([ids, "驼色"])

    assert rows == [
        ("CB001-L", Decimal("1280.00"), None, None, None, False),
        ("CB001-M", Decimal("1280.00"), Decimal("999.50"), STARTS, ENDS, True),
    ]
    assert rows == list(Sku.objects.order_by("code").values_list(*READ))
    assert SKUS.rows([ids[:1], "灰色"]) == []
    assert SKUS.rows([[], "驼色"]) == []  # an empty list matches nothing


@time_machine.travel(STARTS, tick=False)
def test_insert_sets_the_ids_and_writes_what_bulk_create_writes(product):
    inserted = insert([_sku(product, "M", weight_grams=800), _sku(product, "L")])
    Sku.objects.bulk_create([_sku(product, "XL", weight_grams=800)])

    assert [sku.pk for sku in inserted] == sorted(
        Sku.objects.filter(size__in=["M", "L"]).values_list("id", flat=True)
    )
    assert not inserted[0]._state.adding
    written = {
        sku.size: (sku.code, sku.price, sku.special_price, sku.weight_grams, sku.colour_hex)
        for sku in Sku.objects.all()
    }
    # Fields not given take their defaults (weight 500 g, the colour's swatch), as in the ORM.
    assert written == {
        "M": ("CB001-M", Decimal("1280.00"), None, 800, "#c8b8a6"),
        "L": ("CB001-L", Decimal("1280.00"), None, 500, "#c8b8a6"),
        "XL": ("CB001-XL", Decimal("1280.00"), None, 800, "#c8b8a6"),
    }
    # auto_now(_add) stamps as the ORM stamps them
    assert set(Sku.objects.values_list("created_at", "updated_at")) == {(STARTS, STARTS)}
    assert insert([]) == []


def test_a_statement_reads_where_the_router_sends_reads(monkeypatch):
    """As a queryset's reads: a replica for read-only requests, else the primary."""
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert SKUS.rows([[], "驼色"]) == []
    assert asked == [None]
    SKUS.rows([[], "驼色"], using="default")
    assert asked == [None]


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [text for (text,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_statement_is_prepared_on_its_second_run_and_the_orm_never(product):
    """The server plans a statement once per connection, not on every run."""
    Sku.objects.bulk_create([_sku(product, "M")])
    ids = list(Sku.objects.values_list("id", flat=True))

    assert SKUS.rows([ids, "驼色"]) == [("CB001-M", Decimal("1280.00"), None, None, None, True)]
    assert not any("colour = $2" in text for text in _prepared_statements())
    for _ in range(2):
        assert [row[0] for row in SKUS.rows([ids, "驼色"])] == ["CB001-M"]
        assert Sku.objects.filter(colour="驼色").count() == 1

    prepared = _prepared_statements()
    assert [text for text in prepared if "colour = $2" in text] == [
        SKUS.sql.replace("%s", "$1", 1).replace("%s", "$2")
    ]
    assert not any("COUNT(*)" in text for text in prepared)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_statement_planned_per_run_is_never_prepared(product):
    """Its plan follows the values of each run, as the ORM's queries' plans do."""
    Sku.objects.bulk_create([_sku(product, "M")])
    ids = list(Sku.objects.values_list("id", flat=True))
    for _ in range(3):
        rows = SKUS.rows([ids, "驼色"], planned_per_run=True)
        assert [row[0] for row in rows] == ["CB001-M"]
    assert not any("colour = " in text for text in _prepared_statements())


def test_a_statement_run_again_is_logged_with_its_text(product):
    """Where Django logs the queries, a statement's runs are there in full, prepared or not."""
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            SKUS.rows([[product.id], "驼色"])
    assert len(queries.captured_queries) == 3
    assert all("colour = " in query["sql"] for query in queries.captured_queries)
