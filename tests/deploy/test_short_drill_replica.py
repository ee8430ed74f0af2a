"""The drill's read-your-writes check (deploy/drill/drill.py), run in the normal suite: a
PostgreSQL primary and a streaming replica of their own (Debian's PostgreSQL binaries, a
temporary directory, ports picked free), the replica applying WAL late so that it lags, and a
gunicorn host reading from it. A client that just wrote reads its write from the primary; the
same request without the client's `rc_primary` cookie reads the lagging replica."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.nginx_harness import free_port
from tests.deploy.web_hosts import APP, THROUGH_BALANCER, WebHost, get, wait_for

# django_db: the test database's schema is what the clusters are given, so it must exist.
pytestmark = [pytest.mark.drill, pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
# Longer than a request takes on a loaded host, so the lag is still there when it is read.
REPLICA_DELAY_SECONDS = 10
PASSWORD = "Ryw-2026-secret"


class Clusters:
    """A primary and its streaming replica, started and stopped with pg_ctl."""

    def __init__(self, root: Path):
        self.root = root
        self.bin = PG_BINS[-1]
        primary = free_port()
        replica = free_port()
        while replica == primary:  # each probe's port is free again once it is closed
            replica = free_port()
        self.ports = {"primary": primary, "replica": replica}
        # Clusters may not run as root: as root, run the tools as postgres.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_owner, str(self.bin / tool), *args], check=True, capture_output=True,
            text=True, **kwargs,
        )  # fmt: skip

    def url(self, cluster: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.ports[cluster]}/rongcheng"

    def start(self, cluster: str, settings: str) -> None:
        with open(self.root / cluster / "postgresql.conf", "a") as conf:
            conf.write(settings)
        self.run("pg_ctl", "-D", str(self.root / cluster), "-l", str(self.root / f"{cluster}.log"),
                 "-w", "start")  # fmt: skip

    def up(self, schema: str) -> None:
        self.run("initdb", "-D", str(self.root / "primary"), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        self.start(
            "primary",
            f"port = {self.ports['primary']}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.root}'\n",
        )
        psql = ["-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres"]
        self.run("createdb", *psql, "rongcheng")
        self.run("psql", *psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", "rongcheng", input=schema)
        self.run("pg_basebackup", *psql, "-D", str(self.root / "replica"), "-R", "-X", "stream",
                 "--checkpoint=fast")  # fmt: skip
        self.start(
            "replica",
            f"port = {self.ports['replica']}\n"
            f"recovery_min_apply_delay = '{REPLICA_DELAY_SECONDS}s'\n",
        )

    def down(self) -> None:
        for cluster in ("replica", "primary"):
            if (self.root / cluster / "postmaster.pid").exists():
                subprocess.run(
                    [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.root / cluster),
                     "-m", "immediate", "stop"], capture_output=True,
                )  # fmt: skip


def suite_schema() -> str:
    database = connection.settings_dict
    return subprocess.run(
        ["pg_dump", "-h", database["HOST"] or "127.0.0.1", "-p", str(database["PORT"] or 5432),
         "-U", database["USER"], "--schema-only", "--no-owner", database["NAME"]],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture(scope="module")
def lagging_host(django_db_setup, django_db_blocker):
    """A gunicorn host on the primary with the lagging replica, and a member to sign in."""
    if not PG_BINS:
        pytest.skip("needs Debian's PostgreSQL server binaries (/usr/lib/postgresql)")
    # Not under pytest's own temporary directory, which only its owner may enter.
    root = Path(tempfile.mkdtemp(prefix="rongcheng-replica-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    clusters = Clusters(root)
    host = WebHost(
        "replica-reader", root / "host", root / "host" / "published",
        DATABASE_URL=clusters.url("primary"), DATABASE_REPLICA_URLS=clusters.url("replica"),
    )  # fmt: skip
    started = time.monotonic()
    try:
        with django_db_blocker.unblock():
            schema = suite_schema()
        clusters.up(schema)
        clusters_took = time.monotonic() - started
        (root / "host").mkdir()
        member = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c",
             "from django.contrib.auth import get_user_model\n"
             f"get_user_model().objects.create_user(username='ryw', password={PASSWORD!r})\n"],
            cwd=APP, env=host.environment(), capture_output=True, text=True,
        )  # fmt: skip
        assert member.returncode == 0, member.stderr[-2000:]
        host.start()
        host.wait_ready()
        print(f"primary and lagging replica up in {clusters_took:.1f} s, "
              f"the host on them in {time.monotonic() - started:.1f} s")  # fmt: skip
        yield host
    finally:
        host.kill()
        clusters.down()
        shutil.rmtree(root, ignore_errors=True)


def addresses(host: WebHost, token: str, cookie: str = ""):
    headers = {**THROUGH_BALANCER, "Authorization": f"Bearer {token}"}
    if cookie:
        headers["Cookie"] = cookie
    return get(host.port, "/api/member/addresses", headers)


def test_a_client_reads_its_own_write_while_the_replica_lags(lagging_host):
    login = get(
        lagging_host.port, "/api/auth/login",
        {**THROUGH_BALANCER, "Content-Type": "application/json"}, method="POST",
        body=json.dumps({"identifier": "ryw", "password": PASSWORD, "mode": "token"}).encode(),
    )  # fmt: skip
    assert login.status == 200, login.body
    token = json.loads(login.body)["token"]
    # The sign-in wrote the token on the primary, and pinned this client to it for a while.
    cookies = [value.split(";")[0] for value in login.headers.get_all("Set-Cookie", [])]
    assert "rc_primary=1" in cookies
    pinned = "rc_primary=1"
    own = addresses(lagging_host, token, pinned)
    elsewhere = addresses(lagging_host, token)
    assert (own.status, json.loads(own.body)) == (200, [])
    # Without the cookie the same call reads the replica, which has not applied the token yet.
    assert elsewhere.status == 401
    wait_for(
        lambda: addresses(lagging_host, token).status == 200,
        REPLICA_DELAY_SECONDS + 30,
        "the replica never caught up",
    )
