"""No page of ordering fails on a value that is optional: every page of the cart, the checkout, the order,
the office's orders and the producer's workspace is rendered with every optional field empty, in both
languages, as a shopper, the office and a producer see it."""
import pytest
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.i18n import format_date, format_datetime, format_vnd
from storefront.locator.models import SalesPointStock
from storefront.orders.models import Order

PASSWORD = "mật-khẩu-đủ-dài-1"


def test_the_formatting_filters_show_a_dash_for_nothing():
    assert format_vnd(None) == format_date(None) == format_datetime(None) == "—"
    assert format_vnd(0) == "0\u00a0₫" and format_vnd(185_000) == "185.000\u00a0₫"


@pytest.mark.parametrize("lang", ["", "/en"])
def test_every_page_renders_with_the_optional_values_empty(app, client, make_buyable, make_product,
                                                           make_producer, make_sales_point, make_user, buy, lang):
    producer = make_producer(name="HTX Không Tên Tiếng Anh", email=None, phone=None, website=None, story_en=None,
                             address="")
    bare = dict(name_en=None, unit_en=None, summary_en=None, description_en=None, story_en=None, heritage_en=None)
    product = make_buyable(producer=producer, unit_vi="", stock=9, **bare)
    point = make_sales_point(name_en=None, opening_hours_vi="", opening_hours_en=None, phone=None,
                             description_en=None)
    db.session.add(SalesPointStock(sales_point_id=point.id, product_id=product.id, quantity=None))
    unpriced = make_product(producer=producer, price=None, stock=0, stars=None, **bare)
    user = make_user(role=Role.PRODUCER, producer=producer)
    office = make_user(role=Role.ADMIN)
    # An order picked up, with no e-mail and no note.
    assert buy(client, {product: 1}, lang=lang, email="", note="", fulfilment="pickup", sales_point=str(point.id),
               street="", commune="").status_code == 303
    order = db.session.scalar(select(Order))
    assert order.email is None and order.note == ""

    # A cart holding a product whose price was taken away, and one that no longer exists.
    client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 1})
    db.session.get(Product, product.id).price = None
    db.session.commit()
    with client.session_transaction() as session:
        session["cart"] = {**session.get("cart", {}), "2147483647": 1}

    pages = [
        (client, f"{lang}/cart", 200), (client, f"{lang}/checkout", 409), (client, f"{lang}/orders/{order.number}", 200),
        (client, f"{lang}/orders/{order.number}/cancel", 200), (client, f"{lang}/orders/find", 200),
        (client, f"{lang}/products/{unpriced.slug}", 200),
    ]
    desk = app.test_client()
    workshop = app.test_client()
    db.session.commit()
    for account, browser in ((office, desk), (user, workshop)):
        assert browser.post("/sign-in", data={"email": account.email, "password": PASSWORD}).status_code == 302
    pages += [(desk, f"{lang}/admin/orders", 200), (desk, f"{lang}/admin/orders/{order.number}", 200),
              (workshop, f"{lang}/producer/", 200), (workshop, f"{lang}/producer/orders", 200),
              (workshop, f"{lang}/producer/orders?show=all", 200)]
    for browser, url, status in pages:
        response = browser.get(url)
        assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
        assert "None" not in response.get_data(as_text=True), url

    # A checkout posted with a broken form renders the page again around the same cart.
    posted = client.post(f"{lang}/checkout", data={"name": "", "token": "x" * 20})
    assert posted.status_code == 400 and "None" not in posted.get_data(as_text=True)
