"""The product page's buy box, the cart in the header, and the cart pages without JavaScript."""
import re

import pytest

from storefront.extensions import db


def test_the_buy_box_is_on_a_product_that_can_be_bought_online(client, make_buyable):
    product = make_buyable(stock=3)
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert 'action="/cart/add"' in page and f'value="{product.id}"' in page and 'max="3"' in page
    assert "Thêm vào giỏ hàng" in page
    english = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert 'action="/en/cart/add"' in english and "Add to cart" in english


@pytest.mark.parametrize("fields", [{"sold_online": False}, {"stock": 0}, {"group": 6, "subgroup": "eco_tourism"},
                                    {"price": None}])
def test_no_buy_box_on_a_product_that_cannot_be_bought(client, make_product, fields):
    product = make_product(**{"sold_online": True, **fields})
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "/cart/add" not in page
    if fields.get("price", 1) is None:
        assert "chưa có giá" in page


def test_the_header_shows_the_cart_only_to_a_visitor_with_one_even_with_the_page_cache_on(app, client,
                                                                                          make_buyable):
    product = make_buyable(stock=5)
    db.session.commit()
    cache = app.extensions["page_cache"]
    cache.size = 100
    try:
        before = client.get(f"/products/{product.slug}").get_data(as_text=True)
        assert "Giỏ hàng (" not in before
        client.post("/cart/add", data={"product_id": product.id, "quantity": 2})
        after = client.get(f"/products/{product.slug}").get_data(as_text=True)
        assert "Giỏ hàng (2)" in after
        # Someone else still gets the shared page, without a cart.
        assert "Giỏ hàng (" not in app.test_client().get(f"/products/{product.slug}").get_data(as_text=True)
    finally:
        cache.size = 0
        cache.clear()


def test_a_product_that_sells_out_stops_offering_the_buy_box_on_cached_pages(app, client, make_buyable, buy):
    product = make_buyable(stock=1)
    db.session.commit()
    cache = app.extensions["page_cache"]
    cache.size = 100
    try:
        visitor = app.test_client()
        assert "/cart/add" in visitor.get(f"/products/{product.slug}").get_data(as_text=True)
        buy(client, {product: 1})
        assert "/cart/add" not in visitor.get(f"/products/{product.slug}").get_data(as_text=True)
    finally:
        cache.size = 0
        cache.clear()


def test_change_and_remove_lines_without_javascript(client, make_buyable):
    first, second = make_buyable(name_vi="Nước mắm Sa Huỳnh", stock=9), make_buyable(name_vi="Kẹo gương", stock=9)
    db.session.commit()
    client.post("/cart/add", data={"product_id": first.id, "quantity": 1})
    client.post("/cart/add", data={"product_id": first.id, "quantity": 2})  # adds up
    client.post("/cart/add", data={"product_id": second.id, "quantity": 1})
    page = client.get("/cart").get_data(as_text=True)
    assert f'name="quantity-{first.id}" type="number" inputmode="numeric" min="0" max="20" value="3"' in page
    assert client.post("/cart/update", data={f"quantity-{first.id}": "5", f"quantity-{second.id}": "0"}).status_code == 303
    page = client.get("/cart").get_data(as_text=True)
    assert 'value="5"' in page and "Kẹo gương" not in page
    assert client.post("/cart/update", data={f"quantity-{first.id}": "-3"}).status_code == 400
    assert 'value="5"' in client.get("/cart").get_data(as_text=True)
    assert client.post("/cart/remove", data={"product_id": second.id}).status_code == 404
    assert client.post("/cart/remove", data={"product_id": first.id}).status_code == 303
    assert "Giỏ hàng của bạn đang trống." in client.get("/cart").get_data(as_text=True)
    assert client.get("/cart").headers["Cache-Control"] == "private, no-store"


def cart_count_in_header(page: str) -> str | None:
    found = re.search(r"Giỏ hàng \((\d+)\)|Cart \((\d+)\)", page)
    return next(group for group in found.groups() if group) if found else None


@pytest.mark.parametrize("lang,capped,updated,left", [
    ("", "Tỏi Lý Sơn: chỉ còn 8 nên giỏ hàng của bạn có 8.", "Đã cập nhật giỏ hàng", "hãy giảm số lượng"),
    ("/en", "Lý Sơn garlic: only 8 left, so your cart has 8.", "Your cart is updated", "lower the quantity"),
])
def test_a_quantity_above_the_stock_is_capped_at_what_is_left_with_one_message(client, make_buyable, lang,
                                                                                capped, updated, left):
    product = make_buyable(name_vi="Tỏi Lý Sơn", name_en="Lý Sơn garlic", price=100_000, stock=8)
    db.session.commit()
    assert client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 2}).status_code == 303
    response = client.post(f"{lang}/cart/update", data={f"quantity-{product.id}": "15"})
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert page.count(capped) == 1
    assert updated not in page and left not in page.replace(capped, "")  # one message, no error beside it
    assert f'value="8"' in page and "800.000" in page and cart_count_in_header(page) == "8"

    # From the product page, in a fresh cart: the cart gets what is left, not an empty 409.
    client.post(f"{lang}/cart/remove", data={"product_id": product.id})
    response = client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 15})
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert page.count(capped) == 1 and cart_count_in_header(page) == "8" and "800.000" in page
    # Adding more to a cart that holds all there is keeps it at what is left.
    response = client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 1})
    assert response.status_code == 303 and cart_count_in_header(client.get(response.location).get_data(as_text=True)) == "8"


def test_a_quantity_within_the_stock_is_kept_as_asked(client, make_buyable):
    product = make_buyable(stock=8)
    db.session.commit()
    client.post("/cart/add", data={"product_id": product.id, "quantity": 2})
    response = client.post("/cart/update", data={f"quantity-{product.id}": "8"})
    page = client.get(response.location).get_data(as_text=True)
    assert "Đã cập nhật giỏ hàng" in page and "chỉ còn" not in page and cart_count_in_header(page) == "8"


def test_adding_beyond_the_limit_of_one_order_says_so(client, make_buyable):
    product = make_buyable(name_vi="Muối Sa Huỳnh", stock=100)
    db.session.commit()
    client.post("/cart/add", data={"product_id": product.id, "quantity": 15})
    response = client.post("/cart/add", data={"product_id": product.id, "quantity": 15})
    page = client.get(response.location).get_data(as_text=True)
    assert "Muối Sa Huỳnh: mỗi đơn hàng tối đa 20 nên giỏ hàng của bạn có 20." in page
    assert cart_count_in_header(page) == "20"


def test_unknown_products_are_not_found(client):
    assert client.post("/cart/add", data={"product_id": "abc", "quantity": 1}).status_code == 404
    assert client.post("/cart/add", data={"product_id": 99999, "quantity": 1}).status_code == 404
