"""The SEO evaluation tool: crawl the site in-process and report indexing problems."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rongcheng.seo.crawl import Crawler, Report


class Command(BaseCommand):
    help = (
        "Crawl the site from the home page and the sitemap as an anonymous visitor; list pages "
        "without title or description, duplicate titles, broken internal links and pages "
        "missing from the sitemap."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-pages",
            type=int,
            default=settings.RONGCHENG["SEO_REPORT_MAX_PAGES"],
            help="stop after requesting this many addresses",
        )
        parser.add_argument(
            "--strict", action="store_true", help="exit with status 1 when there is any problem"
        )

    def handle(self, *args, max_pages, strict, **options):
        report = Crawler(max_pages=max_pages).run()
        self.print_report(report)
        if strict and report.problems:
            raise CommandError(f"{report.problems} SEO problems", returncode=1)

    def section(self, title: str, lines: list[str]) -> None:
        style = self.style.WARNING if lines else self.style.SUCCESS
        self.stdout.write(style(f"{title}: {len(lines)}"))
        for line in lines:
            self.stdout.write(f"  {line}")

    def print_report(self, report: Report) -> None:
        crawled = sum(1 for page in report.pages.values() if page.status == 200)
        self.stdout.write(
            f"Sitemap addresses: {len(report.sitemap_urls)}\n"
            f"Addresses requested: {len(report.pages)} ({crawled} answered 200)"
            + (" — stopped at --max-pages" if report.truncated else "")
        )
        self.section("Pages without a title", report.missing_titles)
        self.section("Pages without a description", report.missing_descriptions)
        self.section(
            "Titles used by several pages",
            [f"{title!r}: {', '.join(paths)}" for title, paths in report.duplicate_titles.items()],
        )
        self.section(
            "Broken internal links",
            [
                f"{source} → {target} (HTTP {status})"
                for source, target, status in report.broken_links
            ],
        )
        self.section("Indexable pages not in the sitemap", report.not_in_sitemap)
        self.section("Sitemap addresses that do not answer 200", report.sitemap_errors)
        style = self.style.WARNING if report.problems else self.style.SUCCESS
        self.stdout.write(style(f"SEO problems: {report.problems}"))
