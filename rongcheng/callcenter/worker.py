"""The engine worker: FreeSWITCH's events in, CTI's decisions out, over one ESL connection.

It runs as its own process (`manage.py callcenter_engine`), one per FreeSWITCH host: events
are handled one at a time in the order FreeSWITCH sent them, which is the order CTI needs.
The web processes' commands (`commands.py`) are performed by a thread of the same process on a
second connection of its own: an ESL connection is read by one thread only.
"""

import logging
import threading

import redis
from django.conf import settings
from django.db import close_old_connections

from rongcheng.callcenter import commands, cti
from rongcheng.callcenter.esl import EslConnection, EslDisconnected, EslError
from rongcheng.callcenter.freeswitch import SUBSCRIBED_EVENTS, FreeSwitchEngine, normalise

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 5


def connect() -> EslConnection:
    return EslConnection.open(
        settings.FREESWITCH_ESL_HOST,
        settings.FREESWITCH_ESL_PORT,
        settings.FREESWITCH_ESL_PASSWORD,
    )


def run(esl: EslConnection) -> int:
    """Handle events until the connection ends; returns how many reached CTI."""
    engine = FreeSwitchEngine.from_settings(esl)
    esl.subscribe(SUBSCRIBED_EVENTS)
    handled = 0
    while True:
        try:
            raw = esl.next_event()
        except EslDisconnected:
            return handled
        event = normalise(raw, media_dir=engine.media_dir)
        if event is None:
            continue
        # A database connection that broke or grew old is dropped, as between requests.
        close_old_connections()
        try:
            cti.handle(event, engine=engine)
        except EslDisconnected:
            raise
        except Exception:
            # One event that fails (a bug, a database hiccup) must not stop every call.
            logger.exception("CTI failed on %r", event)
        handled += 1


def perform_commands(esl: EslConnection, stop: threading.Event) -> int:
    """Perform the web processes' commands on `esl` until `stop` is set; returns how many."""
    engine = FreeSwitchEngine.from_settings(esl)
    performed = 0
    while not stop.is_set():
        performed += commands.take(engine, wait=1)
    return performed


def serve_commands(stop: threading.Event) -> None:
    """The command thread: its own connection, opened again when it ends or Redis fails."""
    while not stop.is_set():
        try:
            esl = connect()
        except (OSError, EslError):
            logger.exception("Command connection to FreeSWITCH failed")
        else:
            try:
                perform_commands(esl, stop)
            except (OSError, EslError, redis.RedisError):
                logger.exception("Engine commands stopped")
            finally:
                esl.close()
        stop.wait(RECONNECT_SECONDS)
