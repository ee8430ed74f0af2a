import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from rongcheng.core.dates import local_day, local_time
from rongcheng.seo.locations import SECTIONS
from rongcheng.seo.sitemaps import LIMIT, SectionSitemap
from rongcheng.seo.slugs import slugify_zh
from rongcheng.seo.tests.conftest import SITE_URL

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def parse(client, path: str, **headers) -> ET.Element:
    response = client.get(path, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 - the site's own sitemap


def section_paths(client) -> dict[str, str]:
    """Section name → path of its sitemap, from the index."""
    index = parse(client, "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    locs = [urlsplit(loc.text).path for loc in index.iter(f"{NS}loc")]
    return {path.removeprefix("/sitemap-").removesuffix(".xml"): path for path in locs}


def entries(root: ET.Element) -> dict[str, dict]:
    """loc → {lastmod, alternates{hreflang: href}} of a urlset."""
    assert root.tag == f"{NS}urlset"
    found = {}
    for url in root.findall(f"{NS}url"):
        lastmod = url.find(f"{NS}lastmod")
        found[url.find(f"{NS}loc").text] = {
            "lastmod": lastmod.text if lastmod is not None else None,
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            },
        }
    return found


def test_every_sitemap_of_the_site_is_well_formed_and_its_pages_answer_200(client, shop):
    sections = section_paths(client)
    assert list(sections) == ["pages", *SECTIONS]
    for path in sections.values():
        for loc in entries(parse(client, path)):
            assert client.get(urlsplit(loc).path).status_code == 200, loc


def test_sections_list_each_object_in_both_languages_with_lastmod(client, shop):
    sections = section_paths(client)
    assert list(sections) == ["pages", "products", "categories", "brands", "stores", "help"]

    products = entries(parse(client, sections["products"]))
    crew, vee = shop["crew"], shop["vee"]
    # Products, brands and stores by id alone: the address stays when the name changes.
    crew_path = f"/product/{crew.id}/"
    assert reverse("storefront:product", args=[crew.id]) == crew_path
    chinese, english = f"http://testserver{crew_path}", f"http://testserver/en{crew_path}"
    assert set(products) == {
        chinese,
        english,
        f"http://testserver/product/{vee.id}/",
        f"http://testserver/en/product/{vee.id}/",
    }  # the inactive product is not listed
    assert products[english]["alternates"] == {
        "zh-hans": chinese,
        "en": english,
        "x-default": chinese,
    }
    assert products[chinese]["lastmod"] == local_day(crew.updated_at).isoformat()

    # Categories by id and the pinyin of their name.
    category = shop["category"]
    assert slugify_zh(category.name) == "yang-rong-shan"
    categories = entries(parse(client, sections["categories"]))
    assert set(categories) == {
        f"http://testserver/category/{category.id}-yang-rong-shan/",
        f"http://testserver/en/category/{category.id}-yang-rong-shan/",
    }
    brands = entries(parse(client, sections["brands"]))
    assert set(brands) == {
        f"http://testserver/brand/{shop['brand'].id}/",
        f"http://testserver/en/brand/{shop['brand'].id}/",
    }
    stores = entries(parse(client, sections["stores"]))
    assert set(stores) == {
        f"http://testserver/store/{shop['store'].id}/",
        f"http://testserver/en/store/{shop['store'].id}/",
    }  # the fulfillment center has no page


def test_sitemaps_use_the_public_address_when_it_is_configured(client, shop, public_site):
    index = parse(client, "/sitemap.xml", HTTP_HOST="shop.example.com")
    assert [loc.text for loc in index.iter(f"{NS}loc")] == [
        f"{SITE_URL}/sitemap-{name}.xml" for name in ("pages", *SECTIONS)
    ]
    pages = entries(parse(client, "/sitemap-pages.xml"))
    assert list(pages) == [
        f"{SITE_URL}{prefix}{path}"
        for path in (
            "/",
            "/categories/",
            "/brands/",
            "/sale/",
            "/stores/",
            "/help/",
            "/terms/",
            "/privacy/",
        )
        for prefix in ("", "/en")
    ]
    products = entries(parse(client, "/sitemap-products.xml"))
    assert f"{SITE_URL}/en/product/{shop['crew'].id}/" in products


def test_a_section_splits_into_files_at_its_limit(client, shop, monkeypatch):
    assert LIMIT == 50_000
    monkeypatch.setattr(SectionSitemap, "limit", 3)  # 2 products x 2 languages = 4 addresses
    index = parse(client, "/sitemap.xml")
    locs = [loc.text for loc in index.iter(f"{NS}loc")]
    assert "http://testserver/sitemap-products.xml" in locs
    assert "http://testserver/sitemap-products.xml?p=2" in locs
    first = entries(parse(client, "/sitemap-products.xml"))
    second = entries(parse(client, "/sitemap-products.xml?p=2"))
    assert (len(first), len(second)) == (3, 1)
    assert client.get("/sitemap-products.xml?p=3").status_code == 404


def test_the_index_gives_each_section_its_latest_change(client, shop):
    index = parse(client, "/sitemap.xml")
    lastmods = {
        urlsplit(item.find(f"{NS}loc").text).path: item.find(f"{NS}lastmod")
        for item in index.findall(f"{NS}sitemap")
    }
    latest = max(shop["crew"].updated_at, shop["vee"].updated_at)  # the listed products
    shop["retired"].save()  # changed last, but not listed: it does not count
    assert lastmods["/sitemap-products.xml"].text == local_time(latest).isoformat()
    assert lastmods["/sitemap-pages.xml"] is None


# The evening failure: from 16:00 to 24:00 UTC the day in Shanghai is the next one.
@pytest.mark.parametrize(
    ("changed_at", "day", "index_lastmod"),
    [
        ("2026-12-31T23:30:00+08:00", "2026-12-31", "2026-12-31T23:30:00+08:00"),
        ("2027-01-01T00:30:00+08:00", "2027-01-01", "2027-01-01T00:30:00+08:00"),
        ("2026-12-31T15:59:00+00:00", "2026-12-31", "2026-12-31T23:59:00+08:00"),
        ("2026-12-31T16:01:00+00:00", "2027-01-01", "2027-01-01T00:01:00+08:00"),
    ],
)
def test_lastmod_is_the_day_in_shanghai_of_the_last_change(
    client, shop, changed_at, day, index_lastmod
):
    with time_machine.travel(datetime.fromisoformat(changed_at), tick=False):
        for product in (shop["crew"], shop["vee"], shop["retired"]):
            product.save()
        products = entries(parse(client, "/sitemap-products.xml"))
        index = parse(client, "/sitemap.xml")
    assert {entry["lastmod"] for entry in products.values()} == {day}
    lastmods = {
        urlsplit(item.find(f"{NS}loc").text).path: item.find(f"{NS}lastmod").text
        for item in index.findall(f"{NS}sitemap")
        if item.find(f"{NS}lastmod") is not None
    }
    assert lastmods["/sitemap-products.xml"] == index_lastmod


def test_robots_txt_keeps_crawlers_out_of_personal_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /api/\n"
        "Disallow: /backoffice/\n"
        "Disallow: /city/\n"
        "Disallow: /en/city/\n"
        "Disallow: /en/login/\n"
        "Disallow: /en/logout/\n"
        "Disallow: /en/member/\n"
        "Disallow: /en/password/forgot/\n"
        "Disallow: /en/register/\n"
        "Disallow: /en/seller/\n"
        "Disallow: /i18n/setlang/\n"
        "Disallow: /login/\n"
        "Disallow: /logout/\n"
        "Disallow: /member/\n"
        "Disallow: /password/forgot/\n"
        "Disallow: /register/\n"
        "Disallow: /seller/\n"
        "Disallow: /ws/\n"
        "\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )


def test_robots_txt_names_the_public_sitemap_address(client, public_site):
    assert (
        client.get("/robots.txt")
        .content.decode()
        .endswith("Sitemap: https://shop.example.com/sitemap.xml\n")
    )
