import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from rongcheng.catalog.tests.factories import make_product
from rongcheng.core.stored_files import file_fields
from rongcheng.core.testing.media import (
    HTML,
    MP4_HEAD,
    QUICKTIME_HEAD,
    SVG,
    WEBM_HEAD,
    picture,
    wav,
)
from rongcheng.core.uploads import (
    media_headers,
    validate_audio_upload,
    validate_image_upload,
    validate_video_upload,
)

IMAGE_REFUSED = "请上传 JPEG、PNG、WebP 或 GIF 格式的图片（不支持 SVG 等其他格式）。"
AUDIO_REFUSED = "请上传 WAV 格式的语音（PCM 16 位单声道，8 kHz 或 16 kHz），扩展名为 .wav。"
VIDEO_REFUSED = "请上传 MP4、MOV 或 WebM 格式的视频，扩展名须与格式一致。"


def _refusal(validator, name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile(name, data))
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jpg", "JPEG"), ("a.JPEG", "JPEG"), ("a.png", "PNG"), ("a.webp", "WEBP"), ("a.gif", "GIF")],
)
def test_pictures_in_the_allowed_formats_pass_and_stay_readable(name, fmt):
    upload = SimpleUploadedFile(name, picture(fmt))
    validate_image_upload(upload)
    assert upload.tell() == 0  # the storage saves the whole file afterwards


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", SVG),
        ("logo.jpg", SVG),
        ("page.html", HTML),
        ("page.png", HTML),
        ("cut.jpg", picture("JPEG")[:200]),
        ("shot.bmp", picture("BMP")),
        ("shot.tiff", picture("TIFF")),
    ],
)
def test_anything_but_a_whole_jpeg_png_webp_or_gif_is_refused(name, data):
    assert _refusal(validate_image_upload, name, data) == IMAGE_REFUSED


def test_a_picture_must_carry_the_extension_of_its_format():
    message = _refusal(validate_image_upload, "photo.html", picture("PNG"))
    assert message == "图片的扩展名与内容不符，这是一张 PNG 图片，请改为 .png。"


def test_a_picture_over_the_size_limit_is_refused(settings):
    data = picture("PNG")
    settings.RONGCHENG = {**settings.RONGCHENG, "UPLOAD_MAX_IMAGE_BYTES": len(data) - 1}
    assert _refusal(validate_image_upload, "a.png", data) == (
        f"图片不能超过 {len(data) - 1}\xa0字节。"
    )
    settings.RONGCHENG = {**settings.RONGCHENG, "UPLOAD_MAX_IMAGE_BYTES": len(data)}
    validate_image_upload(SimpleUploadedFile("a.png", data))


@pytest.mark.parametrize(
    ("name", "head"),
    [("a.mp4", MP4_HEAD), ("a.m4v", MP4_HEAD), ("a.mov", QUICKTIME_HEAD), ("a.webm", WEBM_HEAD)],
)
def test_videos_pass_by_their_container_signature(name, head):
    upload = SimpleUploadedFile(name, head + bytes(512))
    validate_video_upload(upload)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("film.html", HTML),
        ("film.mp4", HTML),
        ("film.mp4", SVG),
        ("film.mp4", picture("JPEG")),
        ("film.webm", MP4_HEAD),
        ("film.mp4", WEBM_HEAD),
        ("film.svg", MP4_HEAD),
        ("film.mp4", b""),
    ],
)
def test_anything_but_an_mp4_mov_or_webm_with_its_extension_is_refused(name, data):
    assert _refusal(validate_video_upload, name, data) == VIDEO_REFUSED


def test_a_video_over_the_size_limit_is_refused(settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "UPLOAD_MAX_VIDEO_BYTES": 2 * 1024 * 1024}
    data = MP4_HEAD + bytes(2 * 1024 * 1024)
    assert _refusal(validate_video_upload, "a.mp4", data) == "视频不能超过 2.0\xa0MB。"


def test_every_file_field_of_every_model_checks_its_content():
    """A new FileField or ImageField without one of the content validators fails here."""
    checks = {validate_image_upload, validate_video_upload, validate_audio_upload}
    fields = {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        for field in file_fields(model)
    }
    assert {
        "catalog.Brand.logo",
        "catalog.Product.video",
        "catalog.Product.video_poster",
        "catalog.ProductImage.image",
        "catalog.ProductImage.thumbnail",
        "cms.Ad.image",
        "cms.HomeVideo.video",
        "cms.HomeVideo.poster",
        "callcenter.IvrPrompt.audio",
    } <= set(fields)
    assert [name for name, field in fields.items() if not checks & set(field.validators)] == []


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("p/a.jpg", "image/jpeg"),
        ("p/a.JPEG", "image/jpeg"),
        ("p/a.png", "image/png"),
        ("p/a.webp", "image/webp"),
        ("p/a.gif", "image/gif"),
        ("p/a.mp4", "video/mp4"),
        ("p/a.mov", "video/quicktime"),
        ("p/a.webm", "video/webm"),
    ],
)
def test_pictures_and_videos_are_served_as_themselves(name, content_type):
    assert media_headers(name) == {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Type": content_type,
    }


@pytest.mark.parametrize("name", ["a.html", "a.svg", "a.htm", "a.xml", "a.js", "a.pdf", "a"])
def test_anything_else_is_served_as_a_download_no_browser_renders(name):
    assert media_headers(name) == {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Type": "application/octet-stream",
        "Content-Disposition": "attachment",
    }


def test_the_embedded_server_serves_media_with_those_headers(client, media_root):
    (media_root / "evil.html").write_bytes(HTML)
    (media_root / "a.png").write_bytes(picture("PNG"))
    page = client.get("/media/evil.html")
    assert page.status_code == 200
    assert page["Content-Type"] == "application/octet-stream"
    assert page["Content-Disposition"] == "attachment"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Content-Security-Policy"] == "default-src 'none'; sandbox"
    image = client.get("/media/a.png")
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"] == 'inline; filename="a.png"'
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_reasons_are_english_in_english():
    with translation.override("en"):
        assert _refusal(validate_image_upload, "logo.svg", SVG) == (
            "Upload a JPEG, PNG, WebP or GIF picture (SVG and other formats are not accepted)."
        )
        assert _refusal(validate_video_upload, "film.mp4", HTML) == (
            "Upload an MP4, MOV or WebM video whose file name ends in its format."
        )


@pytest.mark.django_db
def test_a_file_already_stored_is_not_opened_again_when_its_row_is_saved(media_root):
    """Saving a product form again must not re-read its stored video (nor fail when the
    storage is elsewhere): only the upload being made now is checked."""
    product = make_product(video="catalog/products/p/film.mp4", video_poster="p/film.jpg")
    product.full_clean()
    product.video = SimpleUploadedFile("film.mp4", HTML)
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert error.value.message_dict == {"video": [VIDEO_REFUSED]}


def test_a_telephone_prompt_is_a_pcm_mono_wav_at_8_or_16_khz():
    validate_audio_upload(SimpleUploadedFile("welcome.wav", wav(8000)))
    validate_audio_upload(SimpleUploadedFile("welcome.WAV", wav(16000)))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("welcome.wav", wav(22050)),
        ("welcome.wav", wav(8000, channels=2)),
        ("welcome.wav", wav(8000, sample_width=1)),
        ("welcome.wav", wav(8000, frames=0)),
        ("welcome.mp3", wav(8000)),
        ("welcome.wav", MP4_HEAD),
        ("welcome.wav", HTML),
    ],
)
def test_anything_else_is_refused_as_a_prompt(name, data):
    assert _refusal(validate_audio_upload, name, data) == AUDIO_REFUSED
