# A load generator: random choices of pages, not secrets.
# ruff: noqa: S311
"""The storefront's load mix, for locust against a running deployment (docs/operations.md).

Visitors browse: home, a category, a product, search. Members sign in with a session and open
their pages (member home, orders, wallet, addresses, the bag). Buyers (bench/load/buyers.py
made the accounts on the target) sign in through the API, add a product to the bag, and now
and then check out by courier and pay in the WeChat Pay sandbox cashier (the target needs
PAYMENTS_SANDBOX on). `/healthz` through the same server is the yardstick the page figures are
read against; bench/load/healthz.py asks for nothing else, as fast as it is answered.

    .venv/bin/locust -f bench/load/locustfile.py --host http://127.0.0.1:8108 \
        --headless --users 20 --spawn-rate 5 --run-time 2m --csv var/load

A plain-HTTP target stands where a TLS load balancer's traffic arrives (deploy/drill/drill.py
runs nginx with tls-at-load-balancer.conf): requests then name the shop (LOAD_SITE, e.g.
shop.example.com) and say `X-Forwarded-Proto: https` as the balancer would, and the shop's
secure cookies are sent back over that plain connection.
"""

import os
import random
import re
import threading
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from requests.cookies import RequestsCookieJar

BUYER_PASSWORD = os.environ.get("LOAD_BUYER_PASSWORD", "Load@2026")
BUYER_COUNT = int(os.environ.get("LOAD_BUYER_COUNT", "50"))
SEARCH_WORDS = ["羊绒衫", "围巾", "yrs", "开衫", "大衣", "cashmere", "鄂尔多斯", "手套"]
CATEGORY_LINK = re.compile(r'href="(/category/\d+-[\w-]+/)"')
PRODUCT_LINK = re.compile(r'href="/product/(\d+)/"')
# The shop's public name, which a plain-HTTP target is asked for (default: the target's own).
LOAD_SITE = os.environ.get("LOAD_SITE", "")


def behind_balancer(host: str) -> bool:
    return urlsplit(host).scheme == "http"


def site(host: str) -> str:
    return LOAD_SITE or urlsplit(host).netloc


def balancer_headers(host: str) -> dict[str, str]:
    """What a TLS load balancer tells nginx of an HTTPS visitor
    (deploy/nginx/tls-at-load-balancer.conf)."""
    return {"Host": site(host), "X-Forwarded-Proto": "https"}


class Catalogue:
    """Category addresses and product ids read from the target's own pages once, at start."""

    categories: list[str] = []
    products: list[int] = []


@events.test_start.add_listener
def read_catalogue(environment, **_kwargs) -> None:
    import requests

    host = environment.host
    headers = balancer_headers(host) if behind_balancer(host) else {}
    index = requests.get(f"{host}/categories/", headers=headers, timeout=30).text
    Catalogue.categories = sorted(set(CATEGORY_LINK.findall(index)))
    products: set[int] = set()
    for path in Catalogue.categories[:12]:
        page = requests.get(host + path, headers=headers, timeout=30).text
        products.update(int(n) for n in PRODUCT_LINK.findall(page))
    Catalogue.products = sorted(products)
    if not Catalogue.categories or not Catalogue.products:
        raise RuntimeError(f"no categories or products found at {host}")


class BehindBalancerJar(RequestsCookieJar):
    """The balancer's HTTPS ends before nginx: the shop's secure cookies go back over HTTP."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class ShopUser(HttpUser):
    abstract = True

    def on_start(self) -> None:
        if behind_balancer(self.host):
            self.client.headers.update(balancer_headers(self.host))
            self.client.cookies = BehindBalancerJar()

    def referer(self, path: str) -> str:
        """What a browser on the HTTPS site sends, for Django's CSRF check of secure requests."""
        return f"https://{site(self.host)}{path}"


class Numbers:
    """Hands out the load-test accounts loadbuyer001… in turn, to members and buyers alike."""

    _next = iter(range(1_000_000))
    _lock = threading.Lock()

    @classmethod
    def username(cls) -> str:
        with cls._lock:
            n = next(cls._next) % BUYER_COUNT + 1
        return f"loadbuyer{n:03d}"


class Visitor(ShopUser):
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


class Member(ShopUser):
    """A signed-in member's own pages: rendered for them alone, read from a replica if any."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.client.get("/login/", name="login page")  # sets the CSRF cookie
        answer = self.client.post(
            "/api/auth/login",
            json={"identifier": Numbers.username(), "password": BUYER_PASSWORD, "mode": "session"},
            headers={
                "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": self.referer("/login/"),
            },
            name="session login",
        )
        if answer.status_code != 200:
            raise StopUser

    @task(3)
    def member_home(self) -> None:
        self.client.get("/member/", name="member home")

    @task(2)
    def orders(self) -> None:
        self.client.get("/member/orders/", name="member orders")

    @task(1)
    def wallet(self) -> None:
        self.client.get("/member/wallet/", name="member wallet")

    @task(1)
    def addresses(self) -> None:
        self.client.get("/member/addresses/", name="member addresses")

    @task(2)
    def bag(self) -> None:
        self.client.get("/bag/", name="bag page")


class Buyer(ShopUser):
    weight = 2
    wait_time = between(2, 5)

    def on_start(self) -> None:
        super().on_start()
        answer = self.client.post(
            "/api/auth/login",
            json={"identifier": Numbers.username(), "password": BUYER_PASSWORD, "mode": "token"},
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
        # The cashier's address is on SITE_URL; the request goes to the target under test.
        cashier = urlsplit(pay.json()["qr_code"]).path
        self.client.get(cashier, name="sandbox cashier")
        self.client.post(
            cashier,
            data={"action": "pay", "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")},
            headers={"Referer": self.referer(cashier)},
            name="sandbox pay",
        )
