"""Demo stores: 34 stores in 10 cities at their real approximate places (data/stores.tsv),
two fulfillment centers, staff logins, and goods listed and stocked in every store."""

import random
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Mod

from rongcheng.accounts.models import User
from rongcheng.accounts.services import user_create
from rongcheng.catalog.models import Product, Sku
from rongcheng.demo.accounts import DEMO_PASSWORD
from rongcheng.demo.tables import read_table
from rongcheng.inventory.models import StoreListing
from rongcheng.inventory.services import listing_set, stock_receive
from rongcheng.regions.models import Region
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.services import store_membership_set, store_save

# Franchise (a) stores keep their goods in the fulfillment center of their region.
SERVED_FROM_BEIJING = {"110100", "310100", "330100"}
AREA_CODE = {
    "150600": "0477",
    "150100": "0471",
    "150200": "0472",
    "110100": "010",
    "310100": "021",
    "440100": "020",
    "440300": "0755",
    "330100": "0571",
    "510100": "028",
    "610100": "029",
}
# (mobile, real name, store code, role, role label shown by load_demo)
STAFF = [
    ("13800000011", "王店长", "bj-wfj", StoreMembership.Role.MANAGER, "门店店长 store manager"),
    ("13800000012", "李店员", "bj-wfj", StoreMembership.Role.CLERK, "门店店员 store clerk"),
    ("13800000013", "赵发货", "fc-eeds", StoreMembership.Role.FULFILLMENT, "发货员 fulfillment"),
]
# The store roles' named demo logins (demo/accounts.py) work in a store of their own.
NAMED_STAFF = [
    ("store_manager", "eeds-ds", StoreMembership.Role.MANAGER),
    ("clerk", "eeds-ds", StoreMembership.Role.CLERK),
    ("fulfillment", "fc-bj", StoreMembership.Role.FULFILLMENT),
]


def ensure_regions() -> None:
    """Create the provinces and cities (GB/T 2260) the demo stores need, when missing: the
    full regions data may be loaded before or after this."""
    for row in read_table("regions.tsv"):
        Region.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": int(row["level"]),
                "parent_id": row["parent"] or None,
                "longitude": Decimal(row["longitude"]),
                "latitude": Decimal(row["latitude"]),
                "pinyin": row["pinyin"],
                "initials": row["initials"],
            },
        )


def load_stores() -> list[Store]:
    ensure_regions()
    rows = read_table("stores.tsv")
    existing = {s.code: s for s in Store.objects.filter(code__in=[row["code"] for row in rows])}
    stores: dict[str, Store] = {}
    for index, row in enumerate(rows):
        store = existing.get(row["code"])
        if store is None:
            city, kind = row["city"], row["kind"]
            warehouse = None
            if kind == Store.Kind.FRANCHISE_A:
                warehouse = stores["fc-bj" if city in SERVED_FROM_BEIJING else "fc-eeds"]
            store = store_save(
                store=Store(
                    code=row["code"],
                    name=row["name"],
                    kind=kind,
                    city_id=city,
                    address=row["address"],
                    latitude=Decimal(row["latitude"]),
                    longitude=Decimal(row["longitude"]),
                    phone=f"{AREA_CODE[city]}-{86000000 + index * 137:08d}",
                    service_contact=f"400-800-1688-{100 + index}",
                    opening_hours="09:00-18:00"
                    if kind == Store.Kind.FULFILLMENT
                    else "10:00-22:00",
                    is_recommended=row["recommended"] == "yes",
                    warehouse=warehouse,
                    description=f"{row['name']}提供羊绒服饰试穿、门店自提与羊绒护理服务。",
                )
            )
        stores[store.code] = store
    return list(stores.values())


def load_staff() -> list[tuple[str, str, str]]:
    """The store staff logins: (role, login, password). The named store roles' logins, when
    loaded, get their store too."""
    logins = []
    codes = [row[2] for row in STAFF] + [row[1] for row in NAMED_STAFF]
    stores = {s.code: s for s in Store.objects.filter(code__in=codes)}
    for mobile, real_name, store_code, role, label in STAFF:
        user = User.objects.filter(mobile=mobile).first()
        if user is None:
            user = user_create(password=DEMO_PASSWORD, mobile=mobile, real_name=real_name)
        store_membership_set(store=stores[store_code], user=user, role=role)
        logins.append((label, mobile, DEMO_PASSWORD))
    named = {u.username: u for u in User.objects.filter(username__in=[r[0] for r in NAMED_STAFF])}
    for username, store_code, role in NAMED_STAFF:
        if username in named:
            store_membership_set(store=stores[store_code], user=named[username], role=role)
    return logins


def load_assortment(*, actor: User, stores: list[Store], rng: random.Random) -> None:
    """Each shop lists about a third of the catalogue and holds a few units of most of its
    SKUs; the fulfillment centers carry everything in depth."""
    if StoreListing.objects.filter(store__in=stores).exists():
        return
    products = list(Product.objects.order_by("id").values_list("id", flat=True))
    skus: dict[int, list[int]] = {}
    for sku_id, product_id in Sku.objects.order_by("id").values_list("id", "product_id"):
        skus.setdefault(product_id, []).append(sku_id)
    for store in stores:
        if store.kind == Store.Kind.FULFILLMENT:
            chosen = products
            lines = [(sku, rng.randint(20, 80)) for pid in chosen for sku in skus[pid]]
        else:
            chosen = [pid for pid in products if rng.random() < 0.35]
            lines = [
                (sku, rng.randint(1, 6))
                for pid in chosen
                for sku in skus[pid]
                if rng.random() < 0.7
            ]
        listing_set(actor=actor, store_id=store.id, product_ids=chosen, listed=True)
        stock_receive(
            actor=actor,
            store_id=store.id,
            lines=lines,
            reference=f"PH-{store.code}",
            note="总部铺货",
        )
        # The stores' own sales so far, for their best-seller rankings.
        national = Product.objects.filter(pk=OuterRef("product_id")).values("sales_count")[:1]
        StoreListing.objects.filter(store=store).update(
            sales_count=Subquery(national) * rng.randint(1, 6) / 100
            + Mod(F("product_id") * store.id, 13)
        )
