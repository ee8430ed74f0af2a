"""A note when the registry names a page the URL configuration does not have yet."""

from django.core.checks import Info, register

from rongcheng.seo.locations import CACHED_PAGES, FIXED_PAGES, SECTIONS, url_name_resolves


@register()
def registered_pages_exist(app_configs, **kwargs):
    names = {section.url_name for section in SECTIONS.values()} | set(FIXED_PAGES)
    names |= set(CACHED_PAGES)
    return [
        Info(
            f"seo/locations.py names the URL {name!r}, which does not exist: its pages stay out "
            "of the sitemap, the page cache and static publishing.",
            id="seo.I001",
        )
        for name in sorted(names)
        if not url_name_resolves(name)
    ]
