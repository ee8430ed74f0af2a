import json
import logging
from types import SimpleNamespace

from rongcheng.core.observability.logs import JsonFormatter, RequestIdFilter
from rongcheng.core.observability.request_id import (
    TASK_HEADER,
    adopt_request_id,
    carry_request_id_to_task,
    current_request_id,
    drop_request_id,
)

GIVEN = "5f0c1e2d3b4a59687766554433221100"


def test_the_id_from_nginx_is_kept_and_answered(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=GIVEN)["X-Request-ID"] == GIVEN


def test_a_missing_or_odd_id_is_replaced(client):
    made = client.get("/healthz")["X-Request-ID"]
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert len(made) == len(odd) == 32
    assert made != odd != "<script>"


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord(
        "rongcheng.orders", logging.WARNING, "x.py", 1, "订单 %s", ("A1",), None
    )
    token = current_request_id.set(GIVEN)
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert {key: line[key] for key in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING",
        "logger": "rongcheng.orders",
        "message": "订单 A1",
        "request_id": GIVEN,
    }


def test_a_task_queued_by_a_request_logs_with_its_id():
    headers: dict[str, str] = {}
    token = current_request_id.set(GIVEN)
    try:
        carry_request_id_to_task(headers=headers)
    finally:
        current_request_id.reset(token)
    assert headers == {TASK_HEADER: GIVEN}
    # The worker: Celery puts the message's headers on task.request.
    task = SimpleNamespace(request=SimpleNamespace(**headers))
    adopt_request_id(task=task)
    assert current_request_id.get() == GIVEN
    drop_request_id(task=task)
    assert current_request_id.get() == ""
