"""Delivery by zone as a shopper meets it: the product page's line and province form, the cart, the checkout
(its fee charged by the shop, its quote endpoint), the order page and the order e-mail."""
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from storefront.clock import today
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Fulfilment, Order, OrderStatus, PaymentMethod

from shared import CHECKOUT_FIELDS

NBSP = "\u00a0"


def coming(month: int, day: int) -> date:
    """The next such day after today: the products' certificates (decided today) are valid on it."""
    now = today()
    this_year = date(now.year, month, day)
    return this_year if this_year > now else date(now.year + 1, month, day)


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + NBSP + "₫"


def add(client, product, quantity=1):
    return client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})


def checkout(client, lang="", **changes):
    page = client.get(f"{lang}/checkout")
    assert page.status_code == 200
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]
    return client.post(f"{lang}/checkout", data={**CHECKOUT_FIELDS, "token": token, **changes})


def placed_order() -> Order:
    return db.session.scalar(select(Order).order_by(Order.id.desc()))


@pytest.mark.parametrize("province, commune, zone, fee, days", [
    ("Quảng Ngãi", "Phường Cẩm Thành", "home", 20_000, (1, 2)),
    ("Quảng Ngãi", "Đặc khu Lý Sơn", "island", 60_000, (5, 8)),
    ("Gia Lai", "Phường Quy Nhơn", "neighbour", 30_000, (2, 3)),
    ("Hà Nội", "Phường Hoàn Kiếm", "country", 40_000, (3, 5)),
])
def test_the_order_is_charged_its_zones_fee_and_records_its_window(client, make_buyable, travel_to, province,
                                                                   commune, zone, fee, days):
    ordered_on = coming(12, 10)
    product = make_buyable(price=100_000, stock=5)
    travel_to(ordered_on)
    add(client, product, 2)
    response = checkout(client, province=province, commune=commune, shipping_fee="0", delivery_zone="home",
                        total="1", fee="0")
    assert response.status_code == 303
    order = placed_order()
    assert (order.delivery_zone, order.shipping_fee, order.total) == (zone, fee, 200_000 + fee)
    assert (order.delivery_earliest, order.delivery_latest) == (date(ordered_on.year, 12, 10 + days[0]),
                                                                date(ordered_on.year, 12, 10 + days[1]))


def test_free_delivery_from_the_threshold_but_never_to_the_islands(client, make_buyable):
    product = make_buyable(price=250_000, stock=10)
    add(client, product, 2)  # 500.000 ₫: the threshold
    assert checkout(client, province="Hà Nội", commune="Phường Hoàn Kiếm").status_code == 303
    assert (placed_order().shipping_fee, placed_order().delivery_zone) == (0, "country")
    add(client, product, 2)
    assert checkout(client, province="Quảng Ngãi", commune="Đặc khu Lý Sơn").status_code == 303
    assert (placed_order().shipping_fee, placed_order().total) == (60_000, 560_000)


def test_pickup_stays_free_and_promises_no_delivery_dates(client, make_buyable, make_sales_point):
    from storefront.locator.models import SalesPointStock

    product = make_buyable(price=100_000, stock=5)
    point = make_sales_point()
    db.session.add(SalesPointStock(sales_point_id=point.id, product_id=product.id))
    add(client, product)
    assert checkout(client, fulfilment="pickup", sales_point=str(point.id), province="Hà Nội").status_code == 303
    order = placed_order()
    assert (order.shipping_fee, order.delivery_zone, order.delivery_earliest) == (0, None, None)


def test_a_province_outside_vietnam_is_refused_and_writes_nothing(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    response = checkout(client, province="Atlantis")
    assert response.status_code == 400 and placed_order() is None
    assert "Hãy chọn tỉnh hoặc thành phố." in response.get_data(as_text=True)


def test_the_checkout_shows_the_fee_and_time_of_the_chosen_province_after_a_reload(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    page = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'id="summary-delivery-fee">\s*' + re.escape(vnd(20_000)), page)  # Quảng Ngãi by default
    assert "1–2 ngày (nội tỉnh Quảng Ngãi)" in page and vnd(120_000) in page
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)[1]
    # Without JavaScript: "Update the delivery fee" sends the form again; nothing is ordered.
    again = client.post("/checkout", data={**CHECKOUT_FIELDS, "token": token, "province": "Hà Nội",
                                           "commune": "", "action": "quote"})
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and placed_order() is None
    assert re.search(r'id="summary-delivery-fee">\s*' + re.escape(vnd(40_000)), text)
    assert "3–5 ngày (các tỉnh, thành phố khác)" in text and vnd(140_000) in text
    assert re.search(r'<option(?=[^>]*\bselected\b)[^>]*value="Thành phố Hà Nội"', text)


def test_the_english_checkout_names_zone_and_days(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    page = client.get("/en/checkout").get_data(as_text=True)
    assert "1–2 days (within Quảng Ngãi)" in page and "Estimated delivery" in page


def quote(client, lang="", **params):
    return client.get(f"{lang}/delivery/quote", query_string=params)


def test_the_quote_endpoint_prices_the_visitors_cart(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product, 3)
    answer = quote(client, province="gia lai", commune="xa nhon chau")
    body = answer.get_json()
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    assert body["zone"] == "island" and body["fee"] == 60_000 and body["total"] == 360_000
    assert body["days"] == [5, 8] and body["days_text"] == "5–8 ngày" and body["total_text"] == vnd(360_000)
    body = quote(client, "/en", province="Đà Nẵng").get_json()
    assert (body["zone"], body["fee"], body["zone_name"], body["days_text"]) == (
        "neighbour", 30_000, "neighbouring province", "2–3 days")
    add(client, product, 2)  # 500.000 ₫ of products: free on the mainland
    body = quote(client, "/en", province="Hà Nội").get_json()
    assert (body["fee"], body["fee_text"], body["total"]) == (0, "Free", 500_000)


@pytest.mark.parametrize("query", [
    "", "province=", "province=Atlantis", "province=Kon%20Tum", "province=%00", "province=H%C3%A0%20N%E1%BB%99i%00",
    "province=Gia%20Lai&province=H%C3%A0%20N%E1%BB%99i", "province=" + "a" * 5000, "commune=L%C3%BD%20S%C6%A1n",
    "province=Gia%20Lai&commune=" + "x" * 500, "province=%FF%FE",
])
def test_bad_quote_requests_are_refused_with_json_never_a_crash(client, query):
    for lang in ("", "/en"):
        answer = client.get(f"{lang}/delivery/quote?{query}")
        assert answer.status_code == 400, (lang, query)
        assert answer.mimetype == "application/json"
        assert json.loads(answer.get_data(as_text=True))["error"]


def test_the_quote_endpoint_only_reads(client):
    assert client.post("/delivery/quote", data={"province": "Gia Lai"}).status_code in (400, 403, 405)


def test_the_product_page_quotes_quang_ngai_until_the_shopper_chooses(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Giao đến Quảng Ngãi:" in page and vnd(20_000) in page and "1–2 ngày" in page
    assert "Các đảo (Đặc khu Lý Sơn): " + vnd(60_000) + ", 5–8 ngày" in page
    assert "Giao đến tỉnh, thành phố khác?" in page
    english = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert "Delivery to Quảng Ngãi:" in english and "1–2 days" in english and "Islands (Đặc khu Lý Sơn)" in english
    # The form: a plain post, remembered in the session, back to the page.
    chosen = client.post("/en/delivery/province", data={"province": "ha_noi", "next": f"/en/products/{product.slug}"})
    assert chosen.status_code == 303 and chosen.location.endswith(f"/en/products/{product.slug}")
    english = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert "Delivery to Hà Nội:" in english and vnd(40_000) in english and "3–5 days" in english
    assert "Change the province" in english and "Islands" not in english
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Giao đến Hà Nội:" in page and "3–5 ngày" in page


@pytest.mark.parametrize("province, next_url", [("atlantis", "/products"), ("", "/products"),
                                                 ("ha_noi", "https://evil.example/"), ("ha_noi", "//evil.example")])
def test_the_province_form_refuses_unknown_values_and_foreign_addresses(client, province, next_url):
    response = client.post("/delivery/province", data={"province": province, "next": next_url})
    assert response.status_code == 303 and response.location.startswith("/")
    assert "evil" not in response.location


def test_the_province_form_refuses_a_post_from_another_site(client):
    response = client.post("/delivery/province", data={"province": "ha_noi"}, csrf=False,
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_tourism_and_offline_products_have_no_delivery_line(client, make_product):
    offline = make_product(sold_online=False)
    db.session.commit()
    assert "delivery-quote" not in client.get(f"/products/{offline.slug}").get_data(as_text=True)


def test_the_cart_says_from_the_lowest_fee_until_the_province_is_known(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    page = client.get("/cart").get_data(as_text=True)
    assert "Phí giao hàng từ " + vnd(20_000) in page and "Miễn phí giao hàng cho đơn từ " + vnd(500_000) in page
    english = client.get("/en/cart").get_data(as_text=True)
    assert "Delivery from " + vnd(20_000) + ", by province" in english
    client.post("/delivery/province", data={"province": "da_nang", "next": "/cart"})
    page = client.get("/cart").get_data(as_text=True)
    assert "Giao đến Đà Nẵng: " + vnd(30_000) + ", 2–3 ngày" in page
    assert "Delivery to Đà Nẵng: " + vnd(30_000) + ", 2–3 days" in client.get("/en/cart").get_data(as_text=True)


def test_the_province_of_a_checkout_is_remembered_for_the_next_visit(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    assert checkout(client, province="Hà Nội", commune="Phường Hoàn Kiếm").status_code == 303
    assert "Giao đến Hà Nội:" in client.get(f"/products/{product.slug}").get_data(as_text=True)
    add(client, product)
    page = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'<option(?=[^>]*\bselected\b)[^>]*value="Thành phố Hà Nội"', page)
    assert 'value="Phường Hoàn Kiếm"' in page  # the communes of the province shown, not of the home province


def test_the_order_page_and_email_give_the_estimated_dates(client, make_buyable, travel_to):
    product = make_buyable(price=100_000, stock=5)
    travel_to(coming(12, 10))
    add(client, product)
    response = checkout(client, province="Đà Nẵng", commune="Phường Hải Châu")
    page = client.get(response.location).get_data(as_text=True)
    assert "Giao dự kiến 12–13/12" in page and "tỉnh, thành phố lân cận" in page
    english = client.get(response.location.replace("/orders/", "/en/orders/")).get_data(as_text=True)
    assert "Estimated delivery 12–13/12" in english and "neighbouring province" in english
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "order-received"))
    assert "Giao dự kiến 12–13/12 (tỉnh, thành phố lân cận)." in body


def test_the_english_email_gives_the_estimate_in_english(client, make_buyable, travel_to):
    product = make_buyable(price=100_000, stock=5)
    travel_to(coming(12, 30))
    add(client, product)
    checkout(client, "/en", province="Hà Nội", commune="Phường Hoàn Kiếm")
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "order-received"))
    assert "Estimated delivery 2–4/1 (rest of Vietnam)." in body  # the next year's dates


def test_an_order_from_before_zones_still_shows(client, make_buyable):
    """Orders placed before delivery was priced by zone have no zone and no window."""
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    response = checkout(client)
    order = placed_order()
    order.delivery_zone = order.delivery_earliest = order.delivery_latest = None
    db.session.commit()
    page = client.get(response.location)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Giao dự kiến" not in text and vnd(30_000) in text


def test_a_finished_order_no_longer_promises_dates(client, make_buyable):
    product = make_buyable(price=100_000, stock=5)
    add(client, product)
    response = checkout(client)
    order = placed_order()
    order.status = OrderStatus.COMPLETED
    db.session.commit()
    assert "Giao dự kiến" not in client.get(response.location).get_data(as_text=True)


def test_the_producers_are_told_by_when_the_parcel_is_expected(client, make_buyable, make_producer, travel_to):
    producer = make_producer(email="hoptac@example.vn")
    product = make_buyable(price=100_000, stock=5, producer=producer)
    travel_to(coming(12, 10))
    add(client, product)
    checkout(client, "/en", province="Quảng Ngãi", commune="Đặc khu Lý Sơn")
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "order-producer"))
    assert "Giao dự kiến 15–18/12 (hải đảo)." in body  # in Vietnamese, whatever the shopper's language
