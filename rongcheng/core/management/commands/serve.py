"""Serve HTTP and WebSockets from one uvicorn process: the embedded setup of `make run`."""

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand

from rongcheng.core.scheduler import EmbeddedScheduler


class Command(BaseCommand):
    help = "Start the ASGI server (uvicorn) for pages, API and WebSockets, and the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        base = f"http://{host}:{port}"
        self.stdout.write(
            f"\n绒城购 Rongcheng Mall\n  商城 storefront:  {base}/\n"
            f"  运营后台 back office: {base}/backoffice/\n  API docs:         {base}/api/docs\n"
        )
        scheduler = EmbeddedScheduler() if settings.EMBEDDED_SCHEDULER else None
        if scheduler is not None:
            self.stdout.write(
                f"  periodic jobs: {', '.join(e.name for e in scheduler.entries)} (in-process)\n"
            )
            scheduler.start()
        try:
            uvicorn.run(
                "config.asgi:application",
                host=host,
                port=port,
                log_level="info",
                lifespan="off",
                # uvicorn would otherwise take X-Forwarded-For from any local process as the
                # client's address. Behind a proxy it trusts only FORWARDED_ALLOW_IPS
                # (default 127.0.0.1); client_ip() counts TRUSTED_PROXY_COUNT hops either way.
                proxy_headers=settings.RONGCHENG["TRUSTED_PROXY_COUNT"] > 0,
            )
        finally:
            if scheduler is not None:
                scheduler.stop()
