"""A product's own page: the certificate as it stands today, and never a star it has lost."""
import json
import re
from datetime import datetime, timedelta

from storefront.clock import today
from storefront.extensions import db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_a_certified_product_shows_its_badge_certificate_and_price(client, make_product):
    product = make_product(name_vi="Tỏi đen Lý Sơn", name_en="Lý Sơn black garlic", stars=4, price=185_000)
    certificate = product.certificates[0]
    db.session.commit()

    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert 'aria-label="OCOP 4 sao"' in html
    assert certificate.decision_number in html
    assert certificate.valid_until.strftime("%d/%m/%Y") in html
    assert "185.000\u00a0₫" in html

    english = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert "Lý Sơn black garlic" in english
    assert 'aria-label="OCOP 4 stars"' in english
    assert "185.000\u00a0₫" in english


def test_english_falls_back_to_vietnamese_when_a_text_is_missing(client, make_product):
    product = make_product(name_vi="Mạch nha Thi Phổ", name_en=None, summary_vi="Mạch nha truyền thống")
    db.session.commit()
    html = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert "Mạch nha Thi Phổ" in html and "Mạch nha truyền thống" in html


def test_an_expired_certificate_shows_no_star_and_says_when_it_ended(client, make_product, make_certificate):
    product = make_product(stars=None)
    make_certificate(product, stars=4, decision_date=today() - timedelta(days=1200),
                     valid_until=today() - timedelta(days=3))
    db.session.commit()

    response = client.get(f"/products/{product.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ocop-badge" not in html and "sao" not in re.sub(r"<[^>]+>", "", html).split("Giấy chứng nhận OCOP")[0][-200:]
    expired_on = (today() - timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"đã hết hạn: hiệu lực đến ngày {expired_on}" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "award" not in json_ld(html) and "offers" not in json_ld(html)


def test_a_revoked_certificate_says_so_with_its_date_and_reason(client, make_product, make_certificate):
    product = make_product(stars=None)
    make_certificate(product, stars=3, revoked_at=datetime(2026, 3, 2, 20, 0), revocation_reason="Không duy trì chất lượng")
    db.session.commit()
    html = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    # 20:00 UTC on 2 March is 03:00 on 3 March in Quảng Ngãi.
    assert "was revoked on 03/03/2026" in html
    assert "Không duy trì chất lượng" in html
    assert "ocop-badge" not in html


def test_structured_data_is_a_product_with_an_award_never_a_rating(client, make_product):
    product = make_product(stars=5, price=320_000, stock=0)
    db.session.commit()
    data = json_ld(client.get(f"/products/{product.slug}").get_data(as_text=True))
    assert data["@type"] == "Product"
    assert data["offers"]["priceCurrency"] == "VND" and data["offers"]["price"] == 320_000
    assert data["offers"]["availability"].endswith("OutOfStock")
    assert "OCOP 5" in data["award"]
    assert "aggregateRating" not in json.dumps(data) and "review" not in json.dumps(data).lower()


def test_text_entered_by_producers_is_escaped(client, make_product, make_producer):
    producer = make_producer(name="<script>alert(1)</script> HTX", story_vi="<img src=x onerror=alert(1)>")
    product = make_product(producer=producer, story_vi="<b>Câu chuyện</b>\n\nĐoạn hai")
    db.session.commit()
    for path in (f"/products/{product.slug}", f"/producers/{producer.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
    assert "<p>&lt;b&gt;Câu chuyện&lt;/b&gt;</p><p>Đoạn hai</p>" in client.get(f"/products/{product.slug}").get_data(as_text=True)


def test_related_products_prefer_the_same_producer(client, make_product, make_producer):
    producer = make_producer()
    product = make_product(producer=producer, group=1)
    sibling = make_product(producer=producer, group=4)
    same_group = make_product(group=1)
    make_product(group=5)
    db.session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    related = html.split('id="related-heading"')[1]
    assert related.index(sibling.slug) < related.index(same_group.slug)


def test_unknown_and_unpublished_slugs_are_404_in_the_right_language(client, make_product):
    hidden = make_product(is_published=False)
    db.session.commit()
    for path in ("/products/khong-co", f"/products/{hidden.slug}", "/producers/khong-co",
                 "/products/" + "x" * 5000, "/products/%ff"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Không tìm thấy trang này" in response.get_data(as_text=True)
    assert "We could not find this page" in client.get("/en/products/none").get_data(as_text=True)


def test_the_producer_page_tells_the_story_and_lists_only_certified_products(
        client, make_producer, make_product):
    producer = make_producer(name="HTX Tỏi Lý Sơn", story_vi="Ba thế hệ trồng tỏi trên cát biển.")
    shown = make_product(producer=producer, stars=3)
    hidden = make_product(producer=producer, stars=None)
    db.session.commit()
    html = client.get(f"/producers/{producer.slug}").get_data(as_text=True)
    assert "Ba thế hệ trồng tỏi trên cát biển." in html
    assert shown.slug in html and hidden.slug not in html


def test_a_product_page_with_its_styles_and_scripts_weighs_under_100_kb(client, make_product, make_producer):
    producer = make_producer(story_vi="Câu chuyện dài. " * 200)
    product = make_product(producer=producer, description_vi="Mô tả. " * 300, story_vi="Chuyện. " * 300,
                           heritage_vi="Di sản. " * 300)
    for _ in range(4):
        make_product(producer=producer)
    db.session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"?]+)\?v=', html)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    total = len(html.encode())
    for asset in {a for a in assets if a.endswith((".css", ".js"))}:
        response = client.get(asset)
        total += len(response.get_data())
        response.close()
    assert total < 100 * 1024


def test_a_producer_without_a_story_still_has_a_description_for_search_engines(client, make_producer, make_product):
    producer = make_producer(name="HTX Quế Trà Bồng", story_vi="")
    make_product(producer=producer)
    db.session.commit()
    html = client.get(f"/en/producers/{producer.slug}").get_data(as_text=True)
    assert '<meta name="description" content="HTX Quế Trà Bồng, an OCOP producer of Quảng Ngãi' in html
