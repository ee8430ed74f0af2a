"""The demo's tabular data lives in data/*.tsv (tab-separated, one header row)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_table(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))
