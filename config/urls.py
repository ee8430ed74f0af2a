import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

from rongcheng.api.urls import api
from rongcheng.core.observability.metrics import metrics_view
from rongcheng.core.observability.probes import readiness
from rongcheng.core.uploads import media_headers


def healthz(request):
    """The load balancer's probe and the benchmarks' baseline: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def uploaded_file(request, path):
    """The embedded setup serves uploads itself, DEBUG or not (static() would only with DEBUG
    on); in production nginx or object storage serves them, with the same headers."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for header, value in media_headers(path).items():
        response[header] = value
    return response


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readiness, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
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
if not settings.PRODUCTION:
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media}(?P<path>.+)$", uploaded_file)]
