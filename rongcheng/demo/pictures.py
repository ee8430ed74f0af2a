"""Product pictures, banners, brand marks and short videos for the demo, drawn with Pillow
(nothing is downloaded): a garment in the product's colour with a knit texture, ribbed
cuffs and hem, lit softly on a studio background.

Chinese text needs a CJK font (Debian's fonts-noto-cjk; `.ci/run` installs it). Without one
the pictures are drawn all the same, without their Chinese text.
"""

import math
import tempfile
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# Shapes are designed on a 400 grid and drawn at SIZE, the size product pages show.
GRID = 400
SIZE = 800
SCALE = SIZE / GRID

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
# CJK fonts Debian ships: (file name, face index of Simplified Chinese).
CJK_SANS = [("NotoSansCJK-Regular.ttc", 2), ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 0)]
CJK_SERIF = [("NotoSerifCJK-Bold.ttc", 2), ("NotoSansCJK-Bold.ttc", 2), *CJK_SANS]
LATIN_SANS = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]
LATIN_SERIF = ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", *LATIN_SANS]


@cache
def _first_font(names: tuple[tuple[str, int], ...], size: int) -> Font | None:
    for name, index in names:
        try:
            return ImageFont.truetype(name, size, index=index)
        except OSError:
            continue
    return None


def chinese_font(size: int, *, serif: bool = False) -> Font | None:
    """A font that draws Chinese, or None when the machine has none."""
    return _first_font(tuple(CJK_SERIF if serif else CJK_SANS), size)


def latin_font(size: int, *, serif: bool = False) -> Font:
    names = tuple((name, 0) for name in (LATIN_SERIF if serif else LATIN_SANS))
    return _first_font(names, size) or ImageFont.load_default(size)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    if factor < 1:
        return tuple(max(0, int(c * factor)) for c in rgb)  # type: ignore[return-value]
    return tuple(min(255, int(c + (255 - c) * (factor - 1))) for c in rgb)  # type: ignore[return-value]


def _jpeg(picture: Image.Image) -> bytes:
    out = BytesIO()
    picture.save(out, "JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


class _Pen:
    """ImageDraw on the design grid: every coordinate and width is scaled to the canvas."""

    def __init__(self, image: Image.Image, scale: float = SCALE) -> None:
        self.draw = ImageDraw.Draw(image)
        self.k = scale

    def _p(self, points):
        return [(x * self.k, y * self.k) for x, y in points]

    def _box(self, box):
        return tuple(v * self.k for v in box)

    def polygon(self, points, **kw):
        self.draw.polygon(self._p(points), **kw)

    def ellipse(self, box, **kw):
        self.draw.ellipse(self._box(box), **kw)

    def rectangle(self, box, **kw):
        self.draw.rectangle(self._box(box), **kw)

    def rounded_rectangle(self, box, radius, **kw):
        self.draw.rounded_rectangle(self._box(box), radius=radius * self.k, **kw)

    def pieslice(self, box, start, end, **kw):
        self.draw.pieslice(self._box(box), start, end, **kw)

    def line(self, points, width=1, **kw):
        self.draw.line(self._p(points), width=max(1, round(width * self.k)), **kw)

    def arc(self, box, start, end, width=1, **kw):
        self.draw.arc(self._box(box), start, end, width=max(1, round(width * self.k)), **kw)


@cache
def _background(width: int, height: int, tone: int) -> Image.Image:
    """A soft vertical gradient in one of a few warm studio tones."""
    tones = [((247, 243, 237), (233, 225, 214)), ((242, 244, 246), (224, 228, 233))]
    tones += [((246, 240, 240), (232, 221, 221))]
    top, bottom = tones[tone % len(tones)]
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel(
            (0, y), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((width, height), Image.Resampling.BILINEAR)


@cache
def _knit(hex_colour: str) -> Image.Image:
    """A knit surface: columns of V stitches with purl gaps between ribs, lit from above."""
    rgb = _rgb(hex_colour)
    tile = Image.new("RGB", (SIZE, SIZE), _shade(rgb, 0.9))
    draw = ImageDraw.Draw(tile)
    light, mid, dark = _shade(rgb, 1.1), rgb, _shade(rgb, 0.72)
    for x in range(0, SIZE, 12):
        for y in range(0, SIZE, 9):
            # One stitch: two slanted loops meeting at the bottom, lit on their upper edge.
            draw.line([(x + 1, y), (x + 6, y + 8)], fill=mid, width=3)
            draw.line([(x + 11, y), (x + 6, y + 8)], fill=mid, width=3)
            draw.line([(x + 1, y), (x + 5, y + 6)], fill=light, width=1)
            draw.line([(x + 11, y), (x + 7, y + 6)], fill=light, width=1)
            draw.point((x + 6, y + 8), fill=dark)
        if x % 48 == 0:  # a purl column every fourth stitch: the rib's shadow
            draw.line([(x, 0), (x, SIZE)], fill=dark, width=1)
    return tile.filter(ImageFilter.GaussianBlur(0.5))


@cache
def _volume() -> Image.Image:
    """Light from the top left and a rounded body: darker towards the sides."""
    light = Image.linear_gradient("L").resize((SIZE, SIZE)).rotate(45)
    row = Image.new("L", (256, 1))
    for x in range(256):
        row.putpixel((x, 0), int(255 * (0.8 + 0.2 * math.sin(math.pi * x / 255))))
    body = row.resize((SIZE, SIZE))
    combined = ImageChops.multiply(light.point(lambda v: 215 + v // 6), body)
    return Image.merge("RGB", [combined] * 3)


def _mirror(points):
    return [(GRID - x, y) for x, y in points]


def _rib(start_edge, end_edge):
    """A ribbed band between two edges, each (left point, right point)."""
    return ("rib", (start_edge, end_edge))


SLEEVE = [(110, 84), (78, 110), (48, 290), (86, 300), (112, 170)]
CUFF = ((51, 272), (90, 281)), ((48, 290), (86, 300))


def _sweater(pen: _Pen, shade: _Pen, details: list, long_body: bool = False) -> None:
    bottom = 360 if long_body else 320
    body = [(150, 70), (110, 84), (112, 170), (118, bottom), (282, bottom), (288, 170)]
    body += [(290, 84), (250, 70)]
    pen.polygon(body, fill=255)
    for sleeve in (SLEEVE, _mirror(SLEEVE)):
        pen.polygon(sleeve, fill=255)
        shade.polygon(sleeve, fill=255)
    details.append(("seam", [(110, 84), (112, 170)]))
    details.append(("seam", _mirror([(110, 84), (112, 170)])))
    details.append(_rib(*CUFF))
    details.append(_rib(*(tuple(_mirror(edge)) for edge in CUFF)))
    if not long_body:
        details.append(
            _rib(((118, bottom - 22), (282, bottom - 22)), ((118, bottom), (282, bottom)))
        )
    # Two soft folds where the arms meet the body.
    details += [("fold", [(124, 190), (140, 260), (132, 300)])]
    details += [("fold", _mirror([(124, 190), (140, 260), (132, 300)]))]


def _garment_mask(shape: str) -> tuple[Image.Image, Image.Image, list]:
    """The silhouette as a mask, the parts in shadow (sleeves), and detail strokes on top."""
    mask = Image.new("L", (SIZE, SIZE), 0)
    shaded = Image.new("L", (SIZE, SIZE), 0)
    pen, shade = _Pen(mask), _Pen(shaded)
    details: list = []
    if shape in {"crew", "turtle", "vneck", "kids"}:
        _sweater(pen, shade, details)
        if shape in {"crew", "kids"}:
            pen.ellipse((165, 56, 235, 96), fill=0)
            details.append(("neckrib", (160, 50, 240, 102)))
        elif shape == "vneck":
            pen.polygon([(160, 70), (240, 70), (200, 140)], fill=0)
            details.append(_rib(((156, 70), (160, 70)), ((196, 146), (200, 140))))
            details.append(_rib(((244, 70), (240, 70)), ((204, 146), (200, 140))))
        else:
            pen.rounded_rectangle((158, 30, 242, 86), radius=10, fill=255)
            details.append(_rib(((158, 34), (242, 34)), ((158, 84), (242, 84))))
            details.append(("line", [(160, 58), (240, 58)]))
    elif shape == "cardigan":
        _sweater(pen, shade, details)
        pen.polygon([(160, 70), (240, 70), (203, 160), (197, 160)], fill=0)
        details.append(_rib(((188, 160), (212, 160)), ((188, 320), (212, 320))))
        details.append(("line", [(200, 160), (200, 320)]))
        details += [("button", (206, y)) for y in range(180, 310, 30)]
        details += [("pocket", (132, 240, 176, 286)), ("pocket", (224, 240, 268, 286))]
    elif shape == "coat":
        _sweater(pen, shade, details, long_body=True)
        pen.polygon([(166, 70), (234, 70), (200, 120)], fill=0)
        details += [("lapel", [(166, 70), (200, 170), (150, 130)])]
        details += [("lapel", [(234, 70), (200, 170), (250, 130)])]
        details += [("line", [(200, 170), (200, 360)]), ("button", (214, 200))]
        details += [("button", (214, 250)), ("button", (214, 300))]
        details += [("line", [(130, 262), (170, 262)]), ("line", [(230, 262), (270, 262)])]
        details += [("belt", (116, 214, 284, 230))]
    elif shape == "dress":
        outline = [(160, 60), (120, 76), (100, 130), (132, 140), (142, 110), (140, 200)]
        outline += [(96, 350), (304, 350), (260, 200), (258, 110), (268, 140), (300, 130)]
        outline += [(280, 76), (240, 60)]
        pen.polygon(outline, fill=255)
        pen.ellipse((168, 46, 232, 86), fill=0)
        details += [("neckrib", (164, 42, 236, 90)), ("belt", (140, 196, 260, 208))]
        details += [("fold", [(170, 220), (150, 290), (140, 346)])]
        details += [("fold", [(230, 220), (250, 290), (260, 346)])]
        details.append(("fold", [(200, 214), (200, 346)]))
    elif shape == "scarf":
        # Worn round the neck: a loop with two ends hanging down.
        pen.ellipse((120, 50, 280, 150), fill=255)
        pen.ellipse((150, 74, 250, 126), fill=0)
        pen.polygon([(150, 110), (205, 110), (198, 330), (142, 326)], fill=255)
        pen.polygon([(200, 118), (256, 112), (262, 290), (208, 294)], fill=255)
        shade.polygon([(200, 118), (256, 112), (262, 290), (208, 294)], fill=255)
        details += [("fringe", (142, 328, 198)), ("fringe", (208, 292, 262))]
        details += [("check", ((150, 150), (198, 150), 6)), ("check", ((206, 150), (258, 150), 6))]
        details += [("fold", [(170, 130), (166, 320)]), ("fold", [(232, 130), (236, 285)])]
    elif shape == "shawl":
        pen.polygon([(40, 90), (360, 90), (200, 330)], fill=255)
        shade.polygon([(40, 90), (120, 90), (200, 330)], fill=255)
        details += [
            ("fringe_diag", ((40, 90), (200, 330))),
            ("fringe_diag", ((360, 90), (200, 330))),
            ("line", [(60, 100), (340, 100)]),
            ("fold", [(200, 100), (200, 300)]),
        ]
    elif shape == "hat":
        pen.pieslice((100, 90, 300, 330), 180, 360, fill=255)
        pen.rounded_rectangle((92, 200, 308, 270), radius=14, fill=255)
        pen.ellipse((166, 56, 234, 124), fill=255)
        shade.rounded_rectangle((92, 200, 308, 270), radius=14, fill=255)
        details.append(_rib(((96, 206), (304, 206)), ((96, 264), (304, 264))))
        details += [("fold", [(150, 120), (140, 196)]), ("fold", [(250, 120), (260, 196)])]
        details.append(("pompom", (166, 56, 234, 124)))
    elif shape == "gloves":
        for left, thumb in ((70, (50, 170, 100, 240)), (230, (300, 170, 350, 240))):
            pen.rounded_rectangle((left, 100, left + 100, 300), radius=40, fill=255)
            pen.ellipse(thumb, fill=255)
            shade.ellipse(thumb, fill=255)
            pen.rectangle((left + 8, 280, left + 92, 340), fill=255)
            details.append(
                _rib(((left + 8, 286), (left + 92, 286)), ((left + 8, 338), (left + 92, 338)))
            )
            details += [("line", [(left + 34, 104), (left + 34, 170)])]
            details += [("line", [(left + 66, 104), (left + 66, 170)])]
    elif shape == "blanket":
        pen.rounded_rectangle((60, 200, 340, 330), radius=14, fill=255)
        pen.rounded_rectangle((80, 150, 320, 220), radius=14, fill=255)
        pen.rounded_rectangle((100, 100, 300, 170), radius=14, fill=255)
        shade.rounded_rectangle((80, 150, 320, 220), radius=14, fill=255)
        details += [("line", [(60, 265), (340, 265)]), ("line", [(80, 185), (320, 185)])]
        details += [("line", [(100, 135), (300, 135)]), ("fringe", (60, 330, 340))]
        details += [("check", ((70, 300), (330, 300), 8))]
    else:  # cushion
        pen.rounded_rectangle((80, 80, 320, 320), radius=40, fill=255)
        details += [("rect", (100, 100, 300, 300)), ("button", (200, 200))]
        details += [("fold", [(100, 120), (200, 200)]), ("fold", [(300, 120), (200, 200)])]
        details += [("fold", [(100, 280), (200, 200)]), ("fold", [(300, 280), (200, 200)])]
    return mask, shaded, details


def _lerp(a, b, t):
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


def _draw_details(canvas: Image.Image, details: list, rgb: tuple[int, int, int]) -> None:
    pen = _Pen(canvas)
    dark, darker, light = _shade(rgb, 0.72), _shade(rgb, 0.55), _shade(rgb, 1.12)
    for kind, *args in details:
        if kind == "line":
            pen.line(args[0], fill=dark, width=2, joint="curve")
        elif kind == "seam":
            pen.line(args[0], fill=dark, width=1.5)
        elif kind == "fold":
            pen.line(args[0], fill=_shade(rgb, 0.88), width=5, joint="curve")
        elif kind == "rib":
            (a0, a1), (b0, b1) = args[0]
            steps = max(6, int(math.dist(a0, a1) / 3))
            for step in range(steps + 1):
                t = step / steps
                pen.line([_lerp(a0, a1, t), _lerp(b0, b1, t)], fill=dark, width=1)
            pen.line([a0, a1], fill=darker, width=1.5)
        elif kind == "neckrib":
            box = args[0]
            for inset in range(0, 8, 2):
                inner = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
                pen.arc(inner, 0, 180, fill=dark if inset % 4 == 0 else light, width=1.5)
        elif kind == "arc":
            pen.arc(args[0], args[1], args[2], fill=dark, width=2)
        elif kind == "button":
            x, y = args[0]
            pen.ellipse((x - 6, y - 6, x + 6, y + 6), fill=darker)
            pen.ellipse((x - 4, y - 5, x + 2, y - 1), fill=_shade(darker, 1.3))
        elif kind == "pocket":
            pen.rectangle(args[0], outline=dark, width=2)
            left, top, right, _bottom = args[0]
            pen.line([(left, top + 8), (right, top + 8)], fill=dark, width=1)
        elif kind == "belt":
            pen.rectangle(args[0], fill=_shade(rgb, 0.86), outline=dark, width=1)
        elif kind == "lapel":
            pen.polygon(args[0], fill=_shade(rgb, 0.88), outline=dark)
        elif kind == "rect":
            pen.rounded_rectangle(args[0], radius=24, outline=dark, width=2)
        elif kind == "check":
            (xa, y), (xb, _y), count = args[0]
            for row in range(count):
                pen.line([(xa, y + row * 24), (xb, y + row * 24)], fill=dark, width=2)
        elif kind == "pompom":
            left, top, right, bottom = args[0]
            cx, cy = (left + right) / 2, (top + bottom) / 2
            for angle in range(0, 360, 15):
                radians = math.radians(angle)
                end = (cx + math.cos(radians) * 32, cy + math.sin(radians) * 32)
                pen.line([(cx, cy), end], fill=dark if angle % 30 else light, width=1)
        elif kind == "fringe":
            x0, y, x1 = args[0]
            for x in range(x0 + 4, x1 - 2, 4):
                pen.line([(x, y), (x + (x % 3) - 1, y + 22)], fill=dark, width=1.5)
        elif kind == "fringe_diag":
            (xa, ya), (xb, yb) = args[0]
            for step in range(0, 60):
                x, y = _lerp((xa, ya), (xb, yb), step / 60)
                pen.line([(x, y), (x, y + 18)], fill=dark, width=1.5)


@cache
def _silhouette(shape: str) -> tuple[Image.Image, Image.Image, list, Image.Image]:
    """(alpha mask, shaded parts, detail strokes, blurred drop shadow) of a garment shape."""
    mask, shaded, details = _garment_mask(shape)
    alpha = mask.filter(ImageFilter.GaussianBlur(1.2))
    shadow = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    shadow.putalpha(alpha.point(lambda a: a * 50 // 255))
    return (
        alpha,
        shaded.filter(ImageFilter.GaussianBlur(3)),
        details,
        shadow.filter(ImageFilter.GaussianBlur(14)),
    )


# Products come leaf by leaf (one shape, many colours): a small cache holds a leaf.
@lru_cache(maxsize=48)
def _garment(shape: str, hex_colour: str) -> Image.Image:
    """The garment alone (RGBA), lit softly, ready to place on a background."""
    alpha, shaded, details, _shadow = _silhouette(shape)
    texture = ImageChops.multiply(_knit(hex_colour), _volume())
    darker = texture.point(lambda v: v * 88 // 100)
    texture = Image.composite(darker, texture, shaded)
    _draw_details(texture, details, _rgb(hex_colour))
    garment = texture.convert("RGBA")
    garment.putalpha(alpha)
    return garment


@lru_cache(maxsize=48)
def _staged(shape: str, hex_colour: str, tone: int) -> Image.Image:
    """The garment with its soft shadow on the background, without a caption."""
    canvas = _background(SIZE, SIZE, tone).copy()
    shadow = _silhouette(shape)[3]
    canvas.paste(shadow, (12, 10), shadow)
    garment = _garment(shape, hex_colour)
    canvas.paste(garment, (0, -20), garment)
    return canvas


def product_picture(*, shape: str, colour_hex: str, caption: str, tone: int = 0) -> bytes:
    """An 800×800 JPEG: the garment with a soft shadow, its name under it when the machine
    has a Chinese font."""
    canvas = _staged(shape, colour_hex, tone % 3).copy()
    face = chinese_font(34)
    if face is not None:
        draw = ImageDraw.Draw(canvas)
        width = draw.textlength(caption, font=face)
        draw.text(((SIZE - width) / 2, SIZE - 64), caption, font=face, fill=(80, 68, 58))
    return _jpeg(canvas)


def closeup_picture(*, shape: str, colour_hex: str) -> bytes:
    """The garment seen closer: its upper part, where collar, seams and knit show."""
    staged = _staged(shape, colour_hex, 1)
    side = int(SIZE * 0.58)
    left, top = (SIZE - side) // 2, int(SIZE * 0.04)
    return _jpeg(staged.crop((left, top, left + side, top + side)).resize((SIZE, SIZE)))


def _fit_text(draw: ImageDraw.ImageDraw, text: str, fonts, max_width: float) -> Font | None:
    """The largest of the fonts (largest first) in which the text fits the width."""
    for face in fonts:
        if face is not None and draw.textlength(text, font=face) <= max_width:
            return face
    return None


def banner_picture(
    *,
    width: int,
    height: int,
    colours: list[str],
    shapes: list[str],
    title: str,
    subtitle: str,
    action: str,
    chinese: bool,
    tone: int = 0,
) -> bytes:
    """A wide ad: the title, subtitle and a button on the left, garments on the right, never
    under the text. Chinese banners without a Chinese font carry no text."""
    canvas = _background(width, height, tone).copy()
    draw = ImageDraw.Draw(canvas)
    margin = int(width * 0.06)
    text_width = width * 0.4
    sizes = range(height // 5, height // 12, -4)
    if chinese:
        titles = [chinese_font(size, serif=True) for size in sizes]
        small = chinese_font(max(16, height // 15))
    else:
        titles = [latin_font(size, serif=True) for size in sizes]
        small = latin_font(max(14, height // 17))
    big = _fit_text(draw, title, titles, text_width)
    text_right = margin
    if big is not None and small is not None:
        top = int(height * 0.26)
        draw.text((margin, top), title, font=big, fill=(62, 44, 32))
        line_y = top + big.size + int(height * 0.07)
        draw.line([(margin, line_y), (margin + 48, line_y)], fill=(140, 100, 60), width=3)
        draw.text((margin, line_y + 16), subtitle, font=small, fill=(96, 78, 64))
        button_top = line_y + 16 + small.size + int(height * 0.08)
        button_width = draw.textlength(action, font=small) + small.size * 2
        draw.rounded_rectangle(
            (margin, button_top, margin + button_width, button_top + small.size * 2),
            radius=small.size,
            fill=(62, 44, 32),
        )
        draw.text((margin + small.size, button_top + small.size * 0.45), action, font=small)
        text_right = int(
            margin + max(draw.textlength(title, font=big), draw.textlength(subtitle, font=small))
        )
    # Garments fill what is right of the text, overlapping a little.
    left = max(text_right + width * 0.04, width * 0.42)
    area = width * 0.97 - left
    side = int(min(height * 1.15, area / max(1, len(shapes)) * 1.4))
    step = (area - side) / (len(shapes) - 1) if len(shapes) > 1 else 0
    for index, (shape, colour) in enumerate(zip(shapes, colours, strict=False)):
        garment = _garment(shape, colour).resize((side, side), Image.Resampling.LANCZOS)
        canvas.paste(garment, (int(left + index * step), int((height - side) / 2)), garment)
    return _jpeg(canvas)


# A brand's mark, drawn on the design grid of 400 in the brand's colour.
def _mark_seal(pen: _Pen, ink, initials: str) -> None:
    pen.ellipse((110, 40, 290, 220), outline=ink, width=6)
    pen.ellipse((124, 54, 276, 206), outline=ink, width=2)
    face = latin_font(int(76 * pen.k), serif=True)
    pen.draw.text((200 * pen.k, 130 * pen.k), initials, font=face, fill=ink, anchor="mm")


def _mark_horns(pen: _Pen, ink, _initials: str) -> None:
    # Two curling horns of a cashmere goat, meeting over a small diamond.
    pen.arc((96, 50, 206, 190), 150, 360, fill=ink, width=12)
    pen.arc((194, 50, 304, 190), 180, 30, fill=ink, width=12)
    pen.polygon([(200, 150), (222, 182), (200, 214), (178, 182)], fill=ink)


def _mark_cloud(pen: _Pen, ink, _initials: str) -> None:
    for box in ((110, 100, 210, 190), (160, 60, 260, 160), (210, 100, 300, 190)):
        pen.ellipse(box, outline=ink, width=8)
    pen.rectangle((112, 150, 298, 196), fill=(255, 255, 255))
    pen.line([(100, 196), (300, 196)], fill=ink, width=8)
    pen.line([(130, 214), (270, 214)], fill=ink, width=4)


def _mark_flake(pen: _Pen, ink, _initials: str) -> None:
    cx, cy = 200, 130
    for angle in range(0, 360, 60):
        radians = math.radians(angle)
        end = (cx + math.cos(radians) * 86, cy + math.sin(radians) * 86)
        pen.line([(cx, cy), end], fill=ink, width=8)
        for along in (0.55, 0.8):
            base = _lerp((cx, cy), end, along)
            for turn in (-50, 50):
                tip = math.radians(angle + turn)
                pen.line(
                    [base, (base[0] + math.cos(tip) * 22, base[1] + math.sin(tip) * 22)],
                    fill=ink,
                    width=6,
                )


def _mark_diamond(pen: _Pen, ink, initials: str) -> None:
    pen.polygon([(200, 36), (296, 132), (200, 228), (104, 132)], outline=ink, width=8)
    pen.polygon([(200, 58), (274, 132), (200, 206), (126, 132)], outline=ink, width=2)
    face = latin_font(int(64 * pen.k), serif=True)
    pen.draw.text((200 * pen.k, 132 * pen.k), initials[:1], font=face, fill=ink, anchor="mm")


MARKS = [_mark_seal, _mark_horns, _mark_cloud, _mark_flake, _mark_diamond]


def logo_picture(*, name: str, latin: str, hex_colour: str, style: int) -> bytes:
    """A brand mark (one of a few emblems) over the brand's Latin name and its Chinese name."""
    side = 400
    canvas = Image.new("RGB", (side, side), (255, 255, 255))
    pen = _Pen(canvas, scale=side / GRID)
    ink = _rgb(hex_colour)
    initials = "".join(word[0] for word in latin.split()[:2]).upper()
    MARKS[style % len(MARKS)](pen, ink, initials)
    wordmark = " ".join(latin.upper())
    face = _fit_text(
        pen.draw, wordmark, [latin_font(s, serif=True) for s in range(30, 12, -2)], 360
    )
    face = face or latin_font(12)
    pen.draw.text((side / 2, 272), wordmark, font=face, fill=ink, anchor="mm")
    chinese = chinese_font(34)
    if chinese is not None:
        pen.draw.text((side / 2, 330), name, font=chinese, fill=(70, 60, 52), anchor="mm")
    out = BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


def video_clip(*, shape: str, colours: list[str], caption: str) -> tuple[bytes, bytes]:
    """A 3-second 480×272 H.264 MP4 turning through the product's colours, and its poster.

    ffmpeg comes inside the imageio-ffmpeg wheel, so nothing is fetched at run time.
    """
    width, height, fps, seconds = 480, 272, 12, 3
    frames = fps * seconds
    background = _background(width, height, 1)
    face = chinese_font(22)
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
            side = int(GRID * (0.58 + 0.06 * math.sin(t * math.pi)))
            garment = _garment(shape, colour).resize((side, side), Image.Resampling.BILINEAR)
            frame = background.copy()
            frame.paste(
                garment, (int((width - side) / 2 + 60 * math.sin(t * 2 * math.pi)), 8), garment
            )
            if face is not None:
                draw = ImageDraw.Draw(frame)
                tw = draw.textlength(caption, font=face)
                draw.text(((width - tw) / 2, height - 34), caption, font=face, fill=(80, 68, 58))
            writer.send(frame.tobytes())
            if index == 0:
                poster = _jpeg(frame)
        writer.close()
        return path.read_bytes(), poster
