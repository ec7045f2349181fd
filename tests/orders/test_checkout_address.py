"""The delivery address at checkout: a province and one of its communes/wards from the 2025 map, a
"Choose the province" button that lists a province's communes without JavaScript, refusals beside the
field, and the official names stored on the order."""
import html
import re

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Product
from storefront.errors import FieldError
from storefront.extensions import db
from storefront.orders.models import Fulfilment, Order, OrderStatus, PaymentMethod
from storefront.orders.operations import Buyer, place_order
from tests.shared import CHECKOUT_FIELDS

# An address in the shop's own province, whose communes the form lists first.
HOME_ADDRESS = {**CHECKOUT_FIELDS, "province": "Quảng Ngãi", "commune": "Phường Cẩm Thành"}


def orders_count() -> int:
    return db.session.scalar(select(func.count(Order.id)))


def stock_of(product) -> int:
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


def open_checkout(client, product, lang=""):
    db.session.commit()
    assert client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 1}).status_code == 303
    page = client.get(f"{lang}/checkout")
    assert page.status_code == 200
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]


def options(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
    return [html.unescape(value) for value in re.findall(r'<option[^>]*value="([^"]*)"', select_html)]


def selected(page: str, name: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
    found = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', select_html)
    return html.unescape(found[1] or found[2]) if found else None


def value_of(page: str, name: str) -> str:
    return html.unescape(re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)[1])


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<p class="field__error" id="{name}-error">(.*?)</p>', page, re.S)
    return html.unescape(found[1]) if found else ""


def test_the_form_offers_the_34_provinces_and_the_home_provinces_communes(client, make_buyable):
    open_checkout(client, make_buyable())
    page = client.get("/checkout").get_data(as_text=True)
    provinces = options(page, "province")
    assert provinces[0] == "" and len(provinces) == 35
    assert "Thành phố Hồ Chí Minh" in provinces and "Kon Tum" not in provinces
    assert selected(page, "province") == "Quảng Ngãi"
    communes = options(page, "commune")
    assert len(communes) == 97 and "Phường Cẩm Thành" in communes and "Đặc khu Lý Sơn" in communes
    assert 'data-code="51"' in page and "/api/v1/provinces/CODE/communes?v=" in page
    assert 'name="action"' in page and 'value="choose-province"' in page


def test_without_javascript_choosing_a_province_lists_its_communes_and_keeps_everything_typed(client, make_buyable):
    product = make_buyable(stock=4)
    token = open_checkout(client, product)
    typed = {**HOME_ADDRESS, "token": token, "name": "Trần Văn Bình", "phone": "0905 111 222",
             "email": "binh@example.vn", "street": "25 Bạch Đằng", "note": "Gọi trước khi giao",
             "payment_method": "vietqr", "province": "Thành phố Đà Nẵng", "commune": "Phường Cẩm Thành",
             "action": "choose-province"}
    response = client.post("/checkout", data=typed)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert orders_count() == 0 and stock_of(product) == 4  # nothing placed, nothing taken
    assert selected(page, "province") == "Thành phố Đà Nẵng"
    communes = options(page, "commune")
    assert "Phường Hải Châu" in communes and "Phường Cẩm Thành" not in communes
    assert selected(page, "commune") is None  # Cẩm Thành is not in Đà Nẵng: nothing chosen yet
    assert (value_of(page, "name"), value_of(page, "phone"), value_of(page, "email"), value_of(page, "street")) == (
        "Trần Văn Bình", "0905 111 222", "binh@example.vn", "25 Bạch Đằng")
    assert "Gọi trước khi giao</textarea>" in page
    assert re.search(r'value="vietqr"[^>]*checked|checked[^>]*value="vietqr"', page)
    assert re.search(r'checked[^>]*value="delivery"|value="delivery"[^>]*checked', page)
    assert value_of(page, "token") == token
    assert 'class="field__error"' not in page and 'class="form-errors"' not in page
    assert re.search(r'<select[^>]*autofocus[^>]*name="commune"|<select[^>]*name="commune"[^>]*autofocus', page)
    assert "Đã hiện danh sách xã, phường của Thành phố Đà Nẵng." in page

    # The buyer picks a ward of Đà Nẵng and places the order with the same form.
    placed = client.post("/checkout", data={**typed, "commune": "Phường Hải Châu", "action": ""})
    assert placed.status_code == 303
    order = db.session.scalar(select(Order))
    assert (order.province, order.commune, order.street) == ("Thành phố Đà Nẵng", "Phường Hải Châu", "25 Bạch Đằng")
    assert order.customer_name == "Trần Văn Bình" and order.payment_method is PaymentMethod.VIETQR


def test_choosing_the_same_province_again_keeps_the_commune(client, make_buyable):
    token = open_checkout(client, make_buyable())
    response = client.post("/checkout", data={**HOME_ADDRESS, "token": token, "action": "choose-province",
                                              "commune": "Đặc khu Lý Sơn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and selected(page, "commune") == "Đặc khu Lý Sơn"


@pytest.mark.parametrize("province", ["", "Kon Tum", "x" * 5000])
def test_choosing_no_known_province_says_so_beside_it_and_places_nothing(client, make_buyable, province):
    token = open_checkout(client, make_buyable(), lang="/en")
    response = client.post("/en/checkout", data={**HOME_ADDRESS, "token": token, "province": province,
                                                 "action": "choose-province"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and orders_count() == 0
    assert field_error(page, "province") == "Choose a province or city from the list."
    assert options(page, "commune") == [""]


@pytest.mark.parametrize("lang, changes, field, message", [
    ("", {"province": "Kon Tum"}, "province",
     "Hãy chọn một tỉnh, thành phố trong danh sách: từ ngày 1/7/2025 cả nước có 34 tỉnh, thành phố."),
    ("", {"province": ""}, "province", "Hãy chọn tỉnh hoặc thành phố."),
    ("", {"commune": ""}, "commune", "Hãy chọn xã hoặc phường."),
    ("", {"commune": "Thôn 3, gần chợ Ba Tơ"}, "commune", "Hãy chọn một xã, phường của Quảng Ngãi trong danh sách."),
    ("", {"commune": "Phường Hoàn Kiếm"}, "commune",
     "Phường Hoàn Kiếm không thuộc Quảng Ngãi mà thuộc Thành phố Hà Nội: hãy chọn tỉnh, thành phố đó trước, "
     "hoặc chọn một xã, phường của Quảng Ngãi."),
    ("", {"commune": "Phường Nghĩa Chánh"}, "commune", "Hãy chọn một xã, phường của Quảng Ngãi trong danh sách."),
    ("/en", {"province": "Thành phố Hồ Chí Minh", "commune": "Phường Cẩm Thành"}, "commune",
     "Phường Cẩm Thành is not in Thành phố Hồ Chí Minh but in Quảng Ngãi: choose that province first, or a "
     "commune or ward of Thành phố Hồ Chí Minh."),
    ("/en", {"commune": "y" * 10_000}, "commune", "Choose a commune or ward of Quảng Ngãi from the list."),
    ("/en", {"province": "Bình Dương"}, "province",
     "Choose a province or city from the list: since 1 July 2025 Vietnam has 34 of them."),
])
def test_an_address_off_the_map_is_refused_beside_its_field_and_nothing_is_written(
        client, make_buyable, lang, changes, field, message):
    product = make_buyable(stock=3)
    token = open_checkout(client, product, lang)
    response = client.post(f"{lang}/checkout", data={**HOME_ADDRESS, "token": token, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_error(page, field) == message
    assert re.search(rf'<select[^>]*aria-invalid="true"[^>]*name="{field}"|<select[^>]*name="{field}"[^>]*aria-invalid="true"', page)
    assert orders_count() == 0 and stock_of(product) == 3
    # Whatever was typed stays in the form.
    assert value_of(page, "name") == CHECKOUT_FIELDS["name"] and value_of(page, "street") == CHECKOUT_FIELDS["street"]


def test_a_scripted_address_without_tone_marks_is_stored_under_its_official_names(client, make_buyable):
    token = open_checkout(client, make_buyable())
    response = client.post("/checkout", data={**HOME_ADDRESS, "token": token, "province": "  tp ho chi minh ",
                                              "commune": "phuong sai gon"})
    assert response.status_code == 303
    order = db.session.scalar(select(Order))
    assert (order.province, order.commune) == ("Thành phố Hồ Chí Minh", "Phường Sài Gòn")


def test_a_pickup_order_needs_no_address_and_stores_none(client, make_buyable, make_sales_point):
    from storefront.locator.models import SalesPointStock

    product = make_buyable()
    point = make_sales_point()
    db.session.add(SalesPointStock(sales_point_id=point.id, product_id=product.id))
    token = open_checkout(client, product)
    response = client.post("/checkout", data={**HOME_ADDRESS, "token": token, "fulfilment": "pickup",
                                              "sales_point": str(point.id), "province": "Kon Tum",
                                              "commune": "not a place", "street": ""})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    order = db.session.scalar(select(Order))
    assert order.fulfilment is Fulfilment.PICKUP and (order.province, order.commune, order.street) == ("", "", "")


def test_place_order_itself_refuses_a_commune_of_another_province(make_buyable):
    product = make_buyable(stock=2)
    db.session.commit()
    buyer = Buyer(name="An", phone="0905123456", email=None, fulfilment=Fulfilment.DELIVERY, province="Quảng Ngãi",
                  commune="Phường Hoàn Kiếm", street="Thôn 3")
    with pytest.raises(FieldError) as refused:
        place_order({product.id: 1}, buyer, PaymentMethod.CASH_ON_DELIVERY, "k-elsewhere", confirm_at_once=True)
    assert refused.value.field == "commune" and "Thành phố Hà Nội" in str(refused.value)
    db.session.rollback()
    assert orders_count() == 0 and stock_of(product) == 2
    buyer = Buyer(name="An", phone="0905123456", email=None, fulfilment=Fulfilment.DELIVERY, province="Quảng Ngãi",
                  commune="Phường Cẩm Thành", street="  ")
    with pytest.raises(FieldError) as refused:
        place_order({product.id: 1}, buyer, PaymentMethod.CASH_ON_DELIVERY, "k-street", confirm_at_once=True)
    assert refused.value.field == "street"


def test_an_order_placed_before_with_a_free_text_commune_still_shows_it(client, buy, make_buyable):
    assert buy(client, {make_buyable(): 1}).status_code == 303
    order = db.session.scalar(select(Order))
    # As the checkout stored it before the picker: the buyer's own words and the province's short name.
    order.province, order.commune = "Hồ Chí Minh", "P. Nghĩa Chánh (cũ), gần chợ"
    db.session.commit()
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "12 Lê Lợi, P. Nghĩa Chánh (cũ), gần chợ, Hồ Chí Minh" in html.unescape(page)
    assert order.status is OrderStatus.CONFIRMED
