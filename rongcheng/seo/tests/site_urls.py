"""The site's URLs plus stand-in product, category, brand and store pages under the names
seo/locations.py uses, so sitemaps, the page cache, publishing and the report are tested
against pages that render real catalogue data through base.html and seo/_head.html."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path, reverse

from rongcheng.api.urls import api
from rongcheng.catalog.errors import ProductNotFound
from rongcheng.catalog.models import Brand, Category
from rongcheng.catalog.selectors import brand_products, category_products, product_detail
from rongcheng.seo.slugs import slugify_zh
from rongcheng.storefront import urls as storefront_urls
from rongcheng.stores.selectors import store_get

PRODUCT_PAGE = engines["jinja2"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ detail.product.name }} · {{ _("绒城购") }}{% endblock %}
{% block description %}{{ detail.product.subtitle or detail.product.name }}{% endblock %}
{% block seo %}{% from "seo/_head.html" import seo_head with context %}{{ seo_head(
    self.title(), self.description(), type="product",
    jsonld=[seo.product(detail), seo.breadcrumbs(crumbs)]) }}{% endblock %}
{% block content %}
<h1>{{ detail.product.name }}</h1>
<p class="price">¥{{ detail.price.amount }}</p>
<a href="{{ url('storefront:category', category_id=detail.product.category_id,
   slug=slugify(detail.product.category.name)) }}">{{ detail.product.category.name }}</a>
{% endblock %}"""
)

LIST_PAGE = engines["jinja2"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ name }} · {{ _("绒城购") }}{% endblock %}
{% block description %}{{ name }}{% endblock %}
{% block content %}
<h1>{{ name }}</h1>
{% for card in page.object_list %}
<a href="{{ url('storefront:product', product_id=card.id, slug=slugify(card.name)) }}">
  {{ card.name }} ¥{{ card.price.amount }}</a>
{% endfor %}
{% endblock %}"""
)

STORE_PAGE = engines["jinja2"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ store.name }} · {{ _("绒城购") }}{% endblock %}
{% block description %}{{ store.address }}{% endblock %}
{% block seo %}{% from "seo/_head.html" import seo_head with context %}{{ seo_head(
    self.title(), self.description(), jsonld=[seo.store(store)]) }}{% endblock %}
{% block content %}<h1>{{ store.name }}</h1>{% endblock %}"""
)


def product(request, product_id: int, slug: str):
    try:
        detail = product_detail(product_id=product_id)
    except ProductNotFound:
        raise Http404 from None
    crumbs = [("绒城购", reverse("storefront:home"))]
    crumbs += [
        (node.name, reverse("storefront:category", args=[node.id, slugify_zh(node.name)]))
        for node in detail.breadcrumbs
    ]
    crumbs.append((detail.product.name, request.path))
    context = {"detail": detail, "crumbs": crumbs, "slugify": slugify_zh}
    return render_string(request, PRODUCT_PAGE, context)


def category(request, category_id: int, slug: str):
    found = Category.objects.filter(id=category_id, is_active=True).first()
    if found is None:
        raise Http404
    page = category_products(category_id=category_id, page=request.GET.get("page", 1))
    return render_string(request, LIST_PAGE, {"name": found.name, "page": page})


def brand(request, brand_id: int, slug: str):
    found = Brand.objects.filter(id=brand_id, is_active=True).first()
    if found is None:
        raise Http404
    page = brand_products(brand_id=brand_id)
    return render_string(request, LIST_PAGE, {"name": found.name, "page": page})


def store(request, store_id: int):
    found = store_get(store_id=store_id)
    if found is None:
        raise Http404
    return render_string(request, STORE_PAGE, {"store": found})


def render_string(request, template, context):
    context.setdefault("slugify", slugify_zh)
    return HttpResponse(template.render(context, request))


STAND_INS = [
    path("t/product/<int:product_id>-<slug:slug>/", product, name="product"),
    path("t/category/<int:category_id>-<slug:slug>/", category, name="category"),
    path("t/brand/<int:brand_id>-<slug:slug>/", brand, name="brand"),
    path("t/store/<int:store_id>/", store, name="store"),
]


def site_patterns(first=(), last=()):
    """The site's URL configuration with extra storefront patterns before and after."""
    storefront = ([*first, *storefront_urls.urlpatterns, *last], "storefront")
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


# Appended: when the real pages exist under the same names, reverse() still picks these.
urlpatterns = site_patterns(last=STAND_INS)
