import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from rongcheng.api.urls import api
from rongcheng.core.media_serving import serve_media
from rongcheng.core.observability.metrics import metrics_view
from rongcheng.core.observability.probes import readiness


def healthz(request):
    """The load balancer's probe and the benchmarks' baseline: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the pages link: the static icon."""
    return redirect(static("storefront/favicon.ico"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readiness, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("backoffice/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("rongcheng.payments.urls")),
    path("", include("rongcheng.seo.urls")),
]
# Shopper pages: Chinese at /…, English at /en/…, so each language has its own address.
urlpatterns += i18n_patterns(
    path("", include("rongcheng.storefront.urls")), prefix_default_language=False
)
# The seller center (store staff): in both languages like the buyer center.
urlpatterns += i18n_patterns(
    path("seller/", include("rongcheng.sellercenter.urls")), prefix_default_language=False
)
# The platform's customer-service desk: live chat, complaints and suggestions.
urlpatterns += i18n_patterns(
    path("service/", include("rongcheng.sellercenter.service_urls")), prefix_default_language=False
)
# The call center: the agents' workspace and the supervisors' wallboard.
urlpatterns += i18n_patterns(
    path("callcenter/", include("rongcheng.sellercenter.callcenter_urls")),
    prefix_default_language=False,
)
# The call center's records desk: call and work records, recordings, reports, SMS campaigns.
urlpatterns += i18n_patterns(
    path("callcenter/", include("rongcheng.callcenter.records_urls")),
    prefix_default_language=False,
)
if not settings.PRODUCTION:
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    # The embedded setup serves uploads itself, DEBUG or not (static() would only with DEBUG
    # on); in production nginx or object storage serves them, with the same headers.
    urlpatterns += [re_path(rf"^{media}(?P<path>.+)$", serve_media)]
