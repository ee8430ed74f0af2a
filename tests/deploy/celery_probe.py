"""A task for the worker-loss checks: it counts its starts and completions in Redis and notes
the process that ran it, so a test can kill that process mid-task."""

import os
import time

import redis

from config.celery import app


@app.task(name="tests.deploy.celery_probe.counted_run")
def counted_run(key: str, seconds: float) -> None:
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.rpush(f"{key}:pids", os.getpid())
    time.sleep(seconds)
    client.incr(f"{key}:completed")
