"""One id per request, from nginx's X-Request-ID (or made here), in every log line of the
request and of the Celery tasks it queues."""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "rongcheng_request_id"
VALID = re.compile(r"[A-Za-z0-9-]{8,64}")

current_request_id: ContextVar[str] = ContextVar("request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if VALID.fullmatch(given) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


@before_task_publish.connect
def carry_request_id_to_task(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id.get()
    if headers is not None and request_id:
        headers[TASK_HEADER] = request_id


@task_prerun.connect
def adopt_request_id(task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    task.request.rongcheng_request_id_token = current_request_id.set(request_id or "")


@task_postrun.connect
def drop_request_id(task: Any = None, **kwargs: Any) -> None:
    token = getattr(task.request, "rongcheng_request_id_token", None) if task else None
    if token is not None:
        current_request_id.reset(token)
