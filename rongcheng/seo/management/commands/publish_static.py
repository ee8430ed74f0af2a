"""Write anonymous pages as static HTML files for nginx (页面静态化)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from rongcheng.core.dates import as_site_time
from rongcheng.seo import generations, publish
from rongcheng.seo.locations import SITE


class Command(BaseCommand):
    help = (
        "Publish the home, fixed, category, brand, store and product pages in every language "
        "as HTML files under PUBLISHED_DIR."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--stale",
            action="store_true",
            help="only re-render published pages whose data changed or that passed their max age",
        )
        which.add_argument(
            "--changed-since",
            metavar="TIME",
            help="only pages of objects changed since TIME (ISO 8601), and the fixed pages",
        )
        parser.add_argument(
            "--release",
            action="store_true",
            help="first retire every cached page (new templates or code), then publish",
        )

    def handle(self, *args, stale, changed_since, release, **options):
        since = None
        if changed_since:
            since = parse_datetime(changed_since)
            if since is None:
                raise CommandError(f"--changed-since: not an ISO 8601 time: {changed_since}")
            since = as_site_time(since)
        if release:
            generations.bump([SITE])
        try:
            if stale:
                result = publish.refresh_stale()
            else:
                urls = publish.page_urls(changed_since=since)
                result = publish.Publisher().publish_all(urls)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        for url, reason in result.skipped:
            self.stderr.write(f"skipped {url}: {reason}")
        self.stdout.write(
            f"published {len(result.written)} pages, removed {len(result.removed)}, "
            f"skipped {len(result.skipped)} → {publish.published_dir()}"
        )
