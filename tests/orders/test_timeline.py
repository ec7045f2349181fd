"""The order page's timeline and each producer's parcel, for every way an order goes."""
import re

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.orders import operations as orders
from storefront.orders.models import Order, OrderStatus
from storefront.orders.timeline import CURRENT, DONE, NEXT, STOPPED, parcel, timeline
from storefront.payments import operations as payments

S = OrderStatus


@pytest.fixture
def place(client, make_buyable, make_producer, buy):
    """place(payment_method=…) → a fresh order of two producers' products, read back."""
    def place(**fields):
        first = make_buyable(price=100_000, stock=9, producer=make_producer(name="HTX Quế Trà Bồng"))
        second = make_buyable(price=50_000, stock=9, producer=make_producer(name="Cơ sở Tỏi Lý Sơn"))
        number = buy(client, {first: 1, second: 2}, **fields).location.rsplit("/", 1)[1]
        db.session.expire_all()
        return db.session.scalar(select(Order).where(Order.number == number))
    return place


def shape(order):
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    return [(str(step.name), step.state, step.at is not None) for step in timeline(order)]


def test_a_transfer_order_waits_then_goes_step_by_step(place):
    order = place(payment_method="vietqr")
    assert shape(order) == [("Đã đặt hàng", DONE, True), ("Đang chờ bạn thanh toán", CURRENT, False),
                            ("Chủ thể sản xuất đang chuẩn bị hàng", NEXT, False), ("Đã gửi hàng", NEXT, False),
                            ("Hoàn tất", NEXT, False)]
    payments.confirm_transfer(order, None)
    db.session.commit()
    assert [state for _, state, _ in shape(order)] == [DONE, DONE, CURRENT, NEXT, NEXT]
    first, second = order.lines_by_producer()
    orders.fulfil_lines(order, first[1])
    db.session.commit()
    assert parcel(order, first[1]).state == "sent" and parcel(order, second[1]).state == "preparing"
    assert [state for _, state, _ in shape(order)] == [DONE, DONE, CURRENT, NEXT, NEXT]  # one parcel still to go
    orders.fulfil_lines(order, second[1])
    db.session.commit()
    assert [(state, dated) for _, state, dated in shape(order)] == [(DONE, True), (DONE, True), (DONE, False),
                                                                     (DONE, True), (NEXT, False)]
    payments.complete(order, None)
    db.session.commit()
    assert [state for _, state, _ in shape(order)] == [DONE] * 5


def test_cash_on_delivery_is_confirmed_at_once(place):
    order = place()
    assert shape(order)[1] == ("Đã xác nhận: bạn trả tiền khi nhận hàng", DONE, True)
    assert shape(order)[2][1] == CURRENT


@pytest.mark.parametrize("end, name", [("cancel", "Đã hủy"), ("expire", "Hết hạn, chưa thanh toán")])
def test_an_order_that_stopped_says_where(place, end, name):
    order = place(payment_method="vietqr")
    if end == "cancel":
        orders.cancel_order(order, actor_label="shopper")
    else:
        orders.expire_order(order, due_now=True)
    db.session.commit()
    assert shape(order) == [("Đã đặt hàng", DONE, True), (name, STOPPED, True)]
    assert parcel(order, order.lines).state == "closed"


def test_a_paid_order_refunded_before_sending_stops_at_refunded(place):
    order = place(payment_method="vietqr")
    payments.confirm_transfer(order, None)
    db.session.commit()
    payments.refund(order, None)
    db.session.commit()
    assert [(name, state) for name, state, _ in shape(order)] == [
        ("Đã đặt hàng", DONE), ("Đã thanh toán", DONE), ("Đã hoàn tiền", STOPPED)]


def test_the_page_shows_the_steps_and_each_producers_parcel_in_both_languages(client, place):
    order = place(payment_method="vietqr")
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert 'aria-current="step"' in page and "Đang chờ bạn thanh toán" in page
    assert "HTX Quế Trà Bồng" in page and "Kiện hàng" not in page  # nothing to prepare before payment
    payments.confirm_transfer(db.session.get(Order, order.id), None)
    db.session.commit()
    english = client.get(f"/en/orders/{order.number}").get_data(as_text=True)
    assert english.count("Parcel being prepared") == 2
    assert re.search(r'timeline__step--current" aria-current="step">\s*<span class="timeline__name">Being prepared',
                     english)
