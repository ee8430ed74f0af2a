"""Smaller WebP copies of stored pictures, so that pages send each picture at its slot's size.

A picture `folder/name.jpg` gets `folder/name.480w.webp`, `folder/name.960w.webp` … beside it,
each at most that wide and never enlarged. They are written once the picture is stored (the
catalogue's and the home page's services after their commit, the demo as it draws) and leave
storage with the picture (`stored_files`). Pages list them in `srcset` only once all of them
exist, so a picture stored before its variants (or before a width was added here) still
shows, as itself, until `manage.py image_variants` writes what is missing.
"""

import logging
import re
import time
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import unquote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from markupsafe import Markup, escape
from PIL import Image, ImageOps

from rongcheng.core.media_urls import media_base

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
# from the full picture, so that its larger variants are not enlargements of it).
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
# Found variants stay known (up to a bound); a missing one is looked for again after this
# many seconds, so a process notices variants written by another one.
MISSING_RECHECK_SECONDS = 60
KNOWN_LIMIT = 50_000


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
        _remember(target)
    return written


def write_after_commit(names: list[str], kind: str) -> None:
    """Write the variants of these pictures once the current transaction commits. The row is
    saved by then: a picture that cannot be read or written is logged and keeps showing as
    itself (`manage.py image_variants` tries again)."""

    def run() -> None:
        for name in names:
            try:
                write(name, kind)
            except OSError:
                logger.exception("could not write the variants of %s", name)

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
            _found.discard(_key(variant))


# Keyed by the storage's folder too, so that a process serving another media root (tests)
# never takes one root's files for another's.
_found: set[tuple[str, str]] = set()
_missing: dict[tuple[str, str], float] = {}


def _key(name: str) -> tuple[str, str]:
    return (str(getattr(default_storage, "location", "")), name)


def _remember(name: str) -> None:
    if len(_found) >= KNOWN_LIMIT:
        _found.clear()
    _found.add(_key(name))
    _missing.pop(_key(name), None)


def _exists(name: str) -> bool:
    key = _key(name)
    if key in _found:
        return True
    checked = _missing.get(key)
    if checked is not None and time.monotonic() - checked < MISSING_RECHECK_SECONDS:
        return False
    if default_storage.exists(name):
        _remember(name)
        return True
    if len(_missing) >= KNOWN_LIMIT:
        _missing.clear()
    _missing[key] = time.monotonic()
    return False


def srcset(url: str, kind: str) -> str:
    """The `srcset` of a stored picture's WebP variants from its address, or "" while they are
    not written (the page then sends the picture itself)."""
    base = media_base()
    if not url or not url.startswith(base):
        return ""
    name = unquote(url[len(base) :])
    widths = KINDS[kind].widths
    if not all(_exists(variant_name(name, width)) for width in widths):
        return ""
    return ", ".join(f"{variant_name(url, width)} {width}w" for width in widths)


def picture(
    url: str,
    kind: str,
    sizes: str,
    alt: str = "",
    width: int | None = None,
    height: int | None = None,
    eager: bool = False,
    first: bool = False,
    marker: str = "",
) -> Markup:
    """A stored picture sent at its slot's size: the WebP variants of `kind` for the slot's
    `sizes` once they are written, else the picture itself. Pictures load lazily unless
    `eager`; the page's largest one (`first`) is fetched before the others. The Jinja2 global
    `picture`: every product card shows one, and as a macro it cost more than its markup."""
    variants = srcset(url, kind)
    source = (
        f'<source type="image/webp" srcset="{escape(variants)}" sizes="{escape(sizes)}">'
        if variants
        else ""
    )
    size = f' width="{escape(width)}" height="{escape(height)}"' if width else ""
    loading = ' fetchpriority="high"' if first else "" if eager else ' loading="lazy"'
    extra = f" {escape(marker)}" if marker else ""
    return Markup(  # noqa: S704 - every value is escaped above
        f'<picture>{source}<img src="{escape(url)}" alt="{escape(alt)}"{size}{loading}{extra}>'
        "</picture>"
    )
