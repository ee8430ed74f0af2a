"""Writes the WebP variants (core/image_variants.py) that stored pictures lack: pictures stored
before the variants existed, or whose variants were lost. Pictures that already have them are
left alone, so the command may run again at any time."""

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from rongcheng.core import image_variants


class Command(BaseCommand):
    help = "Write the WebP variants that stored pictures lack."

    def handle(self, *args, **options):
        for label, field, source_field, kind in image_variants.STORED:
            rows = (
                apps.get_model(label)
                ._default_manager.exclude(**{field: ""})
                .values_list(field, source_field)
                .order_by("pk")
            )
            written = missing = 0
            for name, source in rows.iterator(chunk_size=500):
                if image_variants.complete(name, kind):
                    continue
                if not (source and default_storage.exists(source)):
                    missing += 1
                    continue
                with default_storage.open(source, "rb") as stored:
                    image_variants.write(name, kind, source=stored.read())
                written += 1
            self.stdout.write(f"{label}.{field}: {written} written, {missing} without a source")
