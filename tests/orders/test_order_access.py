"""The order link of the confirmation e-mail works on any device: a browser that may not see the order yet
is asked for the order's phone number, and learns nothing about the order, nor whether it exists."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order, OrderStatus

CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"|value="[^"]*"[^>]*name="csrf_token"')


def emailed_link(kind="order-received") -> str:
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == kind))
    return urlsplit(re.search(r"https?://\S+", body)[0]).path


def without_token(page: str) -> str:
    return CSRF.sub("", page)


@pytest.mark.parametrize("lang,asks,found_text", [
    ("", "hãy nhập số điện thoại", "Trạng thái"),
    ("/en", "enter the phone number", "Status"),
])
def test_the_emailed_link_asks_another_device_for_the_phone_number(app, client, make_buyable, buy, lang, asks,
                                                                   found_text):
    product = make_buyable(name_vi="Kẹo gương Thu Xà", name_en="Thu Xà mirror candy", price=85_000)
    buy(client, {product: 2}, lang=lang)
    order = db.session.scalar(select(Order))
    link = emailed_link()
    assert link == f"{lang}/orders/{order.number}"

    phone = app.test_client()
    page = phone.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    assert asks in text
    assert re.search(f'name="number"[^>]*value="{order.number}"', text)
    assert 'name="phone"' in text and f'action="{lang}/orders/find"' in text
    for secret in ("Kẹo gương", "mirror candy", "Nguyễn Thị Lan", "170.000", "200.000", "12 Lê Lợi",
                   "0912345678", 'id="order-status"', "/cancel"):
        assert secret not in text, secret

    # The number of the order and the phone it was placed with open it on this device from now on.
    found = phone.post(f"{lang}/orders/find", data={"number": order.number, "phone": "0912 345 678"})
    assert found.status_code == 303 and found.location == link
    opened = phone.get(link).get_data(as_text=True)
    assert 'id="order-status"' in opened and found_text in opened and order.number in opened


def test_a_known_and_an_unknown_number_look_the_same_to_a_stranger(app, client, make_buyable, buy):
    buy(client, {make_buyable(): 1})
    order = db.session.scalar(select(Order))
    unknown = "QN" + ("23456789" if order.number[2:] != "23456789" else "98765432")
    stranger = app.test_client()

    def seen(number, suffix="", method="get"):
        kwargs = {"data": {"confirm": "yes"}} if method == "post" else {}
        response = getattr(stranger, method)(f"/orders/{number}{suffix}", **kwargs)
        return response.status_code, without_token(response.get_data(as_text=True)).replace(number, "N")

    assert seen(order.number) == seen(unknown)
    assert seen(order.number)[0] == 200
    assert seen(order.number, "/cancel") == seen(unknown, "/cancel")
    assert seen(order.number, "/cancel", "post") == seen(unknown, "/cancel", "post")
    assert seen(order.number, "/cancel", "post")[0] == 403
    # A wrong phone number is answered like an unknown order number.
    wrong = stranger.post("/orders/find", data={"number": order.number, "phone": "0987 654 321"})
    nothing = stranger.post("/orders/find", data={"number": unknown, "phone": "0987 654 321"})
    assert wrong.status_code == nothing.status_code == 404
    assert (without_token(wrong.get_data(as_text=True)).replace(order.number, "N")
            == without_token(nothing.get_data(as_text=True)).replace(unknown, "N"))
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is OrderStatus.CONFIRMED


def test_the_lookup_from_an_order_link_keeps_its_rate_limit(app, client, make_buyable, buy):
    buy(client, {make_buyable(): 1})
    order = db.session.scalar(select(Order))
    app.config["ORDER_LOOKUPS_PER_HOUR"] = 2
    try:
        guesser = app.test_client()
        assert guesser.get(f"/orders/{order.number}").status_code == 200
        for phone in ("0905 000 001", "0905 000 002"):
            assert guesser.post("/orders/find", data={"number": order.number, "phone": phone}).status_code == 404
        blocked = guesser.post("/orders/find", data={"number": order.number, "phone": "0912 345 678"})
        assert blocked.status_code == 429 and "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
        assert 'id="order-status"' not in guesser.get(f"/orders/{order.number}").get_data(as_text=True)
    finally:
        app.config["ORDER_LOOKUPS_PER_HOUR"] = 30


@pytest.mark.parametrize("number", ["x" * 300, "<script>", "QN 23456789", "%E2%80%AE", "0"])
def test_odd_order_numbers_ask_for_the_phone_number_and_never_fail(app, number):
    stranger = app.test_client()
    assert stranger.get("/orders/qn%00abc").status_code == 400  # a NUL anywhere is refused whole
    response = stranger.get(f"/orders/{number}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)
    assert stranger.get(f"/orders/{number}/cancel").status_code == 200
    assert stranger.post(f"/orders/{number}/cancel").status_code == 403
