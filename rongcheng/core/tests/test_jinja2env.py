from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from rongcheng.core.jinja2env import environment, localtime

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
