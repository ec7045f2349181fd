"""Checkout on a phone: the total of the way chosen beside the button, pickup points with their address,
hours, page and distance; without JavaScript every total and no control that needs a script."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.locator.models import SalesPoint, SalesPointStock

pytestmark = pytest.mark.e2e


def a_product_kept_at_a_sales_point() -> tuple[str, int, float, float]:
    """(slug, price, and the position of a sales point keeping it) of a product sold online, well in stock."""
    product, point = db.session.execute(
        select(Product, SalesPoint).join(SalesPointStock, SalesPointStock.product_id == Product.id)
        .join(SalesPoint, SalesPoint.id == SalesPointStock.sales_point_id)
        .where(Product.sold_online.is_(True), Product.stock > 20, Product.price.isnot(None),
               SalesPoint.is_published.is_(True))
        .order_by(Product.id.desc()).limit(1)).one()
    return product.slug, product.price, point.latitude, point.longitude


def test_the_total_follows_the_way_chosen_and_pickup_points_say_how_far(open_page, in_demo, check_page):
    slug, price, latitude, longitude = in_demo(a_product_kept_at_a_sales_point)
    page = open_page("phone", geolocation={"latitude": latitude, "longitude": longitude},
                     permissions=["geolocation"])
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name="Thêm vào giỏ hàng").click()
    page.get_by_role("link", name="Đặt hàng").click()
    delivered = page.locator(".checkout__total[data-fulfilment=delivery]")
    picked_up = page.locator(".checkout__total[data-fulfilment=pickup]")
    expect(delivered).to_be_visible()
    expect(picked_up).to_be_hidden()
    page.get_by_label("Nhận tại điểm bán OCOP").check()
    expect(delivered).to_be_hidden()
    expect(picked_up).to_be_visible()
    expect(page.locator(".checkout__confirm .checkout__submit")).to_be_visible()
    first = page.locator(".choice--place").first
    expect(first).to_contain_text(re.compile(r"Hôm nay (mở cửa|đóng cửa)|Chưa công bố giờ mở cửa"))
    expect(first.get_by_role("link", name="Xem điểm bán này")).to_have_attribute("href", re.compile(r"/sales-points/"))
    page.get_by_role("button", name="Xem mỗi điểm cách tôi bao xa").click()
    expect(page.locator(".choice__distance").first).to_have_text(re.compile(r"cách bạn khoảng [\d,.]+ km"))
    check_page(page)


def test_without_javascript_both_totals_show_and_no_distance_button(open_page, in_demo, check_page):
    slug, _price, _latitude, _longitude = in_demo(a_product_kept_at_a_sales_point)
    page = open_page("phone", java_script_enabled=False)
    page.goto(f"/en/products/{slug}")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Check out").click()
    expect(page.locator(".checkout__total[data-fulfilment=delivery]")).to_contain_text("Total with home delivery:")
    expect(page.locator(".checkout__total[data-fulfilment=pickup]")).to_contain_text("Total with pickup:")
    expect(page.get_by_role("button", name="Show how far each is from me")).to_have_count(0)
    expect(page.locator(".choice--place").first.get_by_role("link", name="About this sales point")).to_be_visible()
    check_page(page)
