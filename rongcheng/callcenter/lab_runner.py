"""The lab as one process for `make run-callcenter`: Kamailio and rtpengine, the lab engine
on the media storage, and the worker loop that hands its events to CTI and performs the web
processes' commands (`commands.py`)."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import close_old_connections

from rongcheng.callcenter import commands, cti
from rongcheng.callcenter.engine import Event
from rongcheng.callcenter.lab import LabEngine
from rongcheng.callcenter.lab_proxy import LabProxy, running

logger = logging.getLogger(__name__)


@contextmanager
def lab(*, hotline_port: int, **ports: int) -> Iterator[tuple[LabProxy, LabEngine]]:
    with running(hotline_port, **ports) as proxy:
        engine = LabEngine(
            port=hotline_port, media_dir=Path(settings.MEDIA_ROOT), agents_host=proxy.domain
        )
        engine.start()
        try:
            yield proxy, engine
        finally:
            engine.stop()


def serve(engine: LabEngine, *, stopping: Callable[[], bool]) -> None:
    """Pump the engine, hand its events to CTI and perform the commands the web processes
    sent, until `stopping()`."""

    def handle(event: Event) -> None:
        # A database connection that broke or grew old is dropped, as between requests.
        close_old_connections()
        try:
            cti.handle(event, engine=engine)
        except Exception:
            # One event that fails must not stop every call (as the FreeSWITCH worker).
            logger.exception("CTI failed on %r", event)

    # Without Redis no web process sends commands: the workspace keeps them in the page.
    takes_commands = bool(settings.REDIS_URL)
    while not stopping():
        engine.run_for(0.5, handle)
        if not takes_commands:
            continue
        # pjsua takes commands only from the thread that runs it: between two pumps.
        try:
            while commands.take(engine):
                pass
        except redis.RedisError:
            logger.exception("Engine commands stopped; the calls go on")
