"""Load-test buyers on a staging deployment (never production): members `loadbuyer001`…, each
with a real name, a mobile number and a default address in Ordos, so that checkout can place
orders for them. Idempotent; the locustfile signs them in with the same password.

    .venv/bin/python bench/load/buyers.py --count 50 --password 'Load@2026'
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from rongcheng.accounts.models import Address, User  # noqa: E402
from rongcheng.regions.models import Region  # noqa: E402

PROVINCE, CITY, DISTRICT = "150000", "150600", "150602"  # 内蒙古 / 鄂尔多斯 / 东胜区


def username(n: int) -> str:
    return f"loadbuyer{n:03d}"


@transaction.atomic
def make_buyers(count: int, password: str) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=[PROVINCE, CITY, DISTRICT])}
    for n in range(1, count + 1):
        user, _ = User.objects.get_or_create(
            username=username(n),
            defaults={"real_name": "压测买家", "mobile": f"177{n:08d}"},
        )
        user.set_password(password)
        user.save()
        Address.objects.get_or_create(
            user=user,
            is_default=True,
            defaults={
                "recipient": user.real_name,
                "phone": user.mobile,
                "province": regions[PROVINCE],
                "city": regions[CITY],
                "district": regions[DISTRICT],
                "detail": f"鄂尔多斯大街{n}号",
            },
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--password", required=True)
    options = parser.parse_args()
    if settings.PRODUCTION:
        sys.exit("buyers.py refuses to run with RONGCHENG_ENV=production.")
    make_buyers(options.count, options.password)
    print(f"{options.count} buyers: {username(1)}…{username(options.count)}")


if __name__ == "__main__":
    main()
