"""What may be uploaded, checked by content, and how stored uploads are served.

Media is served from the shop's own origin, so a stored `.html` or `.svg` would run as a page of
the shop. Every FileField and ImageField therefore carries one of the validators below: pictures
must open in Pillow as JPEG, PNG, WebP or GIF, videos must start with an MP4/QuickTime `ftyp`
box or a WebM EBML header, each with a size limit from `settings.RONGCHENG`, and the file name
must end in an extension of the format found. Telephone prompts must be WAV files the
telephony engine plays as they are: PCM, 16-bit, mono, 8 or 16 kHz. Whatever is served is
served by extension (`MEDIA_TYPES`): anything else goes out as a download (`media_headers`).
"""

import wave
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

# Pillow format → the file extensions it may carry.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "jpeg"),
    "PNG": ("png",),
    "WEBP": ("webp",),
    "GIF": ("gif",),
}
# Container → its extensions; how each container is recognised is in _video_container.
VIDEO_CONTAINERS = {
    "mp4": ("mp4", "m4v", "mov"),
    "webm": ("webm",),
}
# The only types media is served as; nginx serves the same table (deploy/nginx/locations.conf).
MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}
# A stored file opened directly must not run anything, whatever it contains.
MEDIA_CSP = "default-src 'none'; sandbox"
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
SNIFF_BYTES = 64


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_new(file: Any) -> bool:
    """Only a file being uploaded now is checked: one already stored passed when it came in."""
    return not (isinstance(file, FieldFile) and getattr(file, "_committed", False))


def _check_size(file: Any, limit: int, message: str) -> None:
    """`message` names the limit as %(limit)s."""
    if file.size > limit:
        raise ValidationError(message % {"limit": filesizeformat(limit)}, code="file_too_large")


def _rewind(file: IO[bytes]) -> None:
    file.seek(0)


def _image_format(file: Any) -> str | None:
    """The Pillow format of a complete, undamaged picture, or None."""
    _rewind(file)
    try:
        with Image.open(file) as picture:
            found = picture.format
            picture.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        _rewind(file)
    return found


def validate_image_upload(file: Any) -> None:
    """A picture: JPEG, PNG, WebP or GIF by its content, with the matching extension."""
    if not _is_new(file):
        return
    limit = settings.RONGCHENG["UPLOAD_MAX_IMAGE_BYTES"]
    _check_size(file, limit, _("图片不能超过 %(limit)s。"))
    found = _image_format(file)
    if found not in IMAGE_FORMATS:
        raise ValidationError(
            _("请上传 JPEG、PNG、WebP 或 GIF 格式的图片（不支持 SVG 等其他格式）。"),
            code="image_invalid",
        )
    if _extension(file.name) not in IMAGE_FORMATS[found]:
        raise ValidationError(
            _("图片的扩展名与内容不符，这是一张 %(format)s 图片，请改为 .%(ext)s。")
            % {"format": found, "ext": IMAGE_FORMATS[found][0]},
            code="image_extension",
        )


def _video_container(head: bytes) -> str | None:
    """MP4 and QuickTime open with an `ftyp` box (size, then the type); WebM with the EBML
    header naming its doc type."""
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head:
        return "webm"
    return None


def validate_video_upload(file: Any) -> None:
    """A video: MP4, MOV or WebM by its container signature, with the matching extension."""
    if not _is_new(file):
        return
    _check_size(file, settings.RONGCHENG["UPLOAD_MAX_VIDEO_BYTES"], _("视频不能超过 %(limit)s。"))
    _rewind(file)
    head = file.read(SNIFF_BYTES)
    _rewind(file)
    container = _video_container(head)
    if container is None or _extension(file.name) not in VIDEO_CONTAINERS[container]:
        raise ValidationError(
            _("请上传 MP4、MOV 或 WebM 格式的视频，扩展名须与格式一致。"), code="video_invalid"
        )


# What a telephone prompt may be: FreeSWITCH plays these without converting them.
AUDIO_RATES = (8000, 16000)


def _is_phone_wav(file: Any) -> bool:
    _rewind(file)
    try:
        with wave.open(file, "rb") as audio:  # reads RIFF/WAVE PCM only
            return (
                audio.getnchannels() == 1
                and audio.getsampwidth() == 2
                and audio.getframerate() in AUDIO_RATES
                and audio.getnframes() > 0
            )
    except (wave.Error, EOFError):
        return False
    finally:
        _rewind(file)


def validate_audio_upload(file: Any) -> None:
    """A telephone prompt: a WAV file by its content, PCM 16-bit mono at 8 or 16 kHz."""
    if not _is_new(file):
        return
    _check_size(file, settings.RONGCHENG["UPLOAD_MAX_AUDIO_BYTES"], _("语音不能超过 %(limit)s。"))
    if _extension(file.name) != "wav" or not _is_phone_wav(file):
        raise ValidationError(
            _("请上传 WAV 格式的语音（PCM 16 位单声道，8 kHz 或 16 kHz），扩展名为 .wav。"),
            code="audio_invalid",
        )


def media_headers(name: str) -> dict[str, str]:
    """Headers for serving a stored file: pictures and videos as themselves, anything else as
    an opaque download that no browser renders."""
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": MEDIA_CSP}
    content_type = MEDIA_TYPES.get(_extension(name))
    if content_type is None:
        headers["Content-Type"] = "application/octet-stream"
        headers["Content-Disposition"] = "attachment"
    else:
        headers["Content-Type"] = content_type
    return headers
