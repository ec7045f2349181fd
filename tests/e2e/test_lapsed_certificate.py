"""A product whose certificate has expired is not presented as OCOP: no star badge, a clear notice,
and no place in the catalogue."""
import html
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import exists, select

from storefront.catalog.models import Product
from storefront.certification.models import Certificate
from storefront.certification.queries import latest_certificate, valid_on
from storefront.clock import today
from storefront.extensions import db

pytestmark = pytest.mark.e2e


def an_expired_product() -> dict:
    """A published product whose latest certificate ran out (not revoked) and has no valid one."""
    lapsed = db.session.scalars(
        select(Product)
        .where(Product.is_published.is_(True),
               exists().where(Certificate.product_id == Product.id),
               ~exists().where(Certificate.product_id == Product.id, valid_on()))
        .order_by(Product.id)).all()
    for product in lapsed:
        certificate = latest_certificate(product)
        if certificate.revoked_at is None and certificate.valid_until < today():
            return {"slug": product.slug, "name_vi": product.name_vi,
                    "name_en": product.name_en or product.name_vi, "valid_until": certificate.valid_until}
    pytest.fail("the demo catalogue has no product whose certificate expired")


def test_a_product_whose_certificate_expired_shows_no_stars_and_is_not_listed(
        open_page, in_demo, check_page, live_server):
    product = in_demo(an_expired_product)
    until = product["valid_until"].strftime("%d/%m/%Y")
    page = open_page()

    page.goto(f"/products/{product['slug']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(product["name_vi"])
    expect(page.get_by_role("img", name=re.compile(r"^OCOP \d sao$"))).to_have_count(0)
    expect(page.locator(".ocop-badge")).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Giấy chứng nhận OCOP của sản phẩm này đã hết hạn: hiệu lực đến ngày {until}.")
    # Not for sale either: no price, no certificate details, and search engines are told to skip it.
    expect(page.locator(".product__price")).to_have_count(0)
    expect(page.locator(".certificate")).to_have_count(0)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    check_page(page)

    page.goto(f"/en/products/{product['slug']}")
    expect(page.get_by_role("img", name=re.compile(r"^OCOP \d stars?$"))).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text(
        f"This product’s OCOP certificate expired: it was valid until {until}.")
    check_page(page, accessibility=False)

    # Every page of the catalogue, following its “next” links (fetched without rendering: only the
    # listing matters here).
    listed, url = [], "/products"
    while url:
        response = page.request.get(url)
        assert response.ok
        body = response.text()
        listed += re.findall(r'class="card__link" href="/products/([^"?#]+)"', body)
        next_link = re.search(r'<a rel="next" href="([^"]+)"', body)
        url = html.unescape(next_link.group(1)) if next_link else None
    count = int(re.search(r'id="results-count"[^>]*>(\d+)', body).group(1))
    assert len(listed) == len(set(listed)) == count, "the pages together list every counted product once"
    assert product["slug"] not in listed
