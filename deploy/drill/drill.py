"""The production topology on one machine, started, checked and stopped (docs/operations.md).

PostgreSQL primary and a streaming replica (Debian's PostgreSQL binaries, own ports, the
replica applying WAL with a delay so that it lags), PgBouncer in transaction mode, Redis,
two gunicorn "hosts" with their own directories, uvicorn for /ws/, two Celery workers and
beat, nginx (deploy/nginx/tls-at-load-balancer.conf) with both hosts upstream; traffic on
loopback only. Then a base backup with WAL archiving is restored to a point in time into a
fresh cluster and checked with `manage.py restore_check`.

With --load, the same topology takes the load test of bench/load/ instead of the checks: the
storefront's mix through nginx, then `/healthz` alone through the same nginx, and a table per
request kind read against `/healthz`.

Run as root from the source tree: .venv/bin/python deploy/drill/drill.py [--idle SECONDS]
    .venv/bin/python deploy/drill/drill.py --load [--users 20] [--run-time 2m]
"""

import argparse
import csv
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import redis

APP = Path(__file__).resolve().parents[2]
VENV = APP / ".venv" / "bin"
PG_BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
PORTS = {
    "primary": 17432,
    "replica": 17433,
    "restored": 17434,
    "pgbouncer": 17632,
    "redis": 17379,
    "host_a": 17801,
    "host_b": 17802,
    "uvicorn": 17803,
    "nginx": 17880,
}
REPLICA_DELAY_SECONDS = 3
HOST = "shop.example.com"
LOAD_BUYERS = 50
LOAD_PASSWORD = "Load@2026"


class Drill:
    def __init__(self, root: Path, load: bool = False):
        self.root = root
        self.load = load
        self.processes: dict[str, subprocess.Popen] = {}
        self.results: list[tuple[str, bool, str]] = []

    # --- helpers ----------------------------------------------------------------------------
    def run(self, *command: str, as_postgres: bool = False, env=None, check=True, **kwargs):
        if as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(
            command, check=check, capture_output=True, text=True, env=env, cwd=APP, **kwargs
        )

    def start(self, name: str, *command: str, env=None, as_postgres=False) -> None:
        if as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        log = open(self.root / f"{name}.log", "w")  # noqa: SIM115 - closed with the drill
        self.processes[name] = subprocess.Popen(
            command, cwd=APP, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def wait_for_port(self, port: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"nothing listens on {port}")

    def record(self, check: str, passed: bool, figures: str) -> None:
        self.results.append((check, passed, figures))
        print(f"[{'PASS' if passed else 'FAIL'}] {check}: {figures}", flush=True)

    def environment(self, host: str = "host_a", **extra: str) -> dict[str, str]:
        var = self.root / host
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.root),
            "LANG": "C.UTF-8",
            "RONGCHENG_ENV": "production",
            "RONGCHENG_ENV_FILE": str(self.root / "no-env-file"),
            "SECRET_KEY": "drill-" + "k" * 60,
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "SITE_URL": f"https://{HOST}",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORTS['pgbouncer']}/rongcheng",
            "DATABASE_REPLICA_URLS": (
                f"postgres://postgres@127.0.0.1:{PORTS['pgbouncer']}/rongcheng_replica"
            ),
            "DATABASE_POOLER": "pgbouncer",
            "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
            "TRUSTED_PROXY_COUNT": "1",
            "PAYMENTS_SANDBOX": "false",
            "LICENCE_COMPANY": "演练用公司",
            "LICENCE_CREDIT_CODE": "91000000DRILL00000",
            "LICENCE_ICP": "演练ICP备00000000号",
            "LICENCE_ADDRESS": "演练地址",
            "LICENCE_PHONE": "000-00000000",
            "RONGCHENG_VAR_DIR": str(var),
            "PUBLISHED_DIR": str(var / "published"),
            "MEDIA_ROOT": str(self.root / "media"),
            "CELERY_VISIBILITY_TIMEOUT": "10",
            "LOG_LEVEL": "INFO",
        }
        if self.load:  # the load test's buyers pay in the sandbox cashier, as on staging
            env.update(PAYMENTS_SANDBOX="true", PAYMENTS_SANDBOX_IN_PRODUCTION="true")
        env.update(extra)
        return env

    def manage(self, *args: str, host: str = "host_a", **extra: str) -> str:
        result = self.run(
            str(VENV / "python"), "manage.py", *args, env=self.environment(host, **extra),
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}: {result.stderr[-2000:]}")
        return result.stdout

    def shell(self, code: str, host: str = "host_a", **extra: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code, host=host, **extra)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", PORTS["nginx"], timeout=30)
        try:
            connection.request(
                "GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    # --- the topology -----------------------------------------------------------------------
    def postgres(self) -> None:
        pg = self.root / "pg"
        (pg / "archive").mkdir(parents=True)
        shutil.chown(pg, "postgres")
        shutil.chown(pg / "archive", "postgres")
        self.root.chmod(0o755)
        primary = pg / "primary"
        self.run(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", as_postgres=True)  # fmt: skip
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {PORTS['primary']}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{pg}'\nwal_level = replica\n"
                "archive_mode = on\n"
                f"archive_command = 'test ! -f {pg}/archive/%f && cp %p {pg}/archive/%f'\n"
                "max_connections = 200\n"
            )
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(pg / "primary.log"),
                 "-w", "start", as_postgres=True)  # fmt: skip
        self.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]),
                 "-U", "postgres", "rongcheng", as_postgres=True)  # fmt: skip
        print(f"PostgreSQL primary on {PORTS['primary']}", flush=True)

    def replica(self) -> None:
        pg = self.root / "pg"
        replica = pg / "replica"
        self.run(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]),
                 "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "--checkpoint=fast",
                 as_postgres=True)  # fmt: skip
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {PORTS['replica']}\narchive_mode = off\n"
                f"recovery_min_apply_delay = '{REPLICA_DELAY_SECONDS}s'\n"
            )
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(replica), "-l", str(pg / "replica.log"),
                 "-w", "start", as_postgres=True)  # fmt: skip
        print(f"PostgreSQL replica on {PORTS['replica']}, applying WAL "
              f"{REPLICA_DELAY_SECONDS} s late", flush=True)  # fmt: skip

    def pgbouncer(self) -> None:
        directory = self.root / "pgbouncer"
        directory.mkdir()
        (directory / "userlist.txt").write_text('"postgres" ""\n')
        ini = (APP / "deploy" / "pgbouncer" / "pgbouncer.ini").read_text()
        ini = ini.replace("host=127.0.0.1 port=5432", f"host=127.0.0.1 port={PORTS['primary']}")
        ini = ini.replace("host=replica.internal port=5432",
                          f"host=127.0.0.1 port={PORTS['replica']}")  # fmt: skip
        ini = ini.replace("listen_port = 6432", f"listen_port = {PORTS['pgbouncer']}")
        ini = ini.replace("auth_type = scram-sha-256", "auth_type = trust")
        ini = ini.replace("/etc/pgbouncer/userlist.txt", str(directory / "userlist.txt"))
        ini += f"unix_socket_dir = {directory}\npidfile = {directory}/pgbouncer.pid\n"
        (directory / "pgbouncer.ini").write_text(ini)
        shutil.chown(directory, "postgres")
        for path in directory.iterdir():
            shutil.chown(path, "postgres")
        self.start("pgbouncer", "pgbouncer", str(directory / "pgbouncer.ini"), as_postgres=True)
        self.wait_for_port(PORTS["pgbouncer"])
        print(f"PgBouncer (transaction mode) on {PORTS['pgbouncer']}", flush=True)

    def redis(self) -> None:
        self.start("redis", "redis-server", "--bind", "127.0.0.1", "--port", str(PORTS["redis"]),
                   "--save", "", "--appendonly", "no", "--dir", str(self.root))  # fmt: skip
        self.wait_for_port(PORTS["redis"])

    def release(self) -> None:
        started = time.monotonic()
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("load_regions", "-v", "0")
        # The demo is refused in production: loaded as the embedded setup would, same database.
        refused = self.run(str(VENV / "python"), "manage.py", "load_demo",
                           env=self.environment(), check=False)  # fmt: skip
        self.record("load_demo refused in production", refused.returncode != 0,
                    refused.stderr.strip().splitlines()[-1])  # fmt: skip
        self.manage("load_demo", RONGCHENG_ENV="", PAYMENTS_SANDBOX="true")
        for host in ("host_a", "host_b"):
            self.manage("collectstatic", "--no-input", "-v", "0", host=host)
        print(f"release steps: {time.monotonic() - started:.0f} s", flush=True)

    def web_host(self, host: str) -> None:
        env = self.environment(
            host,
            GUNICORN_BIND=f"127.0.0.1:{PORTS[host]}",
            GUNICORN_WORKERS="2",
            GUNICORN_ACCESSLOG=str(self.root / host / "access.log"),
            PROMETHEUS_MULTIPROC_DIR=str(self.root / host / "metrics"),
        )
        self.start(host, str(VENV / "gunicorn"), "--config", "deploy/gunicorn.conf.py", env=env)
        self.wait_for_port(PORTS[host])

    def websockets_host(self) -> None:
        self.start("uvicorn", str(VENV / "uvicorn"), "config.asgi:application",
                   "--host", "127.0.0.1", "--port", str(PORTS["uvicorn"]), "--workers", "1",
                   "--no-access-log", env=self.environment())  # fmt: skip
        self.wait_for_port(PORTS["uvicorn"])

    def celery(self) -> None:
        for name in ("worker_a", "worker_b"):
            self.start(name, str(VENV / "celery"), "--app", "config", "worker", "--loglevel",
                       "INFO", "--concurrency", "1", "--hostname", f"{name}@drill",
                       "--include", "tests.deploy.celery_probe",
                       env=self.environment())  # fmt: skip
        self.start("beat", str(VENV / "celery"), "--app", "config", "beat", "--loglevel", "INFO",
                   "--schedule", str(self.root / "celerybeat-schedule"),
                   env=self.environment())  # fmt: skip

    def nginx(self) -> None:
        directory = self.root / "nginx"
        (directory / "temp").mkdir(parents=True)
        replacements = {
            "/etc/nginx/rongcheng/": f"{directory}/",
            "/var/lib/rongcheng": str(self.root / "host_a"),
            "/srv/rongcheng/published": str(self.root / "host_a" / "published"),
            "/srv/rongcheng/media/": f"{self.root / 'media'}/",
            "    server 127.0.0.1:8001;": (
                f"    server 127.0.0.1:{PORTS['host_a']} max_fails=1 fail_timeout=10s;\n"
                f"    server 127.0.0.1:{PORTS['host_b']} max_fails=1 fail_timeout=10s;"
            ),
            "127.0.0.1:8002": f"127.0.0.1:{PORTS['uvicorn']}",
            "listen [::]:80;": "",
            "listen 80;": f"listen 127.0.0.1:{PORTS['nginx']};",
        }
        names = (
            "shared.conf",
            "locations.conf",
            "security-headers.conf",
            "tls-at-load-balancer.conf",
        )
        for name in names:
            text = (APP / "deploy" / "nginx" / name).read_text()
            for old, new in replacements.items():
                text = text.replace(old, new)
            (directory / name).write_text(text)
        temp = directory / "temp"
        (directory / "nginx.conf").write_text(
            f"daemon off;\nmaster_process on;\nworker_processes 1;\nuser root;\n"
            f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
            "events { worker_connections 1024; }\nhttp {\n"
            "    include /etc/nginx/mime.types;\n    access_log off;\n"
            + "".join(f"    {kind}_temp_path {temp}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"    include {directory}/tls-at-load-balancer.conf;\n}}\n"
        )  # fmt: skip
        self.start("nginx", "nginx", "-c", str(directory / "nginx.conf"), "-p", str(directory))
        self.wait_for_port(PORTS["nginx"])

    # --- the checks -------------------------------------------------------------------------
    def check_traffic(self) -> None:
        statuses = Counter()
        paths = ("/", "/en/", "/terms/", "/api/openapi.json", "/healthz", "/readyz", "/sitemap.xml")
        for _ in range(10):
            for path in paths:
                statuses[self.get(path)[0]] += 1
        served = {
            host: len((self.root / host / "access.log").read_text().splitlines())
            for host in ("host_a", "host_b")
        }
        self.record(
            "pages and API through nginx",
            set(statuses) == {200} and all(served.values()),
            f"{sum(statuses.values())} requests, statuses {dict(statuses)}, "
            f"answered by host A {served['host_a']} / host B {served['host_b']}",
        )

    def check_read_your_writes(self) -> None:
        code = (
            "import time, json\n"
            "from rongcheng.core.db_routing import replica_reads\n"
            "from rongcheng.catalog.models import Brand\n"
            "brand = Brand.objects.order_by('pk').first()\n"
            "new = brand.name + '·演练'\n"
            "with replica_reads():\n"
            "    Brand.objects.filter(pk=brand.pk).update(name=new)\n"
            "    writer = Brand.objects.get(pk=brand.pk).name\n"
            "with replica_reads():\n"
            "    other = Brand.objects.get(pk=brand.pk).name\n"
            "    other_db = Brand.objects.all().db\n"
            f"time.sleep({REPLICA_DELAY_SECONDS + 2})\n"
            "with replica_reads():\n"
            "    later = Brand.objects.get(pk=brand.pk).name\n"
            "Brand.objects.filter(pk=brand.pk).update(name=brand.name)\n"
            "print(json.dumps({'new': new, 'writer': writer, 'other': other, 'other_db': other_db,"
            " 'later': later}))\n"
        )
        seen = json.loads(self.shell(code).strip().splitlines()[-1])
        self.record(
            "a client reads its own write while the replica lags",
            seen["writer"] == seen["new"] != seen["other"] and seen["later"] == seen["new"],
            f"writer read {seen['writer']!r} from the primary; another request read "
            f"{seen['other']!r} from {seen['other_db']} (lagging); "
            f"{REPLICA_DELAY_SECONDS + 2} s later the replica had {seen['later']!r}",
        )

    def check_purge_on_both_hosts(self) -> None:
        # Each host publishes the product's pages (and the fixed ones), then its price changes.
        touch = (
            "from django.utils import timezone\n"
            "from rongcheng.catalog.models import Product\n"
            "product = Product.objects.filter(is_active=True).order_by('pk').first()\n"
            "since = timezone.now()\n"
            "Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())\n"
            "print(product.pk, since.isoformat())\n"
        )
        product_id, since = self.shell(touch).strip().splitlines()[-1].split()
        for host in ("host_a", "host_b"):
            self.manage("publish_static", "--changed-since", since, host=host)
        code = (
            "from decimal import Decimal\n"
            "from django.db import transaction\n"
            "from rongcheng.catalog.models import Sku\n"
            "from rongcheng.catalog.services import product_price_refresh\n"
            "with transaction.atomic():\n"
            f"    Sku.objects.filter(product_id={product_id}).update(\n"
            "        price=Decimal('4321.00'), special_price=None)\n"
            f"    product_price_refresh(product_ids=[{product_id}])\n"
        )
        self.shell(code)
        started = time.monotonic()
        for host in ("host_a", "host_b"):  # what rongcheng-publish.timer runs on each host
            self.manage("publish_static", "--stale", host=host)
        took = time.monotonic() - started
        pages = {
            host: (self.root / host / "published" / "product" / product_id / "index.html")
            for host in ("host_a", "host_b")
        }
        fresh = {host: "4321" in page.read_text() or "4,321" in page.read_text()
                 for host, page in pages.items()}  # fmt: skip
        status, body = self.get(f"/product/{product_id}/")
        self.record(
            "a price change is purged on both hosts",
            all(fresh.values()) and status == 200 and (b"4321" in body or b"4,321" in body),
            f"product {product_id}: new price on host A {fresh['host_a']}, host B "
            f"{fresh['host_b']}, through nginx {status}; refresh of both hosts took {took:.1f} s "
            "(bound: the timer's 30 s plus this)",
        )

    def check_websocket(self, idle: int) -> None:
        from websockets.sync.client import connect

        code = (
            "from django.contrib.sessions.backends.cached_db import SessionStore\n"
            "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, "
            "HASH_SESSION_KEY\n"
            "user = get_user_model().objects.filter(is_active=True).order_by('pk').first()\n"
            "session = SessionStore()\n"
            "session[SESSION_KEY] = str(user.pk)\n"
            "session[BACKEND_SESSION_KEY] = 'rongcheng.accounts.backends.IdentifierBackend'\n"
            "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
            "session.create()\n"
            "print(session.session_key, user.pk)\n"
        )
        session_key, user_id = self.shell(code).strip().splitlines()[-1].split()
        url = f"ws://127.0.0.1:{PORTS['nginx']}/ws/notifications/"
        headers = {"Cookie": f"sessionid={session_key}", "X-Forwarded-Proto": "https"}
        started = time.monotonic()
        with connect(url, additional_headers=headers, origin=f"https://{HOST}",
                     open_timeout=10, user_agent_header=None,
                     server_hostname=None) as socket_:  # fmt: skip
            time.sleep(idle)
            push = (
                "from django.db import transaction\n"
                "from rongcheng.notifications.push import notify_user\n"
                "with transaction.atomic():\n"
                f"    notify_user(user_id={user_id}, payload={{'kind': 'drill'}})\n"
            )
            self.shell(push)
            received = json.loads(socket_.recv(timeout=10))
        unknown = self.get("/ws/no-such-thing/", {"Upgrade": "websocket", "Connection": "Upgrade",
                           "Origin": f"https://{HOST}",
                           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                           "Sec-WebSocket-Version": "13"})[0]  # fmt: skip
        self.record(
            f"a WebSocket idle {idle} s still receives",
            received == {"kind": "drill"} and unknown == 404,
            f"received {received} after {time.monotonic() - started:.0f} s; "
            f"an unknown /ws/ path answered {unknown}",
        )

    def check_host_killed_under_load(self) -> None:
        statuses: Counter = Counter()
        stop = threading.Event()
        # Members' pages reach Django (a session cookie skips the published files).
        headers = {"Cookie": "sessionid=none"}

        def load():
            while not stop.is_set():
                try:
                    statuses[self.get("/terms/", headers)[0]] += 1
                except OSError as error:
                    statuses[type(error).__name__] += 1

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        self.stop("host_a", signal.SIGKILL)
        killed_at = sum(statuses.values())
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join()
        total = sum(statuses.values())
        self.record(
            "one gunicorn host killed under load",
            set(statuses) == {200},
            f"{total} requests ({total - killed_at} after host A was killed), "
            f"statuses {dict(statuses)}",
        )

    def check_worker_killed_mid_task(self) -> None:
        # The probe task (tests/deploy/celery_probe.py, which the drill's workers load) notes
        # the process running it and sleeps 5 s: that worker is killed -9, parent and pool.
        key = f"drill-worker-kill-{os.getpid()}"
        broker = redis.Redis.from_url(self.environment()["REDIS_URL"])
        self.shell(
            "from tests.deploy.celery_probe import counted_run\n"
            f"counted_run.apply_async(args=[{key!r}, 5])\n"
        )
        deadline = time.monotonic() + 60
        while broker.llen(f"{key}:pids") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        if broker.llen(f"{key}:pids") == 0:
            self.record("a Celery worker killed mid-task", False, "no worker took the task")
            return
        group = os.getpgid(int(broker.lindex(f"{key}:pids", 0)))
        taker = next(name for name, process in self.processes.items() if process.pid == group)
        self.stop(taker, signal.SIGKILL)
        started = time.monotonic()
        # Bound: the visibility timeout (10 s), the restore interval (10 s), the task's 5 s.
        while broker.get(f"{key}:completed") is None and time.monotonic() - started < 60:
            time.sleep(0.2)
        took = time.monotonic() - started
        time.sleep(20)  # one more restore round: a second copy would run now
        runs, completed = broker.llen(f"{key}:pids"), int(broker.get(f"{key}:completed") or 0)
        self.record(
            "a Celery worker killed mid-task",
            runs == 2 and completed == 1,
            f"{taker} killed -9 while running the probe task; the other worker completed it "
            f"{took:.0f} s later; started {runs} times, completed {completed} time(s) "
            "(CELERY_VISIBILITY_TIMEOUT=10, restores looked for every 10 s)",
        )

    # --- the load test ----------------------------------------------------------------------
    def prepare_load(self) -> None:
        started = time.monotonic()
        # buyers.py refuses production settings: run as the release ran load_demo.
        self.run(str(VENV / "python"), "bench/load/buyers.py", "--count", str(LOAD_BUYERS),
                 "--password", LOAD_PASSWORD, env=self.environment(RONGCHENG_ENV=""))  # fmt: skip
        # What the first installation does on the host whose directory nginx serves from.
        self.manage("publish_static")
        print(f"{LOAD_BUYERS} buyers and the published pages: "
              f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip

    def locust(self, locust: str, locustfile: str, users: int, run_time: str
               ) -> dict[str, dict[str, str]]:  # fmt: skip
        env = {**os.environ, "LOAD_BUYER_PASSWORD": LOAD_PASSWORD,
               "LOAD_BUYER_COUNT": str(LOAD_BUYERS), "LOAD_SITE": HOST}  # fmt: skip
        self.run(locust, "-f", f"bench/load/{locustfile}.py", "--host",
                 f"http://127.0.0.1:{PORTS['nginx']}", "--headless", "--users", str(users),
                 "--spawn-rate", "5", "--run-time", run_time, "--only-summary",
                 "--csv", str(self.root / locustfile), env=env, check=False)  # fmt: skip
        with open(self.root / f"{locustfile}_stats.csv") as stats:
            return {row["Name"]: row for row in csv.DictReader(stats)}

    def load_test(self, locust: str, users: int, run_time: str) -> None:
        before = os.getloadavg()
        mix = self.locust(locust, "locustfile", users, run_time)
        between = os.getloadavg()
        alone = self.locust(locust, "healthz", users, run_time)
        after = os.getloadavg()
        print(
            f"\nload test {time.strftime('%Y-%m-%d %H:%M %Z')}, {users} users, {run_time} per "
            f"run; load average (1 min) {before[0]:.1f} before the mix, {between[0]:.1f} before "
            f"/healthz alone, {after[0]:.1f} after; {os.cpu_count()} cores\n"
        )
        print(load_table(mix, alone), flush=True)
        total = mix["Aggregated"]
        self.record(
            "the load mix through nginx",
            total["Failure Count"] == "0" and "healthz" in mix,
            f"{total['Request Count']} requests, {total['Failure Count']} failed",
        )

    # --- backup and restore -----------------------------------------------------------------
    def backup_and_restore(self) -> None:
        pg = self.root / "pg"
        psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U",
                "postgres", "-d", "rongcheng", "-tAc"]  # fmt: skip
        self.run(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]),
                 "-U", "postgres", "-D", str(pg / "base"), "-Ft", "-z", "-X", "none",
                 "--checkpoint=fast", as_postgres=True)  # fmt: skip
        self.run(*psql, "CREATE TABLE drill_marker (label text, at timestamptz DEFAULT now())",
                 as_postgres=True)  # fmt: skip
        self.run(*psql, "INSERT INTO drill_marker (label) VALUES ('before')", as_postgres=True)
        time.sleep(1)
        target = self.run(*psql, "SELECT now()", as_postgres=True).stdout.strip()
        time.sleep(1)
        self.run(*psql, "INSERT INTO drill_marker (label) VALUES ('after')", as_postgres=True)
        self.run(*psql, "SELECT pg_switch_wal()", as_postgres=True)
        time.sleep(2)  # the archiver copies the segment
        restored = pg / "restored"
        restored.mkdir()
        shutil.chown(restored, "postgres")
        restored.chmod(0o700)
        self.run("tar", "-xzf", str(pg / "base" / "base.tar.gz"), "-C", str(restored),
                 as_postgres=True)  # fmt: skip
        with open(restored / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {PORTS['restored']}\narchive_mode = off\n"
                f"restore_command = 'cp {pg}/archive/%f %p'\n"
                f"recovery_target_time = '{target}'\nrecovery_target_action = 'promote'\n"
            )
        (restored / "recovery.signal").touch()
        shutil.chown(restored / "recovery.signal", "postgres")
        started = time.monotonic()
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(restored), "-l", str(pg / "restored.log"),
                 "-w", "-t", "120", "start", as_postgres=True)  # fmt: skip
        restored_psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PORTS["restored"]),
                         "-U", "postgres", "-d", "rongcheng", "-tAc"]  # fmt: skip
        while self.run(*restored_psql, "SELECT pg_is_in_recovery()", as_postgres=True,
                       check=False).stdout.strip() != "f":  # fmt: skip
            time.sleep(0.5)
        labels = self.run(*restored_psql, "SELECT string_agg(label, ',') FROM drill_marker",
                          as_postgres=True).stdout.strip()  # fmt: skip
        took = time.monotonic() - started
        output = self.manage(
            "restore_check",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{PORTS['restored']}/rongcheng",
            DATABASE_REPLICA_URLS="",
            DATABASE_POOLER="",
        )
        print(output, flush=True)
        self.record(
            "point-in-time restore into a fresh cluster",
            labels == "before" and output.strip().endswith("restore check passed"),
            f"restored to {target} in {took:.0f} s: rows {labels!r} (the row written after the "
            "target is absent); restore_check passed",
        )

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        for cluster in ("restored", "replica", "primary"):
            data = self.root / "pg" / cluster
            if (data / "postmaster.pid").exists():
                self.run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop",
                         as_postgres=True, check=False)  # fmt: skip


def load_table(mix: dict[str, dict[str, str]], alone: dict[str, dict[str, str]]) -> str:
    """Locust's figures per request kind, each latency also as a multiple of /healthz's in the
    same run, and the mix's throughput as a share of /healthz alone through the same nginx."""
    yardstick = mix["healthz"]

    def ratio(row: dict[str, str], column: str) -> str:
        value = float(row[column]) / max(float(yardstick[column]), 1)
        return f"{value:.1f}×" if value >= 1 else f"{value:.2f}×"

    lines = [
        "| request | requests | req/s | errors | p50 ms | p95 ms | p99 ms | p50 ÷ /healthz "
        "| p95 ÷ /healthz |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    kinds = sorted(name for name in mix if name != "Aggregated")
    for name, row in [*((name, mix[name]) for name in kinds), ("all", mix["Aggregated"])]:
        lines.append(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.2f} "
            f"| {row['Failure Count']} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {ratio(row, '50%')} | {ratio(row, '95%')} |"
        )
    probe = alone["healthz"]
    share = float(mix["Aggregated"]["Requests/s"]) / max(float(probe["Requests/s"]), 0.01)
    lines.append(
        f"| /healthz alone (no pause) | {probe['Request Count']} | "
        f"{float(probe['Requests/s']):.2f} | {probe['Failure Count']} | {probe['50%']} | "
        f"{probe['95%']} | {probe['99%']} | | |"
    )
    lines.append(
        f"\nthe mix's users, pausing as visitors do, asked for {share:.0%} of the requests per "
        "second that /healthz alone was answered at with no pause"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=60, help="seconds the WebSocket stays idle")
    parser.add_argument("--keep", action="store_true", help="keep the drill's directory")
    parser.add_argument("--load", action="store_true", help="the load test instead of the checks")
    parser.add_argument("--users", type=int, default=20, help="locust users of each load run")
    parser.add_argument("--run-time", default="2m", help="how long each load run lasts")
    parser.add_argument(
        "--locust", default=shutil.which("locust") or str(VENV / "locust"),
        help="locust's program (the bench dependency group)",
    )  # fmt: skip
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="rongcheng-drill-"))
    drill = Drill(root, load=options.load)
    started = time.monotonic()
    print(f"drill in {root}, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}", flush=True)
    try:
        drill.postgres()
        drill.replica()
        drill.pgbouncer()
        drill.redis()
        drill.release()
        drill.web_host("host_a")
        drill.web_host("host_b")
        drill.websockets_host()
        drill.celery()
        drill.nginx()
        if options.load:
            drill.prepare_load()
            checks = [lambda: drill.load_test(options.locust, options.users, options.run_time)]
        else:
            checks = [
                drill.check_traffic,
                drill.check_read_your_writes,
                drill.check_purge_on_both_hosts,
                lambda: drill.check_websocket(options.idle),
                drill.check_worker_killed_mid_task,
                drill.check_host_killed_under_load,
                drill.backup_and_restore,
            ]
        for check in checks:
            try:
                check()
            except Exception as error:  # a check that crashes is a failed check
                drill.record(getattr(check, "__name__", "check"), False, repr(error)[:500])
    finally:
        drill.stop_all()
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    passed = sum(1 for _, ok, _ in drill.results if ok)
    print(f"{passed}/{len(drill.results)} checks passed in {time.monotonic() - started:.0f} s")
    return 0 if passed == len(drill.results) else 1


if __name__ == "__main__":
    sys.exit(main())
