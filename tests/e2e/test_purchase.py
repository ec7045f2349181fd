"""A whole purchase in a real browser on a phone: product page, cart, checkout, order page; with cash on
delivery, with VietQR (the office confirms the transfer), with a card through (a stand-in for) Stripe
Checkout, and without JavaScript. Every page is checked with axe, for console errors and for CSP."""
import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.locator.models import SalesPointStock
from storefront.orders.models import Order, OrderStatus

pytestmark = pytest.mark.e2e


def a_product_to_buy(offset: int = 0) -> tuple[str, int, int]:
    """(slug, product id, stock) of a product sold online, well in stock, that a sales point keeps."""
    product = db.session.scalars(
        select(Product).join(SalesPointStock, SalesPointStock.product_id == Product.id)
        .where(Product.sold_online.is_(True), Product.stock > 20, Product.price.isnot(None))
        .order_by(Product.id).offset(offset).limit(1)).first()
    assert product is not None, "the demo needs a product sold online that a sales point keeps"
    return product.slug, product.id, product.stock


def order_by_number(number: str) -> Order:
    return db.session.scalar(select(Order).where(Order.number == number))


def fill_checkout(page, phone="0912 345 678"):
    page.get_by_label("Tên của bạn").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill(phone)
    commune = page.get_by_label("Xã hoặc phường")
    if page.javascript_enabled:  # the searchable list: typed without tone marks, then picked
        commune.fill("cam thanh")
        page.get_by_role("option", name="Phường Cẩm Thành").click()
    else:  # the page's own <select> of the province's communes
        commune.select_option("Phường Cẩm Thành")
    page.get_by_label("Số nhà, đường, thôn xóm").fill("12 Lê Lợi")


def test_a_shopper_buys_on_a_phone_with_cash_on_delivery_in_under_a_minute(open_page, in_demo, check_page):
    slug, product_id, stock = in_demo(a_product_to_buy)
    page = open_page("phone")
    started = time.monotonic()
    page.goto(f"/products/{slug}")
    check_page(page)
    page.get_by_label("Số lượng").fill("2")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.get_by_role("link", name="Giỏ hàng (2)")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Đặt hàng").click()
    expect(page.get_by_role("heading", name="Đặt hàng", level=1)).to_be_visible()
    check_page(page)
    fill_checkout(page)
    page.get_by_label("Thanh toán khi nhận hàng").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/orders/QN\w{8}$"))
    assert time.monotonic() - started < 60
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator("#order-status")).to_have_text("Đã xác nhận")
    check_page(page)
    order = in_demo(lambda: order_by_number(number))
    assert order.status is OrderStatus.CONFIRMED and order.phone == "0912345678"
    assert in_demo(lambda: db.session.get(Product, product_id).stock) == stock - 2
    # Later, from another device: the number and the phone find it.
    other = open_page("phone")
    other.goto("/orders/find")
    other.get_by_label("Mã đơn hàng").fill(number)
    other.get_by_label("Số điện thoại").fill("+84 912 345 678")
    other.get_by_role("button", name="Xem đơn hàng").click()
    expect(other.locator("#order-status")).to_have_text("Đã xác nhận")
    check_page(other)


def test_vietqr_on_a_phone_in_english_with_pickup(open_page, in_demo, check_page):
    slug, _product_id, _stock = in_demo(lambda: a_product_to_buy(1))
    page = open_page("phone")
    page.goto(f"/en/products/{slug}")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Your name").fill("Jane Tourist")
    page.get_by_label("Phone number").fill("0905123456")
    page.get_by_label("Pickup at an OCOP sales point").check()
    page.locator("input[name=sales_point]").first.check()
    page.get_by_label("Bank transfer (VietQR)").check()
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator("#order-status")).to_have_text("Awaiting payment")
    expect(page.locator(".vietqr svg")).to_be_visible()
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator("#transfer-reference")).to_have_text(number)
    check_page(page)


def test_card_payment_through_stripe_checkout(open_page, in_demo, check_page, demo_app, live_server):
    from payments.fake_stripe import serving

    slug, _product_id, _stock = in_demo(lambda: a_product_to_buy(2))
    with serving(demo_app) as fake:
        fake.webhook_url = f"{live_server}/payments/stripe/webhook"
        demo_app.config["STRIPE_CHECKOUT_ORIGIN"] = fake.base_url
        page = open_page("phone")
        page.goto(f"/products/{slug}")
        page.get_by_role("button", name="Thêm vào giỏ hàng").click()
        page.get_by_role("link", name="Đặt hàng").click()
        fill_checkout(page, phone="0388 777 666")
        page.get_by_label(re.compile("Thẻ")).check()
        page.get_by_role("button", name="Đặt hàng").click()
        expect(page).to_have_url(re.compile(re.escape(fake.base_url)))  # Stripe's hosted page
        page.get_by_role("button", name=re.compile("Pay", re.I)).click()
        expect(page).to_have_url(re.compile(r"/orders/QN\w{8}\?paid=1$"))
        number = re.search(r"/orders/(QN\w{8})", page.url)[1]
        page.log.problems.clear()  # what the stand-in's own page logged (its missing favicon) is not ours
        page.reload()
        expect(page.locator("#order-status")).to_have_text("Đã thanh toán")
        check_page(page)
    demo_app.config["STRIPE_CHECKOUT_ORIGIN"] = "https://checkout.stripe.com"
    assert in_demo(lambda: order_by_number(number).status) is OrderStatus.PAID


def test_the_whole_purchase_without_javascript(open_page, in_demo, check_page):
    slug, _product_id, _stock = in_demo(lambda: a_product_to_buy(3))
    page = open_page("phone", java_script_enabled=False)
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    page.get_by_label("Số lượng").fill("3")
    page.get_by_role("button", name="Cập nhật số lượng").click()
    expect(page.get_by_role("link", name="Giỏ hàng (3)")).to_be_visible()
    page.get_by_role("link", name="Đặt hàng").click()
    fill_checkout(page)
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.locator("#order-status")).to_have_text("Đã xác nhận")
    check_page(page, accessibility=False)
