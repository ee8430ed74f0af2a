"""Gunicorn "hosts" of the deployment for the short drill: each a real gunicorn with
deploy/gunicorn.conf.py in a process group of its own, with its own directory, port and access
log, on the suite's Redis and (unless told otherwise) the test database."""

import http.client
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.deploy.nginx_harness import HOST, free_port

APP = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")
# What a TLS load balancer says of its visitors.
THROUGH_BALANCER = {"X-Forwarded-Proto": "https"}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def suite_database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def get(port: int, path: str, headers: dict[str, str], *, method: str = "GET",
        body: bytes | None = None) -> Answer:  # fmt: skip
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request(method, path, body=body, headers={"Host": HOST, **headers})
        response = connection_.getresponse()
        return Answer(response.status, response.headers, response.read().decode())
    finally:
        connection_.close()


class WebHost:
    """One gunicorn "host": its own process group, port, directory and access log."""

    def __init__(self, name: str, directory: Path, published: Path, **environment: str):
        self.name = name
        self.directory = directory
        self.published = published
        self.extra_environment = environment
        self.port = free_port()
        self.access_log = directory / "access.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": suite_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "RONGCHENG_ENV_FILE": str(self.directory / "no-env-file"),
            "RONGCHENG_VAR_DIR": str(self.directory),
            "PUBLISHED_DIR": str(self.published),
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "SITE_URL": f"https://{HOST}",
            "TRUSTED_PROXY_COUNT": "1",
            **self.extra_environment,
        }
        # The suite's own switches: a host is a process of the deployment, not of the tests.
        for name in ("PYTEST_XDIST_WORKER", "DJANGO_ALLOW_ASYNC_UNSAFE", "RONGCHENG_FROZEN_AT"):
            env.pop(name, None)
        return env

    def start(self) -> None:
        env = {
            **self.environment(),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_ACCESSLOG": str(self.access_log),
        }
        log = (self.directory / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", "deploy/gunicorn.conf.py"],
            cwd=APP, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, seconds: float = 120) -> None:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        while True:
            try:
                if get(self.port, "/healthz", THROUGH_BALANCER).status == 200:
                    return
            except OSError:
                pass
            log = (self.directory / "gunicorn.log").read_text()
            assert self.process.poll() is None, log[-3000:]
            assert time.monotonic() < deadline, log[-3000:]
            time.sleep(0.2)

    def served(self) -> int:
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the host is gone: arbiter and workers
            self.process.wait(timeout=30)

    def publish_stale(self) -> subprocess.Popen:
        """What this host's rongcheng-publish.timer runs, in a process of its own."""
        return subprocess.Popen(
            [sys.executable, "manage.py", "publish_static", "--stale"],
            cwd=APP, env=self.environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip

    def page(self, path: str) -> str:
        return (self.published / path.strip("/") / "index.html").read_text()
