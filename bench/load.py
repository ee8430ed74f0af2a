"""A small HTTP load generator for machines without wrk: N threads, each sending GET requests
back to back for a fixed time. Slower than wrk (the client shares the GIL), so its figures are
a floor, not comparable with wrk's.

    python bench/load.py http://127.0.0.1:8000/healthz --seconds 15 --connections 32
"""

import argparse
import http.client
import threading
import time
from urllib.parse import urlsplit


def worker(host: str, port: int, path: str, until: float, counts: list[int], index: int) -> None:
    done = errors = 0
    while time.monotonic() < until:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done += 1
            else:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
    counts[index] = done
    counts[len(counts) // 2 + index] = errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    parts = urlsplit(args.url)
    counts = [0] * (2 * args.connections)
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(
            target=worker,
            args=(parts.hostname, parts.port or 80, parts.path or "/", until, counts, i),
        )
        for i in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok, errors = sum(counts[: args.connections]), sum(counts[args.connections :])
    print(f"{ok} requests in {elapsed:.1f}s, {errors} errors")
    print(f"Requests/sec: {ok / elapsed:.0f}")


if __name__ == "__main__":
    main()
