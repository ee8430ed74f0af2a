"""Instants around the site's next midnight, for tests of what turns with the day (R-13).

Midnight in Shanghai is 16:00 UTC: the four instants are 23:30 and 00:30 in Shanghai and
15:59 and 16:01 UTC. They are taken near the present, so sessions and tokens stay valid.
"""

from datetime import datetime, timedelta

import pytest

from rongcheng.core.dates import day_start, local_day

# (offset from the next midnight, which day it is then: 0 today, 1 tomorrow)
AROUND_MIDNIGHT = [
    pytest.param(timedelta(minutes=-30), 0, id="23:30-shanghai"),
    pytest.param(timedelta(minutes=30), 1, id="00:30-shanghai"),
    pytest.param(timedelta(minutes=-1), 0, id="15:59-utc"),
    pytest.param(timedelta(minutes=1), 1, id="16:01-utc"),
]


def next_midnight() -> datetime:
    return day_start(local_day() + timedelta(days=1))
