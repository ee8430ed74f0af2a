from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.templatetags.static import static
from django.urls import NoReverseMatch, path, register_converter, reverse
from django.utils import timezone, translation

from rongcheng.core.jinja2env import (
    PageLocale,
    address,
    environment,
    id_pattern,
    localtime,
    page_locale,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("instant", "shown", "short"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), "2026-12-31 23:30", "12-31 23:30"),
        (datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), "2027-01-01 00:30", "01-01 00:30"),
        (datetime(2026, 12, 31, 15, 59, tzinfo=UTC), "2026-12-31 23:59", "12-31 23:59"),
        (datetime(2026, 12, 31, 16, 1, tzinfo=UTC), "2027-01-01 00:01", "01-01 00:01"),
    ],
)
def test_pages_show_times_in_shanghai_whatever_the_active_time_zone(instant, shown, short):
    with timezone.override(UTC):
        assert localtime(instant) == shown
        assert localtime(instant, "m-d H:i") == short
        assert localtime(None) == ""


def test_template_translations_are_markup_filled_with_escaped_values():
    template = environment(autoescape=True).from_string(
        '{{ _("首页") }}|{{ gettext("已售 %(n)s", n=n) }}|{{ _("收藏：%(name)s", name=name) }}'
        '|{{ ngettext("%(num)s 件", "%(num)s 件", 3) }}|{{ _("100%%") }}'
    )
    with translation.override("zh-hans"):
        assert template.render(n=5, name="<b>") == "首页|已售 5|收藏：&lt;b&gt;|3 件|100%"
    with translation.override("en"):
        assert template.render(n=5, name="<b>").split("|")[:3] == [
            "Home",
            "5 sold",
            "Save to favorites: &lt;b&gt;",
        ]
    with translation.override("zh-hans"):  # each message is kept per language
        assert template.render(n=6, name="&").startswith("首页|已售 6|收藏：&amp;|")


def test_a_page_translates_and_links_in_the_locale_it_started_rendering_in():
    """The context processor reads the locale once; templates rendered without it (mail,
    shared blocks) read the active one."""
    template = environment(autoescape=True).from_string(
        "{{ _('首页') }}|{{ url('storefront:home') }}|{{ item|tr }}"
    )
    item = SimpleNamespace(name="围巾", name_en="Scarf")
    with translation.override("en"):
        english = PageLocale.now()
        assert page_locale(None) == {"page_locale": english}
        assert template.render(item=item) == "Home|/en/|Scarf"
    with translation.override("zh-hans"):
        assert template.render(item=item) == "首页|/|围巾"
        assert template.render(item=item, page_locale=english) == "Home|/en/|Scarf"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_addresses_with_ids_are_the_reversed_ones(language):
    template = environment(autoescape=True).from_string(
        "{{ url('storefront:product', pk) }} {{ url('storefront:store', 7) }} "
        "{{ url('storefront:product', pk) }} {{ url('storefront:category', 3, 'nv-zhuang') }}"
    )
    with translation.override(language):
        expected = " ".join(
            [
                reverse("storefront:product", args=[42]),
                reverse("storefront:store", args=[7]),
                reverse("storefront:product", args=[42]),
                reverse("storefront:category", args=[3, "nv-zhuang"]),
            ]
        )
        assert template.render(pk=42) == expected
        assert id_pattern("storefront:product").format(5) == reverse("storefront:product", args=[5])


def test_a_route_that_writes_ids_otherwise_is_reversed_each_time(settings):
    settings.ROOT_URLCONF = __name__  # the padded route below
    assert address("padded", 7) == "/order/0007/"
    assert address("padded", 123456) == "/order/123456/"
    with pytest.raises(NoReverseMatch):
        id_pattern("padded")


class PaddedConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


register_converter(PaddedConverter, "padded")
urlpatterns = [path("order/<padded:number>/", lambda request: None, name="padded")]


def test_static_addresses_are_the_storage_s_and_follow_its_settings(settings):
    template = environment(autoescape=True).from_string("{{ static('storefront/css/site.css') }}")
    assert template.render() == static("storefront/css/site.css")
    settings.STATIC_URL = "https://static.example.cn/s/"
    assert template.render() == static("storefront/css/site.css")
    assert template.render().startswith("https://static.example.cn/s/storefront/css/site")
