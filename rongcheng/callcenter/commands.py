"""Engine commands from the web processes (and periodic jobs) to the engine worker, over Redis.

With `CALLCENTER_ENGINE = "rongcheng.callcenter.commands.WorkerChannelEngine"` a workspace
action, a supervisor's command or the clock's tick decides in its own process, writes its rows,
and its engine commands go, once the transaction commits, onto one Redis list. The worker that
holds the engine (`manage.py callcenter_engine` for FreeSWITCH, or the lab's loop) takes them
in order and performs them (`take`), so only the worker connects to the engine.

A command older than `CALLCENTER_COMMAND_TTL_SECONDS` when taken is dropped: after a worker
outage, ringing a phone or hanging up a channel minutes late would act on calls that have moved
on; the clock's tick and the events put the records right.
"""

import functools
import json
import logging
import time

import redis
from django.conf import settings
from django.db import transaction

from rongcheng.callcenter.engine import CommandTuples, TelephonyEngine, perform

logger = logging.getLogger(__name__)
QUEUE_KEY = "callcenter:engine-commands"


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def connection() -> redis.Redis:
    return _redis(settings.REDIS_URL)


class WorkerChannelEngine(CommandTuples):
    """The engine of processes that do not hold it: each command goes to the worker."""

    def send(self, command: tuple) -> None:
        message = json.dumps({"command": command, "sent_at": time.time()})
        # After the commit: the worker must find the rows the command's events will touch.
        transaction.on_commit(lambda: _push(message))


def _push(message: str) -> None:
    # With no worker taking them, commands would pile up: the list lapses once nothing has
    # been sent for a command's lifetime (it would be dropped as stale anyway).
    pipe = connection().pipeline()
    pipe.rpush(QUEUE_KEY, message)
    pipe.expire(QUEUE_KEY, settings.CALLCENTER_COMMAND_TTL_SECONDS)
    pipe.execute()


def take(engine: TelephonyEngine, *, wait: float = 0) -> bool:
    """Perform the next command on `engine`, waiting up to `wait` seconds for one (0: not at
    all); False when there was none. A stale or malformed command is logged and dropped."""
    if wait:
        popped = connection().blpop([QUEUE_KEY], timeout=wait)
        raw = popped[1] if popped else None
    else:
        raw = connection().lpop(QUEUE_KEY)
    if raw is None:
        return False
    try:
        message = json.loads(raw)
        age = time.time() - float(message["sent_at"])
        if age > settings.CALLCENTER_COMMAND_TTL_SECONDS:
            logger.warning("Engine command dropped, %.0f s old: %s", age, message["command"])
        else:
            perform(engine, message["command"])
    except (ValueError, KeyError, TypeError):
        logger.exception("Malformed engine command dropped: %r", raw)
    return True
