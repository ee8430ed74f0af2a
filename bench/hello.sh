#!/usr/bin/env bash
# Baseline: requests per second of /healthz from gunicorn (sync, 2 workers, deploy/gunicorn.conf.py)
# on the embedded settings. Uses wrk when installed (`apt-get install wrk`), otherwise the
# slower bench/load.py. Installs nothing.
#   bench/hello.sh                 # 15 s, 32 connections
#   DURATION=30 CONNECTIONS=64 bench/hello.sh
#   SERVER=uvicorn bench/hello.sh  # the same view under ASGI, for comparison
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-32}"
WORKERS="${WORKERS:-2}"
SERVER="${SERVER:-gunicorn}"

if [ ! -x "$PY" ]; then
  echo "No $PY: run 'make setup' first (or set PY=/path/to/python)." >&2
  exit 1
fi

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
var_dir="$(mktemp -d)"
url="http://127.0.0.1:${port}/healthz"

export RONGCHENG_VAR_DIR="$var_dir"
case "$SERVER" in
  gunicorn)
    GUNICORN_ACCESSLOG="" GUNICORN_WORKERS="$WORKERS" GUNICORN_BIND="127.0.0.1:${port}" \
      "$PY" -m gunicorn --config deploy/gunicorn.conf.py --log-level warning &
    ;;
  uvicorn)
    "$PY" -m uvicorn config.asgi:application --port "$port" --workers "$WORKERS" \
      --no-access-log --log-level warning --lifespan off &
    ;;
  *) echo "SERVER is gunicorn or uvicorn" >&2; exit 2 ;;
esac
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$var_dir"' EXIT

for _ in $(seq 100); do
  "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" \
    2>/dev/null && break
  sleep 0.2
done

echo "${SERVER} x${WORKERS} workers on $(nproc) cores, GET /healthz, ${CONNECTIONS} connections, ${DURATION}s"
if command -v wrk >/dev/null 2>&1; then
  wrk --threads 2 --connections "$CONNECTIONS" --duration "${DURATION}s" "$url"
else
  echo "(wrk not installed: 'apt-get install wrk' for comparable figures; using bench/load.py)"
  "$PY" bench/load.py "$url" --seconds "$DURATION" --connections "$CONNECTIONS"
fi
