"""The cart on a phone, without JavaScript: a photo per line, −/+ buttons that are forms of their own, the
line total, and how many are left when few are. Odd posts to the −/+ address are refused, never a 500."""
import io
import re

import pytest
from PIL import Image

from storefront.catalog.models import ProductImage
from storefront.extensions import db
from storefront.media.pipeline import store_image

HUGE = str(10**30)
LANGS = ["", "/en"]
QUANTITY_ERROR = {"": "Hãy nhập số lượng từ 1 đến 20.", "/en": "Enter a quantity from 1 to 20."}
NOT_IN_CART = {"": "Sản phẩm này không có trong giỏ hàng của bạn.", "/en": "This product is not in your cart."}


def photo_bytes(color=(180, 90, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buffer, "JPEG")
    return buffer.getvalue()


def cart_page(client, lang="") -> str:
    return client.get(f"{lang}/cart").get_data(as_text=True)


def line_of(page: str, product_id: int) -> str:
    """The HTML of one cart line: from its <li> to the next."""
    found = re.search(rf'<li class="cart-line[^"]*" id="line-{product_id}">(?:(?!<li class="cart-line).)*?id="quantity-{product_id}".*?</li>',
                      page, re.S)
    assert found, f"no line for product {product_id}"
    return found[0]


def quantity_in(page: str, product_id: int) -> int:
    return int(re.search(rf'name="quantity-{product_id}"[^>]*value="(\d+)"', page)[1])


def step_form(page: str, step: str, product_id: int) -> int | None:
    """The quantity the line's "−" (fewer) or "+" (more) form sets, None when it has none."""
    found = re.search(rf'<form id="{step}-{product_id}" class="cart-step" method="post" action="(/en)?/cart/quantity" '
                      rf'hidden>.*?name="product_id" value="{product_id}">.*?name="quantity" value="(\d+)">',
                      page, re.S)
    return int(found[2]) if found else None


def button_disabled(page: str, step: str, product_id: int) -> bool:
    button = re.search(rf'<button class="stepper"[^>]*data-step="{step}-{product_id}"[^>]*>', page)[0]
    return " disabled" in button


def press(client, page: str, step: str, product_id: int, lang=""):
    """Post the line's −/+ form as the browser would, with what the page put in it."""
    quantity = step_form(page, step, product_id)
    assert quantity is not None, f"no {step} form for {product_id}"
    return client.post(f"{lang}/cart/quantity", data={"product_id": product_id, "quantity": quantity})


def add(client, product, quantity=1, lang=""):
    response = client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": quantity})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]


def with_photo(product):
    image = store_image(photo_bytes())
    db.session.flush()
    product.images.append(ProductImage(image_id=image.id, alt_vi="Ảnh", position=0))
    db.session.commit()
    return image


@pytest.mark.parametrize("lang", LANGS)
def test_each_line_has_the_first_photos_small_rendition_or_the_placeholder_linking_to_the_product(
        client, make_buyable, lang):
    pictured, plain = make_buyable(name_vi="Tỏi Lý Sơn"), make_buyable(name_vi="Kẹo gương")
    image = with_photo(pictured)
    second = store_image(photo_bytes(color=(10, 200, 30)))  # a later photo is not the thumbnail
    db.session.flush()
    pictured.images.append(ProductImage(image_id=second.id, alt_vi="Ảnh 2", position=1))
    db.session.commit()
    add(client, pictured, lang=lang)
    add(client, plain, lang=lang)
    page = cart_page(client, lang)
    line = line_of(page, pictured.id)
    media = re.search(r'<a class="cart-line__media" href="([^"]+)" tabindex="-1" aria-hidden="true">(.*?)</a>', line, re.S)
    assert media[1] == f"{lang}/products/{pictured.slug}"
    smallest = min(image.widths)
    assert f"/media/{image.key[:2]}/{image.key}-{smallest}.webp {smallest}w" in media[2]
    assert 'sizes="4.5rem"' in media[2] and 'alt=""' in media[2] and second.key not in line
    plain_line = line_of(page, plain.id)
    media = re.search(r'<a class="cart-line__media" href="([^"]+)"[^>]*>\s*<span class="card__placeholder"></span>',
                      plain_line)
    assert media and media[1] == f"{lang}/products/{plain.slug}" and "<img" not in plain_line
    # The product's name is the link a keyboard reaches.
    assert f'<a class="cart-line__name" href="{lang}/products/{pictured.slug}">' in line


def test_the_cart_reads_each_lines_photos_in_a_fixed_number_of_queries(app, client, make_buyable):
    from sqlalchemy import event

    products = [make_buyable() for _ in range(4)]
    for product in products:
        with_photo(product)
        add(client, product)
    statements = []

    def count(*args):
        statements.append(args)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert cart_page(client).count('sizes="4.5rem"') == 4
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    few = len(statements)
    add(client, make_buyable())
    with_photo(db.session.get(type(products[0]), products[0].id))  # another photo, same product count
    event.listen(db.engine, "before_cursor_execute", count)
    statements.clear()
    try:
        cart_page(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == few


@pytest.mark.parametrize("lang,total_label", [("", "Thành tiền"), ("/en", "Line total")])
def test_steppers_change_the_quantity_and_the_totals_without_javascript(client, make_buyable, lang, total_label):
    garlic = make_buyable(name_vi="Tỏi Lý Sơn", name_en="Lý Sơn garlic", price=120_000, stock=9)
    salt = make_buyable(name_vi="Muối Sa Huỳnh", name_en="Sa Huỳnh salt", price=35_000, stock=50)
    add(client, garlic, 2, lang)
    add(client, salt, 1, lang)
    page = cart_page(client, lang)
    assert step_form(page, "fewer", garlic.id) == 1 and step_form(page, "more", garlic.id) == 3
    assert f"{total_label}</span> <span class=\"price\">240.000\u00a0₫" in line_of(page, garlic.id)
    assert "275.000\u00a0₫" in page  # the subtotal

    response = press(client, page, "more", garlic.id, lang)
    # Back at the line pressed, not at the top of a long cart.
    assert response.status_code == 303 and response.location == f"{lang}/cart#line-{garlic.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert quantity_in(page, garlic.id) == 3 and "360.000\u00a0₫" in line_of(page, garlic.id)
    assert "395.000\u00a0₫" in page
    said = {"": "Tỏi Lý Sơn: 3 trong giỏ hàng của bạn.", "/en": "Lý Sơn garlic: 3 in your cart."}[lang]
    assert said in page
    assert step_form(page, "fewer", garlic.id) == 2 and step_form(page, "more", garlic.id) == 4

    page = client.get(press(client, page, "fewer", garlic.id, lang).location).get_data(as_text=True)
    page = client.get(press(client, page, "fewer", garlic.id, lang).location).get_data(as_text=True)
    assert quantity_in(page, garlic.id) == 1 and "120.000\u00a0₫" in line_of(page, garlic.id)
    assert "155.000\u00a0₫" in page
    # At 1, "−" is shown disabled and has no form: the Remove button beside it takes the line out.
    assert button_disabled(page, "fewer", garlic.id) and step_form(page, "fewer", garlic.id) is None
    assert not button_disabled(page, "more", garlic.id)
    remove = {"": "Xóa", "/en": "Remove"}[lang]
    assert re.search(rf'data-step="remove-{garlic.id}">{remove}<span class="visually-hidden">', line_of(page, garlic.id))
    # The other line never moved.
    assert quantity_in(page, salt.id) == 1


def test_a_form_sent_twice_sets_the_same_quantity_rather_than_adding_again(client, make_buyable):
    product = make_buyable(stock=9)
    add(client, product, 2)
    page = cart_page(client)
    press(client, page, "more", product.id)
    press(client, page, "more", product.id)  # the same page's "+" again: a double tap, or the back button
    assert quantity_in(cart_page(client), product.id) == 3


@pytest.mark.parametrize("lang,left", [("", "Chỉ còn 8"), ("/en", "Only 8 left")])
def test_plus_stops_at_what_is_left_and_says_how_many(client, make_buyable, lang, left):
    product = make_buyable(stock=8)
    add(client, product, 7, lang)
    page = cart_page(client, lang)
    assert left not in page  # 8 is not few, and the line does not hold them all yet
    page = client.get(press(client, page, "more", product.id, lang).location).get_data(as_text=True)
    assert quantity_in(page, product.id) == 8 and left in line_of(page, product.id)
    assert button_disabled(page, "more", product.id) and step_form(page, "more", product.id) is None
    # A forged "+" beyond the stock is capped at it, and the cart says so.
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": "9"})
    page = client.get(response.location).get_data(as_text=True)
    capped = {"": "chỉ còn 8 nên giỏ hàng của bạn có 8.", "/en": "only 8 left, so your cart has 8."}[lang]
    assert response.status_code == 303 and capped in page and quantity_in(page, product.id) == 8


@pytest.mark.parametrize("lang,limit", [("", "Mỗi đơn hàng tối đa 20"), ("/en", "At most 20 in one order")])
def test_plus_stops_at_the_most_one_order_may_hold(client, make_buyable, lang, limit):
    product = make_buyable(stock=100)
    add(client, product, 19, lang)
    page = cart_page(client, lang)
    assert limit not in page and step_form(page, "more", product.id) == 20
    page = client.get(press(client, page, "more", product.id, lang).location).get_data(as_text=True)
    assert quantity_in(page, product.id) == 20 and limit in line_of(page, product.id)
    assert button_disabled(page, "more", product.id) and "Chỉ còn" not in page and "left</p>" not in page
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": "21"})
    assert response.status_code == 400 and QUANTITY_ERROR[lang] in response.get_data(as_text=True)


@pytest.mark.parametrize("lang,texts", [("", ("Chỉ còn 3", "Chỉ còn 1")), ("/en", ("Only 3 left", "Only 1 left"))])
def test_what_is_left_is_said_when_the_stock_is_low(app, client, make_buyable, lang, texts, monkeypatch):
    low, last, plenty = make_buyable(stock=3), make_buyable(stock=1), make_buyable(stock=6)
    for product in (low, last, plenty):
        add(client, product, 1, lang)
    page = cart_page(client, lang)
    assert texts[0] in line_of(page, low.id) and texts[1] in line_of(page, last.id)
    assert 'class="cart-line__left"' not in line_of(page, plenty.id)
    monkeypatch.setitem(app.config, "CART_LOW_STOCK", 6)
    page = cart_page(client, lang)
    assert texts[0].replace("3", "6") in line_of(page, plenty.id)
    monkeypatch.setitem(app.config, "CART_LOW_STOCK", 0)
    page = cart_page(client, lang)
    assert texts[0] not in page and texts[1] in page  # the last one: the line holds all there is


def test_a_line_above_what_is_left_steps_down_to_it_and_cannot_go_up(client, make_buyable):
    product = make_buyable(name_vi="Quế Trà Bồng", stock=9)
    add(client, product, 6)
    product.stock = 3  # others bought meanwhile
    db.session.commit()
    page = cart_page(client)
    line = line_of(page, product.id)
    assert "Chỉ còn 3: hãy giảm số lượng." in line and "Thành tiền" not in line
    assert step_form(page, "fewer", product.id) == 3 and button_disabled(page, "more", product.id)
    page = client.get(press(client, page, "fewer", product.id).location).get_data(as_text=True)
    assert quantity_in(page, product.id) == 3 and "hãy giảm số lượng" not in page and "300.000\u00a0₫" in page


def test_a_line_that_cannot_be_bought_has_no_steppers_only_remove(client, make_buyable):
    product = make_buyable(stock=5)
    add(client, product, 2)
    product.stock = 0
    db.session.commit()
    line = line_of(cart_page(client), product.id)
    assert 'class="stepper"' not in line and "cart-step" not in line and f'data-step="remove-{product.id}"' in line
    assert "Thành tiền" not in line


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("quantity", ["0", "-1", HUGE, "abc", "", " ", "1.5", "1e2", "²", "٣", "0x10", "+3", "21"])
def test_an_odd_quantity_is_refused_in_the_visitors_language_and_changes_nothing(client, make_buyable, lang,
                                                                                  quantity):
    product = make_buyable(stock=9)
    add(client, product, 2, lang)
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": quantity})
    assert response.status_code == 400 and QUANTITY_ERROR[lang] in response.get_data(as_text=True)
    assert quantity_in(cart_page(client, lang), product.id) == 2


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("product_id", ["0", "-1", HUGE, "2147483648", "abc", "", "٣", "1 OR 1=1", None])
def test_a_product_not_in_the_cart_is_refused(client, make_buyable, lang, product_id):
    product, other = make_buyable(stock=9), make_buyable(stock=9)
    add(client, product, 2, lang)
    data = {"quantity": "3"}
    if product_id is not None:
        data["product_id"] = product_id
    response = client.post(f"{lang}/cart/quantity", data=data)
    assert response.status_code == 404 and NOT_IN_CART[lang] in response.get_data(as_text=True)
    # A product of the shop that this cart does not hold is not added by the −/+ address.
    response = client.post(f"{lang}/cart/quantity", data={"product_id": other.id, "quantity": "3"})
    assert response.status_code == 404 and NOT_IN_CART[lang] in response.get_data(as_text=True)
    page = cart_page(client, lang)
    assert page.count('<li class="cart-line') == 1 and quantity_in(page, product.id) == 2


def test_another_shoppers_line_cannot_be_changed(app, client, make_buyable):
    product = make_buyable(stock=9)
    theirs = app.test_client()
    add(theirs, product, 2)
    response = client.post("/cart/quantity", data={"product_id": product.id, "quantity": "5"})
    assert response.status_code == 404
    assert "cart-line" not in cart_page(client)
    assert quantity_in(cart_page(theirs), product.id) == 2


def test_a_line_removed_in_another_tab_is_not_put_back_by_a_stale_plus(client, make_buyable):
    product = make_buyable(stock=9)
    add(client, product, 2)
    page = cart_page(client)
    client.post("/cart/remove", data={"product_id": product.id})
    assert press(client, page, "more", product.id).status_code == 404
    assert "cart-line" not in cart_page(client)


@pytest.mark.parametrize("lang", LANGS)
def test_a_forged_or_broken_step_form_is_refused(client, make_buyable, lang):
    product = make_buyable(stock=9)
    add(client, product, 2, lang)
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": "3"}, csrf=False)
    assert response.status_code == 400
    expired = {"": "Biểu mẫu đã hết hạn.", "/en": "The form expired."}[lang]
    assert expired in response.get_data(as_text=True)
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": ["3", "9"]})
    assert response.status_code == 400
    response = client.post(f"{lang}/cart/quantity", data={"product_id": [str(product.id)] * 2, "quantity": "3"})
    assert response.status_code == 400
    response = client.post(f"{lang}/cart/quantity", data={"product_id": product.id, "quantity": "3\x00"})
    assert response.status_code == 400
    assert client.get(f"{lang}/cart/quantity").status_code == 405
    assert quantity_in(cart_page(client, lang), product.id) == 2
