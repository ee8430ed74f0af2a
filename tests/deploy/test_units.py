"""The systemd units and gunicorn's configuration read what they should from the env file."""

import os
import runpy
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR, "deploy")


def test_uvicorn_never_takes_gunicorns_worker_count():
    unit = (DEPLOY / "systemd" / "rongcheng-uvicorn.service").read_text()
    assert "UnsetEnvironment=WEB_CONCURRENCY\n" in unit
    assert "--workers ${UVICORN_WORKERS}" in unit
    assert unit.index("Environment=UVICORN_WORKERS=1") < unit.index("EnvironmentFile=")


def test_gunicorn_takes_its_workers_from_gunicorn_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == os.cpu_count()
