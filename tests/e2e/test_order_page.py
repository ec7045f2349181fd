"""The order page in a real browser on a phone: opened on another device it asks for the phone number, and
cancelling asks first; both work without JavaScript and pass axe."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus

pytestmark = pytest.mark.e2e


def a_product_to_buy() -> str:
    product = db.session.scalars(
        select(Product).where(Product.sold_online.is_(True), Product.stock > 20, Product.price.isnot(None))
        .order_by(Product.id.desc()).limit(1)).first()
    assert product is not None, "the demo needs a product sold online"
    return product.slug


def test_cancel_an_order_from_another_phone_without_javascript(open_page, in_demo, check_page):
    slug = in_demo(a_product_to_buy)
    page = open_page("phone", java_script_enabled=False)
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    page.get_by_role("link", name="Đặt hàng").click()
    page.get_by_label("Tên của bạn").fill("Trần Thị Hoa")
    page.get_by_label("Số điện thoại").fill("0935 222 333")
    page.get_by_label("Xã hoặc phường").select_option("Phường Cẩm Thành")
    page.get_by_label("Số nhà, đường, thôn xóm").fill("5 Hùng Vương")
    page.get_by_label("Ghi chú cho chủ thể sản xuất (không bắt buộc)").fill("Gọi trước khi giao nhé")
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/orders/QN\w{8}$"))
    number = page.url.rsplit("/", 1)[1]
    expect(page.get_by_text("Gọi trước khi giao nhé")).to_be_visible()

    # The e-mail's link, opened on another phone: the number is filled in, the phone number is asked.
    other = open_page("phone", java_script_enabled=False)
    other.goto(f"/orders/{number}")
    expect(other.get_by_label("Mã đơn hàng")).to_have_value(number)
    expect(other.locator("#order-status")).to_have_count(0)
    check_page(other, accessibility=True)
    other.get_by_label("Số điện thoại").fill("0935222333")
    other.get_by_role("button", name="Xem đơn hàng").click()
    expect(other.locator("#order-status")).to_have_text("Đã xác nhận")
    expect(other.locator(".line-status").first).to_have_text("Đang chuẩn bị")

    # One tap asks; the answer cancels.
    other.get_by_role("link", name="Hủy đơn hàng này").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Hủy đơn hàng {number}?")
    check_page(other, accessibility=True)
    assert in_demo(lambda: db.session.scalar(select(Order.status).where(Order.number == number))) \
        is OrderStatus.CONFIRMED
    other.get_by_role("button", name="Có, hủy đơn hàng").click()
    expect(other.locator("#order-status")).to_have_text("Đã hủy")
    expect(other.locator(".line-status").first).to_have_text("Đã hủy")
    check_page(other, accessibility=True)
