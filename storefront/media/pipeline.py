"""Images in, WebP renditions out: every photo and logo of the shop goes through here.

Refuses what is not a JPEG, PNG or WebP by its content (whatever its name says), what is too large
in bytes or pixels (decompression bombs included), and keeps no metadata (EXIF, GPS, ICC, XMP).
Files are named by the hash of the original, so the same upload is stored once and a rendition's
URL can be cached for a year.
"""
import hashlib
import io
import os
import tempfile
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from .models import MediaImage

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEBP_QUALITY = 80


class ImageRejected(DomainError):
    pass


def rendition_path(key: str, width: int) -> Path:
    return Path(current_app.config["MEDIA_ROOT"]) / key[:2] / f"{key}-{width}.webp"


def store_image(data: bytes) -> MediaImage:
    """Validate `data`, write its renditions, and stage its MediaImage in the session."""
    config = current_app.config
    if len(data) > config["IMAGE_MAX_BYTES"]:
        raise ImageRejected(f"The image is larger than {config['IMAGE_MAX_BYTES'] // (1024 * 1024)} MB.")
    key = hashlib.sha256(data).hexdigest()[:40]
    existing = db.session.scalar(select(MediaImage).where(MediaImage.key == key))
    if existing is not None:
        return existing
    image = _open_checked(data, config["IMAGE_MAX_PIXELS"])
    widths = _rendition_widths(image.width, config["IMAGE_WIDTHS"])
    for width in widths:
        _write_webp(_resized(image, width), rendition_path(key, width))
    media = MediaImage(key=key, width=image.width, height=image.height,
                       rendition_widths=",".join(map(str, widths)))
    db.session.add(media)
    return media


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected("Only JPEG, PNG and WebP photos are accepted.")
            if probe.width * probe.height > max_pixels:
                raise ImageRejected("The image has too many pixels.")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("The file is not a photo the shop can read.") from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected("The photo is damaged or incomplete.") from None
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


def _write_webp(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
