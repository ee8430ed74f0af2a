"""Product pictures, banners and short videos for the demo, drawn with Pillow (nothing is
downloaded): a garment silhouette in the product's colour with a knit texture on a soft
background, and the product's name."""

import math
import tempfile
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SIZE = 400
# CJK fonts Debian ships (fonts-noto-cjk, fonts-wqy-*); (file name, face index of
# Simplified Chinese). Without one, captions fall back to the Latin text given.
CJK_FONTS = [
    ("NotoSansCJK-Regular.ttc", 2),
    ("NotoSansCJK-Bold.ttc", 2),
    ("wqy-microhei.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("uming.ttc", 0),
]
LATIN_FONTS = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]


@cache
def font(size: int, cjk: bool = True) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """(font, can_draw_chinese) of the given pixel size."""
    if cjk:
        for name, index in CJK_FONTS:
            try:
                return ImageFont.truetype(name, size, index=index), True
            except OSError:
                continue
    for name in LATIN_FONTS:
        try:
            return ImageFont.truetype(name, size), False
        except OSError:
            continue
    return ImageFont.load_default(size), False


def caption_text(
    chinese: str, latin: str
) -> tuple[str, ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    face, has_cjk = font(22)
    return (chinese if has_cjk else latin), face


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    if factor < 1:
        return tuple(max(0, int(c * factor)) for c in rgb)  # type: ignore[return-value]
    return tuple(min(255, int(c + (255 - c) * (factor - 1))) for c in rgb)  # type: ignore[return-value]


@cache
def _background(width: int, height: int, tone: int) -> Image.Image:
    """A soft vertical gradient in one of a few warm studio tones."""
    tones = [((247, 243, 237), (233, 225, 214)), ((242, 244, 246), (224, 228, 233))]
    tones += [((246, 240, 240), (232, 221, 221))]
    top, bottom = tones[tone % len(tones)]
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel(
            (0, y), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((width, height))


@cache
def _knit(hex_colour: str) -> Image.Image:
    """A knit surface: ribs of small V stitches, lit from the top left."""
    rgb = _rgb(hex_colour)
    tile = Image.new("RGB", (SIZE, SIZE), rgb)
    draw = ImageDraw.Draw(tile)
    dark, light = _shade(rgb, 0.82), _shade(rgb, 1.12)
    for x in range(0, SIZE, 8):
        for y in range(0, SIZE, 8):
            draw.line([(x, y), (x + 4, y + 6)], fill=dark, width=1)
            draw.line([(x + 4, y + 6), (x + 8, y)], fill=dark, width=1)
            draw.point((x + 4, y + 2), fill=light)
    return tile.filter(ImageFilter.GaussianBlur(0.6))


def _sweater(draw: ImageDraw.ImageDraw, neck: str, long_body: bool = False) -> None:
    bottom = 360 if long_body else 320
    body = [
        (150, 70),
        (110, 84),
        (78, 110),
        (48, 290),
        (86, 300),
        (112, 170),
        (118, bottom),
        (282, bottom),
        (288, 170),
        (314, 300),
        (352, 290),
        (322, 110),
        (290, 84),
        (250, 70),
    ]
    draw.polygon(body, fill=255)
    if neck == "turtle":
        draw.rounded_rectangle((158, 38, 242, 86), radius=10, fill=255)


def _garment_mask(shape: str) -> tuple[Image.Image, list]:
    """The silhouette as a mask, and detail strokes to draw on top: (kind, args)."""
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    details: list = []
    if shape in {"crew", "turtle", "vneck", "kids"}:
        _sweater(draw, shape)
        if shape == "crew" or shape == "kids":
            draw.ellipse((165, 56, 235, 96), fill=0)
            details.append(("arc", (160, 50, 240, 102), 0, 180))
        elif shape == "vneck":
            draw.polygon([(160, 70), (240, 70), (200, 140)], fill=0)
            details.append(("line", [(156, 70), (200, 146), (244, 70)]))
        else:
            details += [("line", [(162, y), (238, y)]) for y in range(48, 84, 8)]
        details += [("line", [(120, 300), (280, 300)]), ("line", [(52, 274), (88, 284)])]
        details.append(("line", [(348, 274), (312, 284)]))
    elif shape == "cardigan":
        _sweater(draw, "crew")
        draw.polygon([(160, 70), (240, 70), (203, 160), (197, 160)], fill=0)
        details.append(("line", [(200, 160), (200, 320)]))
        details += [("button", (206, y)) for y in range(180, 320, 32)]
        details.append(("line", [(120, 300), (280, 300)]))
    elif shape == "coat":
        _sweater(draw, "crew", long_body=True)
        draw.polygon([(166, 70), (234, 70), (200, 120)], fill=0)
        details += [("lapel", [(166, 70), (200, 170), (150, 130)])]
        details += [("lapel", [(234, 70), (200, 170), (250, 130)])]
        details += [("line", [(200, 170), (200, 360)]), ("button", (214, 200))]
        details += [("button", (214, 250)), ("line", [(130, 260), (170, 260)])]
        details.append(("line", [(230, 260), (270, 260)]))
    elif shape == "dress":
        draw.polygon(
            [
                (160, 60),
                (120, 76),
                (100, 130),
                (132, 140),
                (142, 110),
                (140, 200),
                (96, 350),
                (304, 350),
                (260, 200),
                (258, 110),
                (268, 140),
                (300, 130),
                (280, 76),
                (240, 60),
            ],
            fill=255,
        )
        draw.ellipse((168, 46, 232, 86), fill=0)
        details += [("line", [(140, 200), (260, 200)])]
    elif shape == "scarf":
        # Worn round the neck: a loop with two ends hanging down.
        draw.ellipse((120, 50, 280, 150), fill=255)
        draw.ellipse((150, 74, 250, 126), fill=0)
        draw.polygon([(150, 110), (205, 110), (198, 330), (142, 326)], fill=255)
        draw.polygon([(200, 118), (256, 112), (262, 290), (208, 294)], fill=255)
        details += [("fringe", (142, 328, 198)), ("fringe", (208, 292, 262))]
        details += [("line", [(170, 130), (166, 320)]), ("line", [(232, 130), (236, 285)])]
    elif shape == "shawl":
        draw.polygon([(40, 90), (360, 90), (200, 330)], fill=255)
        details += [
            ("fringe_diag", ((40, 90), (200, 330))),
            ("fringe_diag", ((360, 90), (200, 330))),
        ]
    elif shape == "hat":
        draw.pieslice((100, 90, 300, 330), 180, 360, fill=255)
        draw.rounded_rectangle((92, 200, 308, 270), radius=14, fill=255)
        draw.ellipse((170, 60, 230, 120), fill=255)
        details += [("line", [(x, 208), (x, 262)]) for x in range(104, 300, 10)]
    elif shape == "gloves":
        for left, thumb in ((70, (50, 170, 100, 240)), (230, (300, 170, 350, 240))):
            draw.rounded_rectangle((left, 100, left + 100, 300), radius=40, fill=255)
            draw.ellipse(thumb, fill=255)
            draw.rectangle((left + 8, 280, left + 92, 340), fill=255)
            details += [("line", [(x, 286), (x, 336)]) for x in range(left + 14, left + 90, 8)]
    elif shape == "blanket":
        draw.rounded_rectangle((60, 200, 340, 330), radius=14, fill=255)
        draw.rounded_rectangle((80, 150, 320, 220), radius=14, fill=255)
        draw.rounded_rectangle((100, 100, 300, 170), radius=14, fill=255)
        details += [("line", [(60, 265), (340, 265)]), ("line", [(80, 185), (320, 185)])]
        details += [("line", [(100, 135), (300, 135)]), ("fringe", (60, 330, 340))]
    else:  # cushion
        draw.rounded_rectangle((80, 80, 320, 320), radius=40, fill=255)
        details += [("rect", (100, 100, 300, 300))]
    return mask, details


def _draw_details(canvas: Image.Image, details: list, rgb: tuple[int, int, int]) -> None:
    draw = ImageDraw.Draw(canvas)
    dark = _shade(rgb, 0.7)
    for kind, *args in details:
        if kind == "line":
            draw.line(args[0], fill=dark, width=3, joint="curve")
        elif kind == "arc":
            draw.arc(args[0], args[1], args[2], fill=dark, width=4)
        elif kind == "button":
            x, y = args[0]
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=_shade(rgb, 0.55))
        elif kind == "lapel":
            draw.polygon(args[0], fill=_shade(rgb, 0.88), outline=dark)
        elif kind == "rect":
            draw.rounded_rectangle(args[0], radius=24, outline=dark, width=3)
        elif kind == "fringe":
            x0, y, x1 = args[0]
            for x in range(x0 + 4, x1 - 2, 6):
                draw.line([(x, y), (x, y + 22)], fill=dark, width=2)
        elif kind == "fringe_diag":
            (xa, ya), (xb, yb) = args[0]
            for step in range(0, 40):
                t = step / 40
                x, y = xa + (xb - xa) * t, ya + (yb - ya) * t
                draw.line([(x, y), (x, y + 18)], fill=dark, width=2)


@cache
def _lighting() -> Image.Image:
    """Soft light from the top left, as a multiplier close to 1."""
    light = Image.linear_gradient("L").resize((SIZE, SIZE)).rotate(45)
    return Image.merge("RGB", [light] * 3).point(lambda v: 200 + v // 5)


@cache
def _silhouette(shape: str) -> tuple[Image.Image, list, Image.Image]:
    """(alpha mask, detail strokes, blurred drop shadow) of a garment shape."""
    mask, details = _garment_mask(shape)
    alpha = mask.filter(ImageFilter.GaussianBlur(0.8))
    shadow = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    shadow.putalpha(alpha.point(lambda a: a * 45 // 255))
    return alpha, details, shadow.filter(ImageFilter.GaussianBlur(8))


# Products come leaf by leaf (one shape, many colours): a small cache holds a leaf.
@lru_cache(maxsize=48)
def _garment(shape: str, hex_colour: str) -> Image.Image:
    """The garment alone (RGBA), lit softly, ready to place on a background."""
    alpha, details, _shadow = _silhouette(shape)
    texture = ImageChops.multiply(_knit(hex_colour), _lighting())
    _draw_details(texture, details, _rgb(hex_colour))
    garment = texture.convert("RGBA")
    garment.putalpha(alpha)
    return garment


@lru_cache(maxsize=48)
def _staged(shape: str, hex_colour: str, tone: int) -> Image.Image:
    """The garment with its soft shadow on the background, without a caption."""
    canvas = _background(SIZE, SIZE, tone).copy()
    shadow = _silhouette(shape)[2]
    canvas.paste(shadow, (6, 4), shadow)
    garment = _garment(shape, hex_colour)
    canvas.paste(garment, (0, -10), garment)
    return canvas


def product_picture(
    *, shape: str, colour_hex: str, caption: str, latin_caption: str, tone: int = 0
) -> bytes:
    """A 400×400 JPEG: the garment with a soft shadow and the product name under it."""
    canvas = _staged(shape, colour_hex, tone % 3).copy()
    draw = ImageDraw.Draw(canvas)
    text, face = caption_text(caption, latin_caption)
    width = draw.textlength(text, font=face)
    draw.text(((SIZE - width) / 2, SIZE - 38), text, font=face, fill=(80, 68, 58))
    out = BytesIO()
    canvas.save(out, "JPEG", quality=85)
    return out.getvalue()


@cache
def detail_picture(*, colour_hex: str) -> bytes:
    """A close-up of the knit, as a second view of a product."""
    knit = _knit(colour_hex).resize((SIZE * 2, SIZE * 2)).crop((200, 200, 200 + SIZE, 200 + SIZE))
    vignette = _background(SIZE, SIZE, 0)
    picture = Image.blend(knit, vignette, 0.12)
    out = BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def banner_picture(
    *,
    width: int,
    height: int,
    colours: list[str],
    shapes: list[str],
    title: str,
    subtitle: str,
    latin_title: str,
    tone: int = 0,
) -> bytes:
    """A wide ad: garments in a row on the right, a title on the left."""
    canvas = _background(width, height, tone).copy()
    # Garments fill the right part, overlapping a little; the text keeps the left part.
    area = width * 0.55
    side = int(min(height * 0.95, area / max(1, len(shapes)) * 1.3))
    step = (area - side) / max(1, len(shapes) - 1) if len(shapes) > 1 else 0
    for index, (shape, colour) in enumerate(zip(shapes, colours, strict=False)):
        garment = _garment(shape, colour).resize((side, side))
        x = int(width - area - width * 0.03 + index * step)
        canvas.paste(garment, (x, int((height - side) / 2)), garment)
    draw = ImageDraw.Draw(canvas)
    big, has_cjk = font(max(24, height // 6))
    small, _ = font(max(16, height // 14))
    draw.text(
        (int(width * 0.06), int(height * 0.3)),
        title if has_cjk else latin_title,
        font=big,
        fill=(70, 52, 40),
    )
    if has_cjk:
        draw.text(
            (int(width * 0.06), int(height * 0.3) + big.size + 16),
            subtitle,
            font=small,
            fill=(120, 100, 84),
        )
    out = BytesIO()
    canvas.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def logo_picture(*, latin: str, hex_colour: str) -> bytes:
    """A square brand mark: the initials of the brand's Latin name on its colour."""
    canvas = Image.new("RGB", (200, 200), _rgb(hex_colour))
    draw = ImageDraw.Draw(canvas)
    initials = "".join(word[0] for word in latin.split()[:2]).upper()
    big, _ = font(72, cjk=False)
    small, _ = font(18, cjk=False)
    for text, face, y in ((initials, big, 40), (latin.upper()[:18], small, 140)):
        w = draw.textlength(text, font=face)
        draw.text(((200 - w) / 2, y), text, font=face, fill=(255, 255, 255))
    out = BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


def video_clip(
    *, shape: str, colours: list[str], caption: str, latin_caption: str
) -> tuple[bytes, bytes]:
    """A 3-second 480×272 H.264 MP4 turning through the product's colours, and its poster.

    ffmpeg comes inside the imageio-ffmpeg wheel, so nothing is fetched at run time.
    """
    width, height, fps, seconds = 480, 272, 12, 3
    frames = fps * seconds
    background = _background(width, height, 1)
    text, face = caption_text(caption, latin_caption)
    poster = b""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=16,
            output_params=["-movflags", "+faststart"],
        )
        writer.send(None)
        for index in range(frames):
            t = index / frames
            colour = colours[int(t * len(colours)) % len(colours)]
            zoom = 0.58 + 0.06 * math.sin(t * math.pi)
            side = int(SIZE * zoom)
            garment = _garment(shape, colour).resize((side, side))
            frame = background.copy()
            frame.paste(
                garment, (int((width - side) / 2 + 60 * math.sin(t * 2 * math.pi)), 8), garment
            )
            draw = ImageDraw.Draw(frame)
            tw = draw.textlength(text, font=face)
            draw.text(((width - tw) / 2, height - 34), text, font=face, fill=(80, 68, 58))
            writer.send(frame.tobytes())
            if index == 0:
                out = BytesIO()
                frame.save(out, "JPEG", quality=85)
                poster = out.getvalue()
        writer.close()
        return path.read_bytes(), poster
