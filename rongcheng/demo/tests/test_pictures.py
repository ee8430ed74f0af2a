"""The drawn demo pictures: page size, Chinese text only with a Chinese font, banners whose
text stays clear of the garments."""

from io import BytesIO

import pytest
from PIL import Image

from rongcheng.demo import pictures


def _open(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data)).convert("RGB")


@pytest.fixture
def no_chinese_font(monkeypatch):
    monkeypatch.setattr(pictures, "CJK_SANS", [("no-such-font.ttc", 0)])
    monkeypatch.setattr(pictures, "CJK_SERIF", [("no-such-font.ttc", 0)])
    pictures._first_font.cache_clear()
    yield
    pictures._first_font.cache_clear()


def _caption_band(picture: Image.Image) -> set:
    return set(
        picture.crop((0, pictures.SIZE - 70, pictures.SIZE, pictures.SIZE)).get_flattened_data()
    )


def test_a_product_picture_is_drawn_at_page_size_with_its_chinese_name():
    if pictures.chinese_font(20) is None:
        pytest.skip("no Chinese font on this machine (Debian: apt-get install fonts-noto-cjk)")
    picture = _open(pictures.product_picture(shape="crew", colour_hex="#1f2a44", caption="圆领"))
    assert picture.size == (800, 800)
    # Dark caption strokes on the light studio background.
    assert min(sum(pixel) for pixel in _caption_band(picture)) < 300


def test_without_a_chinese_font_pictures_are_drawn_without_text(no_chinese_font):
    picture = _open(pictures.product_picture(shape="crew", colour_hex="#1f2a44", caption="圆领"))
    assert picture.size == (800, 800)
    assert min(sum(pixel) for pixel in _caption_band(picture)) > 600
    banner = pictures.banner_picture(
        width=600,
        height=200,
        colours=["#1f2a44"],
        shapes=["coat"],
        title="冬季",
        subtitle="大衣",
        action="选购",
        chinese=True,
    )
    assert _open(banner).size == (600, 200)
    logo = _open(
        pictures.logo_picture(name="云岭绒", latin="Yunling", hex_colour="#8a6d4b", style=1)
    )
    assert logo.size == (400, 400)


def test_the_close_up_shows_the_garment_not_a_swatch():
    picture = _open(pictures.closeup_picture(shape="crew", colour_hex="#1f2a44"))
    assert picture.size == (800, 800)
    navy = sum(pictures._rgb("#1f2a44"))
    top_left, centre = picture.getpixel((5, 5)), picture.getpixel((400, 500))
    assert sum(top_left) > 600  # the studio background around the collar
    assert abs(sum(centre) - navy) < 120  # the sweater itself


def _columns_differing(a: Image.Image, b: Image.Image) -> list[int]:
    width, height = a.size
    return [
        x
        for x in range(width)
        if any(a.getpixel((x, y)) != b.getpixel((x, y)) for y in range(0, height, 2))
    ]


@pytest.mark.parametrize(
    "chinese, words",
    [
        (True, ("给孩子最软的绒", "童装羊绒 新品上市", "立即选购")),
        (False, ("For the Little Ones", "New cashmere for children", "Shop now")),
    ],
)
def test_banner_text_stays_left_of_the_garments(chinese, words):
    if chinese and pictures.chinese_font(20) is None:
        pytest.skip("no Chinese font on this machine")
    size = {"width": 1200, "height": 400, "chinese": chinese}
    title, subtitle, action = words
    text = {"title": title, "subtitle": subtitle, "action": action}
    garments = {"shapes": ["coat", "crew", "hat"], "colours": ["#7b1e2b", "#1f2a44", "#d8c8a8"]}
    plain = _open(
        pictures.banner_picture(**size, title="", subtitle="", action="", shapes=[], colours=[])
    )
    text_only = _open(pictures.banner_picture(**size, **text, shapes=[], colours=[]))
    full = _open(pictures.banner_picture(**size, **text, **garments))
    text_columns = _columns_differing(text_only, plain)
    garment_columns = _columns_differing(full, text_only)
    assert text_columns and garment_columns
    assert max(text_columns) + 40 < min(garment_columns)
