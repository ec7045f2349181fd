"""Images in, WebP renditions out: every photo and logo of the shop goes through here.

Refuses what is not a JPEG, PNG or WebP by its content (whatever its name says), what is too large
in bytes or pixels (decompression bombs included), and keeps no metadata (EXIF, GPS, ICC, XMP).
Each refusal says, in the visitor's language, what is wrong and what is accepted.
Files are named by the hash of the original, so the same upload is stored once and a rendition's
URL can be cached for a year.
"""
import hashlib
import io
import warnings

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from .models import MediaImage
from .storage import media_store

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 80


class ImageRejected(DomainError):
    pass


def rendition_name(key: str, width: int) -> str:
    """The rendition's name in the media store (and its path under /media/)."""
    return f"{key[:2]}/{key}-{width}.webp"


def store_image(data: bytes) -> MediaImage:
    """Validate `data`, write its renditions to the media store, and stage its MediaImage in the session.

    With the PostgreSQL store the renditions are written in the session's transaction: a rolled-back
    upload leaves nothing."""
    config = current_app.config
    if len(data) > config["IMAGE_MAX_BYTES"]:
        raise ImageRejected(_("The file is too large (%(size)s): a photo may have at most %(limit)s.",
                              size=_file_size(len(data)), limit=_file_size(config["IMAGE_MAX_BYTES"])))
    key = hashlib.sha256(data).hexdigest()[:40]
    # Shared lock: `flask media prune` cannot remove an image this upload is about to use again (it locks
    # the rows it removes, and skips the ones in use).
    existing = db.session.scalar(select(MediaImage).where(MediaImage.key == key).with_for_update(read=True))
    if existing is not None:
        return existing
    image = _open_checked(data, config["IMAGE_MAX_PIXELS"])
    widths = _rendition_widths(image.width, config["IMAGE_WIDTHS"])
    store = media_store()
    for width in widths:
        store.put(rendition_name(key, width), _webp(_resized(image, width)))
    media = MediaImage(key=key, width=image.width, height=image.height,
                       rendition_widths=",".join(map(str, widths)))
    db.session.add(media)
    return media


def _file_size(size: int) -> str:
    """10485760 → "10 MB", 1572864 → "1.5 MB", 1000 → "1 KB": whole units unless that would round to a lie."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale or unit == "KB":
            amount = size / scale
            return f"{round(amount) if abs(amount - round(amount)) < 0.05 else f'{amount:.1f}'} {unit}"
    raise AssertionError("unreachable")


def _megapixels(pixels: int) -> str:
    megapixels = pixels / 1_000_000
    return str(round(megapixels)) if abs(megapixels - round(megapixels)) < 0.05 else f"{megapixels:.1f}"


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> ImageRejected:
    if size is None:
        return ImageRejected(_("The photo has too many pixels: at most %(limit)s megapixels are accepted.",
                               limit=_megapixels(max_pixels)))
    width, height = size
    return ImageRejected(_("The photo is too large: %(width)s × %(height)s pixels (%(megapixels)s megapixels). "
                           "At most %(limit)s megapixels are accepted: make it smaller, or send a phone photo.",
                           width=width, height=height, megapixels=_megapixels(width * height),
                           limit=_megapixels(max_pixels)))


def _claimed_size(data: bytes) -> tuple[int, int] | None:
    """The width and height a JPEG, PNG or WebP header claims, read without decoding anything (and so without
    Pillow's own refusal of decompression bombs, which would hide how large the photo says it is)."""
    Image.init()
    for format in sorted(ACCEPTED_FORMATS):
        factory, accept = Image.OPEN[format]
        if accept is not None and accept(data[:16]) is True:
            try:
                with factory(io.BytesIO(data), "") as probe:
                    return probe.size
            except Exception:  # noqa: BLE001 — any header it cannot read simply tells no size
                return None
    return None


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected(_("This is a %(format)s file: only JPEG, PNG and WebP photos are accepted.",
                                      format=probe.format or "?"))
            if probe.width * probe.height > max_pixels:
                raise _too_many_pixels(probe.size, max_pixels)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses it before the shop's own limit is asked: it is a photo, with far too many pixels.
        raise _too_many_pixels(_claimed_size(data), max_pixels) from None
    except UnidentifiedImageError:
        raise ImageRejected(_("The file is not a photo the shop can read: send a JPEG, PNG or WebP photo.")) from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected(_("The photo is damaged or incomplete: send it again, as a JPEG, PNG or WebP "
                              "photo.")) from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def _rendition_widths(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The configured widths below the original's, plus the original capped at the largest: no upscaling."""
    widths = [w for w in sorted(wanted) if w < width]
    largest = min(width, max(wanted))
    if largest not in widths:
        widths.append(largest)
    return widths


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width == image.width:
        resized = image.copy()
    else:
        resized = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    resized.info = {}  # nothing of the original's metadata goes out
    return resized


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()
