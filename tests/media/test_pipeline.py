"""The image pipeline accepts real photos only, makes WebP renditions, and strips metadata."""
import io
import re
import zlib
import struct

import pytest
from PIL import Image

from storefront.extensions import db
from storefront.i18n import set_lang
from storefront.media.models import MediaImage
from storefront.media.pipeline import ImageRejected, rendition_name, store_image
from storefront.media.storage import media_store


def photo_bytes(size=(1200, 900), format="JPEG", exif=True) -> bytes:
    image = Image.new("RGB", size, (180, 60, 40))
    out = io.BytesIO()
    if exif and format == "JPEG":
        metadata = Image.Exif()
        metadata[0x010F] = "PhoneMaker"  # camera make
        metadata[0x8825] = {2: (15.0, 7.0, 0.0)}  # GPS latitude
        image.save(out, format, exif=metadata.tobytes())
    else:
        image.save(out, format)
    return out.getvalue()


def test_a_photo_becomes_webp_renditions_without_metadata(app):
    media = store_image(photo_bytes())
    assert media.widths == [320, 640, 960]
    assert (media.width, media.height) == (1200, 900)
    for width in media.widths:
        with Image.open(io.BytesIO(media_store().get(rendition_name(media.key, width)))) as rendition:
            assert rendition.format == "WEBP"
            assert rendition.width == width
            assert rendition.height == round(900 * width / 1200)
            assert not rendition.getexif()
            assert "exif" not in rendition.info and "icc_profile" not in rendition.info


def test_a_small_image_is_never_upscaled(app):
    media = store_image(photo_bytes((500, 500), "PNG"))
    assert media.widths == [320, 500]


def test_the_same_upload_is_stored_once(app):
    data = photo_bytes()
    assert store_image(data) is store_image(data)
    db.session.flush()
    assert db.session.query(MediaImage).count() == 1


def png_with_claimed_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: a decompression bomb's calling card."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data, reason", [
    (b"#!/bin/sh\nrm -rf /\n", "a script renamed .jpg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "an SVG"),
    (b"GIF89a" + b"\x00" * 100, "a broken GIF"),
    (png_with_claimed_size(50_000, 50_000), "a decompression bomb"),
    (photo_bytes()[:2000], "a truncated JPEG"),
])
def test_what_is_not_a_photo_is_refused_and_nothing_is_stored(app, data, reason):
    with pytest.raises(ImageRejected):
        store_image(data)
    assert db.session.query(MediaImage).count() == 0, reason


@pytest.mark.parametrize("data, message", [
    (png_with_claimed_size(20_000, 20_000), "The photo is too large: 20000 × 20000 pixels (400 megapixels). "
                                            "At most 40 megapixels are accepted"),
    (png_with_claimed_size(9_000, 5_000), "The photo is too large: 9000 × 5000 pixels (45 megapixels). "
                                          "At most 40 megapixels are accepted"),
    (photo_bytes(format="GIF"), "This is a GIF file: only JPEG, PNG and WebP photos are accepted."),
    (b"<svg/>", "The file is not a photo the shop can read: send a JPEG, PNG or WebP photo."),
    (photo_bytes()[:2000], "The photo is damaged or incomplete: send it again, as a JPEG, PNG or WebP photo."),
])
def test_each_refusal_says_what_is_wrong_and_what_is_accepted(app, data, message):
    with app.test_request_context("/en/"):
        set_lang("en")
        with pytest.raises(ImageRejected) as refused:
            store_image(data)
    assert str(refused.value).startswith(message)


def test_refusals_are_in_vietnamese_on_vietnamese_pages(app):
    with app.test_request_context("/"):
        set_lang("vi")
        with pytest.raises(ImageRejected) as refused:
            store_image(png_with_claimed_size(20_000, 20_000))
    assert str(refused.value).startswith("Ảnh quá lớn: 20000 × 20000 điểm ảnh (400 megapixel). "
                                         "Chỉ nhận ảnh tối đa 40 megapixel")


def test_a_file_over_the_byte_limit_is_refused_before_decoding(app, monkeypatch):
    monkeypatch.setitem(app.config, "IMAGE_MAX_BYTES", 1000)
    with app.test_request_context("/en/"), pytest.raises(ImageRejected) as refused:
        set_lang("en")
        store_image(photo_bytes())
    assert re.fullmatch(r"The file is too large \([\d.]+ KB\): a photo may have at most 1 KB\.", str(refused.value))


def test_renditions_are_served_with_a_long_cache_lifetime(app, client):
    media = store_image(photo_bytes())
    db.session.commit()
    response = client.get(f"/media/{media.key[:2]}/{media.key}-640.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert "immutable" in response.headers["Cache-Control"]
    response.close()
    assert client.get(f"/media/{media.key[:2]}/{media.key}-123.webp").status_code == 404
    assert client.get("/media/ab/..%2f..%2fetc%2fpasswd-640.webp").status_code == 404


def test_a_revalidated_rendition_answers_304_and_holds_no_file_open(app, client):
    media = store_image(photo_bytes())
    db.session.commit()
    url = f"/media/{media.key[:2]}/{media.key}-320.webp"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # Warnings are errors: a file left open by either answer would fail this test when collected.
    import gc
    gc.collect()
