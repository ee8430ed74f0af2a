from dataclasses import replace
from decimal import Decimal

from django.core.management import call_command

from rongcheng.regions.dataset import read_csv
from rongcheng.regions.models import Region
from rongcheng.regions.selectors import city_get
from rongcheng.regions.services import LoadResult, regions_load


def test_command_loads_every_region_and_a_second_run_changes_nothing(db, capsys):
    call_command("load_regions")
    assert capsys.readouterr().out.strip() == "地区 Regions: 3248 created, 0 updated, 0 unchanged"
    assert Region.objects.count() == 3248
    erdos = Region.objects.select_related("parent").get(code="150600")
    assert (erdos.name, erdos.level, erdos.parent.name) == ("鄂尔多斯市", 2, "内蒙古自治区")
    assert (erdos.longitude, erdos.latitude) == (Decimal("109.781327"), Decimal("39.608266"))

    call_command("load_regions")
    assert capsys.readouterr().out.strip() == "地区 Regions: 0 created, 0 updated, 3248 unchanged"


def test_second_load_only_reads(all_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the read, and the savepoint pair of atomic()
        assert regions_load(rows=read_csv()) == LoadResult(created=0, updated=0, unchanged=3248)


def test_load_repairs_changed_rows_and_keeps_rows_no_longer_in_the_file(all_regions):
    Region.objects.filter(code="150600").update(name="鄂市", pinyin="es")
    rows = [row for row in read_csv() if row.code != "150602"]
    rows = [replace(row, latitude=Decimal("39.9")) if row.code == "150603" else row for row in rows]

    assert regions_load(rows=rows) == LoadResult(created=0, updated=2, unchanged=3245)
    assert Region.objects.get(code="150600").pinyin == "eerduosi"
    assert Region.objects.get(code="150603").latitude == Decimal("39.9")
    assert Region.objects.filter(code="150602").exists()


def test_load_into_an_empty_table_puts_parents_first(db):
    rows = [row for row in read_csv() if row.code[:2] == "15"]
    assert regions_load(rows=reversed(rows)) == LoadResult(
        created=len(rows), updated=0, unchanged=0
    )
    assert Region.objects.get(code="150602").parent.parent.code == "150000"


def test_cities_are_read_once_and_a_load_refreshes_them(
    all_regions, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(1):
        assert city_get(code="150600").name == "鄂尔多斯市"
    with django_assert_num_queries(0):  # from the cache
        assert city_get(code="150600").name == "鄂尔多斯市"
        assert city_get(code="15060'; --") is None  # not a code: nothing to look up
    assert city_get(code="150602") is None  # a district, not a city

    rows = [replace(row, name="鄂尔多斯") if row.code == "150600" else row for row in read_csv()]
    with django_capture_on_commit_callbacks(execute=True):
        regions_load(rows=rows)
    assert city_get(code="150600").name == "鄂尔多斯"
