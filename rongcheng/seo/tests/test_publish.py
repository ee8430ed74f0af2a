import json
import os
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rongcheng.catalog.models import Product, Sku
from rongcheng.catalog.services import product_price_refresh
from rongcheng.seo import publish
from rongcheng.seo.purge import purge_products
from rongcheng.seo.tests.conftest import SITE_URL

pytestmark = pytest.mark.django_db


def page(root, path: str) -> str:
    return (root / path.strip("/") / "index.html").read_text()


def meta(root, path: str) -> dict:
    return json.loads((root / path.strip("/") / ".page.json").read_text())


def folder(path: str) -> str:
    return path.strip("/") or "."


def folders(root) -> set[str]:
    """The folders that hold a published page, relative to the root."""
    return {str(path.parent.relative_to(root)) for path in root.rglob("index.html")}


def product_path(product) -> str:
    return f"/product/{product.id}/"


def test_publish_static_writes_every_page_in_both_languages(shop, public_site, capsys):
    call_command("publish_static")
    crew, vee = shop["crew"], shop["vee"]
    expected = [
        "/",
        "/categories/",
        "/brands/",
        "/sale/",
        "/stores/",
        "/help/",
        "/terms/",
        "/privacy/",
        product_path(crew),
        product_path(vee),
        f"/category/{shop['category'].id}-yang-rong-shan/",
        f"/brand/{shop['brand'].id}/",
        f"/store/{shop['store'].id}/",
    ]
    assert folders(public_site) == {folder(path) for path in expected} | {
        folder(f"/en{path}") for path in expected
    }
    assert capsys.readouterr().out.startswith("published 26 pages, removed 0, skipped 0")

    html = page(public_site, product_path(crew))
    assert "<small>¥</small>1280.00" in html
    canonical = f"{SITE_URL}/product/{crew.id}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '"@type": "Product"' in html and '"price": "1280.00"' in html
    assert '<html lang="en">' in page(public_site, f"/en/store/{shop['store'].id}/")
    record = meta(public_site, product_path(crew))
    assert record["url"] == product_path(crew)
    assert record["scopes"] == ["site", "catalogue", f"product:{crew.id}"]
    assert record["max_age"] == 30 * 60
    assert not list(public_site.rglob(".tmp-*"))


def test_published_pages_are_what_an_anonymous_visitor_of_the_default_city_sees(shop, public_site):
    call_command("publish_static")
    home = page(public_site, "/")
    assert "北京市" in home  # DEFAULT_CITY_CODE 110100
    assert "csrfmiddlewaretoken" not in home
    assert "登录" in home


def test_a_purge_refreshes_only_the_published_pages_that_show_the_change(
    shop, public_site, django_capture_on_commit_callbacks
):
    call_command("publish_static")
    crew_page = product_path(shop["crew"])
    vee_page = product_path(shop["vee"])
    before = {
        path: meta(public_site, path)["rendered_at"] for path in (crew_page, vee_page, "/terms/")
    }

    Sku.objects.filter(product=shop["crew"]).update(price="1180.00")
    product_price_refresh(product_ids=[shop["crew"].id])
    with django_capture_on_commit_callbacks(execute=True):
        purge_products(product_ids=[shop["crew"].id])

    price = "<small>¥</small>1180.00"
    assert price in page(public_site, crew_page)
    assert price in page(public_site, f"/en{crew_page}")
    assert price in page(public_site, f"/category/{shop['category'].id}-yang-rong-shan/")
    assert meta(public_site, crew_page)["rendered_at"] > before[crew_page]
    assert meta(public_site, vee_page)["rendered_at"] == before[vee_page]
    assert meta(public_site, "/terms/")["rendered_at"] == before["/terms/"]


def test_a_page_that_is_gone_is_removed_from_the_published_files(
    shop, public_site, django_capture_on_commit_callbacks
):
    call_command("publish_static")
    crew_page = product_path(shop["crew"])
    Product.objects.filter(id=shop["crew"].id).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        purge_products(product_ids=[shop["crew"].id])
    assert not (public_site / crew_page.strip("/") / "index.html").exists()
    assert not (public_site / crew_page.strip("/") / ".page.json").exists()
    assert (public_site / "store" / str(shop["store"].id) / "index.html").exists()


def test_pages_past_their_max_age_are_refreshed_by_the_stale_run(
    shop, public_site, settings, capsys
):
    call_command("publish_static")
    capsys.readouterr()
    call_command("publish_static", "--stale")
    assert capsys.readouterr().out.startswith("published 0 pages")
    ages = settings.RONGCHENG["PAGE_MAX_AGE"] | {"home": timedelta(0)}
    settings.RONGCHENG = settings.RONGCHENG | {"PAGE_MAX_AGE": ages}
    # Ages are read when a page is rendered: publish the home page again under the new age.
    call_command("publish_static")
    capsys.readouterr()
    call_command("publish_static", "--stale")
    # The home page and the brand hall (its featured brands change on a schedule too).
    assert capsys.readouterr().out.startswith("published 4 pages")  # in two languages


def test_changed_since_publishes_the_pages_of_changed_objects(shop, public_site, capsys):
    later = timezone.now() + timedelta(minutes=5)
    Product.objects.filter(id=shop["vee"].id).update(updated_at=later + timedelta(seconds=1))
    call_command("publish_static", "--changed-since", later.isoformat())
    folders = {
        str(path.parent.relative_to(public_site)) for path in public_site.rglob("index.html")
    }
    fixed = {".", "categories", "brands", "sale", "stores", "help", "terms", "privacy"}
    vee = f"product/{shop['vee'].id}"
    assert folders == {vee, f"en/{vee}"} | fixed | {
        f"en/{name}".removesuffix("/.") for name in fixed
    }
    with pytest.raises(CommandError, match="not an ISO 8601 time"):
        call_command("publish_static", "--changed-since", "yesterday")


def test_files_are_replaced_atomically(shop, public_site, monkeypatch):
    call_command("publish_static")
    original = page(public_site, "/terms/")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        publish.Publisher().publish("/terms/")
    assert page(public_site, "/terms/") == original
    assert not list(public_site.rglob(".tmp-*"))


def test_publishing_needs_the_public_address(shop):
    with pytest.raises(CommandError, match="set SITE_URL"):
        call_command("publish_static")


def test_addresses_cannot_leave_the_published_folder(public_site):
    for url in ("/../etc/", "/t/.page.json/", "/terms"):
        with pytest.raises(ValueError, match="not a publishable address"):
            publish.folder_for(url)
    assert publish.folder_for("/en/terms/?x=1") == public_site / "en" / "terms"
