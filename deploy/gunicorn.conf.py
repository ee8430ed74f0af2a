"""gunicorn for pages and API: sync workers (WSGI), see docs/deployment.md.

Sync workers beat async ones here because every request runs sync middleware; on a 2-core
host two workers answered more requests than four (bench/BENCHMARKS.md). So: one worker per
core unless GUNICORN_WORKERS says otherwise. (Not WEB_CONCURRENCY, which uvicorn reads too.)
"""

import multiprocessing
import os
import shutil

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
# Loading the app before forking shares its memory between workers; Django opens database
# connections lazily, so no connection crosses the fork.
preload_app = True
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so slow leaks never grow; the jitter keeps them from all
# restarting at once.
max_requests = 5000
max_requests_jitter = 500
# nginx runs on the same host; set FORWARDED_ALLOW_IPS when it does not.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"


# Prometheus: each worker writes its figures into PROMETHEUS_MULTIPROC_DIR (set by the systemd
# unit), /metrics adds them up. Emptied at start, so figures of an earlier run never count.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
