import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import path

from rongcheng.seo.crawl import Crawler, PageParser
from rongcheng.seo.tests.site_urls import site_patterns

pytestmark = pytest.mark.django_db

HOME = """<!doctype html><html><head><title>绒城购</title>
<meta name="description" content="首页">
<link rel="alternate" hreflang="zh-hans" href="/"><link rel="alternate" hreflang="en" href="/en/">
</head><body>
<a href="/t/untitled/">无标题</a> <a href="/t/twin-a/">A</a> <a href="/t/twin-b/">B</a>
<a href="/t/missing/">坏链接</a> <a href="http://testserver/t/twin-a/#top">A 再次</a>
<a href="https://elsewhere.example/">外站</a> <a href="mailto:kefu@example.com">邮件</a>
<a href="/member/">会员中心</a> <a href="/t/listing/">列表</a>
</body></html>"""

# A list with a filter (followed) and sort orders (nofollow), all naming the list as canonical.
LISTING = """<html><head><title>列表</title><meta name="description" content="列表">
<link rel="canonical" href="http://testserver/t/listing/"></head><body>
<a href="/t/listing/?brand=1">品牌</a> <a href="/t/listing/?sort=price" rel="nofollow">价格</a>
<a href="/t/missing/?sort=price" rel="nofollow">坏链接</a>
</body></html>"""


def _html(body: str):
    return lambda request: HttpResponse(body)


urlpatterns = site_patterns(
    first=[
        path("", _html(HOME), name="home"),
        path("t/untitled/", _html("<html><head></head><body>没有标题</body></html>")),
        path(
            "t/twin-a/",
            _html('<html><head><title>同名</title><meta name="description" content="a"></head>'),
        ),
        path(
            "t/twin-b/",
            _html('<html><head><title>同名</title><meta name="description" content="b"></head>'),
        ),
        path("t/listing/", _html(LISTING)),
    ]
)


@pytest.fixture
def small_site(settings, regions):
    settings.ROOT_URLCONF = __name__


def test_the_report_finds_what_keeps_pages_out_of_search_engines(small_site):
    report = Crawler(max_pages=100).run()
    assert report.missing_titles == ["/t/untitled/"]
    assert report.missing_descriptions == ["/t/untitled/"]
    # The list filtered by brand names the list as canonical: one page, not a duplicate.
    assert report.pages["/t/listing/?brand=1"].title == "列表"
    assert report.duplicate_titles == {"同名": ["/t/twin-a/", "/t/twin-b/"]}
    # The home page stands in for both languages, so both link to the missing page.
    assert report.broken_links == [("/", "/t/missing/", 404), ("/en/", "/t/missing/", 404)]
    assert report.not_in_sitemap == ["/t/untitled/", "/t/twin-a/", "/t/twin-b/", "/t/listing/"]
    assert report.sitemap_errors == []
    assert len(report.sitemap_urls) == 16  # the eight fixed pages in two languages
    # The member page is linked and answers (a redirect to log in) but is not crawled.
    assert report.pages["/member/"].status == 302 and report.pages["/member/"].blocked
    assert "/login/?next=/member/" not in report.pages
    # Links marked nofollow (sort orders) are left alone, as search engines do.
    assert "/t/listing/?sort=price" not in report.pages
    assert "/t/missing/?sort=price" not in report.pages
    assert not report.truncated
    assert report.problems == 9


def test_seo_report_prints_the_findings_and_fails_when_strict(small_site, capsys):
    call_command("seo_report")
    out = capsys.readouterr().out
    assert "Sitemap addresses: 16\n" in out
    assert "Pages without a title: 1\n  /t/untitled/\n" in out
    assert "Titles used by several pages: 1\n  '同名': /t/twin-a/, /t/twin-b/\n" in out
    assert "Broken internal links: 2\n  / → /t/missing/ (HTTP 404)\n" in out
    assert out.endswith("SEO problems: 9\n")
    with pytest.raises(CommandError, match="9 SEO problems") as raised:
        call_command("seo_report", "--strict")
    assert raised.value.returncode == 1


def test_the_crawl_stops_at_max_pages(small_site):
    report = Crawler(max_pages=3).run()
    assert len(report.pages) == 3 and report.truncated


def test_the_page_parser_reads_head_and_links():
    parser = PageParser()
    parser.feed(
        '<html><head><title> 羊绒衫 &amp; 围巾 </title><meta name="Description" content=" 好 ">'
        '<meta name="robots" content="NOINDEX, follow"><link rel="canonical" href="/c/">'
        '</head><body><a href="/a/">a</a><a>none</a><a href="">empty</a>'
        '<a href="/a/?sort=price" rel="external NoFollow">sorted</a></body></html>'
    )
    assert parser.title == "羊绒衫 & 围巾"
    assert parser.description == "好"
    assert parser.robots == "noindex, follow"
    assert parser.canonical == "/c/"
    assert parser.links == ["/a/"]
