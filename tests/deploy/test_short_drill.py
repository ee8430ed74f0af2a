"""The drill's fast checks (deploy/drill/drill.py), run in the normal suite: a Celery task whose
worker is killed mid-task is run again and completes once, and a database dumped and restored
into a fresh one passes `restore_check`."""

import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal as D
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app
from rongcheng.ledger.services import post_wallet_topup

APP = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")
# The redelivery bound: a task taken by a worker that died goes back after the visibility
# timeout; workers look for such tasks every 10 s (CELERY_BROKER_TRANSPORT_OPTIONS).
VISIBILITY_TIMEOUT = 4
TASK_SECONDS = 2.0


class Workers:
    """Celery workers in processes of their own (each its own process group), on one queue."""

    def __init__(self, tmp_path: Path, queue: str):
        self.tmp_path = tmp_path
        self.queue = queue
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        env = {**os.environ, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        log = (self.tmp_path / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [str(CELERY), "--app", "config", "worker", "--include", "tests.deploy.celery_probe",
             "--queues", self.queue, "--concurrency", "1", "--pool", "prefork",
             "--hostname", f"{name}@{self.queue}", "--loglevel", "INFO", "--without-heartbeat",
             "--without-gossip", "--without-mingle"],
            cwd=APP, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        for name in self.processes:
            log = self.tmp_path / f"{name}.log"
            while " ready." not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.1)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def broker():
    return redis.Redis.from_url(os.environ["REDIS_URL"])


@pytest.fixture(scope="module")
def workers(tmp_path_factory, broker):
    """Two workers on a queue of their own, for the module: each test kills part of one."""
    workers = Workers(tmp_path_factory.mktemp("workers"), f"drill-{uuid.uuid4().hex}")
    workers.start("first")
    workers.start("second")
    yield workers
    workers.stop_all()
    broker.delete(workers.queue, *broker.keys(f"{workers.queue}:*"))


def send_counted_run(queue: str, key: str) -> None:
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the suite runs tasks in-process; this one goes out
    try:
        app.send_task(
            "tests.deploy.celery_probe.counted_run", args=[key, TASK_SECONDS], queue=queue
        )
    finally:
        app.conf.task_always_eager = eager


def wait_for(condition, seconds: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, what
        time.sleep(0.02)
    return time.monotonic() - started


def pending_for(broker, queue: str, key: str) -> int:
    """Copies of the task still on the broker: waiting in its queue or taken and unacknowledged."""
    unacked = [value for value in broker.hvals("unacked") if key.encode() in value]
    return broker.llen(queue) + len(unacked)


@pytest.mark.drill
@pytest.mark.redis
@pytest.mark.parametrize(
    "killed",
    [
        pytest.param("worker", id="whole-worker-killed-back-after-visibility-timeout"),
        pytest.param("pool-process", id="pool-process-killed-rejected-and-requeued"),
    ],
)
def test_a_task_whose_worker_is_killed_mid_task_completes_once(broker, workers, killed):
    key = f"{workers.queue}:{killed}"
    workers.wait_ready()
    send_counted_run(workers.queue, key)
    pids = f"{key}:pids"
    wait_for(lambda: broker.llen(pids) == 1, 30, "no worker took the task")
    runner = int(broker.lindex(pids, 0))
    if killed == "worker":
        os.killpg(os.getpgid(runner), signal.SIGKILL)  # the host is gone: parent and pool
    else:
        os.kill(runner, signal.SIGKILL)  # the pool process dies, its parent lives
    bound = VISIBILITY_TIMEOUT + 10 + TASK_SECONDS + 10
    took = wait_for(lambda: broker.get(f"{key}:completed") == b"1", bound, "the task was lost")
    print(f"{killed} killed: the task completed {took:.1f} s later")
    wait_for(lambda: pending_for(broker, workers.queue, key) == 0, 10, "the task is still queued")
    assert broker.llen(pids) == 2
    assert int(broker.lindex(pids, 1)) != runner
    assert broker.get(f"{key}:completed") == b"1"


def postgres_command(tool: str, database: dict, *args: str) -> list[str]:
    return [tool, "-h", database["HOST"] or "127.0.0.1", "-p", str(database["PORT"] or 5432),
            "-U", database["USER"], *args]  # fmt: skip


@pytest.mark.drill
@pytest.mark.postgres
def test_a_database_restored_into_a_fresh_one_passes_restore_check(transactional_db, member):
    post_wallet_topup(member=member, gateway="alipay", reference="topup:T1", amount=D("25.00"))
    database = connection.settings_dict
    restored = f"{database['NAME']}_restored"
    subprocess.run(postgres_command("dropdb", database, "--if-exists", restored), check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run(postgres_command("createdb", database, restored), check=True)
    try:
        dump = subprocess.run(
            postgres_command("pg_dump", database, "--format=custom", database["NAME"]),
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            postgres_command("pg_restore", database, "--no-owner", "--dbname", restored),
            input=dump.stdout, check=True,
        )  # fmt: skip
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{restored}"
        )
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "restore_check"],
            cwd=APP, env=env, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        subprocess.run(postgres_command("dropdb", database, "--if-exists", restored), check=True)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ledger balances agree with their entries; every journal balances" in lines
    assert "accounts.User: 1 rows" in lines
    assert "ledger.Journal: 1 rows" in lines
    assert "ledger.Entry: 2 rows" in lines
    assert lines[-1] == "restore check passed"
