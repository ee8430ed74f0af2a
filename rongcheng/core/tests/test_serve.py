"""`manage.py serve` (what `make run` starts): one uvicorn process plus the periodic jobs."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("embedded", "trusted_proxies"), [("true", "0"), ("false", "1")])
def test_serve_answers_and_stops_cleanly_on_interrupt(tmp_path, embedded, trusted_proxies):
    port = free_port()
    environment = {
        **os.environ,
        "RONGCHENG_VAR_DIR": str(tmp_path),
        "EMBEDDED_SCHEDULER": embedded,
        "TRUSTED_PROXY_COUNT": trusted_proxies,
    }
    environment.pop("FORWARDED_ALLOW_IPS", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                probe = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-For": "6.6.6.6"}
                )
                with urllib.request.urlopen(probe, timeout=1) as r:  # noqa: S310 (http only)
                    body = r.read()
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.1)
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert body == b"ok"
    assert server.returncode == 0, output
    assert f"http://127.0.0.1:{port}/backoffice/" in output
    jobs = ", ".join(settings.CELERY_BEAT_SCHEDULE)
    scheduled = f"periodic jobs: {jobs} (in-process)" in output
    assert scheduled is (embedded == "true")
    assert "Finished server process" in output
    # The access log names the client uvicorn believed: a local process that is not a
    # configured proxy cannot pass itself off as another address.
    believed = "6.6.6.6" if trusted_proxies == "1" else "127.0.0.1"
    assert re.search(rf'{re.escape(believed)}:\d+ - "GET /healthz HTTP/1.1" 200', output), output
