"""The data file of regions, `data/regions.csv` (see data/README.md), and its rows.

Read by the `load_regions` command; written by `rongcheng.regions.derive`.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"
FIELDS = ["code", "name", "level", "parent", "longitude", "latitude", "pinyin", "initials"]

PROVINCE, CITY, DISTRICT = 1, 2, 3


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int
    parent: str
    longitude: Decimal
    latitude: Decimal
    pinyin: str
    initials: str


def write_csv(rows: list[RegionRow], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow([getattr(row, field) for field in FIELDS])


def read_csv(path: Path = DATA_FILE) -> list[RegionRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            RegionRow(
                code=item["code"],
                name=item["name"],
                level=int(item["level"]),
                parent=item["parent"],
                longitude=Decimal(item["longitude"]),
                latitude=Decimal(item["latitude"]),
                pinyin=item["pinyin"],
                initials=item["initials"],
            )
            for item in csv.DictReader(handle)
        ]
