"""A shopper buys: cart, checkout, the order page; as a guest and signed in; with bad input refused."""
import re

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.locator.models import SalesPointStock
from storefront.orders.models import Order, OrderStatus

ADDRESS = {"name": "Nguyễn Thị Lan", "phone": "0912 345 678", "email": "lan@example.vn",
           "fulfilment": "delivery", "province": "Quảng Ngãi", "commune": "Phường Cẩm Thành",
           "street": "12 Lê Lợi", "payment_method": "cod", "note": ""}


def add(client, product, quantity=1, lang=""):
    return client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": quantity})


def checkout(client, lang="", **changes):
    page = client.get(f"{lang}/checkout")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]
    return client.post(f"{lang}/checkout", data={**ADDRESS, "token": token, **changes}), token


def stock_of(product) -> int:
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


def orders_count() -> int:
    return db.session.scalar(select(func.count(Order.id)))


def test_a_guest_buys_with_cash_on_delivery_from_two_producers(client, make_buyable):
    garlic = make_buyable(name_vi="Tỏi Lý Sơn", price=120_000, stock=5)
    cinnamon = make_buyable(name_vi="Quế Trà Bồng", price=90_000, stock=3)
    db.session.commit()
    assert add(client, garlic, 2).status_code == 303
    assert add(client, cinnamon).status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    assert "Tỏi Lý Sơn" in cart and "330.000" in cart
    response, _token = checkout(client)
    assert response.status_code == 303
    number = re.search(r"/orders/(QN\w+)", response.location)[1]
    order = db.session.scalar(select(Order).where(Order.number == number))
    assert order.status is OrderStatus.CONFIRMED
    assert order.subtotal == 330_000 and order.shipping_fee == 20_000 and order.total == 350_000  # within the province
    assert order.phone == "0912345678"
    assert [t.to_status for t in order.transitions] == [OrderStatus.CONFIRMED]
    assert stock_of(garlic) == 3 and stock_of(cinnamon) == 2
    page = client.get(response.location)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    assert number in text and "350.000" in text and garlic.producer.name in text and cinnamon.producer.name in text
    # The cart is empty and the header no longer shows it.
    assert "Giỏ hàng (" not in client.get("/cart").get_data(as_text=True)
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("order-received") == 1


def test_submitting_the_same_checkout_twice_makes_one_order(client, make_buyable):
    product = make_buyable(stock=5)
    db.session.commit()
    add(client, product, 2)
    first, token = checkout(client)
    # The back button and a second click: the same form, the same token, posted again.
    add(client, product, 2)
    again = client.post("/checkout", data={**ADDRESS, "token": token})
    assert again.status_code == 303 and again.location == first.location
    assert orders_count() == 1
    assert stock_of(product) == 3


def test_prices_and_totals_posted_by_the_client_are_ignored(client, make_buyable):
    product = make_buyable(price=200_000, stock=5)
    db.session.commit()
    add(client, product)
    client.post("/cart/add", data={"product_id": product.id, "quantity": 1, "price": 1})
    response, _ = checkout(client, price=1, total=1, subtotal=1, shipping_fee=0)
    order = db.session.scalar(select(Order))
    assert order.subtotal == 400_000 and order.shipping_fee == 20_000 and order.total == 420_000


@pytest.mark.parametrize("quantity", ["-1", "0", "abc", "1e3", "999999999999", "21", "", "2.5"])
def test_bad_quantities_are_refused_and_change_nothing(client, make_buyable, quantity):
    product = make_buyable(stock=100)
    db.session.commit()
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})
    assert response.status_code == 400
    assert "từ 1 đến 20" in response.get_data(as_text=True)
    assert client.get("/cart").get_data(as_text=True).count("cart-line") == 0


@pytest.mark.parametrize("fields,reason", [
    ({"sold_online": False}, "không bán trực tuyến"),
    ({"group": 6, "subgroup": "tourist_site", "sold_online": True}, "điểm đến"),
    ({"stock": 0}, "Hiện đang hết hàng"),
    ({"stars": None}, "chứng nhận"),
])
def test_products_that_cannot_be_bought_online_never_enter_the_cart(client, make_product, fields, reason):
    fields = {"sold_online": True, **fields}
    product = make_product(**fields)
    db.session.commit()
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    assert response.status_code == 409
    assert reason in response.get_data(as_text=True)
    assert "cart-line" not in client.get("/cart").get_data(as_text=True)


def test_the_cart_flags_a_product_that_lapsed_and_checkout_refuses_it(client, make_buyable):
    product = make_buyable(stock=5)
    db.session.commit()
    add(client, product)
    product.sold_online = False
    db.session.commit()
    cart = client.get("/cart").get_data(as_text=True)
    assert "không bán trực tuyến" in cart and 'href="/checkout"' not in cart
    assert client.get("/checkout").status_code == 409
    assert client.post("/checkout", data={**ADDRESS, "token": "x" * 20}).status_code == 409
    assert orders_count() == 0 and stock_of(product) == 5


def test_checkout_refuses_more_than_the_stock_left_and_takes_nothing(client, make_buyable):
    product = make_buyable(stock=3)
    db.session.commit()
    add(client, product, 3)
    product.stock = 2
    db.session.commit()
    response = client.post("/checkout", data={**ADDRESS, "token": "t" * 20})
    assert response.status_code == 409
    assert "Chỉ còn 2" in response.get_data(as_text=True)
    assert orders_count() == 0 and stock_of(product) == 2


@pytest.mark.parametrize("phone", ["12345", "0123456789", "+1 202 555 0100", "09123456789", "abc"])
def test_a_phone_number_that_is_not_vietnamese_is_refused(client, make_buyable, phone):
    product = make_buyable()
    db.session.commit()
    add(client, product)
    response, _ = checkout(client, phone=phone)
    assert response.status_code == 400
    assert "số điện thoại Việt Nam" in response.get_data(as_text=True)
    assert orders_count() == 0


def test_delivery_needs_an_address(client, make_buyable):
    product = make_buyable()
    db.session.commit()
    add(client, product)
    response, _ = checkout(client, street="  ", commune="")
    assert response.status_code == 400 and orders_count() == 0


def test_pickup_only_at_a_sales_point_that_keeps_everything(client, make_buyable, make_sales_point):
    garlic, salt = make_buyable(stock=4), make_buyable(stock=4)
    both, garlic_only = make_sales_point(name_vi="Điểm OCOP Cẩm Thành"), make_sales_point(name_vi="Điểm Sa Huỳnh")
    db.session.add_all([SalesPointStock(sales_point_id=both.id, product_id=garlic.id),
                        SalesPointStock(sales_point_id=both.id, product_id=salt.id),
                        SalesPointStock(sales_point_id=garlic_only.id, product_id=garlic.id)])
    db.session.commit()
    add(client, garlic)
    add(client, salt)
    page = client.get("/checkout").get_data(as_text=True)
    assert "Điểm OCOP Cẩm Thành" in page and "Điểm Sa Huỳnh" not in page
    refused, _ = checkout(client, fulfilment="pickup", sales_point=str(garlic_only.id))
    assert refused.status_code == 400 and orders_count() == 0
    response, _ = checkout(client, fulfilment="pickup", sales_point=str(both.id), street="", commune="")
    assert response.status_code == 303
    order = db.session.scalar(select(Order))
    assert order.sales_point_id == both.id and order.shipping_fee == 0


def test_another_shoppers_order_is_not_shown_nor_cancelled(app, client, make_buyable):
    product = make_buyable(name_vi="Tỏi đen Lý Sơn")
    db.session.commit()
    add(client, product)
    response, _ = checkout(client)
    stranger = app.test_client()
    page = stranger.get(response.location).get_data(as_text=True)
    assert "Tỏi đen Lý Sơn" not in page and "Nguyễn Thị Lan" not in page
    assert stranger.post(response.location + "/cancel", data={"confirm": "yes"}).status_code == 403
    assert db.session.scalar(select(Order)).status is OrderStatus.CONFIRMED


def test_an_order_is_found_with_its_number_and_phone(app, client, make_buyable):
    product = make_buyable()
    db.session.commit()
    add(client, product)
    response, _ = checkout(client)
    number = response.location.rsplit("/", 1)[1]
    other = app.test_client()
    wrong = other.post("/orders/find", data={"number": number, "phone": "0987654321"})
    assert wrong.status_code == 404
    assert 'id="order-status"' not in other.get(f"/orders/{number}").get_data(as_text=True)
    found = other.post("/orders/find", data={"number": number.lower(), "phone": "+84 912 345 678"})
    assert found.status_code == 303
    assert other.get(found.location).status_code == 200


def test_a_signed_in_shopper_keeps_the_guest_cart_and_sees_the_order_in_the_account(
        client, make_buyable, make_user, sign_in):
    product = make_buyable(name_vi="Mạch nha Thu Xà")
    user = make_user(name="Trần Văn Bình")
    db.session.commit()
    add(client, product, 2)
    sign_in(user)
    assert "Mạch nha Thu Xà" in client.get("/cart").get_data(as_text=True)
    page = client.get("/checkout").get_data(as_text=True)
    assert "Trần Văn Bình" in page and user.email in page
    response, _ = checkout(client, email="")
    number = response.location.rsplit("/", 1)[1]
    assert db.session.scalar(select(Order)).user_id == user.id
    account = client.get("/account").get_data(as_text=True)
    assert number in account
    # Signed out, the order page is not theirs to see on this browser… unless it placed it.
    client.post("/sign-out")
    assert client.get(f"/orders/{number}").status_code == 200


def test_the_shopper_cancels_an_unpaid_order_and_the_stock_comes_back_once(client, make_buyable):
    product = make_buyable(stock=4)
    db.session.commit()
    add(client, product, 3)
    response, _ = checkout(client)
    assert stock_of(product) == 1
    assert client.post(response.location + "/cancel", data={"confirm": "yes"}).status_code == 303
    assert stock_of(product) == 4
    client.post(response.location + "/cancel", data={"confirm": "yes"})
    assert stock_of(product) == 4
    order = db.session.scalar(select(Order))
    assert order.status is OrderStatus.CANCELLED and order.stock_released


def test_the_english_checkout(client, make_buyable):
    product = make_buyable(price=150_000)
    db.session.commit()
    add(client, product, lang="/en")
    page = client.get("/en/checkout").get_data(as_text=True)
    assert "Place the order" in page and "Cash on delivery" in page
    response, _ = checkout(client, lang="/en")
    assert response.location.startswith("/en/orders/")
    assert "Your order is confirmed" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Order)).lang == "en"


def test_forms_refuse_a_missing_csrf_token(app, make_buyable):
    product = make_buyable()
    db.session.commit()
    client = app.test_client()
    # The buy box carries no token (tests/site/test_cross_site_posts.py); the cart's own forms do.
    assert client.post("/cart/add", data={"product_id": product.id, "quantity": 1}, csrf=False).status_code == 303
    page = client.get("/cart").get_data(as_text=True)
    assert client.post("/cart/update", data={f"quantity-{product.id}": 2}, csrf=False).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert client.post("/cart/update", data={f"quantity-{product.id}": 2, "csrf_token": token}).status_code == 303
    assert client.post("/checkout", data={**ADDRESS, "token": "z" * 20}, csrf=False).status_code == 400
    assert client.post("/orders/find", data={"number": "QN23456789", "phone": "0912345678"},
                       csrf=False).status_code == 400
    assert orders_count() == 0
