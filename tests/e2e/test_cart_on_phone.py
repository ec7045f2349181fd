"""The cart on a phone, in Vietnamese and English, with and without JavaScript: add a product, step its
quantity up and down with the −/+ buttons, type one, see the line total, the subtotal and the header follow,
the last units said, and nothing wider than the phone. Every state passes check_page."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product, ProductImage
from storefront.extensions import db
from storefront.i18n import format_vnd

pytestmark = pytest.mark.e2e

TEXT = {
    "vi": {"prefix": "", "add": "Thêm vào giỏ hàng", "more": "Thêm một: {}", "fewer": "Bớt một: {}",
           "remove": "Xóa", "cart": "Giỏ hàng ({})", "left": "Chỉ còn {}", "empty": "Giỏ hàng của bạn đang trống.",
           "quantity": "Số lượng {}", "name": "name_vi"},
    "en": {"prefix": "/en", "add": "Add to cart", "more": "One more: {}", "fewer": "One fewer: {}",
           "remove": "Remove", "cart": "Cart ({})", "left": "Only {} left", "empty": "Your cart is empty.",
           "quantity": "Quantity {}", "name": "name_en"},
}


def a_pictured_product() -> dict:
    """A product sold online with a photo and an English name, in stock for more than a few."""
    product = db.session.scalars(
        select(Product).join(ProductImage, ProductImage.product_id == Product.id)
        .where(Product.sold_online.is_(True), Product.price.isnot(None), Product.stock > 5,
               Product.name_en.isnot(None))
        .order_by(Product.id).limit(1)).first()
    assert product is not None, "the demo needs a product sold online with a photo"
    return {"slug": product.slug, "id": product.id, "price": product.price, "stock": product.stock,
            "name_vi": product.name_vi, "name_en": product.name_en}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_stepping_a_line_up_and_down_on_a_phone(open_page, in_demo, check_page, demo_app, monkeypatch, lang,
                                                javascript):
    text, product = TEXT[lang], in_demo(a_pictured_product)
    name = product[text["name"]]
    # The demo's stocks are all above the default threshold: this product's counts as low for this test.
    monkeypatch.setitem(demo_app.config, "CART_LOW_STOCK", product["stock"])
    page = open_page("phone", java_script_enabled=javascript)
    page.goto(f"{text['prefix']}/products/{product['slug']}")
    page.get_by_role("button", name=text["add"]).click()
    expect(page).to_have_url(re.compile(r"/cart$"))

    line = page.locator(f"#line-{product['id']}")
    quantity = page.get_by_label(text["quantity"].format(name))
    more = page.get_by_role("button", name=text["more"].format(name))
    fewer = page.get_by_role("button", name=text["fewer"].format(name))
    total = line.locator(".cart-line__total .price")
    expect(quantity).to_have_value("1")
    expect(fewer).to_be_disabled()  # at 1: the Remove button beside it takes the line out
    expect(line.get_by_role("button", name=re.compile(text["remove"]))).to_be_visible()
    expect(total).to_have_text(format_vnd(product["price"]))
    expect(line.get_by_text(text["left"].format(product["stock"]))).to_be_visible()
    thumbnail = line.locator(".cart-line__media img")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth > 0")
    assert re.search(r"-320\.webp$", thumbnail.evaluate("image => image.currentSrc"))  # the small rendition
    no_sideways_scroll(page)
    check_page(page)

    if javascript:  # a mark that a page load would wipe: the page changes in place
        page.evaluate("window.__samePage = true")
    for press, expected in ((more, 2), (more, 3), (fewer, 2)):
        press.click()
        expect(quantity).to_have_value(str(expected))
        expect(total).to_have_text(format_vnd(product["price"] * expected))
        expect(page.locator("#cart-subtotal")).to_have_text(format_vnd(product["price"] * expected))
        expect(page.get_by_role("link", name=text["cart"].format(expected))).to_be_visible()
    expect(fewer).to_be_enabled()
    if javascript:
        assert page.evaluate("window.__samePage === true")
        expect(fewer).to_be_focused()  # focus stays on the button pressed
    else:
        expect(page).to_have_url(re.compile(rf"/cart#line-{product['id']}$"))  # back at the line pressed
    no_sideways_scroll(page)
    check_page(page)

    # A quantity typed in, sent with the keyboard's Enter.
    quantity.fill("5")
    quantity.press("Enter")
    expect(total).to_have_text(format_vnd(product["price"] * 5))
    expect(page.get_by_role("link", name=text["cart"].format(5))).to_be_visible()
    check_page(page)

    # Down to 1, where "−" stops, and out with Remove.
    quantity.fill("1")
    quantity.press("Enter")
    expect(fewer).to_be_disabled()
    line.get_by_role("button", name=re.compile(text["remove"])).click()
    expect(page.get_by_text(text["empty"])).to_be_visible()
    check_page(page)
    if javascript:
        assert page.evaluate("window.__samePage === true")
