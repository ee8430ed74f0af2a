from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils import timezone

from rongcheng.catalog.models import Sku
from rongcheng.catalog.services import product_price_refresh
from rongcheng.core.testing.factories import UserFactory
from rongcheng.seo import generations
from rongcheng.seo.locations import LISTINGS, product_scope
from rongcheng.seo.page_cache import HEADER
from rongcheng.seo.purge import purge_catalogue, purge_products, purge_store
from rongcheng.seo.slugs import slugify_zh
from rongcheng.seo.tasks import purge_price_windows
from rongcheng.seo.tests.site_urls import site_patterns

pytestmark = pytest.mark.django_db


def product_path(product) -> str:
    return reverse("storefront:product", args=[product.id])


def set_price(product, amount: str) -> None:
    """Change the SKU prices the way the back office does, without any purge."""
    Sku.objects.filter(product=product).update(price=Decimal(amount))
    product_price_refresh(product_ids=[product.id])


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(
    client, regions, django_assert_num_queries
):
    first = client.get("/terms/")
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):  # the visitor's city comes from the cache too
        second = client.get("/terms/")
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["Content-Language"] == "zh-hans"
    assert not second.cookies


def test_members_always_get_their_own_page(client, regions):
    assert client.get("/").get(HEADER) == "miss"
    member = UserFactory(real_name="王芳")
    client.force_login(member)
    response = client.get("/")
    assert response.get(HEADER) is None
    assert member.display_name in response.content.decode()
    assert client.get("/").get(HEADER) is None


def test_each_language_and_city_has_its_own_copy(client, regions):
    assert client.get("/").get(HEADER) == "miss"
    english = client.get("/en/")
    assert english.get(HEADER) == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert client.get("/en/").get(HEADER) == "hit"

    client.cookies["rc_city"] = "150600"
    ordos = client.get("/")
    assert ordos.get(HEADER) == "miss"
    assert "鄂尔多斯市" in ordos.content.decode()
    assert client.get("/").get(HEADER) == "hit"
    client.cookies["rc_city"] = "110100"
    assert client.get("/").get(HEADER) == "hit"


def test_the_query_string_is_part_of_the_key(client, regions):
    assert client.get("/terms/").get(HEADER) == "miss"
    assert client.get("/terms/?from=footer").get(HEADER) == "miss"
    assert client.get("/terms/?from=footer").get(HEADER) == "hit"


def test_pages_with_a_csrf_token_or_a_cookie_are_never_cached(client, regions, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/cookie/")
    assert response.get(HEADER) is None and response.cookies["seen"].value == "1"
    assert client.get("/cookie/").get(HEADER) is None
    response = client.get("/token/")
    assert response.get(HEADER) is None and "csrftoken" in response.cookies
    assert client.get("/token/").get(HEADER) is None


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, regions):
    """A message is shown once, so the page that shows it is the visitor's own."""
    assert client.get("/").get(HEADER) == "miss"
    client.force_login(UserFactory())
    client.post("/logout/")
    response = client.get("/")
    assert response.get(HEADER) is None
    assert "您已安全退出。" in response.content.decode()
    after = client.get("/")
    assert after.get(HEADER) == "hit"
    assert "您已安全退出。" not in after.content.decode()


def test_purging_a_product_retires_its_cached_page_after_commit(
    client, shop, django_capture_on_commit_callbacks
):
    crew = shop["crew"]
    page = product_path(crew)
    assert "¥1280.00" in client.get(page).content.decode()
    set_price(crew, "1180.00")
    assert client.get(page)[HEADER] == "hit"  # no purge yet: the old copy

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        purge_products(product_ids=[crew.id])
        assert client.get(page)[HEADER] == "hit"  # not before the commit
    assert len(callbacks) == 1
    fresh = client.get(page)
    assert fresh[HEADER] == "miss"
    assert "¥1180.00" in fresh.content.decode()


def test_a_rolled_back_change_purges_nothing(client, shop):
    before = generations.current([product_scope(shop["crew"].id), LISTINGS])
    with pytest.raises(RuntimeError), transaction.atomic():
        purge_products(product_ids=[shop["crew"].id])
        raise RuntimeError("rolled back")
    assert generations.current([product_scope(shop["crew"].id), LISTINGS]) == before


def test_purges_reach_exactly_the_pages_that_show_the_change(
    client, shop, django_capture_on_commit_callbacks
):
    crew, vee, store = shop["crew"], shop["vee"], shop["store"]
    category = f"/category/{shop['category'].id}-{slugify_zh(shop['category'].name)}/"
    pages = {
        "crew": product_path(crew),
        "vee": product_path(vee),
        "category": category,
        "store": f"/store/{store.id}/",
        "terms": "/terms/",
    }

    def states() -> dict[str, str]:
        return {name: client.get(page)[HEADER] for name, page in pages.items()}

    states()
    assert set(states().values()) == {"hit"}
    with django_capture_on_commit_callbacks(execute=True):
        purge_products(product_ids=[crew.id])
    assert states() == {
        "crew": "miss",
        "vee": "hit",
        "category": "miss",  # lists show prices
        "store": "miss",
        "terms": "hit",
    }
    with django_capture_on_commit_callbacks(execute=True):
        purge_store(store_id=store.id)
    assert states() == {
        "crew": "hit",
        "vee": "hit",
        "category": "hit",
        "store": "miss",
        "terms": "hit",
    }
    with django_capture_on_commit_callbacks(execute=True):
        purge_catalogue()
    assert states() == {
        "crew": "miss",
        "vee": "miss",
        "category": "miss",
        "store": "miss",
        "terms": "hit",
    }


def test_a_generation_that_was_evicted_starts_anew(client, shop):
    page = product_path(shop["crew"])
    client.get(page)
    cache.delete(generations.PREFIX + product_scope(shop["crew"].id))
    assert client.get(page)[HEADER] == "miss"


def test_a_price_change_through_the_catalogue_service_shows_on_the_cached_page(
    client, shop, django_capture_on_commit_callbacks
):
    crew = shop["crew"]
    page = product_path(crew)
    assert "¥1280.00" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_price(crew, "1180.00")
    assert "¥1180.00" in client.get(page).content.decode()


def test_the_price_window_job_retires_the_page_of_a_special_price_that_ended(
    client, shop, django_capture_on_commit_callbacks
):
    """No write happens when a special price ends by the clock: the periodic job purges."""
    crew = shop["crew"]
    page = product_path(crew)
    now = timezone.now()
    Sku.objects.filter(product=crew).update(
        special_price=Decimal("999.00"),
        special_starts_at=now - timedelta(days=1),
        special_ends_at=now - timedelta(minutes=1),
    )
    client.get(page)
    assert client.get(page)[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_price_windows() == 1  # the first run looks two minutes back
    fresh = client.get(page)
    assert fresh[HEADER] == "miss"
    assert "<small>¥</small>1280.00" in fresh.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_price_windows() == 0  # nothing opened or closed since
    assert client.get(page)[HEADER] == "hit"


# Views for test_pages_with_a_csrf_token_or_a_cookie_are_never_cached, cached by name.
def _cookie_view(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def _token_view(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [
    *site_patterns(
        first=[
            path("cookie/", _cookie_view, name="terms"),
            path("token/", _token_view, name="privacy"),
        ]
    )
]
