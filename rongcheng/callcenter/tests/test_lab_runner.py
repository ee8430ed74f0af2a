"""The lab's worker loop on the embedded defaults (no Redis)."""

from rongcheng.callcenter import lab_runner
from rongcheng.callcenter.tests.factories import PumpedEngine


def test_without_redis_the_lab_loop_pumps_the_calls_and_asks_for_no_commands(settings):
    settings.REDIS_URL = ""
    engine = PumpedEngine()
    lab_runner.serve(engine, stopping=lambda: engine.pumps == 3)
    assert engine.pumps == 3 and engine.commands == []
