# A load generator: random choices of pages, not secrets.
# ruff: noqa: S311
"""The storefront's load mix, for locust against a running deployment (docs/operations.md).

Visitors browse: home, a category, a product, search. Buyers (bench/load/buyers.py made them on
the target) sign in through the API, add a product to the bag, and now and then check out by
courier and pay in the WeChat Pay sandbox cashier (the target needs PAYMENTS_SANDBOX on).
`/healthz` through the same server is the yardstick the page figures are read against.

    .venv/bin/locust -f bench/load/locustfile.py --host http://127.0.0.1:8108 \
        --headless --users 20 --spawn-rate 5 --run-time 2m --csv var/load
"""

import os
import random
import re
import threading

from locust import HttpUser, between, events, task
from locust.exception import StopUser

BUYER_PASSWORD = os.environ.get("LOAD_BUYER_PASSWORD", "Load@2026")
BUYER_COUNT = int(os.environ.get("LOAD_BUYER_COUNT", "50"))
SEARCH_WORDS = ["羊绒衫", "围巾", "yrs", "开衫", "大衣", "cashmere", "鄂尔多斯", "手套"]
CATEGORY_LINK = re.compile(r'href="(/category/\d+-[\w-]+/)"')
PRODUCT_LINK = re.compile(r'href="/product/(\d+)/"')


class Catalogue:
    """Category addresses and product ids read from the target's own pages once, at start."""

    categories: list[str] = []
    products: list[int] = []


@events.test_start.add_listener
def read_catalogue(environment, **_kwargs) -> None:
    import requests

    host = environment.host
    index = requests.get(f"{host}/categories/", timeout=30).text
    Catalogue.categories = sorted(set(CATEGORY_LINK.findall(index)))
    products: set[int] = set()
    for path in Catalogue.categories[:12]:
        products.update(
            int(n) for n in PRODUCT_LINK.findall(requests.get(host + path, timeout=30).text)
        )
    Catalogue.products = sorted(products)
    if not Catalogue.categories or not Catalogue.products:
        raise RuntimeError(f"no categories or products found at {host}")


class Visitor(HttpUser):
    weight = 8
    wait_time = between(1, 3)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def category(self) -> None:
        self.client.get(random.choice(Catalogue.categories), name="category")

    @task(4)
    def product(self) -> None:
        self.client.get(f"/product/{random.choice(Catalogue.products)}/", name="product")

    @task(2)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class Buyer(HttpUser):
    weight = 2
    wait_time = between(2, 5)
    _numbers = iter(range(1, 1_000_000))
    _lock = threading.Lock()

    def on_start(self) -> None:
        with self._lock:
            n = (next(self._numbers) - 1) % BUYER_COUNT + 1
        answer = self.client.post(
            "/api/auth/login",
            json={"identifier": f"loadbuyer{n:03d}", "password": BUYER_PASSWORD, "mode": "token"},
            name="api login",
        )
        if answer.status_code != 200:
            raise StopUser
        self.client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        self.address_id = self.client.get("/api/member/addresses", name="api addresses").json()[0][
            "id"
        ]

    def add_to_bag(self) -> None:
        product = random.choice(Catalogue.products)
        skus = self.client.get(f"/api/catalog/products/{product}", name="api product").json()[
            "skus"
        ]
        self.client.post(
            "/api/bag/lines", json={"sku_id": random.choice(skus)["id"]}, name="bag add"
        )

    @task(3)
    def bag_add(self) -> None:
        self.add_to_bag()

    @task(1)
    def checkout_and_pay(self) -> None:
        delivery = {"delivery": "courier", "address_id": self.address_id}
        with self.client.post(
            "/api/checkout/quote", json=delivery, name="checkout quote", catch_response=True
        ) as quote:
            if quote.status_code == 409:  # nothing buyable ticked: fill the bag first
                quote.success()
                self.add_to_bag()
                return
        quote_body = quote.json()
        placed = self.client.post(
            "/api/checkout/place",
            json={**delivery, "token": quote_body["token"], "expected_total": quote_body["total"]},
            name="checkout place",
        )
        if placed.status_code != 200:
            return
        number = placed.json()["number"]
        pay = self.client.post(
            f"/api/checkout/{number}/pay", json={"channel": "wechat_native"}, name="pay start"
        )
        if pay.status_code != 200:
            return
        cashier = pay.json()["qr_code"]
        self.client.get(cashier, name="sandbox cashier")
        self.client.post(
            cashier,
            data={"action": "pay", "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")},
            headers={"Referer": cashier},
            name="sandbox pay",
        )
