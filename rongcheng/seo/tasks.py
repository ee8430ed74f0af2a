"""Jobs of the seo app: refresh published pages, purge pages at price-window edges."""

from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from rongcheng.seo import publish
from rongcheng.seo.purge import purge_products
from rongcheng.seo.selectors import products_with_price_window_edge

WINDOWS_CHECKED_KEY = "seo:price-windows-checked"


@shared_task
def refresh_published_pages() -> int:
    """Re-render published pages that a purge retired or that passed their max age."""
    return len(publish.refresh_stale().written)


@shared_task
def purge_price_windows() -> int:
    """Special prices start and end by the clock, with no write to purge on: purge the
    products whose window opened or closed since the last run (the first run looks back two
    minutes). Purging twice is harmless, so overlapping runs do no harm."""
    now = timezone.now()
    since = cache.get(WINDOWS_CHECKED_KEY) or now - timedelta(minutes=2)
    product_ids = products_with_price_window_edge(since=since, until=now)
    if product_ids:
        purge_products(product_ids=product_ids)
    cache.set(WINDOWS_CHECKED_KEY, now, timeout=None)
    return len(product_ids)
