"""Load the provinces, cities and districts shipped in regions/data/regions.csv.

Reference data every environment needs: `make setup` runs it after migrating, and a
deployment runs it after `migrate`. Safe to run any number of times.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from rongcheng.regions.dataset import DATA_FILE, read_csv
from rongcheng.regions.services import regions_load


class Command(BaseCommand):
    help = "Load provinces, cities and districts from the data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="a regions CSV file")

    def handle(self, *args, file: Path, **options):
        result = regions_load(rows=read_csv(file))
        if options["verbosity"]:
            self.stdout.write(
                f"地区 Regions: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
