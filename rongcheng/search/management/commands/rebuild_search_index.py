"""Rebuild the search index from the catalogue and the stores, with a progress bar."""

from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rongcheng.search.models import DocType
from rongcheng.search.services import BATCH_SIZE, index_rebuild


class Command(BaseCommand):
    help = "Index every product and store again (searches keep working meanwhile)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            dest="doc_types",
            action="append",
            choices=DocType.values,
            help="only this document type (repeatable); all types by default",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, doc_types, batch_size, no_progress, **options):
        doc_types = doc_types or list(DocType.values)
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=no_progress,
        )
        tasks: dict[str, int] = {}

        def advance(doc_type: str, done: int, total: int) -> None:
            if doc_type not in tasks:
                tasks[doc_type] = bar.add_task(str(DocType(doc_type).label), total=total)
            bar.update(tasks[doc_type], completed=done)

        with bar:
            counts = index_rebuild(doc_types=doc_types, batch_size=batch_size, progress=advance)
        for doc_type, count in counts.items():
            self.stdout.write(f"{DocType(doc_type).label}: {count}")
