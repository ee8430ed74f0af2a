"""Smaller WebP copies of stored pictures, so that pages send each picture at its slot's size.

A picture `folder/name.jpg` gets `folder/name.480w.webp`, `folder/name.960w.webp` … beside it,
each at most that wide and never enlarged. They are written once the picture is stored (the
catalogue's and the home page's services after their commit, the demo as it draws) and leave
storage with the picture (`stored_files`).

The row records the widths written, in `<picture field>_widths` ("480 640 960 1200"), once all
of them are: pages list the variants from the row and never ask the storage, which would
cost a `stat` a variant on disk and a request a variant on S3 (160 for a category page's 40
cards). A picture stored before its variants (or before a width was added here) shows as
itself until `manage.py image_variants` writes and records what is missing.
"""

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup, escape
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Variants:
    """The widths a kind of picture is sent at; `square` pictures are cropped to the centre."""

    widths: tuple[int, ...]
    square: bool = False


# Widths cover the slot at 1× to 2× screens (docs/architecture.md, Images).
KINDS = {
    "banner": Variants((480, 640, 960, 1200)),
    "picture": Variants((320, 640, 800)),
    "thumbnail": Variants((120, 240, 360, 480), square=True),
    "logo": Variants((96, 144, 192)),
}

# Stored pictures and where each one's variants are drawn from (a thumbnail is drawn again
# from the full picture, so that its larger variants are not enlargements of it). Each
# picture field has its `<field>_widths` beside it (`widths_field`).
STORED = (
    ("catalog.ProductImage", "image", "image", "picture"),
    ("catalog.ProductImage", "thumbnail", "image", "thumbnail"),
    ("catalog.Brand", "logo", "logo", "logo"),
    ("cms.Ad", "image", "image", "banner"),
    ("cms.Ad", "image_en", "image_en", "banner"),
)

WEBP_QUALITY = 80
# libwebp's effort 2 of 6: about a third of the default's time for files some 6 % larger.
WEBP_METHOD = 2


def widths_field() -> models.CharField:
    """The `<picture field>_widths` beside a stored picture: the widths of its variants, once
    all of them are written; blank before."""
    return models.CharField(
        _("WebP 副本宽度"), max_length=40, blank=True, default="", editable=False
    )


def recorded(kind: str) -> str:
    """What a row records once all the variants of a picture of `kind` are written."""
    return " ".join(str(width) for width in KINDS[kind].widths)


def found(name: str, kind: str) -> str:
    """What to record for the stored picture `name` as the storage holds it now."""
    return recorded(kind) if complete(name, kind) else ""


def variant_name(name: str, width: int) -> str:
    return f"{name.rpartition('.')[0] or name}.{width}w.webp"


def _variant_pattern(name: str) -> re.Pattern[str]:
    stem = (name.rpartition(".")[0] or name).rpartition("/")[2]
    return re.compile(re.escape(stem) + r"\.\d+w\.webp")


def encode(data: bytes, kind: str) -> dict[int, bytes]:
    """The WebP variants of a picture's bytes, by width."""
    spec = KINDS[kind]
    with Image.open(BytesIO(data)) as source:
        picture = ImageOps.exif_transpose(source)
        picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    if spec.square:
        side = min(picture.size)
        picture = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    out = {}
    for width in spec.widths:
        scaled = picture
        if width < picture.width:
            height = max(1, round(picture.height * width / picture.width))
            scaled = picture.resize((width, height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        scaled.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        out[width] = buffer.getvalue()
    return out


def write(name: str, kind: str, *, source: bytes | None = None) -> list[str]:
    """Write the variants of the stored picture `name`, drawn from `source` (default: the
    picture itself), replacing any left from an earlier picture of that name."""
    if source is None:
        with default_storage.open(name, "rb") as stored:
            source = stored.read()
    written = []
    for width, data in encode(source, kind).items():
        target = variant_name(name, width)
        if default_storage.exists(target):
            default_storage.delete(target)
        written.append(default_storage.save(target, ContentFile(data)))
    return written


def take_stock(instance: models.Model, field: str, kind: str) -> bool:
    """Before `instance` is saved: record the widths of the variants its picture in `field`
    has in storage; whether the picture lacks them (`write_after_commit` once it is saved)."""
    name = getattr(instance, field).name
    widths = found(name, kind) if name else ""
    setattr(instance, f"{field}_widths", widths)
    return bool(name) and not widths


def write_after_commit(instance: models.Model, field: str, kind: str) -> None:
    """Write the variants of the picture in `instance.field` once the current transaction
    commits, and record them on the rows that still show it. The row is saved by then: a
    picture that cannot be read or written is logged and keeps showing as itself
    (`manage.py image_variants` tries again)."""
    name = getattr(instance, field).name
    rows = type(instance)._default_manager.filter(**{field: name})

    def run() -> None:
        try:
            write(name, kind)
        except OSError:
            logger.exception("could not write the variants of %s", name)
            return
        rows.update(**{f"{field}_widths": recorded(kind)})

    transaction.on_commit(run)


def complete(name: str, kind: str) -> bool:
    return all(default_storage.exists(variant_name(name, width)) for width in KINDS[kind].widths)


def delete(name: str) -> None:
    """Remove the variants of a picture that left storage."""
    folder = name.rpartition("/")[0]
    pattern = _variant_pattern(name)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        if pattern.fullmatch(file_name):
            variant = f"{folder}/{file_name}" if folder else file_name
            default_storage.delete(variant)


def srcset(url: str, widths: str) -> str:
    """The `srcset` of a stored picture's WebP variants from its address and the widths its
    row records ("" while none are written: the page then sends the picture itself)."""
    return ", ".join(f"{variant_name(url, int(width))} {width}w" for width in widths.split())


def picture(
    url: str,
    widths: str,
    sizes: str,
    alt: str = "",
    width: int | None = None,
    height: int | None = None,
    eager: bool = False,
    first: bool = False,
    marker: str = "",
) -> Markup:
    """A stored picture sent at its slot's size: the WebP variants its row records (`widths`)
    for the slot's `sizes`, else the picture itself. Pictures load lazily unless
    `eager`; the page's largest one (`first`) is fetched before the others. The Jinja2 global
    `picture`: every product card shows one, and as a macro it cost more than its markup."""
    # A list escapes dozens of addresses: escaping leaves the dots alone, so the variants of
    # the escaped address are the escaped variants' addresses; a slot's sizes are few.
    address = str(escape(url))  # a plain str: Markup's own methods escape again
    variants = srcset(address, widths) if url else ""
    source = (
        f'<source type="image/webp" srcset="{variants}" sizes="{_escaped(sizes)}">'
        if variants
        else ""
    )
    size = f' width="{int(width)}" height="{int(height)}"' if width and height else ""
    loading = ' fetchpriority="high"' if first else "" if eager else ' loading="lazy"'
    extra = f" {escape(marker)}" if marker else ""
    return Markup(  # noqa: S704 - every value is escaped above
        f'<picture>{source}<img src="{address}" alt="{escape(alt)}"{size}{loading}{extra}>'
        "</picture>"
    )


@lru_cache(maxsize=64)
def _escaped(text: str) -> Markup:
    return escape(text)
