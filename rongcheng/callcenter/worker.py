"""The engine worker: FreeSWITCH's events in, CTI's decisions out, over one ESL connection.

It runs as its own process (`manage.py callcenter_engine`), one per FreeSWITCH host: events
are handled one at a time in the order FreeSWITCH sent them, which is the order CTI needs.
"""

import logging

from django.conf import settings
from django.db import close_old_connections

from rongcheng.callcenter import cti
from rongcheng.callcenter.esl import EslConnection, EslDisconnected
from rongcheng.callcenter.freeswitch import SUBSCRIBED_EVENTS, FreeSwitchEngine, normalise

logger = logging.getLogger(__name__)


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
