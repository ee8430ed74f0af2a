import re

import pytest
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from rongcheng.seo import context, locale
from rongcheng.seo.locale import is_localised, language_urls
from rongcheng.seo.slugs import slugify_zh
from rongcheng.seo.tests.conftest import SITE_URL

pytestmark = pytest.mark.django_db


def head_links(html: str) -> dict[str, str]:
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    links["canonical"] = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    return links


def test_the_address_decides_the_language_of_shopper_pages(client, regions):
    client.cookies["django_language"] = "en"
    chinese = client.get("/terms/", headers={"accept-language": "en"})
    assert chinese["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in chinese.get("Vary", "")
    english = client.get("/en/terms/")
    assert english["Content-Language"] == "en"
    assert '<html lang="en">' in english.content.decode()


def test_the_back_office_keeps_the_language_the_visitor_chose(client, member):
    member.is_staff = member.is_superuser = True
    member.save()
    client.force_login(member)
    client.cookies["django_language"] = "en"
    assert client.get("/backoffice/")["Content-Language"] == "en"
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/backoffice/")["Content-Language"] == "zh-hans"


def test_links_inside_an_english_page_stay_english(client, regions):
    html = client.get("/en/").content.decode()
    assert 'href="/en/terms/"' in html and 'href="/en/login/"' in html


def test_every_page_names_its_canonical_address_and_its_languages(client, regions, public_site):
    links = head_links(client.get("/en/terms/?utm_source=weibo&page=1").content.decode())
    assert links == {
        "canonical": f"{SITE_URL}/en/terms/",
        "zh-hans": f"{SITE_URL}/terms/",
        "en": f"{SITE_URL}/en/terms/",
        "x-default": f"{SITE_URL}/terms/",
    }
    links = head_links(client.get("/terms/?page=2&sort=price").content.decode())
    assert links["canonical"] == f"{SITE_URL}/terms/?page=2"
    assert links["en"] == f"{SITE_URL}/en/terms/?page=2"


def test_open_graph_tags_repeat_the_title_and_description(client, regions):
    html = client.get("/privacy/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert f'<meta property="og:title" content="{title}">' in html
    assert '<meta property="og:url" content="http://testserver/privacy/">' in html
    assert '<meta property="og:locale" content="zh_CN">' in html
    assert '<meta property="og:description" content="绒城购：' in html


def test_the_language_switch_is_a_plain_link_to_the_same_page(client, regions):
    html = client.get("/terms/?from=footer").content.decode()
    assert (
        '<a href="/en/terms/?from=footer" hreflang="en" lang="en" class="linklike">English</a>'
        in html
    )
    assert "csrfmiddlewaretoken" not in html


def test_which_paths_are_localised():
    assert is_localised("/") and is_localised("/terms/") and is_localised("/member/addresses/")
    assert not is_localised("/backoffice/") and not is_localised("/api/docs")
    assert not is_localised("/sitemap.xml") and not is_localised("/no-such-page/")
    with translation.override("en"):
        assert is_localised("/terms/")  # whatever language is active
    assert language_urls("/sitemap.xml") == []
    assert language_urls(reverse("storefront:privacy")) == [
        ("zh-hans", "/privacy/"),
        ("en", "/en/privacy/"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/terms/",
        "/en/terms/",
        "/product/7/",
        "/en/category/3-nv-zhuang/",
        "/member/addresses/",
        "/api/docs",
        "/sitemap.xml",
        "/no-such-page/",
        "/en/no-such-page/",
    ],
)
def test_language_urls_are_the_addresses_translate_url_gives(path):
    """As a request of the path sees them: its language active."""
    with translation.override(translation.get_language_from_path(path) or "zh-hans"):
        by_django = [(code, translate_url(path, code)) for code, _name in settings.LANGUAGES]
        expected = by_django if len({url for _code, url in by_django}) > 1 else []
        assert language_urls(path) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("经典圆领羊绒衫", "jing-dian-yuan-ling-yang-rong-shan"),
        ("鄂尔多斯 1436 V领", "e-er-duo-si-1436-v-ling"),
        ("100%山羊绒·绿色", "100-shan-yang-rong-lv-se"),
        ("ERDOS", "erdos"),
        ("★", "item"),
    ],
)
def test_slugs_are_the_pinyin_of_chinese_names(name, slug):
    assert slugify_zh(name) == slug


def test_slugs_stay_short():
    assert len(slugify_zh("羊" * 100)) <= 80
    assert not slugify_zh("羊" * 100).endswith("-")


def test_a_page_looks_its_languages_up_once(client, regions, public_site, monkeypatch):
    looked_up = []

    def counted(path, localised=None):
        looked_up.append(path)
        return language_urls(path, localised)

    resolved = []

    def counted_resolve(path, urlconf=None):
        resolved.append(path)
        return is_localised(path, urlconf)

    monkeypatch.setattr(context, "language_urls", counted)
    monkeypatch.setattr(locale, "is_localised", counted_resolve)
    html = client.get("/terms/?page=2&sort=price").content.decode()
    assert looked_up == ["/terms/"]
    assert resolved == ["/terms/"]  # by the middleware, for the language and the links alike
    resolved.clear()
    assert client.get("/en/terms/").status_code == 200
    assert resolved == ["/terms/"]
    assert head_links(html)["en"] == f"{SITE_URL}/en/terms/?page=2"
    assert '<a href="/en/terms/?page=2&amp;sort=price" hreflang="en"' in html
