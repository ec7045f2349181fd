"""Photo uploads refuse what is not what it claims to be, storing nothing: no file, no row."""
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import ListingEdit, ProductImage
from storefront.extensions import db
from storefront.media.models import MediaImage

from backoffice import admin_client, jpeg, multipart, producer_client  # noqa: F401  (fixtures)


def files_under(folder) -> list[Path]:
    return [path for path in Path(folder).rglob("*") if path.is_file()]


def bomb(side=30_000) -> bytes:
    """A small PNG that decodes to side × side pixels (900 megapixels by default)."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    return buffer.getvalue()


def real_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of width × height pixels, written row by row (a few kB for 400 megapixels)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then 1 bit a pixel
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


REFUSED = {
    "a script renamed .jpg": (b"#!/bin/sh\nrm -rf /\n" * 20, "photo.jpg",
                              "The file is not a photo the shop can read: send a JPEG, PNG or WebP photo."),
    "an SVG": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg",
               "The file is not a photo the shop can read: send a JPEG, PNG or WebP photo."),
    "a GIF": (None, "anim.gif", "This is a GIF file: only JPEG, PNG and WebP photos are accepted."),
    "a decompression bomb": ("bomb", "big.png", "The photo is too large: 30000 × 30000 pixels (900 megapixels). "
                                                "At most 40 megapixels are accepted"),
    "64 megapixels": ("pixels", "wide.png", "The photo is too large: 8000 × 8000 pixels (64 megapixels). "
                                            "At most 40 megapixels are accepted"),
    "a truncated JPEG": ("truncated", "cut.jpg", "The photo is damaged or incomplete: send it again"),
    "an 11 MB file": (b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "huge.jpg",
                      "The file is too large: a photo may have at most 10 MB."),
}


def payload(kind, jpeg):
    data, name, message = REFUSED[kind]
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, "GIF")
        data = buffer.getvalue()
    elif data == "bomb":
        data = bomb()
    elif data == "pixels":
        data = bomb(8_000)
    elif data == "truncated":
        data = jpeg()[:400]
    return data, name, message


@pytest.mark.parametrize("kind", REFUSED)
@pytest.mark.parametrize("who", ["producer", "admin"])
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(app, make_product, producer_client,
                                                                     admin_client, jpeg, kind, who):
    product = make_product(name_vi="Quế Trà Bồng")
    db.session.commit()
    client = producer_client(product.producer) if who == "producer" else admin_client
    url = f"/en/producer/products/{product.id}/photos" if who == "producer" else \
        f"/en/admin/products/{product.id}/photos"
    data, name, message = payload(kind, jpeg)
    before = files_under(app.config["MEDIA_ROOT"])
    response = client.post(url, **multipart({"photo": (data, name), "alt_vi": "Ảnh", "alt_en": ""}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert files_under(app.config["MEDIA_ROOT"]) == before
    for model in (MediaImage, ProductImage, ListingEdit, AuditEntry):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model


@pytest.mark.parametrize("lang,message", [
    ("", "Ảnh quá lớn: 20000 × 20000 điểm ảnh (400 megapixel). Chỉ nhận ảnh tối đa 40 megapixel"),
    ("/en", "The photo is too large: 20000 × 20000 pixels (400 megapixels). At most 40 megapixels are accepted"),
])
def test_a_20000_by_20000_png_is_refused_as_too_large_with_the_limit(app, make_product, producer_client, lang,
                                                                     message):
    product = make_product(name_vi="Quế Trà Bồng")
    db.session.commit()
    response = producer_client(product.producer).post(
        f"{lang}/producer/products/{product.id}/photos",
        **multipart({"photo": (real_png(20_000, 20_000), "scan.png"), "alt_vi": "Ảnh"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "không phải ảnh" not in page and "not a photo" not in page
    assert db.session.scalar(select(func.count()).select_from(MediaImage)) == 0


def test_a_50_mb_request_is_refused_before_it_is_read(app, make_product, producer_client):
    product = make_product()
    db.session.commit()
    client = producer_client(product.producer)
    before = files_under(app.config["MEDIA_ROOT"])
    response = client.post(f"/en/producer/products/{product.id}/photos",
                           **multipart({"photo": (b"\xff\xd8\xff" + b"0" * (50 * 1024 * 1024), "big.jpg"),
                                        "alt_vi": "Ảnh"}))
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    assert files_under(app.config["MEDIA_ROOT"]) == before
    assert db.session.scalar(select(func.count()).select_from(MediaImage)) == 0


def test_a_photo_without_a_description_or_file_is_refused(make_product, producer_client, jpeg):
    product = make_product()
    db.session.commit()
    client = producer_client(product.producer)
    no_alt = client.post(f"/en/producer/products/{product.id}/photos", content_type="multipart/form-data",
                         data={"photo": (io.BytesIO(jpeg()), "a.jpg"), "alt_vi": ""})
    assert no_alt.status_code == 400 and "Describe the photo in Vietnamese" in no_alt.get_data(as_text=True)
    no_file = client.post(f"/en/producer/products/{product.id}/photos", content_type="multipart/form-data",
                          data={"alt_vi": "Ảnh"})
    assert no_file.status_code == 400 and "Choose a photo" in no_file.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MediaImage)) == 0


def test_a_phone_photo_is_stored_without_its_location_and_shown_at_once_by_the_office(
        app, make_product, admin_client, client):
    product = make_product(name_vi="Tỏi đen")
    db.session.commit()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (15.0, 7.0, 12.0)}  # GPS position
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 40, 20)).save(buffer, "JPEG", exif=exif)
    response = admin_client.post(f"/admin/products/{product.id}/photos", content_type="multipart/form-data",
                                 data={"photo": (io.BytesIO(buffer.getvalue()), "IMG_2024.JPG"),
                                       "alt_vi": "Tỏi đen bóc vỏ", "alt_en": "Peeled black garlic"})
    assert response.status_code == 302
    db.session.refresh(product)
    [photo] = product.images
    assert (photo.alt_vi, photo.alt_en) == ("Tỏi đen bóc vỏ", "Peeled black garlic")
    written = [path for path in files_under(app.config["MEDIA_ROOT"]) if path.name.startswith(photo.image.key)]
    assert written
    for path in written:
        with Image.open(path) as rendition:
            assert not rendition.getexif() and "exif" not in rendition.info
    assert 'alt="Tỏi đen bóc vỏ"' in client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "product.photos"
