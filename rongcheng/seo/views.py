"""Files for crawlers: the sitemaps and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from rongcheng.seo.context import absolute_url
from rongcheng.seo.locations import PRIVATE_PAGES, PRIVATE_PREFIXES
from rongcheng.seo.sitemaps import sitemaps


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, sitemaps=sitemaps(), sitemap_url_name="seo:sitemap")


@require_safe
def sitemap(request, section: str):
    return sitemap_views.sitemap(request, sitemaps=sitemaps(), section=section)


def private_paths() -> list[str]:
    """The paths of pages for one visitor, in every language, for robots.txt."""
    paths = dict.fromkeys(PRIVATE_PREFIXES)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in PRIVATE_PAGES:
                paths[reverse(name)] = None
    return sorted(paths)


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in private_paths()]
    lines += ["", f"Sitemap: {absolute_url(request, reverse('seo:sitemap_index'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
