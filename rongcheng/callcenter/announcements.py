"""What a queued caller hears (CALL-7): their place and the estimated wait, on entering the
queue and every `CALLCENTER_ANNOUNCE_SECONDS` after; and, when the estimate reaches the queue's
`callback_after_seconds`, the offer to be called back (press 1, `callbacks.py`).

The sentence is composed of prompts, `IvrPrompt` rows with the codes below, spoken by
espeak-ng like the IVR's or uploaded in the back office: fixed phrases, and numbers said in
Chinese from digit prompts (23 = 二 十 三, 105 = 一 百 零 五; 两 for a lone 2 and 200, as before
a measure word: 两位, 两分钟). Until every prompt of a sentence has a file, nothing is played:
a sentence with holes would tell the caller something false.
"""

import logging
import math
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from rongcheng.callcenter import acd
from rongcheng.callcenter.engine import TelephonyEngine
from rongcheng.callcenter.models import Call, IvrPrompt

logger = logging.getLogger(__name__)

PHRASES = {
    "queue-next": "您是下一位，请稍候。",
    "queue-ahead": "您前面还有",
    "queue-callers": "位客户，",
    "queue-wait": "预计等待",
    "queue-minutes": "分钟。",
    "queue-callback-offer": "如需稍后回电，请按1。",
    "queue-callback-taken": "已为您登记回电，我们会尽快与您联系，再见。",
}
NUMBERS = {f"number-{d}": word for d, word in enumerate("零一二三四五六七八九")} | {
    "number-10": "十",
    "number-100": "百",
    "number-two": "两",
}
PROMPTS = PHRASES | NUMBERS
LARGEST = 999


def _digit(d: int) -> str:
    return f"number-{d}"


def spoken_number(n: int) -> list[str]:
    """The prompt codes that say `n` (0…999; larger is said as 999)."""
    n = max(0, min(n, LARGEST))
    if n == 2:
        return ["number-two"]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    codes = []
    if hundreds:
        codes += ["number-two" if hundreds == 2 else _digit(hundreds), "number-100"]
    if tens:
        if tens > 1 or hundreds:  # 十二, but 一百一十
            codes.append(_digit(tens))
        codes.append("number-10")
    elif hundreds and ones:
        codes.append("number-0")  # 一百零五
    if ones or not codes:
        codes.append(_digit(ones))
    return codes


def sentence(place: acd.QueuePlace, *, offer_callback: bool) -> list[str]:
    ahead = place.position - 1
    if ahead == 0:
        codes = ["queue-next"]
    else:
        minutes = max(1, math.ceil(place.estimated_wait_seconds / 60))
        codes = [
            "queue-ahead",
            *spoken_number(ahead),
            "queue-callers",
            "queue-wait",
            *spoken_number(minutes),
            "queue-minutes",
        ]
    return [*codes, "queue-callback-offer"] if offer_callback else codes


def prompt_files(codes: list[str]) -> list[str] | None:
    """The files that say `codes`, in order; None while one of them has no file."""
    files = dict(IvrPrompt.objects.filter(code__in=set(codes)).values_list("code", "audio"))
    return _in_order(codes, files)


def _in_order(codes: list[str], files: dict[str, str]) -> list[str] | None:
    if not all(files.get(code) for code in codes):
        logger.warning("Queue announcement prompts missing: %s", ", ".join(sorted(set(codes))))
        return None
    return [files[code] for code in codes]


def announce(call: Call, *, engine: TelephonyEngine, now: datetime) -> list[str]:
    """Tell the queued caller their place (and offer a call back when the wait is long), then
    back to hold music; returns the prompt codes played."""
    assert call.queue is not None
    place = acd.place_in_queue(call)
    codes = _codes(call, place)
    return _say(call, codes, prompt_files(codes), engine=engine, now=now)


def _codes(call: Call, place: acd.QueuePlace) -> list[str]:
    assert call.queue is not None
    limit = call.queue.callback_after_seconds
    return sentence(
        place, offer_callback=limit is not None and place.estimated_wait_seconds >= limit
    )


def _say(
    call: Call, codes: list[str], files: list[str] | None, *, engine: TelephonyEngine, now: datetime
) -> list[str]:
    """Play `files` to the caller unless another tick has announced since `call` was read: one
    conditional UPDATE, so two ticks never announce twice."""
    if files is None:
        return []
    offered = "queue-callback-offer" in codes
    taken = Call.objects.filter(pk=call.pk, announced_at=call.announced_at).update(
        announced_at=now,
        callback_offered_at=Coalesce(F("callback_offered_at"), Value(now))
        if offered
        else F("callback_offered_at"),
        updated_at=now,
    )
    if not taken:
        return []
    for name in files:
        engine.play(call.engine_call_id, name)
    engine.park(call.engine_call_id)
    return codes


def announce_due(*, engine: TelephonyEngine, now: datetime) -> list[int]:
    """Announce again to every caller still waiting, not rung, whose last announcement is
    `CALLCENTER_ANNOUNCE_SECONDS` old; returns their call ids. The places of a queue's callers
    are read together (`acd.places`) and the prompts once: a fixed number of statements per
    queue, and one UPDATE per caller."""
    cutoff = now - timedelta(seconds=settings.CALLCENTER_ANNOUNCE_SECONDS)
    # Never told yet (the prompts had no files when the caller came): counted from queueing.
    stale = Q(announced_at__lte=cutoff) | Q(announced_at=None, queue_entered_at__lte=cutoff)
    due = list(
        Call.objects.filter(acd.WAITING, stale, queue__isnull=False)
        .select_related("queue")
        .order_by("queue_id", "id")
    )
    if not due:
        return []
    files = dict(IvrPrompt.objects.filter(code__in=PROMPTS).values_list("code", "audio"))
    announced = []
    for _queue_id, calls in groupby(due, key=attrgetter("queue_id")):
        queued = list(calls)
        assert queued[0].queue is not None
        places = acd.places(queued[0].queue)
        for call in queued:
            if call.pk not in places:
                continue  # rung or gone since it was read
            codes = _codes(call, places[call.pk])
            if _say(call, codes, _in_order(codes, files), engine=engine, now=now):
                announced.append(call.pk)
    return sorted(announced)
