"""Photos of a sales point: the office adds, orders, describes and removes them through the image pipeline;
the point's page shows them (main photo, gallery, share image) and the locator's card a thumbnail."""
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.errors import DomainError, FieldError, NotFound
from storefront.extensions import db
from storefront.locator import operations
from storefront.locator.models import SalesPoint, SalesPointPhoto
from storefront.media.models import MediaImage
from storefront.media.pipeline import rendition_name
from storefront.media.storage import media_store

from backoffice import admin_client, multipart  # noqa: F401  (fixtures)


def photo(color=(180, 90, 40), size=(1200, 900), format="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format)
    return buffer.getvalue()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def point(make_sales_point):
    point = make_sales_point(name_vi="Điểm OCOP Lý Sơn", name_en="Lý Sơn OCOP showroom", is_published=True)
    db.session.commit()
    return point


@pytest.fixture
def in_english():
    """The operations' refusals in English (outside a request they speak the shop's default, Vietnamese)."""
    from flask_babel import force_locale
    with force_locale("en"):
        yield


# --- operations ---

def test_an_added_photo_goes_through_the_pipeline_and_is_audited(app, point):
    added = operations.add_sales_point_photo(point, photo(), "  Mặt tiền cửa hàng\x00 ", "")
    db.session.commit()

    assert added.alt_vi == "Mặt tiền cửa hàng" and added.alt_en is None
    assert added.image.widths == [320, 640, 960]
    for width in added.image.widths:
        assert media_store().exists(rendition_name(added.image.key, width))
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.object_type, entry.object_id) == ("sales_point.photo_add", "salespoint", point.id)
    assert entry.changes == {"photos": [0, 1]}


def test_without_a_description_a_photo_says_the_points_name_and_its_number(point):
    operations.add_sales_point_photo(point, photo((1, 2, 3)), "Mặt tiền", "The shop front")
    second = operations.add_sales_point_photo(point, photo((4, 5, 6)))
    db.session.commit()

    assert second.alt("vi") == "Điểm OCOP Lý Sơn — ảnh 2"
    assert second.alt("en") == "Lý Sơn OCOP showroom — photo 2"
    assert point.photos[0].alt("en") == "The shop front"


def test_photos_are_reordered_and_described_in_one_change(point):
    first, second, third = (operations.add_sales_point_photo(point, photo((n, n, n))) for n in (10, 90, 170))
    db.session.commit()

    changed = operations.update_sales_point_photos(point, {
        first.id: {"position": 1, "alt_vi": "Quầy hàng", "alt_en": ""},
        second.id: {"position": 2, "alt_vi": "", "alt_en": ""},
        third.id: {"position": 1, "alt_vi": "", "alt_en": "The door"},  # moved up: goes before the first
    })
    db.session.commit()

    assert changed
    assert [p.id for p in point.photos] == [third.id, first.id, second.id]
    assert [p.position for p in point.photos] == [0, 1, 2]
    assert (first.alt_vi, third.alt_en) == ("Quầy hàng", "The door")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "sales_point.photos"
    assert entry.changes["photo_order"] == ["1, 2, 3", "3, 1, 2"]
    assert entry.changes["photo_alt_vi"] == ["2: —", "2: Quầy hàng"]


def test_a_photo_moved_down_goes_after_the_one_at_its_new_place(point):
    first, second, third = (operations.add_sales_point_photo(point, photo((n, 0, 0))) for n in (10, 90, 170))
    operations.update_sales_point_photos(point, {first.id: {"position": 3}, second.id: {"position": 2},
                                                 third.id: {"position": 3}})
    assert [p.id for p in point.photos] == [second.id, third.id, first.id]


def test_saving_the_photos_as_they_are_records_nothing(point):
    added = operations.add_sales_point_photo(point, photo(), "Ảnh", None)
    db.session.commit()
    entries = count(AuditEntry)
    assert not operations.update_sales_point_photos(point, {added.id: {"position": 1, "alt_vi": "Ảnh ",
                                                                       "alt_en": ""}})
    assert count(AuditEntry) == entries


@pytest.mark.parametrize("wanted,message", [
    (lambda a, b: {a.id: {"position": 1}}, "The photos changed while you were editing them"),
    (lambda a, b: {a.id: {"position": 1}, b.id: {"position": 1}, 99999: {"position": 2}},
     "The photos changed while you were editing them"),
    (lambda a, b: {a.id: {"position": 3}, b.id: {"position": 1}}, "Photo 1: choose its place, from 1 to 2."),
    (lambda a, b: {a.id: {"position": None}, b.id: {"position": 1}}, "Photo 1: choose its place, from 1 to 2."),
    (lambda a, b: {a.id: {"position": 1}, b.id: {"position": 2, "alt_en": "x" * 301}},
     "The description of photo 2 may have at most 300 characters."),
])
def test_a_wrong_photos_form_changes_nothing(point, wanted, message, in_english):
    a, b = (operations.add_sales_point_photo(point, photo((n, 0, 0))) for n in (10, 120))
    db.session.commit()
    with pytest.raises(DomainError, match=re.escape(message)):
        operations.update_sales_point_photos(point, wanted(a, b))
    db.session.rollback()
    assert [p.id for p in point.photos] == [a.id, b.id]


def test_a_removed_photo_leaves_its_image_and_the_others_close_up(point):
    first, second, third = (operations.add_sales_point_photo(point, photo((0, n, 0))) for n in (10, 90, 170))
    db.session.commit()
    key = second.image.key

    operations.remove_sales_point_photo(point, second.id)
    db.session.commit()

    assert [(p.id, p.position) for p in point.photos] == [(first.id, 0), (third.id, 1)]
    assert count(SalesPointPhoto) == 2
    # Like a product's photo: the image (named by its content) and its files stay.
    assert count(MediaImage) == 3 and media_store().exists(rendition_name(key, 320))
    with pytest.raises(NotFound):
        operations.remove_sales_point_photo(point, second.id)


def test_another_points_photo_cannot_be_removed(point, make_sales_point):
    other = make_sales_point()
    theirs = operations.add_sales_point_photo(other, photo())
    db.session.commit()
    with pytest.raises(NotFound):
        operations.remove_sales_point_photo(point, theirs.id)
    with pytest.raises(DomainError):
        operations.update_sales_point_photos(point, {theirs.id: {"position": 1}})


def test_the_same_photo_twice_the_limit_and_a_long_description_are_refused(app, point, in_english):
    operations.add_sales_point_photo(point, photo())
    with pytest.raises(FieldError, match="already among"):
        operations.add_sales_point_photo(point, photo())
    with pytest.raises(FieldError, match="at most 300 characters") as refused:
        operations.add_sales_point_photo(point, photo((9, 9, 9)), "x" * 301)
    assert refused.value.field == "alt_vi"
    for n in range(operations.MAX_PHOTOS - 1):
        operations.add_sales_point_photo(point, photo((n * 20, 100, 200), size=(400, 300)))
    files = sorted(p.name for p in __import__("pathlib").Path(app.config["MEDIA_ROOT"]).rglob("*.webp"))
    with pytest.raises(FieldError, match="at most 12 photos"):
        operations.add_sales_point_photo(point, photo((250, 250, 10), size=(400, 300)))
    # Refused before the file is read: nothing more on disk.
    assert sorted(p.name for p in __import__("pathlib").Path(app.config["MEDIA_ROOT"]).rglob("*.webp")) == files


def test_deleting_a_sales_point_deletes_its_photos_but_not_the_images(point):
    operations.add_sales_point_photo(point, photo())
    db.session.commit()
    db.session.delete(db.session.get(SalesPoint, point.id))
    db.session.commit()
    assert count(SalesPointPhoto) == 0 and count(MediaImage) == 1


# --- the office's pages ---

def photos_page(client, point, lang=""):
    return client.get(f"{lang}/admin/sales-points/{point.id}").get_data(as_text=True)


def test_the_office_uploads_describes_reorders_and_removes(admin_client, point):
    url = f"/en/admin/sales-points/{point.id}/photos"
    for color, alt in (((200, 0, 0), "Red front"), ((0, 200, 0), "")):
        response = admin_client.post(url, **multipart({"photo": (photo(color), "shop.jpg"), "alt_vi": alt,
                                                       "alt_en": ""}))
        assert response.status_code == 302 and response.location.endswith("#photos")
    first, second = point.photos
    page = photos_page(admin_client, point, "/en")
    assert 'id="photos-heading"' in page and "Red front" in page
    assert "Left empty: “Lý Sơn OCOP showroom — photo 2”." in page

    response = admin_client.post(f"{url}/order", data={
        "photo_id": [str(first.id), str(second.id)],
        f"position-{first.id}": "2", f"alt_vi-{first.id}": "Mặt tiền đỏ", f"alt_en-{first.id}": "Red front",
        f"position-{second.id}": "1", f"alt_vi-{second.id}": "", f"alt_en-{second.id}": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.id for p in point.photos] == [second.id, first.id]
    assert first.alt_en == "Red front"

    response = admin_client.post(f"{url}/{second.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.id for p in point.photos] == [first.id]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "salespoint")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["sales_point.photo_add", "sales_point.photo_add", "sales_point.photos",
                       "sales_point.photo_remove"]
    assert all(entry.actor_id == admin_client.user.id for entry in db.session.scalars(select(AuditEntry)))


@pytest.mark.parametrize("lang,kind,message", [
    ("/en", "gif", "This is a GIF file: only JPEG, PNG and WebP photos are accepted."),
    ("", "gif", "Đây là tệp GIF"),
    ("/en", "corrupt", "The photo is damaged or incomplete"),
    ("", "corrupt", "Ảnh bị hỏng hoặc không trọn vẹn"),
    ("/en", "oversize", "The file is too large: a photo may have at most 10 MB."),
    ("", "oversize", "Tệp quá lớn: mỗi ảnh tối đa 10 MB."),
    ("/en", "text", "The file is not a photo the shop can read"),
    ("/en", "none", "Choose a photo, or take one with the camera."),
])
def test_a_refused_upload_says_why_in_the_users_language_and_stores_nothing(app, admin_client, point, lang, kind,
                                                                           message):
    data = {"gif": photo(format="GIF"), "corrupt": photo()[:500], "text": b"just some text, not a photo" * 10,
            "oversize": b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 10), "none": None}[kind]
    fields = {"alt_vi": "Ảnh"} | ({"photo": (data, "shop.jpg")} if data is not None else {})
    files_before = sorted(p for p in __import__("pathlib").Path(app.config["MEDIA_ROOT"]).rglob("*") if p.is_file())
    response = admin_client.post(f"{lang}/admin/sales-points/{point.id}/photos", **multipart(fields))
    assert response.status_code == 400
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in page
    assert 'id="photos-heading"' in page  # the same edit page, the error beside the file field
    for model in (MediaImage, SalesPointPhoto, AuditEntry):
        assert count(model) == 0, model
    assert sorted(p for p in __import__("pathlib").Path(app.config["MEDIA_ROOT"]).rglob("*")
                  if p.is_file()) == files_before


def test_a_wrong_order_is_refused_with_the_reason_and_changes_nothing(admin_client, point):
    a = operations.add_sales_point_photo(point, photo((1, 1, 1)))
    b = operations.add_sales_point_photo(point, photo((2, 2, 2)))
    db.session.commit()
    for lang, message in (("/en", "Photo 1: choose its place, from 1 to 2."),
                          ("", "Ảnh 1: hãy chọn vị trí từ 1 đến 2.")):
        response = admin_client.post(f"{lang}/admin/sales-points/{point.id}/photos/order", data={
            "photo_id": [str(a.id), str(b.id)], f"position-{a.id}": "1e9", f"position-{b.id}": "1"})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    response = admin_client.post(f"/en/admin/sales-points/{point.id}/photos/order", data={
        "photo_id": [str(a.id), "x\x00"], f"position-{a.id}": "2"})
    assert response.status_code == 400
    assert "The photos changed while you were editing them" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [p.id for p in point.photos] == [a.id, b.id]
    assert count(AuditEntry) == 2  # the two uploads


def test_another_points_photo_id_is_not_found(admin_client, point, make_sales_point):
    other = make_sales_point()
    theirs = operations.add_sales_point_photo(other, photo())
    db.session.commit()
    response = admin_client.post(f"/en/admin/sales-points/{point.id}/photos/{theirs.id}/remove")
    assert response.status_code == 404
    assert count(SalesPointPhoto) == 1


def test_without_the_csrf_token_nothing_changes(admin_client, point):
    added = operations.add_sales_point_photo(point, photo())
    db.session.commit()
    response = admin_client.post(f"/en/admin/sales-points/{point.id}/photos/{added.id}/remove", csrf=False)
    assert response.status_code == 400
    response = admin_client.post(f"/en/admin/sales-points/{point.id}/photos", csrf=False,
                                 **multipart({"photo": (photo((5, 5, 5)), "a.jpg")}))
    assert response.status_code == 400
    assert count(SalesPointPhoto) == 1


@pytest.mark.parametrize("role", [Role.CERTIFICATE_OFFICER, Role.ORDER_DESK, Role.VIEWER, Role.PRODUCER,
                                  Role.CUSTOMER])
def test_only_an_administrator_changes_a_points_photos(app, make_user, point, role):
    added = operations.add_sales_point_photo(point, photo())
    user = make_user(role=role)
    db.session.commit()
    client = app.test_client()
    client.know_device_of(user.email)
    client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
    base = f"/en/admin/sales-points/{point.id}/photos"
    for response in (client.post(base, **multipart({"photo": (photo((7, 7, 7)), "a.jpg")})),
                     client.post(f"{base}/order", data={"photo_id": [str(added.id)], f"position-{added.id}": "1",
                                                        f"alt_vi-{added.id}": "Đổi"}),
                     client.post(f"{base}/{added.id}/remove")):
        assert response.status_code == 403
    db.session.expire_all()
    assert [(p.id, p.alt_vi) for p in point.photos] == [(added.id, "")]
    assert count(MediaImage) == 1


# --- the public pages ---

def test_the_points_page_shows_its_photos_in_the_pages_language(client, point):
    operations.add_sales_point_photo(point, photo((10, 10, 10)), "Mặt tiền cửa hàng", "The shop front")
    operations.add_sales_point_photo(point, photo((20, 20, 20), size=(900, 1200)))
    db.session.commit()

    for lang, main_alt, second_alt in (("", "Mặt tiền cửa hàng", "Điểm OCOP Lý Sơn — ảnh 2"),
                                       ("/en", "The shop front", "Lý Sơn OCOP showroom — photo 2")):
        page = client.get(f"{lang}/sales-points/{point.slug}").get_data(as_text=True)
        main = re.search(r'<img class="gallery__image"[^>]*>', page, re.S).group(0)
        assert f'alt="{main_alt}"' in main
        assert 'width="1200" height="900"' in main and 'fetchpriority="high"' in main
        assert re.search(r'srcset="[^"]*-320\.webp 320w, [^"]*-640\.webp 640w, [^"]*-960\.webp 960w"', main)
        assert 'sizes="(min-width: 34rem) 32rem, calc(100vw - 2rem)"' in main
        thumbs = re.findall(r'<ul class="gallery__thumbs".*?</ul>', page, re.S)[0]
        assert thumbs.count("<img") == 2 and thumbs.count('loading="lazy"') == 2
        assert f"{second_alt}" in thumbs and 'width="320" height="427"' in thumbs
        assert re.search(r'<meta property="og:image" content="http://[^"]+-960\.webp">', page)
        assert f'<meta property="og:image:alt" content="{main_alt}">' in page


def test_a_point_without_photos_shows_no_gallery_and_the_default_share_image(client, point):
    page = client.get(f"/en/sales-points/{point.slug}").get_data(as_text=True)
    assert "gallery__main" not in page and "share-default.png" in page


def test_the_locators_card_shows_a_small_thumbnail_of_the_first_photo(client, point, make_sales_point):
    make_sales_point(name_vi="Điểm không ảnh", is_published=True)
    first = operations.add_sales_point_photo(point, photo((30, 30, 30)))
    operations.add_sales_point_photo(point, photo((40, 40, 40)))
    db.session.commit()
    page = client.get("/en/sales-points").get_data(as_text=True)
    thumbs = re.findall(r'<img class="place__thumb"[^>]*>', page)
    assert len(thumbs) == 1
    assert f"/media/{first.image.key[:2]}/{first.image.key}-320.webp" in thumbs[0]
    assert 'width="320" height="240"' in thumbs[0] and 'loading="lazy"' in thumbs[0] and 'alt=""' in thumbs[0]


def test_a_change_of_photos_shows_on_the_page_at_once(client, point):
    client.get(f"/sales-points/{point.slug}")  # the page and the locator's model are built
    added = operations.add_sales_point_photo(point, photo((50, 50, 50)), "Ảnh mới")
    db.session.commit()
    assert 'alt="Ảnh mới"' in client.get(f"/sales-points/{point.slug}").get_data(as_text=True)
    operations.remove_sales_point_photo(point, added.id)
    db.session.commit()
    assert "Ảnh mới" not in client.get(f"/sales-points/{point.slug}").get_data(as_text=True)
