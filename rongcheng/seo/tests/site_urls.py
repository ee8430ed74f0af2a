"""The site's URL configuration with test pages of their own put first under storefront names,
so the page cache and the report are tested on pages whose content a test decides."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from rongcheng.api.urls import api
from rongcheng.storefront import urls as storefront_urls


def site_patterns(first=()):
    """The site's patterns, with `first` before the storefront's own (reverse() and the
    resolver pick them over the real pages of the same names)."""
    storefront = ([*first, *storefront_urls.urlpatterns], "storefront")
    return [
        path("backoffice/", admin.site.urls),
        path("api/", api.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("", include("rongcheng.seo.urls")),
        *i18n_patterns(path("", include(storefront)), prefix_default_language=False),
        *i18n_patterns(
            path("seller/", include("rongcheng.sellercenter.urls")), prefix_default_language=False
        ),
    ]
