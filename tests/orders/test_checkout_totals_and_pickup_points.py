"""Checkout as a phone shows it: the total of the way chosen beside the button, and each pickup point with its
address, today's opening hours, a link to its page and, on request, how far it is."""
import re

from storefront.clock import today
from storefront.extensions import db
from storefront.locator.models import OpeningHours, SalesPointStock


def test_each_pickup_point_says_where_when_and_links_to_its_page(client, make_buyable, make_sales_point):
    garlic = make_buyable(name_vi="Tỏi Lý Sơn", price=120_000, stock=9)
    open_today = make_sales_point(name_vi="Điểm OCOP Cẩm Thành", address="12 Hùng Vương, phường Cẩm Thành")
    no_hours = make_sales_point(name_vi="Điểm Sa Huỳnh", address="Quốc lộ 1A, phường Sa Huỳnh")
    weekday = today().weekday()
    db.session.add_all([SalesPointStock(sales_point_id=open_today.id, product_id=garlic.id),
                        SalesPointStock(sales_point_id=no_hours.id, product_id=garlic.id),
                        OpeningHours(sales_point=open_today, weekday=weekday, opens=7 * 60, closes=11 * 60 + 30),
                        OpeningHours(sales_point=open_today, weekday=weekday, opens=13 * 60 + 30, closes=17 * 60)])
    db.session.commit()
    client.post("/cart/add", data={"product_id": garlic.id, "quantity": "2"})
    page = client.get("/checkout").get_data(as_text=True)
    assert "12 Hùng Vương, phường Cẩm Thành" in page and "Hôm nay mở cửa: 07:00–11:30, 13:30–17:00" in page
    assert "Quốc lộ 1A, phường Sa Huỳnh" in page and "Chưa công bố giờ mở cửa" in page
    assert f'href="/sales-points/{open_today.slug}"' in page
    assert f'data-latitude="{open_today.latitude}"' in page
    # Each choice is described by its details, for a screen reader too.
    assert re.search(rf'value="{open_today.id}"[^>]*aria-describedby="[^"]+-about"|aria-describedby="[^"]+-about"'
                     rf'[^>]*value="{open_today.id}"', page)
    # The totals sit beside the button: 240.000 ₫ + 20.000 ₫ delivered within the province, 240.000 ₫ picked up.
    start = page.index('class="checkout__confirm"')
    confirm = page[start:page.index("</form>", start)]
    assert "260.000" in confirm and "240.000" in confirm and "Đặt hàng" in confirm
    english = client.get("/en/checkout").get_data(as_text=True)
    assert "Open today: 07:00–11:30, 13:30–17:00" in english and "Total with pickup:" in english


def test_without_pickup_points_only_the_delivered_total_is_shown(client, make_buyable):
    product = make_buyable(price=100_000, stock=9)
    client.post("/cart/add", data={"product_id": product.id, "quantity": "1"})
    page = client.get("/checkout").get_data(as_text=True)
    assert "Tổng cộng khi giao tận nơi:" in page and "Tổng cộng khi nhận tại điểm bán:" not in page
    assert "checkout__distances" not in page
