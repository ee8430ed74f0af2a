"""Uploads leave storage after the commit that stops using them.

When a row with file fields is deleted (directly, by a cascade or in bulk through a queryset)
or saved with another file in a field, the file it no longer names is deleted from storage,
with its WebP variants, after the transaction commits; a rollback keeps it, so no row ever
names a missing file. A file still named by any other row (the demo's home videos reuse
product videos) is kept.

This is one mechanism for every model, hooked on the model signals when the apps are ready
(`CoreConfig.ready`): file cleanup is storage bookkeeping, not domain logic, and signals are
the one place that also sees cascades.
"""

import logging
from collections.abc import Iterable

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save

from rongcheng.core import image_variants

logger = logging.getLogger(__name__)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _named_anywhere(name: str) -> bool:
    for model in apps.get_models():
        for field in file_fields(model):
            if model._default_manager.filter(**{field.attname: name}).exists():
                return True
    return False


def _delete_unnamed(names: Iterable[str]) -> None:
    for name in names:
        if _named_anywhere(name):
            continue
        try:
            default_storage.delete(name)
            image_variants.delete(name)
        except OSError:
            # The row is gone either way; a file left behind costs only space.
            logger.exception("could not delete stored file %s", name)


def delete_after_commit(names: Iterable[str]) -> None:
    """Delete these stored files once the current transaction commits, unless a row still
    names them then. Nothing happens on rollback."""
    pending = sorted({name for name in names if name})
    if pending:
        transaction.on_commit(lambda: _delete_unnamed(pending))


def _replaced_files(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = [
        field
        for field in file_fields(sender)
        if update_fields is None or field.name in update_fields
    ]
    if not fields:
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk)
        .values_list(*(field.attname for field in fields))
        .first()
    )
    if stored is None:
        return
    current = [getattr(instance, field.attname).name or "" for field in fields]
    delete_after_commit(old for old, new in zip(stored, current, strict=True) if old != new)


def _deleted_files(sender, instance, **kwargs) -> None:
    delete_after_commit(getattr(instance, field.attname).name for field in file_fields(sender))


def connect() -> None:
    """Watch every model that has file fields (called once, from CoreConfig.ready)."""
    for model in apps.get_models():
        if file_fields(model):
            pre_save.connect(_replaced_files, sender=model, dispatch_uid=f"files:{model._meta}")
            post_delete.connect(_deleted_files, sender=model, dispatch_uid=f"files:{model._meta}")
