"""Anyone can check a certificate from its number or the code under its QR, in Vietnamese or English."""
import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image

from storefront.certification.operations import revoke_certificate
from storefront.certification.qr import qr_image, verification_url
from storefront.clock import today
from storefront.extensions import db


@pytest.fixture
def certified(make_producer, make_product, make_certificate):
    producer = make_producer(name="HTX Quế Trà Bồng")
    product = make_product(stars=None, producer=producer, name_vi="Quế thanh", name_en="Cinnamon sticks")
    certificate = numbered(make_certificate(product, stars=4, decision_date=today() - timedelta(days=100)),
                           "012/2026/OCOP")
    db.session.commit()
    return certificate


def numbered(certificate, number, authority=None):
    certificate.number = number
    certificate.authority = authority or certificate.authority
    db.session.flush()
    return certificate


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def test_a_valid_certificate_says_so_in_both_languages(client, certified):
    until = certified.valid_until.strftime("%d/%m/%Y")
    vi = page(client, "/verify/012/2026/OCOP")
    assert "Chính hãng và còn hiệu lực hôm nay" in vi and "Quế thanh" in vi and "HTX Quế Trà Bồng" in vi
    assert until in vi and "4 sao" in vi
    en = page(client, f"/en/verify/{certified.verification_code}")
    assert "Genuine and valid today" in en and "Cinnamon sticks" in en and f"Valid until {until}" in en
    assert certified.verification_code not in vi  # the code is printed on the package, never shown by number


def test_the_code_is_accepted_however_it_is_typed(client, certified):
    code = certified.verification_code
    typed = f"{code[:5].lower()}-{code[5:].lower()}"
    assert "Genuine and valid today" in page(client, f"/en/verify/{typed}")


def test_an_expired_certificate(client, travel_to, certified):
    travel_to(certified.valid_until + timedelta(days=1))
    until = certified.valid_until.strftime("%d/%m/%Y")
    assert f"Hết hạn ngày {until}" in page(client, "/verify/012/2026/OCOP")
    en = page(client, "/en/verify/012/2026/OCOP")
    assert f"Expired on {until}: this certificate is no longer valid." in en
    assert "Genuine" not in en


def test_a_revoked_certificate(client, certified):
    revoke_certificate(certified, "Vi phạm tiêu chí chất lượng")
    db.session.commit()
    revoked_on = today().strftime("%d/%m/%Y")
    vi = text_of(page(client, "/verify/012/2026/OCOP"))
    assert f"Bị thu hồi ngày {revoked_on}" in vi
    assert "Lý do cơ quan công nhận đưa ra: Vi phạm tiêu chí chất lượng" in vi
    en = text_of(page(client, "/en/verify/012/2026/OCOP"))
    assert f"Revoked on {revoked_on}" in en
    # The authority's reason is Vietnamese: an English page says so rather than show it unlabelled.
    assert "Reason given by the certifying authority (in Vietnamese): Vi phạm tiêu chí chất lượng" in en


def text_of(html: str) -> str:
    """The page's text as a reader sees it: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


def test_a_renewed_certificate_points_to_the_one_in_force(client, travel_to, certified, make_certificate):
    numbered(make_certificate(certified.product, stars=4, decision_date=certified.valid_until - timedelta(days=5)),
             "099/2029/OCOP")
    db.session.commit()
    travel_to(certified.valid_until + timedelta(days=1))
    assert "The product now holds certificate 099/2029/OCOP" in page(client, "/en/verify/012/2026/OCOP")


@pytest.mark.parametrize("lang", ["", "/en"])
def test_an_unknown_number_is_not_genuine_and_leaks_nothing(client, certified, lang):
    body = page(client, f"{lang}/verify/013/2026/OCOP", 404)
    assert ("Không tìm thấy — đây không phải số giấy chứng nhận thật." in body if not lang
            else "Not found — this is not a genuine certificate number." in body)
    assert "Quế" not in body and "012/2026" not in body


@pytest.mark.parametrize("path", ["/verify/%00", "/verify/" + "9" * 500, "/verify/%ff%fe", "/verify/<script>",
                                  "/verify/a%0Ab", "/verify?q=%00", "/verify?q=" + "x" * 100, "/en/verify/%E2%80%AE"])
def test_malformed_input_is_not_found_never_an_error(client, certified, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "<script>" not in response.get_data(as_text=True)


def test_the_form_sends_a_typed_number_to_its_page(client, certified):
    assert "name=\"q\"" in page(client, "/en/verify")
    response = client.get("/en/verify?q=%20012/2026/OCOP%20")
    assert response.status_code == 302 and response.location.endswith("/en/verify/012/2026/OCOP")


def test_a_number_used_by_two_authorities_shows_both(client, certified, make_product, make_certificate):
    numbered(make_certificate(make_product(stars=None, name_vi="Mạch nha")), "012/2026/OCOP", "UBND huyện Mộ Đức")
    db.session.commit()
    body = page(client, "/en/verify/012/2026/OCOP")
    assert "2 certificates carry this number" in body and "UBND huyện Mộ Đức" in body and "Cinnamon sticks" in body


def test_the_qr_code_opens_the_verification_page(app, certified):
    with app.test_request_context("/", base_url="https://ocop.quangngai.example"):
        url = verification_url(certified)
        assert url == f"https://ocop.quangngai.example/verify/{certified.verification_code}"
        png = Image.open(io.BytesIO(qr_image(certified, "png")))
        assert png.format == "PNG" and png.width == png.height >= 400
        svg = qr_image(certified, "svg").decode()
        assert svg.startswith("<?xml") and "<svg" in svg and "012/2026/OCOP" in svg
    app.config["PUBLIC_BASE_URL"] = "https://ocop.example.vn"
    try:
        with app.test_request_context("/", base_url="http://evil.example"):
            assert verification_url(certified).startswith("https://ocop.example.vn/verify/")
    finally:
        app.config["PUBLIC_BASE_URL"] = ""


@pytest.mark.parametrize("english_reason", [None, "The product no longer meets the quality criteria"])
def test_a_revoked_products_page_labels_the_reason_in_both_languages(client, make_product, make_certificate,
                                                                     english_reason):
    product = make_product(stars=None, name_vi="Tỏi đen", name_en="Black garlic")
    certificate = make_certificate(product, stars=3)
    revoke_certificate(certificate, "Không duy trì chất lượng sản phẩm", reason_en=english_reason or "")
    db.session.commit()
    vi = text_of(page(client, f"/products/{product.slug}"))
    assert "Lý do cơ quan công nhận đưa ra: Không duy trì chất lượng sản phẩm" in vi
    en = text_of(page(client, f"/en/products/{product.slug}"))
    verify_en = text_of(page(client, f"/en/verify/{certificate.number}"))
    for text in (en, verify_en):
        if english_reason:
            assert f"Reason given by the certifying authority: {english_reason}" in text
            assert "Không duy trì" not in text
        else:
            assert "Reason given by the certifying authority (in Vietnamese): Không duy trì chất lượng sản phẩm" in text
    html = page(client, f"/en/products/{product.slug}")
    assert (f'<span lang="en">{english_reason}</span>' if english_reason
            else '<span lang="vi">Không duy trì chất lượng sản phẩm</span>') in html
