"""English values of content fields: English pages show them, Chinese is the fallback."""

from dataclasses import dataclass

from django.utils import translation

from rongcheng.core.jinja2env import environment
from rongcheng.core.translation import localized, pick


@dataclass
class Named:
    name: str
    name_en: str


def test_english_pages_read_the_english_value_and_fall_back_to_chinese():
    with translation.override("en"):
        assert localized(Named("羊绒衫", "Cashmere Sweaters")) == "Cashmere Sweaters"
        assert localized(Named("羊绒衫", "")) == "羊绒衫"
        assert pick("北京市", "Beijing") == "Beijing"
    with translation.override("zh-hans"):
        assert localized(Named("羊绒衫", "Cashmere Sweaters")) == "羊绒衫"
        assert pick("北京市", "Beijing") == "北京市"


def test_a_field_without_an_english_column_stays_chinese():
    @dataclass
    class Plain:
        code: str

    with translation.override("en"):
        assert localized(Plain("WC-01"), "code") == "WC-01"


def test_templates_pick_when_they_render():
    """One object serves both languages, so blocks cached for every visitor need no key per
    language."""
    template = environment(autoescape=True).from_string("{{ item|tr }} / {{ item|tr('name') }}")
    item = Named("围巾", "Scarves")
    with translation.override("en"):
        assert template.render(item=item) == "Scarves / Scarves"
    with translation.override("zh-hans"):
        assert template.render(item=item) == "围巾 / 围巾"
