"""Odd input, as a shopper on a phone or a tampered form sends it: the cart and the checkout answer a clear
4xx in the visitor's language and store nothing; the order pages of the office and the producers never
answer 5xx either."""
import re

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.extensions import db
from storefront.orders.models import Order, OrderLine, OrderStatus

PASSWORD = "mật-khẩu-đủ-dài-1"
HUGE = "99999999999999999999"
QUANTITY_ERROR = {"": "Hãy nhập số lượng từ 1 đến 20.", "/en": "Enter a quantity from 1 to 20."}
TWICE = {"": "Biểu mẫu gửi lên có một ô bị lặp lại.", "/en": "The form was sent with a field given twice."}
GONE = {"": "Sản phẩm này không còn bán trong cửa hàng.", "/en": "This product is no longer in the shop."}
LANGS = ["", "/en"]


def cart_lines(client, lang="") -> int:
    return client.get(f"{lang}/cart").get_data(as_text=True).count('<li class="cart-line')


def orders_count() -> int:
    return db.session.scalar(select(func.count(Order.id)))


@pytest.fixture
def product(make_buyable):
    product = make_buyable(stock=8)
    db.session.commit()
    return product


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("quantity", ["0", "-1", HUGE, "abc", "", " ", "1.5", "1e2", "²", "١", "0x10", "+3", "21"])
def test_adding_an_odd_quantity_is_refused_in_the_visitors_language(client, product, lang, quantity):
    response = client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": quantity})
    assert response.status_code == 400
    assert QUANTITY_ERROR[lang] in response.get_data(as_text=True)
    assert cart_lines(client, lang) == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("product_id", ["0", "-1", HUGE, "2147483648", "abc", "", "١", "²", "1 OR 1=1"])
def test_adding_a_product_that_does_not_exist_is_refused(client, product, lang, product_id):
    response = client.post(f"{lang}/cart/add", data={"product_id": product_id, "quantity": "1"})
    assert response.status_code == 404
    assert GONE[lang] in response.get_data(as_text=True)
    assert cart_lines(client, lang) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_repeated_fields_are_refused_and_store_nothing(client, product, lang):
    response = client.post(f"{lang}/cart/add", data={"product_id": [str(product.id), str(product.id)],
                                                     "quantity": ["1", "5"]})
    assert response.status_code == 400 and TWICE[lang] in response.get_data(as_text=True)
    assert cart_lines(client, lang) == 0
    client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": "2"})
    response = client.post(f"{lang}/cart/update", data={f"quantity-{product.id}": ["1", "7"]})
    assert response.status_code == 400 and TWICE[lang] in response.get_data(as_text=True)
    assert 'value="2"' in client.get(f"{lang}/cart").get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("quantity", ["-1", HUGE, "abc", "1.5", "²", "21"])
def test_updating_to_an_odd_quantity_changes_nothing(client, product, lang, quantity):
    client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": "2"})
    response = client.post(f"{lang}/cart/update", data={f"quantity-{product.id}": quantity})
    assert response.status_code == 400 and QUANTITY_ERROR[lang] in response.get_data(as_text=True)
    page = client.get(f"{lang}/cart").get_data(as_text=True)
    assert f'name="quantity-{product.id}"' in page and 'value="2"' in page


def test_updating_to_zero_removes_the_line_and_unknown_lines_are_ignored(client, product):
    client.post("/cart/add", data={"product_id": product.id, "quantity": "2"})
    response = client.post("/cart/update", data={f"quantity-{product.id}": "0", f"quantity-{HUGE}": "3",
                                                 "quantity-abc": "1"})
    assert response.status_code == 303 and cart_lines(client) == 0


@pytest.mark.parametrize("product_id", ["0", HUGE, "abc", "", "²"])
def test_removing_a_product_not_in_the_cart_is_a_clear_404(client, product, product_id):
    response = client.post("/en/cart/remove", data={"product_id": product_id})
    assert response.status_code == 404 and "This product is not in your cart." in response.get_data(as_text=True)


def checkout_token(client, lang=""):
    page = client.get(f"{lang}/checkout").get_data(as_text=True)
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page)[1]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("changes", [
    {"note": "Gọi trước\x1b"}, {"commune": "x" * 10_000}, {"fulfilment": "teleport"}, {"payment_method": "gold"},
    {"province": "Atlantis"}, {"fulfilment": "pickup", "sales_point": HUGE}, {"fulfilment": "pickup", "sales_point": "abc"},
    {"token": ""}, {"token": "x" * 100}, {"token": "bad token with spaces"}, {"name": ["Lan", "Bình"]},
    {"payment_method": ["cod", "vietqr"]},
])
def test_an_odd_checkout_is_refused_in_the_visitors_language_and_places_nothing(client, product, checkout_fields,
                                                                                lang, changes):
    client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": "2"})
    token = checkout_token(client, lang)
    response = client.post(f"{lang}/checkout", data={**checkout_fields, "token": token, **changes})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    page = response.get_data(as_text=True)
    errors = re.findall(r'class="(?:form-errors|field__error)"[^>]*>(.*?)</(?:div|p)>', page, re.S)
    assert errors
    if not lang:  # no English left in a Vietnamese page's errors
        assert not re.search(r"\b(Please|Enter|Choose|The|Not a|This|Invalid|Remove)\b", " ".join(errors)), errors
    assert orders_count() == 0
    db.session.expire_all()
    assert product.stock == 8
    assert cart_lines(client, lang) == 1  # the cart is kept for the next try


NUL_REFUSED = {"": "ký tự không dùng được (ký tự NUL)", "/en": "cannot be used (a NUL byte)"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_nul_byte_in_the_cart_or_the_checkout_is_refused_whole(client, product, checkout_fields, lang):
    for data in ({"product_id": product.id, "quantity": "3\x00"}, {"product_id": "\x00", "quantity": "1"}):
        response = client.post(f"{lang}/cart/add", data=data)
        assert response.status_code == 400 and NUL_REFUSED[lang] in response.get_data(as_text=True)
    assert cart_lines(client, lang) == 0
    client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": "2"})
    token = checkout_token(client, lang)
    for changes in ({"name": "Lan\x00"}, {"street": "12 Lê Lợi\x00"}, {"email": "a\x00@b.vn"},
                    {"phone": "0912\x00345678"}, {"token": "bad token\x00"}):
        response = client.post(f"{lang}/checkout", data={**checkout_fields, "token": token, **changes})
        assert response.status_code == 400 and NUL_REFUSED[lang] in response.get_data(as_text=True), changes
    assert orders_count() == 0 and cart_lines(client, lang) == 1


def test_odd_order_and_line_addresses_of_the_office_and_producers_never_fail(app, client, make_buyable,
                                                                             make_user, buy):
    item = make_buyable()
    buy(client, {item: 1})
    order = db.session.scalar(select(Order))
    office, producer = app.test_client(), app.test_client()
    for account, browser in ((make_user(role=Role.ADMIN), office),
                             (make_user(role=Role.PRODUCER, producer=item.producer), producer)):
        db.session.commit()
        assert browser.post("/sign-in", data={"email": account.email, "password": PASSWORD}).status_code == 302
    for number in ("%00", "x" * 300, "QN%20", "%E2%80%AE", HUGE):
        expected = 400 if number == "%00" else 404  # a NUL anywhere is refused before the page is looked for
        assert office.get(f"/admin/orders/{number}").status_code == expected
        assert office.post(f"/admin/orders/{number}/cancel").status_code == expected
    for query in ("?q=%00", "?q=" + "9" * 500, "?page=" + HUGE, "?page=-1", "?status=paid&status=lost",
                  "?since=2025-02-30"):
        assert office.get(f"/admin/orders{query}").status_code in (200, 400), query
    response = office.post(f"/admin/orders/{order.number}/cancel", data={"note": "bad\x1bnote"})
    assert response.status_code == 303
    assert db.session.scalar(select(Order.status)) is OrderStatus.CONFIRMED
    for line_id in (HUGE, "2147483648", "0", "-1", "abc"):
        assert producer.post(f"/producer/orders/lines/{line_id}/fulfil").status_code == 404
    assert producer.get("/producer/orders?show=" + HUGE).status_code == 200
    assert db.session.scalar(select(OrderLine.status)).value == "pending"
