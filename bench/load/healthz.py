"""`/healthz` alone, with no pause between requests: what the same nginx and web hosts answer
at most for the cheapest request, the yardstick of the storefront mix (bench/load/locustfile.py).

    .venv/bin/locust -f bench/load/healthz.py --host http://127.0.0.1:8108 \
        --headless --users 20 --spawn-rate 5 --run-time 2m --csv var/healthz
"""

from locust import constant, task
from locustfile import ShopUser


class Probe(ShopUser):
    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")
