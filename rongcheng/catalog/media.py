"""Image processing for product media (Pillow)."""

from io import BytesIO

from PIL import Image, ImageOps

THUMBNAIL_SIZE = (240, 240)


def thumbnail_bytes(data: bytes, size: tuple[int, int] = THUMBNAIL_SIZE) -> bytes:
    """A square JPEG thumbnail, cropped to the centre of the picture."""
    with Image.open(BytesIO(data)) as source:
        # JPEGs decode straight at a fraction of their size, still no smaller than asked.
        source.draft("RGB", size)
        picture = ImageOps.exif_transpose(source).convert("RGB")
    thumb = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
    out = BytesIO()
    thumb.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
