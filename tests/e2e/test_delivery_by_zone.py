"""Delivery by zone in a browser on a phone: the product page's line and its province form, and the
checkout's fee, time and total following the province and the commune as they are chosen."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.i18n import format_vnd

pytestmark = pytest.mark.e2e


def a_cheap_product() -> tuple[str, int]:
    """(slug, price) of a product sold online, well in stock, far under the free-delivery threshold."""
    product = db.session.scalars(
        select(Product).where(Product.sold_online.is_(True), Product.shippable.is_(True), Product.stock > 20,
                              Product.price.between(20_000, 200_000)).order_by(Product.id)).first()
    return product.slug, product.price


def test_choosing_a_province_updates_the_fee_and_total_on_a_phone(open_page, in_demo, check_page):
    slug, price = in_demo(a_cheap_product)
    page = open_page("phone")
    page.goto(f"/products/{slug}")
    expect(page.locator(".delivery-quote__line")).to_contain_text(f"Giao đến Quảng Ngãi: {format_vnd(20_000)}, 1–2 ngày")
    check_page(page)
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    expect(page.locator("#cart-delivery")).to_contain_text(f"Phí giao hàng từ {format_vnd(20_000)}")
    page.get_by_role("link", name="Đặt hàng").click()

    fee, days = page.locator("#summary-delivery-fee"), page.locator("#summary-delivery-days")
    total = page.locator("#summary-total-delivery")
    beside_button = page.locator(".checkout__total[data-fulfilment=delivery] [data-quote=total]")
    expect(fee).to_have_text(format_vnd(20_000))
    expect(total).to_have_text(format_vnd(price + 20_000))
    # The button for pages without JavaScript is hidden: the fee follows by itself.
    expect(page.get_by_role("button", name="Tính lại phí giao cho địa chỉ này")).to_be_hidden()

    page.locator("[name=province]").select_option("Hà Nội")
    expect(fee).to_have_text(format_vnd(40_000))
    expect(days).to_have_text("3–5 ngày (các tỉnh, thành phố khác)")
    expect(total).to_have_text(format_vnd(price + 40_000))
    expect(beside_button).to_have_text(format_vnd(price + 40_000))
    expect(page.locator("[data-quote=status]")).to_contain_text("Giao đến Hà Nội")

    page.locator("[name=province]").select_option("Quảng Ngãi")
    expect(fee).to_have_text(format_vnd(20_000))
    commune = page.get_by_role("combobox", name="Xã hoặc phường")
    commune.fill("ly son")
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(commune).to_have_value("Đặc khu Lý Sơn")
    expect(fee).to_have_text(format_vnd(60_000))
    expect(days).to_contain_text("5–8 ngày")
    expect(total).to_have_text(format_vnd(price + 60_000))
    check_page(page)

    # The order is charged what the shop computes for that address, and its page says when it comes.
    page.locator("[name=name]").fill("Trần Văn Bình")
    page.locator("[name=phone]").fill("0905 123 456")
    page.locator("[name=street]").fill("Thôn Đông")
    page.get_by_label("Thanh toán khi nhận hàng").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.locator("#order-total")).to_have_text(format_vnd(price + 60_000))
    expect(page.locator(".delivery-estimate--lead")).to_contain_text(re.compile(r"Giao dự kiến \d+(/\d+)?–\d+/\d+"))
    check_page(page)


def test_without_javascript_the_province_form_and_the_fee_button_work(open_page, in_demo, check_page):
    slug, price = in_demo(a_cheap_product)
    page = open_page("phone", java_script_enabled=False)
    page.goto(f"/en/products/{slug}")
    page.locator(".delivery-quote__change summary").click()
    page.get_by_label("Province or city").select_option("gia_lai")
    page.get_by_role("button", name="Show delivery").click()
    expect(page).to_have_url(re.compile(rf"/en/products/{slug}$"))
    expect(page.locator(".delivery-quote__line")).to_contain_text(f"Delivery to Gia Lai: {format_vnd(30_000)}, 2–3 days")
    check_page(page)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-delivery")).to_contain_text(f"Delivery to Gia Lai: {format_vnd(30_000)}, 2–3 days")
    page.get_by_role("link", name="Check out").click()
    page.locator("[name=province]").select_option("Hà Nội")
    page.get_by_role("button", name="Update the delivery fee for this address").click()
    expect(page.locator("#summary-delivery-fee")).to_have_text(format_vnd(40_000))
    expect(page.locator("#summary-total-delivery")).to_have_text(format_vnd(price + 40_000))
    check_page(page)
