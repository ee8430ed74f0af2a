"""Real files of each kind for upload tests: pictures made by Pillow, video container heads,
WAV files made by the standard library."""

import wave
from io import BytesIO

from PIL import Image

# An ISO base media file (MP4) starts with its `ftyp` box: size, type, major brand, version.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
QUICKTIME_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00\x00\x00\x08wide"
# WebM is Matroska: the EBML header, with DocType "webm".
WEBM_HEAD = bytes.fromhex("1a45dfa3974286810142f7810142f2810442f381084282847765626d")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


def picture(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (193, 154, 107)).save(out, fmt)
    return out.getvalue()


def wav(rate: int = 8000, *, channels: int = 1, sample_width: int = 2, frames: int = 800) -> bytes:
    """A WAV file of silence."""
    buffer = BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(channels)
        audio.setsampwidth(sample_width)
        audio.setframerate(rate)
        audio.writeframes(bytes(frames * channels * sample_width))
    return buffer.getvalue()
