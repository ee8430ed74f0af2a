"""Writes the WebP variants (core/image_variants.py) that stored pictures lack, and records on
each row the widths its picture has: pictures stored before the variants existed, or whose
variants were lost. Pictures that have them are not drawn again, so the command may run at
any time."""

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from rongcheng.core import image_variants


class Command(BaseCommand):
    help = "Write the WebP variants that stored pictures lack and record them on their rows."

    def handle(self, *args, **options):
        for label, field, source_field, kind in image_variants.STORED:
            manager = apps.get_model(label)._default_manager
            widths_field = f"{field}_widths"
            rows = (
                manager.exclude(**{field: ""})
                .values_list("pk", field, source_field, widths_field)
                .order_by("pk")
            )
            written = recorded = missing = 0
            for pk, name, source, widths in rows.iterator(chunk_size=500):
                found = image_variants.found(name, kind)
                if not found and source and default_storage.exists(source):
                    with default_storage.open(source, "rb") as stored:
                        image_variants.write(name, kind, source=stored.read())
                    found = image_variants.recorded(kind)
                    written += 1
                elif not found:
                    missing += 1
                if found != widths:
                    manager.filter(pk=pk, **{field: name}).update(**{widths_field: found})
                    recorded += 1
            self.stdout.write(
                f"{label}.{field}: {written} written, {recorded} recorded, "
                f"{missing} without a source"
            )
