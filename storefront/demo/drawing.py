"""Pictures for the demo catalogue, drawn with Pillow: no photos are downloaded or committed.

A product picture is a soft gradient in its group's colours, a simple drawing of the kind of product
and its name in Vietnamese and English. Scenes show a former district's landscape; logos are a
producer's initials in a badge. Everything is drawn at twice the size and reduced, which smooths the
edges of Pillow's primitives, and returned as PNG bytes for the media pipeline.
"""
import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..catalog.models import ProductGroup

PICTURE_SIZE = (800, 600)
LOGO_SIZE = (320, 320)
SCALE = 2
# Fonts with Vietnamese glyphs found on common Linux systems; Pillow's own font is the fallback.
FONT_CANDIDATES = {
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
           "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
           "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
}

# (top, bottom) of the background gradient, and the colour of the text band, per product group.
GROUP_COLOURS = {
    ProductGroup.FOOD: ((255, 243, 214), (242, 196, 128), (122, 62, 20)),
    ProductGroup.DRINKS: ((228, 240, 250), (150, 190, 222), (28, 64, 104)),
    ProductGroup.HERBS: ((232, 245, 224), (160, 205, 140), (36, 88, 40)),
    ProductGroup.HANDICRAFTS: ((250, 232, 226), (214, 150, 130), (110, 36, 30)),
    ProductGroup.ORNAMENTALS: ((252, 236, 244), (226, 166, 196), (120, 30, 80)),
    ProductGroup.TOURISM: ((226, 246, 244), (130, 200, 196), (20, 88, 92)),
}

TINTS = {
    "amber": (196, 118, 28), "dark": (58, 34, 24), "golden": (226, 170, 60), "pink": (214, 120, 150),
    "orange": (232, 128, 48), "green": (96, 160, 70), "clear": (236, 232, 210), "cinnamon": (150, 82, 40),
    "red": (170, 50, 40), "honey": (214, 140, 30), "yellow": (236, 190, 40), "brown": (150, 100, 60),
    "white": (248, 244, 232), "silver": (176, 188, 198), "blue": (70, 110, 160), "gold": (240, 180, 20),
    "grey": (170, 166, 160),
}
INK = (60, 40, 30)
CREAM = (252, 246, 230)


def product_picture(motif: str, group: ProductGroup, title: str, caption: str) -> bytes:
    top, bottom, band = GROUP_COLOURS[group]
    image = _gradient(PICTURE_SIZE, top, bottom)
    draw = ImageDraw.Draw(image)
    shape, _, variant = motif.partition("/")
    width, height = image.size
    # A soft shadow the drawing stands on.
    draw.ellipse((width * 0.22, height * 0.66, width * 0.78, height * 0.76), fill=_mix(bottom, INK, 0.25))
    MOTIFS.get(shape, _jar)(draw, width / 2, height * 0.42, height * 0.3, variant)
    _label(draw, image.size, title, caption, band)
    return _finish(image)


def scene_picture(scene: str, title: str, caption: str) -> bytes:
    image = _gradient(PICTURE_SIZE, (190, 226, 246), (248, 236, 214))
    draw = ImageDraw.Draw(image)
    SCENES.get(scene, _fields_scene)(draw, *image.size)
    _label(draw, image.size, title, caption, (40, 70, 90))
    return _finish(image)


def logo_picture(initials: str, group: ProductGroup) -> bytes:
    top, bottom, band = GROUP_COLOURS[group]
    image = Image.new("RGB", (LOGO_SIZE[0] * SCALE, LOGO_SIZE[1] * SCALE), top)
    draw = ImageDraw.Draw(image)
    width, height = image.size
    draw.ellipse((width * 0.08, height * 0.08, width * 0.92, height * 0.92), fill=band)
    draw.ellipse((width * 0.14, height * 0.14, width * 0.86, height * 0.86), outline=bottom, width=round(width * 0.02))
    for index in range(12):  # a ring of leaves, as on many producers' stamps
        angle = index * math.tau / 12
        x, y = width / 2 + math.cos(angle) * width * 0.4, height / 2 + math.sin(angle) * height * 0.4
        dot = width * 0.02
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=bottom)
    font = _font(True, round(height * 0.3))
    draw.text((width / 2, height / 2), initials, font=font, fill=CREAM, anchor="mm")
    return _finish(image)


# Building blocks

def _gradient(size, top, bottom) -> Image.Image:
    width, height = size[0] * SCALE, size[1] * SCALE
    column = bytes(channel for step in range(256) for channel in _mix(top, bottom, step / 255))
    # 256 shades one pixel wide, then stretched: far cheaper than blending two full-size images.
    return Image.frombytes("RGB", (1, 256), column).resize((width, height), Image.Resampling.BILINEAR)


def _finish(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.reduce(SCALE).save(out, "PNG", compress_level=1)
    return out.getvalue()


def _label(draw, size, title, caption, band):
    width, height = size
    draw.rectangle((0, height * 0.8, width, height), fill=band)
    title_font = _fitting_font(draw, title, True, round(height * 0.062), width * 0.92)
    caption_font = _fitting_font(draw, caption, False, round(height * 0.036), width * 0.92)
    draw.text((width / 2, height * 0.86), title, font=title_font, fill=CREAM, anchor="mm")
    draw.text((width / 2, height * 0.94), caption, font=caption_font, fill=_mix(CREAM, band, 0.2), anchor="mm")
    draw.text((width * 0.03, height * 0.04), "Minh họa · Illustration", font=_font(False, round(height * 0.028)),
              fill=_mix(band, CREAM, 0.35), anchor="lm")


def _fitting_font(draw, text, bold, size, max_width):
    while size > 12 * SCALE:
        font = _font(bold, size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 2 * SCALE
    return _font(bold, size)


@cache
def _font(bold: bool, size: int):
    for candidate in FONT_CANDIDATES[bold]:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def _mix(a, b, share):
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b))


def _tint(variant, default):
    return TINTS.get(variant, TINTS[default])


def _oval(cx, cy, rx, ry, angle=0.0, steps=40):
    """Points of an ellipse turned by `angle` (Pillow cannot rotate its own ellipses)."""
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + rx * math.cos(t) * cos - ry * math.sin(t) * sin,
             cy + rx * math.cos(t) * sin + ry * math.sin(t) * cos)
            for t in (i * math.tau / steps for i in range(steps))]


# Motifs: each draws around (x, y) within about `r` of it.

def _garlic(draw, x, y, r, variant, single=False, black=False):
    for dx, scale in ((-0.55, 0.7), (0.55, 0.7), (0.0, 1.0)):
        cx, size = x + dx * r, r * 0.62 * scale
        cy = y + r * 0.25 + (1 - scale) * r * 0.3
        body = (250, 246, 236) if not black else (70, 56, 48)
        draw.ellipse((cx - size, cy - size * 0.9, cx + size, cy + size * 0.9), fill=body, outline=INK, width=5)
        draw.polygon([(cx - size * 0.25, cy - size * 0.8), (cx + size * 0.25, cy - size * 0.8),
                      (cx + size * 0.06, cy - size * 1.6), (cx - size * 0.06, cy - size * 1.6)],
                     fill=body, outline=INK)
        if black:
            for offset in (-0.45, 0, 0.45):
                draw.ellipse((cx + offset * size - size * 0.22, cy - size * 0.5, cx + offset * size + size * 0.22,
                              cy + size * 0.55), fill=(24, 18, 16))
        elif not single:
            for offset in (-0.5, -0.18, 0.18, 0.5):
                draw.arc((cx + offset * size - size * 0.5, cy - size * 0.85, cx + offset * size + size * 0.5,
                          cy + size * 0.85), 250, 290, fill=(196, 150, 170), width=6)
        for root in range(-3, 4):
            draw.line((cx + root * size * 0.08, cy + size * 0.85, cx + root * size * 0.1, cy + size * 1.05),
                      fill=(180, 160, 130), width=4)


def _shallot(draw, x, y, r, variant):
    for dx, dy, scale in ((-0.6, 0.15, 0.75), (0.6, 0.15, 0.75), (0, 0.25, 1.0)):
        cx, cy, size = x + dx * r, y + dy * r, r * 0.5 * scale
        draw.ellipse((cx - size, cy - size * 0.8, cx + size, cy + size), fill=(160, 50, 90), outline=INK, width=5)
        draw.polygon([(cx - size * 0.5, cy - size * 0.6), (cx + size * 0.5, cy - size * 0.6), (cx, cy - size * 1.8)],
                     fill=(176, 70, 104), outline=INK)
        draw.arc((cx - size * 0.6, cy - size * 0.7, cx + size * 0.3, cy + size * 0.9), 200, 260,
                 fill=(220, 150, 180), width=6)


def _jar(draw, x, y, r, variant):
    fill = _tint(variant, "amber")
    left, right, top, bottom = x - r * 0.55, x + r * 0.55, y - r * 0.5, y + r * 0.9
    draw.rounded_rectangle((left, top, right, bottom), radius=r * 0.18, fill=(236, 240, 240), outline=INK, width=6)
    draw.rounded_rectangle((left + 10, top + r * 0.3, right - 10, bottom - 10), radius=r * 0.14, fill=fill)
    draw.rounded_rectangle((left - r * 0.06, top - r * 0.28, right + r * 0.06, top + r * 0.02), radius=12,
                           fill=(190, 60, 40), outline=INK, width=5)
    draw.rectangle((left + 10, y + r * 0.15, right - 10, y + r * 0.5), fill=CREAM)
    draw.line((left + r * 0.15, top + r * 0.4, left + r * 0.15, bottom - r * 0.2), fill=(255, 255, 255), width=10)


def _bottle(draw, x, y, r, variant):
    fill = _tint(variant, "amber")
    body = (x - r * 0.4, y - r * 0.2, x + r * 0.4, y + r * 0.95)
    draw.rounded_rectangle(body, radius=r * 0.12, fill=fill, outline=INK, width=6)
    draw.polygon([(x - r * 0.4, y - r * 0.1), (x - r * 0.14, y - r * 0.6), (x + r * 0.14, y - r * 0.6),
                  (x + r * 0.4, y - r * 0.1)], fill=fill, outline=INK)
    draw.rectangle((x - r * 0.13, y - r * 0.95, x + r * 0.13, y - r * 0.55), fill=fill, outline=INK, width=5)
    draw.rectangle((x - r * 0.16, y - r * 1.08, x + r * 0.16, y - r * 0.9), fill=(200, 160, 60), outline=INK, width=4)
    draw.rectangle((x - r * 0.36, y + r * 0.2, x + r * 0.36, y + r * 0.6), fill=CREAM)
    draw.line((x - r * 0.28, y, x - r * 0.28, y + r * 0.8), fill=_mix(fill, (255, 255, 255), 0.5), width=10)


def _dropper(draw, x, y, r, variant):
    fill = _tint(variant, "cinnamon")
    draw.rounded_rectangle((x - r * 0.3, y - r * 0.05, x + r * 0.3, y + r * 0.85), radius=r * 0.1, fill=fill,
                           outline=INK, width=6)
    draw.rectangle((x - r * 0.16, y - r * 0.3, x + r * 0.16, y - r * 0.02), fill=(40, 40, 40))
    draw.ellipse((x - r * 0.14, y - r * 0.7, x + r * 0.14, y - r * 0.22), fill=(30, 30, 30))
    draw.rectangle((x - r * 0.26, y + r * 0.3, x + r * 0.26, y + r * 0.6), fill=CREAM)
    for index, drop in enumerate((0.55, 0.85)):
        cx = x + r * drop
        draw.ellipse((cx - 14, y + r * (0.1 + index * 0.25), cx + 14, y + r * (0.1 + index * 0.25) + 34), fill=fill)


def _cinnamon(draw, x, y, r, variant):
    for index in range(5):
        top = y - r * 0.55 + index * r * 0.24
        shift = (index % 2) * r * 0.08
        draw.rounded_rectangle((x - r * 0.95 + shift, top, x + r * 0.85 + shift, top + r * 0.22), radius=r * 0.1,
                               fill=(150 - index * 6, 82, 40), outline=(90, 44, 20), width=4)
        end = x + r * 0.85 + shift
        draw.ellipse((end - r * 0.11, top, end + r * 0.11, top + r * 0.22), fill=(120, 60, 28), outline=(80, 40, 18))
        draw.arc((end - r * 0.07, top + r * 0.04, end + r * 0.07, top + r * 0.18), 0, 300, fill=(200, 140, 90), width=4)
    draw.rectangle((x - r * 0.1, y - r * 0.6, x + r * 0.02, y + r * 0.7), fill=(210, 180, 120))


def _incense(draw, x, y, r, variant):
    draw.chord((x - r * 0.6, y + r * 0.3, x + r * 0.6, y + r * 1.0), 0, 180, fill=(120, 70, 40), outline=INK, width=5)
    for index in range(-3, 4):
        base = x + index * r * 0.1
        top = y - r * 0.7 + abs(index) * r * 0.06
        draw.line((base, y + r * 0.62, base + index * r * 0.05, top), fill=(150, 60, 40), width=9)
        draw.ellipse((base + index * r * 0.05 - 7, top - 7, base + index * r * 0.05 + 7, top + 7), fill=(240, 110, 40))
    for index in range(3):
        draw.arc((x - r * 0.4 + index * r * 0.3, y - r * 1.05, x - r * 0.1 + index * r * 0.3, y - r * 0.7), 180, 360,
                 fill=(150, 150, 150), width=5)


def _cup(draw, x, y, r, variant):
    tea = _tint(variant, "amber")
    draw.ellipse((x - r * 0.9, y + r * 0.55, x + r * 0.9, y + r * 0.9), fill=(240, 240, 236), outline=INK, width=5)
    draw.chord((x - r * 0.6, y - r * 0.2, x + r * 0.6, y + r * 0.8), 0, 180, fill=(250, 250, 246), outline=INK, width=6)
    draw.ellipse((x - r * 0.6, y + r * 0.1, x + r * 0.6, y + r * 0.5), fill=(250, 250, 246), outline=INK, width=5)
    draw.ellipse((x - r * 0.52, y + r * 0.15, x + r * 0.52, y + r * 0.45), fill=tea)
    draw.arc((x + r * 0.45, y + r * 0.25, x + r * 0.85, y + r * 0.6), 270, 90, fill=INK, width=8)
    for index in range(3):
        sx = x - r * 0.25 + index * r * 0.25
        draw.arc((sx - r * 0.1, y - r * 0.55, sx + r * 0.1, y - r * 0.05), 90, 270, fill=(160, 160, 160), width=5)


def _soap(draw, x, y, r, variant):
    colour = _tint(variant, "cinnamon")
    draw.rounded_rectangle((x - r * 0.8, y - r * 0.1, x + r * 0.8, y + r * 0.7), radius=r * 0.2,
                           fill=_mix(colour, CREAM, 0.45), outline=INK, width=6)
    draw.polygon(_oval(x, y + r * 0.3, r * 0.4, r * 0.14, -0.4), fill=colour)
    draw.line((x - r * 0.3, y + r * 0.45, x + r * 0.3, y + r * 0.15), fill=_mix(colour, CREAM, 0.3), width=5)


def _gift_box(draw, x, y, r, variant):
    draw.rectangle((x - r * 0.8, y - r * 0.1, x + r * 0.8, y + r * 0.8), fill=(150, 84, 44), outline=INK, width=6)
    for index in range(1, 8):
        xx = x - r * 0.8 + index * r * 0.2
        draw.line((xx, y - r * 0.1, xx, y + r * 0.8), fill=(120, 62, 30), width=5)
    draw.rectangle((x - r * 0.9, y - r * 0.35, x + r * 0.9, y - r * 0.05), fill=(170, 98, 52), outline=INK, width=6)
    draw.rectangle((x - r * 0.08, y - r * 0.35, x + r * 0.08, y + r * 0.8), fill=(200, 40, 40))
    draw.polygon(_oval(x - r * 0.2, y - r * 0.5, r * 0.22, r * 0.1, 0.5), fill=(200, 40, 40))
    draw.polygon(_oval(x + r * 0.2, y - r * 0.5, r * 0.22, r * 0.1, -0.5), fill=(200, 40, 40))


def _candy_discs(draw, x, y, r, variant):
    for index in range(4):
        cy = y + r * 0.6 - index * r * 0.18
        draw.ellipse((x - r * 0.85, cy - r * 0.22, x + r * 0.85, cy + r * 0.22), fill=(236, 222, 190), outline=INK,
                     width=4)
        draw.ellipse((x - r * 0.78, cy - r * 0.2, x + r * 0.78, cy + r * 0.16), fill=(222, 160, 70))
    for angle in range(0, 360, 30):
        px = x + math.cos(math.radians(angle)) * r * 0.5
        py = y + r * 0.06 + math.sin(math.radians(angle)) * r * 0.1
        draw.ellipse((px - 12, py - 8, px + 12, py + 8), fill=(170, 100, 50))


def _candy(draw, x, y, r, variant):
    for row in range(2):
        for column in range(3):
            left = x - r * 0.9 + column * r * 0.62
            top = y - r * 0.2 + row * r * 0.5
            draw.rounded_rectangle((left, top, left + r * 0.55, top + r * 0.42), radius=14, fill=(214, 150, 70),
                                   outline=INK, width=4)
            for dot in range(4):
                px, py = left + r * (0.1 + 0.12 * dot), top + r * (0.12 + 0.18 * (dot % 2))
                draw.ellipse((px - 10, py - 7, px + 10, py + 7), fill=(240, 210, 150))


def _puffed_cake(draw, x, y, r, variant):
    draw.ellipse((x - r * 0.85, y - r * 0.3, x + r * 0.85, y + r * 0.8), fill=(246, 236, 210), outline=INK, width=5)
    for index in range(90):
        angle, distance = index * 2.4, math.sqrt(index / 90) * 0.78
        px = x + math.cos(angle) * r * distance
        py = y + r * 0.25 + math.sin(angle) * r * distance * 0.62
        draw.ellipse((px - 9, py - 7, px + 9, py + 7), fill=(255, 252, 244), outline=(222, 200, 160))


def _crystals(draw, x, y, r, variant):
    draw.line((x, y - r * 1.0, x, y + r * 0.9), fill=(150, 110, 60), width=8)
    for index in range(9):
        cx = x + (index % 3 - 1) * r * 0.36
        cy = y - r * 0.55 + (index // 3) * r * 0.5
        size = r * (0.2 + 0.04 * (index % 2))
        points = [(cx, cy - size), (cx + size * 0.9, cy - size * 0.3), (cx + size * 0.6, cy + size),
                  (cx - size * 0.6, cy + size), (cx - size * 0.9, cy - size * 0.3)]
        draw.polygon(points, fill=(250, 236, 190), outline=(200, 160, 90))
        draw.line((cx - size * 0.3, cy - size * 0.3, cx + size * 0.2, cy + size * 0.4), fill=(255, 255, 250), width=5)


def _sugar_block(draw, x, y, r, variant):
    draw.rounded_rectangle((x - r * 0.85, y - r * 0.3, x + r * 0.85, y + r * 0.75), radius=r * 0.15,
                           fill=(238, 204, 130), outline=INK, width=6)
    for index in range(40):
        px = x - r * 0.7 + (index * 37 % 100) / 100 * r * 1.4
        py = y - r * 0.15 + (index * 53 % 100) / 100 * r * 0.8
        draw.ellipse((px - 10, py - 7, px + 10, py + 7), fill=(214, 170, 90))


def _salt(draw, x, y, r, variant):
    draw.chord((x - r * 1.0, y - r * 0.4, x + r * 1.0, y + r * 1.4), 180, 360, fill=(250, 250, 246), outline=INK,
               width=5)
    for index in range(70):
        angle, distance = index * 2.4, math.sqrt(index / 70)
        px = x + math.cos(angle) * r * 0.85 * distance
        py = y + r * 0.45 - abs(math.sin(angle)) * r * 0.75 * distance
        size = 10 if variant != "fine" else 16
        draw.rectangle((px - size / 2, py - size / 2, px + size / 2, py + size / 2), fill=(214, 222, 230))
    draw.line((x - r * 0.9, y + r * 0.5, x + r * 0.9, y + r * 0.5), fill=INK, width=5)


def _fish(draw, x, y, r, variant):
    colour = _tint(variant, "silver")
    for index, (dy, scale) in enumerate(((-0.45, 0.7), (0.05, 1.0), (0.55, 0.8))):
        cx, cy, size = x + (index - 1) * r * 0.12, y + dy * r, r * 0.55 * scale
        draw.polygon(_oval(cx, cy, size, size * 0.32), fill=colour, outline=INK)
        tail = [(cx + size * 0.85, cy), (cx + size * 1.35, cy - size * 0.35), (cx + size * 1.35, cy + size * 0.35)]
        draw.polygon(tail, fill=colour, outline=INK)
        draw.ellipse((cx - size * 0.75, cy - size * 0.1, cx - size * 0.6, cy + size * 0.05), fill=INK)
        draw.line((cx - size * 0.4, cy - size * 0.22, cx - size * 0.4, cy + size * 0.22), fill=_mix(colour, INK, 0.4),
                  width=4)


def _squid(draw, x, y, r, variant):
    body = (244, 214, 200)
    draw.polygon([(x, y - r * 1.0), (x + r * 0.35, y - r * 0.1), (x + r * 0.3, y + r * 0.3), (x - r * 0.3, y + r * 0.3),
                  (x - r * 0.35, y - r * 0.1)], fill=body, outline=INK)
    draw.polygon([(x, y - r * 1.0), (x + r * 0.55, y - r * 0.75), (x + r * 0.25, y - r * 0.45)], fill=body, outline=INK)
    draw.polygon([(x, y - r * 1.0), (x - r * 0.55, y - r * 0.75), (x - r * 0.25, y - r * 0.45)], fill=body, outline=INK)
    for index in range(-4, 5):
        draw.line((x + index * r * 0.06, y + r * 0.3, x + index * r * 0.12, y + r * (0.9 + 0.05 * (index % 2))),
                  fill=(220, 170, 160), width=8)
    for dot in range(8):
        draw.ellipse((x - r * 0.2 + dot % 3 * r * 0.15, y - r * 0.6 + dot // 3 * r * 0.25,
                      x - r * 0.16 + dot % 3 * r * 0.15, y - r * 0.56 + dot // 3 * r * 0.25), fill=(200, 110, 110))


def _seaweed(draw, x, y, r, variant):
    for strand in range(7):
        base = x - r * 0.8 + strand * r * 0.27
        points = [(base + math.sin(step / 2 + strand) * r * 0.12, y + r * 0.9 - step * r * 0.14) for step in range(13)]
        draw.line(points, fill=(60 + strand * 8, 120 + strand * 6, 70), width=16, joint="curve")


def _fish_cake(draw, x, y, r, variant):
    for dx, dy in ((-0.45, 0.25), (0.45, 0.25), (0, -0.05)):
        cx, cy = x + dx * r, y + dy * r
        draw.ellipse((cx - r * 0.45, cy - r * 0.3, cx + r * 0.45, cy + r * 0.3), fill=(226, 170, 90), outline=INK,
                     width=5)
        for mark in (-0.2, 0, 0.2):
            draw.line((cx + mark * r - r * 0.1, cy - r * 0.15, cx + mark * r + r * 0.1, cy + r * 0.15),
                      fill=(170, 100, 50), width=7)


def _clay_pot(draw, x, y, r, variant):
    draw.ellipse((x - r * 0.8, y - r * 0.2, x + r * 0.8, y + r * 0.9), fill=(150, 78, 42), outline=INK, width=6)
    draw.ellipse((x - r * 0.7, y - r * 0.35, x + r * 0.7, y + r * 0.0), fill=(176, 96, 54), outline=INK, width=5)
    draw.ellipse((x - r * 0.1, y - r * 0.5, x + r * 0.1, y - r * 0.3), fill=(120, 60, 30))
    for index in range(3):
        sx = x - r * 0.3 + index * r * 0.3
        draw.arc((sx - r * 0.1, y - r * 1.0, sx + r * 0.1, y - r * 0.55), 90, 270, fill=(170, 170, 170), width=5)


def _mushroom(draw, x, y, r, variant):
    if variant == "grey":
        for index in range(4):
            angle = -0.9 + index * 0.6
            draw.polygon(_oval(x + math.sin(angle) * r * 0.5, y + r * 0.1 - math.cos(angle) * r * 0.3, r * 0.42,
                               r * 0.25, angle), fill=TINTS["grey"], outline=INK)
        draw.rectangle((x - r * 0.12, y + r * 0.2, x + r * 0.12, y + r * 0.8), fill=(230, 226, 214))
        return
    if variant == "slices":
        for index in range(5):
            cx = x - r * 0.7 + index * r * 0.35
            draw.polygon(_oval(cx, y + r * 0.3, r * 0.18, r * 0.5, 0.3), fill=(150, 52, 40), outline=INK)
            draw.polygon(_oval(cx, y + r * 0.3, r * 0.1, r * 0.4, 0.3), fill=(214, 170, 120))
        return
    draw.rectangle((x - r * 0.1, y + r * 0.1, x + r * 0.1, y + r * 0.85), fill=(120, 50, 30))
    draw.chord((x - r * 0.95, y - r * 0.55, x + r * 0.95, y + r * 0.45), 180, 360, fill=(160, 48, 34), outline=INK,
               width=6)
    for ring in (0.75, 0.55, 0.35):
        draw.arc((x - r * ring, y - r * ring * 0.55, x + r * ring, y + r * ring * 0.45), 190, 350, fill=(110, 30, 20),
                 width=5)
    draw.line((x - r * 0.85, y - r * 0.05, x + r * 0.85, y - r * 0.05), fill=(236, 200, 150), width=8)


def _beef(draw, x, y, r, variant):
    if variant == "shreds":
        for index in range(22):
            sx = x - r * 0.85 + (index * 29 % 100) / 100 * r * 1.7
            draw.line((sx, y - r * 0.3 + index % 4 * r * 0.1, sx + r * 0.35, y + r * 0.5 + index % 3 * r * 0.1),
                      fill=(130 + index % 5 * 8, 40, 30), width=10)
        return
    for index, angle in enumerate((-0.5, 0.2, 0.8, -0.1)):
        cx, cy = x - r * 0.45 + index * r * 0.3, y + r * 0.2 + (index % 2) * r * 0.2
        draw.polygon(_oval(cx, cy, r * 0.5, r * 0.16, angle, steps=9), fill=(140 + index * 10, 44, 30), outline=INK)
    for dot in range(14):
        px, py = x - r * 0.8 + dot * r * 0.12, y + r * (0.05 + 0.3 * (dot % 3) / 2)
        draw.ellipse((px - 6, py - 6, px + 6, py + 6), fill=(230, 60, 40))


def _rice_paper(draw, x, y, r, variant):
    colour = {"brown": (214, 176, 130), "white": (248, 244, 234)}.get(variant, (244, 236, 214))
    draw.ellipse((x - r * 0.95, y - r * 0.55, x + r * 0.95, y + r * 0.95), fill=colour, outline=INK, width=5)
    # The imprint of the bamboo drying rack, only where the sheet is.
    for row in range(-6, 7):
        for column in range(-9, 10):
            px, py = x + column * r * 0.1, y + r * 0.2 + row * r * 0.1
            if ((px - x) / (r * 0.9)) ** 2 + ((py - y - r * 0.2) / (r * 0.7)) ** 2 < 1:
                draw.line((px - r * 0.03, py - r * 0.03, px + r * 0.03, py + r * 0.03),
                          fill=_mix(colour, INK, 0.12), width=3)
    if variant != "white":
        for index in range(60):
            angle, distance = index * 2.4, math.sqrt(index / 60) * 0.8
            px = x + math.cos(angle) * r * distance
            py = y + r * 0.2 + math.sin(angle) * r * distance * 0.7
            draw.ellipse((px - 5, py - 3, px + 5, py + 3), fill=(40, 30, 30))


def _rice_bag(draw, x, y, r, variant):
    draw.rounded_rectangle((x - r * 0.6, y - r * 0.5, x + r * 0.6, y + r * 0.9), radius=r * 0.2,
                           fill=(226, 214, 180), outline=INK, width=6)
    draw.polygon([(x - r * 0.45, y - r * 0.5), (x - r * 0.2, y - r * 0.8), (x + r * 0.2, y - r * 0.8),
                  (x + r * 0.45, y - r * 0.5)], fill=(226, 214, 180), outline=INK)
    draw.line((x - r * 0.3, y - r * 0.55, x + r * 0.3, y - r * 0.55), fill=(160, 40, 40), width=10)
    draw.rectangle((x - r * 0.4, y, x + r * 0.4, y + r * 0.45), fill=CREAM)
    grain = _tint(variant, "white")
    for index in range(16):
        px, py = x + r * (0.7 + index % 4 * 0.08), y + r * (0.6 + index // 4 * 0.08)
        draw.polygon(_oval(px, py, 10, 5, 0.6, steps=10), fill=grain, outline=(150, 130, 100))


def _wine_jar(draw, x, y, r, variant):
    draw.ellipse((x - r * 0.7, y - r * 0.3, x + r * 0.7, y + r * 0.95), fill=(110, 70, 44), outline=INK, width=6)
    draw.rectangle((x - r * 0.3, y - r * 0.45, x + r * 0.3, y - r * 0.2), fill=(120, 78, 48), outline=INK, width=5)
    for band in (0.2, 0.5):
        draw.arc((x - r * 0.7, y - r * 0.3 + band * r, x + r * 0.7, y + r * 0.3 + band * r), 20, 160,
                 fill=(200, 170, 90), width=6)
    for index, angle in enumerate((-0.5, -0.15, 0.2, 0.5)):
        draw.line((x + index * r * 0.06 - r * 0.1, y - r * 0.35, x + math.sin(angle) * r * 1.1,
                   y - r * 1.05 + abs(angle) * r * 0.3), fill=(120, 170, 70), width=9)


def _seeds(draw, x, y, r, variant):
    for index in range(26):
        angle, distance = index * 2.4, math.sqrt(index / 26) * 0.85
        px, py = x + math.cos(angle) * r * distance, y + r * 0.3 + math.sin(angle) * r * distance * 0.6
        draw.ellipse((px - r * 0.11, py - r * 0.09, px + r * 0.11, py + r * 0.09), fill=(120, 60, 90), outline=INK)
        draw.line((px - r * 0.05, py, px + r * 0.05, py), fill=(160, 110, 130), width=3)


def _leaves(draw, x, y, r, variant):
    for index in range(7):
        angle = -1.2 + index * 0.4
        cx, cy = x + math.sin(angle) * r * 0.5, y + r * 0.2 - math.cos(angle) * r * 0.45
        draw.polygon(_oval(cx, cy, r * 0.35, r * 0.13, angle - math.pi / 2), fill=(70 + index * 10, 130, 60),
                     outline=INK)
    draw.line((x, y + r * 0.9, x, y + r * 0.2), fill=(90, 110, 50), width=8)


def _ginger(draw, x, y, r, variant):
    for dx, dy, angle in ((-0.5, 0.2, 0.4), (0.0, 0.0, -0.2), (0.45, 0.3, 0.9), (0.1, 0.5, 0.1)):
        draw.polygon(_oval(x + dx * r, y + dy * r, r * 0.4, r * 0.22, angle), fill=(214, 176, 110), outline=INK)
    for index in range(3):
        cx = x - r * 0.5 + index * r * 0.5
        draw.ellipse((cx - r * 0.18, y + r * 0.7, cx + r * 0.18, y + r * 0.95), fill=(246, 220, 150), outline=INK)


def _brocade_pattern(draw, box, rows=4):
    left, top, right, bottom = box
    height = (bottom - top) / rows
    for row in range(rows):
        band_top = top + row * height
        draw.rectangle((left, band_top + height * 0.35, right, band_top + height * 0.65), fill=(190, 30, 40))
        size = height * 0.25
        count = max(2, int((right - left) / (size * 2.4)))
        for index in range(count):
            cx, cy = left + (index + 0.5) * (right - left) / count, band_top + height * 0.5
            draw.polygon([(cx, cy - size), (cx + size, cy), (cx, cy + size), (cx - size, cy)],
                         fill=(250, 240, 220) if (index + row) % 2 else (240, 190, 40))


def _brocade(draw, x, y, r, variant):
    if variant == "skirt":
        draw.polygon([(x - r * 0.6, y - r * 0.7), (x + r * 0.6, y - r * 0.7), (x + r * 0.85, y + r * 0.9),
                      (x - r * 0.85, y + r * 0.9)], fill=(30, 26, 28), outline=INK)
        _brocade_pattern(draw, (x - r * 0.7, y - r * 0.3, x + r * 0.7, y + r * 0.7), rows=3)
        return
    box = (x - r * 1.0, y - r * 0.55, x + r * 1.0, y + r * 0.75)
    draw.rectangle(box, fill=(30, 26, 28), outline=INK, width=5)
    _brocade_pattern(draw, box)
    for index in range(24):
        fx = box[0] + index * (box[2] - box[0]) / 23
        draw.line((fx, box[3], fx, box[3] + r * 0.15), fill=(190, 30, 40), width=5)


def _bag(draw, x, y, r, variant):
    small = variant == "small"
    width, height = (0.8, 0.5) if small else (0.75, 0.75)
    box = (x - r * width, y + r * 0.85 - r * height * 1.6, x + r * width, y + r * 0.85)
    if not small:
        draw.arc((x - r * 0.45, box[1] - r * 0.6, x + r * 0.45, box[1] + r * 0.5), 180, 360, fill=(110, 60, 30),
                 width=16)
    draw.rounded_rectangle(box, radius=r * 0.1, fill=(30, 26, 28), outline=INK, width=5)
    _brocade_pattern(draw, (box[0] + 10, box[1] + 10, box[2] - 10, box[3] - 10), rows=2 if small else 3)


def _vase(draw, x, y, r, variant):
    glaze = (52, 96, 150)
    outline = [(x - r * 0.15, y - r * 1.0), (x + r * 0.15, y - r * 1.0), (x + r * 0.12, y - r * 0.6),
               (x + r * 0.5, y - r * 0.2), (x + r * 0.55, y + r * 0.4), (x + r * 0.3, y + r * 0.9),
               (x - r * 0.3, y + r * 0.9), (x - r * 0.55, y + r * 0.4), (x - r * 0.5, y - r * 0.2),
               (x - r * 0.12, y - r * 0.6)]
    draw.polygon(outline, fill=glaze, outline=INK)
    draw.line((x - r * 0.3, y - r * 0.1, x - r * 0.35, y + r * 0.5), fill=(140, 180, 220), width=12)
    draw.arc((x - r * 0.45, y - r * 0.1, x + r * 0.45, y + r * 0.5), 20, 160, fill=(230, 220, 180), width=6)


def _teapot(draw, x, y, r, variant):
    glaze = (214, 170, 60)
    draw.ellipse((x - r * 0.55, y - r * 0.35, x + r * 0.55, y + r * 0.55), fill=glaze, outline=INK, width=6)
    draw.polygon([(x + r * 0.5, y + r * 0.1), (x + r * 0.95, y - r * 0.35), (x + r * 1.0, y - r * 0.28),
                  (x + r * 0.5, y + r * 0.3)], fill=glaze, outline=INK)
    draw.arc((x - r * 0.9, y - r * 0.25, x - r * 0.35, y + r * 0.35), 90, 270, fill=INK, width=12)
    draw.ellipse((x - r * 0.25, y - r * 0.5, x + r * 0.25, y - r * 0.3), fill=glaze, outline=INK, width=5)
    for index in (-1, 1):
        cx = x + index * r * 0.55
        draw.chord((cx - r * 0.2, y + r * 0.55, cx + r * 0.2, y + r * 0.95), 0, 180, fill=glaze, outline=INK, width=4)


def _planter(draw, x, y, r, variant):
    for index in range(5):
        angle = -1.0 + index * 0.5
        draw.polygon(_oval(x + math.sin(angle) * r * 0.35, y - r * 0.2 - math.cos(angle) * r * 0.25, r * 0.3,
                           r * 0.12, angle - math.pi / 2), fill=(80, 150, 80), outline=INK)
    draw.polygon([(x - r * 0.65, y), (x + r * 0.65, y), (x + r * 0.45, y + r * 0.9), (x - r * 0.45, y + r * 0.9)],
                 fill=(70, 130, 110), outline=INK)
    draw.rectangle((x - r * 0.7, y - r * 0.08, x + r * 0.7, y + r * 0.08), fill=(80, 150, 126), outline=INK)


def _basket(draw, x, y, r, variant):
    tall = variant == "tall"
    top = y - r * (0.9 if tall else 0.4)
    outline = [(x - r * 0.7, top), (x + r * 0.7, top), (x + r * (0.3 if tall else 0.55), y + r * 0.9),
               (x - r * (0.3 if tall else 0.55), y + r * 0.9)]
    draw.polygon(outline, fill=(196, 150, 90), outline=INK)
    rows = 9 if tall else 6
    for row in range(1, rows):
        yy = top + row * (y + r * 0.9 - top) / rows
        draw.line((x - r * 0.68, yy, x + r * 0.68, yy), fill=(150, 104, 56), width=4)
    for column in range(-6, 7):
        draw.line((x + column * r * 0.1, top, x + column * r * (0.04 if tall else 0.075), y + r * 0.9),
                  fill=(150, 104, 56), width=3)
    draw.arc((x - r * 0.6, top - r * 0.5, x + r * 0.6, top + r * 0.4), 180, 360, fill=(120, 80, 40), width=12)


def _flower_pot(draw, x, y, r, variant):
    petals = _tint(variant, "yellow")
    draw.polygon([(x - r * 0.5, y + r * 0.35), (x + r * 0.5, y + r * 0.35), (x + r * 0.38, y + r * 0.95),
                  (x - r * 0.38, y + r * 0.95)], fill=(170, 80, 50), outline=INK)
    draw.chord((x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9), 180, 360, fill=(70, 130, 60))
    for index in range(80):
        angle, distance = index * 2.4, math.sqrt(index / 80) * 0.82
        px = x + math.cos(angle) * r * distance
        py = y + r * 0.05 - abs(math.sin(angle)) * r * distance * 0.9
        draw.ellipse((px - 16, py - 16, px + 16, py + 16), fill=petals, outline=_mix(petals, INK, 0.3))


def _bonsai(draw, x, y, r, variant):
    draw.rectangle((x - r * 0.6, y + r * 0.6, x + r * 0.6, y + r * 0.95), fill=(60, 70, 110), outline=INK, width=5)
    draw.line([(x, y + r * 0.6), (x - r * 0.2, y + r * 0.2), (x + r * 0.1, y - r * 0.2), (x - r * 0.1, y - r * 0.6)],
              fill=(90, 60, 40), width=28, joint="curve")
    draw.line([(x + r * 0.05, y - r * 0.15), (x + r * 0.5, y - r * 0.35)], fill=(90, 60, 40), width=16)
    for cx, cy in ((-0.4, -0.6), (0.0, -0.85), (0.45, -0.45), (-0.5, -0.15), (0.6, -0.05)):
        draw.ellipse((x + cx * r - r * 0.28, y + cy * r - r * 0.18, x + cx * r + r * 0.28, y + cy * r + r * 0.18),
                     fill=(110, 120, 60))
        for dot in range(6):
            px, py = x + cx * r + math.cos(dot) * r * 0.18, y + cy * r + math.sin(dot) * r * 0.1
            draw.ellipse((px - 10, py - 10, px + 10, py + 10), fill=TINTS["gold"])


def _orchid(draw, x, y, r, variant):
    draw.polygon([(x - r * 0.35, y + r * 0.45), (x + r * 0.35, y + r * 0.45), (x + r * 0.28, y + r * 0.95),
                  (x - r * 0.28, y + r * 0.95)], fill=(240, 240, 236), outline=INK)
    for stem in (-1, 0, 1):
        points = [(x + stem * r * 0.08, y + r * 0.45), (x + stem * r * 0.3, y - r * 0.4),
                  (x + stem * r * 0.6 + r * 0.2, y - r * 0.75)]
        draw.line(points, fill=(90, 120, 60), width=8, joint="curve")
        for index in range(3):
            px = x + stem * r * (0.3 + index * 0.12) + index * r * 0.08
            py = y - r * (0.3 + index * 0.18)
            for petal in range(5):
                angle = petal * math.tau / 5
                draw.ellipse((px + math.cos(angle) * 18 - 16, py + math.sin(angle) * 18 - 16,
                              px + math.cos(angle) * 18 + 16, py + math.sin(angle) * 18 + 16), fill=(236, 180, 214))
            draw.ellipse((px - 8, py - 8, px + 8, py + 8), fill=(200, 60, 120))


def _citadel(draw, x, y, r, variant):
    wall = (150, 130, 110)
    draw.rectangle((x - r * 1.3, y - r * 0.1, x + r * 1.3, y + r * 0.9), fill=wall, outline=INK, width=5)
    for row in range(4):
        for column in range(13):
            offset = (row % 2) * r * 0.1
            left = x - r * 1.3 + column * r * 0.2 + offset
            if left + r * 0.2 > x + r * 1.3:
                continue
            draw.rectangle((left, y - r * 0.1 + row * r * 0.25, left + r * 0.2, y + r * 0.15 + row * r * 0.25),
                           outline=_mix(wall, INK, 0.3), width=3)
    draw.chord((x - r * 0.3, y + r * 0.3, x + r * 0.3, y + r * 1.3), 180, 360, fill=(50, 40, 36))
    draw.rectangle((x - r * 0.3, y + r * 0.8, x + r * 0.3, y + r * 0.9), fill=(50, 40, 36))
    draw.rectangle((x - r * 0.55, y - r * 0.55, x + r * 0.55, y - r * 0.1), fill=(170, 50, 40), outline=INK, width=5)
    draw.polygon([(x - r * 0.85, y - r * 0.5), (x + r * 0.85, y - r * 0.5), (x + r * 0.55, y - r * 0.85),
                  (x - r * 0.55, y - r * 0.85)], fill=(120, 70, 50), outline=INK)
    for side in (-1, 1):
        draw.line((x + side * r * 0.85, y - r * 0.5, x + side * r * 0.98, y - r * 0.62), fill=(120, 70, 50), width=10)


def _village(draw, x, y, r, variant):
    draw.rectangle((x - r * 1.4, y + r * 0.55, x + r * 1.4, y + r * 1.0), fill=(90, 150, 190))
    draw.polygon([(x - r * 1.4, y + r * 0.6), (x - r * 0.6, y - r * 0.4), (x + r * 0.3, y + r * 0.1),
                  (x + r * 1.4, y - r * 0.2), (x + r * 1.4, y + r * 0.6)], fill=(150, 140, 120), outline=INK)
    for index, (hx, hy) in enumerate(((-0.9, 0.2), (-0.35, 0.0), (0.25, 0.25), (0.85, 0.05))):
        cx, cy = x + hx * r, y + hy * r
        draw.rectangle((cx - r * 0.2, cy, cx + r * 0.2, cy + r * 0.28), fill=CREAM, outline=INK, width=4)
        draw.polygon([(cx - r * 0.28, cy), (cx + r * 0.28, cy), (cx, cy - r * 0.25)],
                     fill=(180, 80, 50) if index % 2 else (150, 110, 60), outline=INK)
    draw.ellipse((x + r * 0.9, y - r * 1.0, x + r * 1.2, y - r * 0.7), fill=(250, 210, 90))


def _garlic_field(draw, x, y, r, variant):
    draw.rectangle((x - r * 1.4, y - r * 0.6, x + r * 1.4, y - r * 0.3), fill=(90, 150, 200))
    draw.rectangle((x - r * 1.4, y - r * 0.3, x + r * 1.4, y + r * 0.95), fill=(236, 226, 200))
    for row in range(5):
        yy = y - r * 0.15 + row * r * 0.23
        for column in range(14):
            xx = x - r * 1.3 + column * r * 0.2 + (row % 2) * r * 0.1
            draw.line((xx, yy, xx - 8, yy - r * 0.16), fill=(70, 140, 60), width=6)
            draw.line((xx, yy, xx + 10, yy - r * 0.14), fill=(90, 160, 70), width=6)


MOTIFS = {
    "garlic": _garlic, "garlic_single": lambda d, x, y, r, v: _garlic(d, x, y, r, v, single=True),
    "black_garlic": lambda d, x, y, r, v: _garlic(d, x, y, r, v, black=True), "shallot": _shallot,
    "jar": _jar, "bottle": _bottle, "dropper": _dropper, "cinnamon": _cinnamon, "incense": _incense,
    "cup": _cup, "soap": _soap, "gift_box": _gift_box, "candy_discs": _candy_discs, "candy": _candy,
    "puffed_cake": _puffed_cake, "crystals": _crystals, "sugar_block": _sugar_block, "salt": _salt,
    "fish": _fish, "squid": _squid, "seaweed": _seaweed, "fish_cake": _fish_cake, "clay_pot": _clay_pot,
    "mushroom": _mushroom, "beef": _beef, "rice_paper": _rice_paper, "rice_bag": _rice_bag,
    "wine_jar": _wine_jar, "seeds": _seeds, "leaves": _leaves, "ginger": _ginger, "brocade": _brocade,
    "bag": _bag, "vase": _vase, "teapot": _teapot, "planter": _planter, "basket": _basket,
    "flower_pot": _flower_pot, "bonsai": _bonsai, "orchid": _orchid, "citadel": _citadel, "village": _village,
    "garlic_field": _garlic_field,
}


# Scenes of the former districts

def _hills(draw, width, height, colours, base=0.55, amplitude=0.12, waves=2.0):
    for index, colour in enumerate(colours):
        level = height * (base + index * 0.08)
        points = [(0, height * 0.8)]
        for step in range(41):
            xx = width * step / 40
            points.append((xx, level - math.sin(step / 40 * math.pi * waves + index * 1.3) * height * amplitude))
        points.append((width, height * 0.8))
        draw.polygon(points, fill=colour)


def _sun(draw, width, height):
    draw.ellipse((width * 0.78, height * 0.08, width * 0.88, height * 0.21), fill=(252, 214, 110))


def _sea(draw, width, height, top):
    draw.rectangle((0, height * top, width, height * 0.8), fill=(70, 140, 190))
    for index in range(14):
        xx, yy = (index * 157) % width, height * (top + 0.03 + (index % 4) * 0.05)
        draw.arc((xx, yy, xx + width * 0.05, yy + height * 0.02), 200, 340, fill=(210, 236, 250), width=6)


def _boat(draw, x, y, size):
    draw.polygon([(x - size, y), (x + size, y), (x + size * 0.7, y + size * 0.35), (x - size * 0.7, y + size * 0.35)],
                 fill=(60, 90, 140), outline=INK)
    draw.line((x, y, x, y - size * 1.1), fill=INK, width=6)
    draw.polygon([(x, y - size * 1.1), (x + size * 0.7, y - size * 0.15), (x, y - size * 0.15)], fill=(200, 60, 50))


def _river_scene(draw, width, height):
    _sun(draw, width, height)
    _hills(draw, width, height, [(120, 160, 130)], base=0.35, amplitude=0.14, waves=1.0)
    _hills(draw, width, height, [(130, 180, 100), (110, 164, 84)], base=0.55, amplitude=0.03, waves=3)
    draw.polygon([(0, height * 0.62), (width, height * 0.56), (width, height * 0.68), (0, height * 0.76)],
                 fill=(90, 150, 190))
    draw.polygon([(width * 0.45, height * 0.16), (width * 0.48, height * 0.12), (width * 0.51, height * 0.16),
                  (width * 0.5, height * 0.3), (width * 0.46, height * 0.3)], fill=(200, 190, 170))


def _salt_fields_scene(draw, width, height):
    _sun(draw, width, height)
    _sea(draw, width, height, 0.4)
    draw.rectangle((0, height * 0.55, width, height * 0.8), fill=(230, 222, 200))
    for column in range(8):
        for row in range(2):
            left, top = column * width / 8 + 10, height * (0.57 + row * 0.11)
            draw.rectangle((left, top, left + width / 8 - 20, top + height * 0.09), fill=(200, 220, 230),
                           outline=(170, 150, 120), width=5)
    for index in range(5):
        cx = width * (0.1 + index * 0.2)
        draw.polygon([(cx - 40, height * 0.55), (cx + 40, height * 0.55), (cx, height * 0.49)], fill=(252, 252, 248),
                     outline=(180, 180, 180))


def _mountains_scene(draw, width, height):
    _sun(draw, width, height)
    _hills(draw, width, height, [(90, 130, 110), (70, 120, 80), (60, 104, 60)], base=0.38, amplitude=0.15)
    for index in range(3):
        cx, base = width * (0.25 + index * 0.22), height * 0.7
        draw.rectangle((cx - 60, base - 50, cx + 60, base), fill=(150, 110, 70), outline=INK, width=4)
        draw.polygon([(cx - 80, base - 50), (cx + 80, base - 50), (cx, base - 130)], fill=(120, 90, 60), outline=INK)
        for leg in (-50, -15, 20, 50):
            draw.line((cx + leg, base, cx + leg, base + 30), fill=INK, width=6)


def _coast_scene(draw, width, height):
    _sun(draw, width, height)
    _sea(draw, width, height, 0.45)
    draw.polygon([(0, height * 0.8), (0, height * 0.65), (width * 0.4, height * 0.72), (width, height * 0.8)],
                 fill=(236, 220, 180))
    for index in range(3):
        _boat(draw, width * (0.3 + index * 0.22), height * (0.52 + index * 0.04), 50 + index * 10)


def _island_scene(draw, width, height):
    _sun(draw, width, height)
    _sea(draw, width, height, 0.42)
    draw.polygon([(width * 0.1, height * 0.62), (width * 0.3, height * 0.38), (width * 0.42, height * 0.34),
                  (width * 0.55, height * 0.42), (width * 0.9, height * 0.6)], fill=(120, 100, 80), outline=INK)
    draw.polygon([(width * 0.15, height * 0.62), (width * 0.85, height * 0.6), (width * 0.8, height * 0.68),
                  (width * 0.2, height * 0.7)], fill=(236, 226, 200))
    for row in range(3):
        for column in range(20):
            xx, yy = width * (0.22 + column * 0.03), height * (0.62 + row * 0.02)
            draw.line((xx, yy, xx - 5, yy - 16), fill=(70, 140, 60), width=5)


def _fields_scene(draw, width, height):
    _sun(draw, width, height)
    _hills(draw, width, height, [(120, 160, 130)], base=0.38, amplitude=0.08, waves=1.5)
    for row in range(6):
        top = height * (0.5 + row * 0.05)
        draw.rectangle((0, top, width, top + height * 0.05), fill=(110 + row * 12, 170 + row * 4, 70))
        draw.line((0, top, width, top), fill=(90, 130, 60), width=4)
    for index in range(3):
        cx = width * (0.2 + index * 0.3)
        draw.line((cx, height * 0.5, cx, height * 0.38), fill=(90, 70, 50), width=10)
        draw.ellipse((cx - 50, height * 0.3, cx + 50, height * 0.42), fill=(70, 130, 60))


def _cinnamon_hills_scene(draw, width, height):
    _sun(draw, width, height)
    _hills(draw, width, height, [(100, 140, 100), (80, 130, 70)], base=0.42, amplitude=0.14)
    for index in range(16):
        cx, base = width * (0.05 + index * 0.06), height * (0.62 + (index % 3) * 0.04)
        draw.line((cx, base, cx, base - 70), fill=(120, 70, 40), width=10)
        draw.polygon([(cx - 34, base - 50), (cx + 34, base - 50), (cx, base - 140)], fill=(60, 110, 50))


SCENES = {
    "river": _river_scene, "salt_fields": _salt_fields_scene, "mountains": _mountains_scene,
    "coast": _coast_scene, "island": _island_scene, "fields": _fields_scene,
    "cinnamon_hills": _cinnamon_hills_scene,
}


# Shop fronts of the sales points

# One awning colour per sales point, in the order of the demo's points (then round again).
AWNING_COLOURS = (
    (196, 52, 44), (24, 112, 150), (46, 132, 74), (214, 128, 24), (122, 60, 140), (18, 128, 120),
    (180, 40, 96), (60, 90, 170), (150, 96, 30), (90, 140, 40), (200, 80, 60), (40, 100, 110), (170, 120, 20),
)
WALLS = ((246, 236, 214), (236, 228, 236), (226, 238, 228), (248, 232, 220))
SHELF_GOODS = ("amber", "golden", "green", "red", "honey", "brown", "cinnamon", "blue", "pink", "white")


def shop_front_picture(name: str, index: int) -> bytes:
    """A sales point's shop front: its name on the sign, a striped awning in the point's colour, shelves of
    jars and bottles in the windows, a glass door and a potted plant on the pavement."""
    awning = AWNING_COLOURS[index % len(AWNING_COLOURS)]
    wall = WALLS[index % len(WALLS)]
    image = _gradient(PICTURE_SIZE, (170, 214, 240), (236, 244, 248))
    draw = ImageDraw.Draw(image)
    width, height = image.size
    line = max(2, round(width * 0.003))

    # Pavement and kerb.
    draw.rectangle((0, height * 0.86, width, height), fill=(200, 192, 180))
    for column in range(12):
        xx = column * width / 12
        draw.line((xx, height * 0.86, xx - width * 0.04, height), fill=(176, 168, 156), width=line)
    draw.rectangle((0, height * 0.955, width, height), fill=(150, 144, 138))

    # The building, its roof line and the sign.
    draw.rectangle((width * 0.06, height * 0.08, width * 0.94, height * 0.86), fill=wall, outline=INK, width=line)
    draw.rectangle((width * 0.04, height * 0.06, width * 0.96, height * 0.11), fill=_mix(awning, INK, 0.45))
    board = _mix(awning, INK, 0.55)
    draw.rounded_rectangle((width * 0.12, height * 0.15, width * 0.88, height * 0.34), radius=width * 0.012,
                           fill=board, outline=(226, 186, 80), width=line * 2)
    _sign_text(draw, name, (width * 0.5, height * 0.245), width * 0.72, height * 0.17)

    # The striped awning with its scalloped edge and a red lantern at each end.
    top, bottom = height * 0.37, height * 0.47
    stripes = 12
    for stripe in range(stripes):
        x0 = width * (0.1 + 0.8 * stripe / stripes)
        x1 = width * (0.1 + 0.8 * (stripe + 1) / stripes)
        b0 = width * (0.08 + 0.84 * stripe / stripes)
        b1 = width * (0.08 + 0.84 * (stripe + 1) / stripes)
        colour = awning if stripe % 2 == 0 else CREAM
        draw.polygon([(x0, top), (x1, top), (b1, bottom), (b0, bottom)], fill=colour)
        draw.chord((b0, bottom - (b1 - b0) / 2, b1, bottom + (b1 - b0) / 2), 0, 180, fill=colour)
    draw.line((width * 0.1, top, width * 0.9, top), fill=INK, width=line)
    for side in (0.1, 0.9):
        cx, cy = width * side, bottom + height * 0.07
        draw.line((cx, bottom, cx, cy - height * 0.03), fill=INK, width=line)
        draw.ellipse((cx - width * 0.022, cy - height * 0.035, cx + width * 0.022, cy + height * 0.035),
                     fill=(214, 40, 36), outline=(150, 20, 20), width=line)
        draw.line((cx, cy + height * 0.035, cx, cy + height * 0.06), fill=(240, 190, 60), width=line * 2)

    # Two windows with shelves of goods, and the door between them.
    rng_step = index * 7
    for left, right in ((0.12, 0.46), (0.7, 0.88)):
        _shop_window(draw, width * left, height * 0.53, width * right, height * 0.82, line, rng_step)
        rng_step += 5
    door = (width * 0.51, height * 0.52, width * 0.65, height * 0.86)
    draw.rectangle(door, fill=_mix(awning, INK, 0.3), outline=INK, width=line)
    draw.rectangle((door[0] + width * 0.012, door[1] + height * 0.02, door[2] - width * 0.012, door[3] - height * 0.12),
                   fill=(196, 224, 236))
    draw.line((door[0] + width * 0.03, door[1] + height * 0.05, door[0] + width * 0.06, door[1] + height * 0.02),
              fill=(240, 250, 252), width=line * 2)
    draw.rounded_rectangle((door[2] - width * 0.03, height * 0.7, door[2] - width * 0.022, height * 0.76),
                           radius=line, fill=(226, 186, 80))
    # The OCOP sticker on the door: a gold star in a red disc.
    cx, cy, r = (door[0] + door[2]) / 2, door[1] + height * 0.1, width * 0.025
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(190, 40, 36), outline=(240, 190, 60), width=line)
    draw.polygon(_star(cx, cy, r * 0.75, r * 0.32), fill=(248, 206, 70))

    # A potted plant on the pavement by the door.
    px, py = width * 0.68, height * 0.9
    draw.polygon([(px - width * 0.025, py - height * 0.06), (px + width * 0.025, py - height * 0.06),
                  (px + width * 0.018, py), (px - width * 0.018, py)], fill=(176, 88, 50), outline=INK)
    for angle in range(-70, 71, 28):
        tip = (px + math.sin(math.radians(angle)) * width * 0.05, py - height * 0.06 - math.cos(math.radians(angle))
               * height * 0.11)
        draw.line((px, py - height * 0.06, *tip), fill=(60, 130, 60), width=line * 3)

    draw.text((width * 0.015, height * 0.03), "Minh họa · Illustration", font=_font(False, round(height * 0.026)),
              fill=(40, 70, 90), anchor="lm")
    return _finish(image)


def _sign_text(draw, name: str, centre: tuple[float, float], max_width: float, max_height: float) -> None:
    """The name on the sign: "ĐIỂM GIỚI THIỆU … OCOP" small above, the place's own words large below."""
    before, marker, after = name.partition("OCOP")
    first, second = (before + marker).strip(), after.strip(" –-")
    if not marker or not second:
        first, second = "", name
    x, y = centre
    if first:
        small = _fitting_font(draw, first.upper(), True, round(max_height * 0.24), max_width)
        draw.text((x, y - max_height * 0.2), first.upper(), font=small, fill=(246, 214, 120), anchor="mm")
        big = _fitting_font(draw, second, True, round(max_height * 0.38), max_width)
        draw.text((x, y + max_height * 0.16), second, font=big, fill=CREAM, anchor="mm")
    else:
        big = _fitting_font(draw, second, True, round(max_height * 0.4), max_width)
        draw.text((x, y), second, font=big, fill=CREAM, anchor="mm")


def shop_interior_picture(index: int) -> bytes:
    """Inside a showroom: shelves of OCOP goods along the wall, lamps, and the counter in the point's colour."""
    awning = AWNING_COLOURS[index % len(AWNING_COLOURS)]
    image = _gradient(PICTURE_SIZE, (250, 240, 222), (232, 218, 196))
    draw = ImageDraw.Draw(image)
    width, height = image.size
    line = max(2, round(width * 0.003))
    draw.rectangle((0, height * 0.78, width, height), fill=(196, 160, 120))
    for column in range(10):
        xx = column * width / 9
        draw.line((width / 2 + (xx - width / 2) * 0.6, height * 0.78, xx, height), fill=(170, 134, 96), width=line)
    for step, (left, right) in enumerate(((0.04, 0.34), (0.36, 0.64), (0.66, 0.96))):
        draw.rectangle((width * left - line * 3, height * 0.14, width * right + line * 3, height * 0.78),
                       fill=(150, 100, 60))
        _shop_window(draw, width * left, height * 0.16, width * right, height * 0.76, line, index * 7 + step * 4,
                     backing=(246, 236, 220), shelves=4)
    for side in (0.28, 0.5, 0.72):
        cx = width * side
        draw.line((cx, 0, cx, height * 0.05), fill=INK, width=line)
        draw.chord((cx - width * 0.05, height * 0.03, cx + width * 0.05, height * 0.12), 180, 360,
                   fill=_mix(awning, INK, 0.2))
        draw.ellipse((cx - width * 0.012, height * 0.065, cx + width * 0.012, height * 0.095), fill=(255, 236, 160))
    counter = (width * 0.22, height * 0.64, width * 0.78, height * 0.92)
    draw.rectangle((counter[0] - width * 0.02, counter[1] - height * 0.03, counter[2] + width * 0.02, counter[1]),
                   fill=(120, 80, 50), outline=INK, width=line)
    draw.rectangle(counter, fill=awning, outline=INK, width=line)
    cx, cy, r = width * 0.5, height * 0.78, width * 0.045
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(190, 40, 36), outline=(240, 190, 60), width=line * 2)
    draw.polygon(_star(cx, cy, r * 0.75, r * 0.32), fill=(248, 206, 70))
    draw.text((cx, cy + r * 1.6), "OCOP", font=_font(True, round(height * 0.045)), fill=CREAM, anchor="mm")
    draw.text((width * 0.015, height * 0.03), "Minh họa · Illustration", font=_font(False, round(height * 0.026)),
              fill=(90, 60, 40), anchor="lm")
    return _finish(image)


def _shop_window(draw, left, top, right, bottom, line, seed, backing=(214, 232, 238), shelves=3) -> None:
    draw.rectangle((left, top, right, bottom), fill=backing, outline=INK, width=line)
    height = (bottom - top) / shelves
    for shelf in range(shelves):
        base = top + height * (shelf + 1) - line * 2
        draw.rectangle((left, base, right, base + line * 2), fill=(140, 96, 56))
        x = left + line * 4
        item = 0
        while True:
            tint = TINTS[SHELF_GOODS[(seed + shelf * 3 + item) % len(SHELF_GOODS)]]
            tall = (seed + item + shelf) % 3
            item_width = height * (0.28 if tall == 1 else 0.36)
            if x + item_width > right - line * 4:
                break
            item_height = height * (0.7 if tall == 1 else 0.5 if tall == 0 else 0.42)
            if tall == 1:  # a bottle
                draw.rectangle((x, base - item_height * 0.75, x + item_width, base), fill=tint, outline=INK, width=1)
                draw.rectangle((x + item_width * 0.32, base - item_height, x + item_width * 0.68,
                                base - item_height * 0.75), fill=tint, outline=INK, width=1)
            else:  # a jar with a lid and a label
                draw.rounded_rectangle((x, base - item_height, x + item_width, base), radius=line * 2, fill=tint,
                                       outline=INK, width=1)
                draw.rectangle((x - line, base - item_height - line * 3, x + item_width + line,
                                base - item_height + line), fill=(190, 60, 40))
                draw.rectangle((x + item_width * 0.15, base - item_height * 0.6, x + item_width * 0.85,
                                base - item_height * 0.3), fill=CREAM)
            x += item_width + line * 5
            item += 1
    if backing == (214, 232, 238):  # glass: a glint
            draw.line((left + line * 6, top + line * 6, left + (right - left) * 0.3, top + line * 6),
                  fill=(250, 252, 252), width=line * 2)


def _star(cx, cy, outer, inner):
    return [(cx + math.cos(math.radians(-90 + step * 36)) * (outer if step % 2 == 0 else inner),
             cy + math.sin(math.radians(-90 + step * 36)) * (outer if step % 2 == 0 else inner)) for step in range(10)]
