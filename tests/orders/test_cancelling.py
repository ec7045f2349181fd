"""Cancelling: the shopper confirms first (without JavaScript); an order with a sent line cannot be cancelled;
a cancellation gives the stock back once and tells every producer who was asked to send it; and every
line's status follows its order's state, the same for the shopper, the office and the producer."""
import re

import pytest
from sqlalchemy import select, update

from storefront.accounts.models import Role
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders import operations, workflow
from storefront.orders.models import Fulfilment, LineStatus, Order, OrderLine, OrderStatus, PaymentMethod
from storefront.orders.operations import Buyer, place_order

S = OrderStatus
PASSWORD = "mật-khẩu-đủ-dài-1"


def the_order() -> Order:
    db.session.expire_all()
    return db.session.scalar(select(Order))


def stock_of(product) -> int:
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


def signed_in(app, user):
    db.session.commit()
    client = app.test_client()
    assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


# --- the shopper confirms ---

@pytest.mark.parametrize("lang,link,question,yes", [
    ("", "Hủy đơn hàng này", "Hủy đơn hàng", "Có, hủy đơn hàng"),
    ("/en", "Cancel this order", "Cancel order", "Yes, cancel the order"),
])
def test_the_shopper_confirms_before_an_order_is_cancelled(client, make_buyable, buy, lang, link, question, yes):
    product = make_buyable(stock=5)
    buy(client, {product: 2}, lang=lang)
    order = the_order()
    page = client.get(f"{lang}/orders/{order.number}").get_data(as_text=True)
    # One tap opens a question, not a cancellation: a link, no form that cancels.
    assert f'href="{lang}/orders/{order.number}/cancel"' in page and link in page
    assert 'method="post"' not in page

    question_page = client.get(f"{lang}/orders/{order.number}/cancel")
    assert question_page.status_code == 200
    text = question_page.get_data(as_text=True)
    assert question in text and yes in text and 'name="confirm" value="yes"' in text
    assert the_order().status is S.CONFIRMED and stock_of(product) == 3

    # The old one-tap form (a page kept open from before) asks too, and changes nothing.
    again = client.post(f"{lang}/orders/{order.number}/cancel")
    assert again.status_code == 200 and yes in again.get_data(as_text=True)
    assert the_order().status is S.CONFIRMED

    done = client.post(f"{lang}/orders/{order.number}/cancel", data={"confirm": "yes"})
    assert done.status_code == 303
    assert the_order().status is S.CANCELLED and stock_of(product) == 5
    assert link not in client.get(f"{lang}/orders/{order.number}").get_data(as_text=True)


def test_a_forged_confirmation_cancels_nothing(client, make_buyable, buy):
    buy(client, {make_buyable(): 1})
    order = the_order()
    response = client.post(f"/orders/{order.number}/cancel", data={"confirm": "yes"}, csrf=False)
    assert response.status_code == 400
    assert the_order().status is S.CONFIRMED


# --- line statuses follow the order ---

def line_statuses(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r'<td class="line-status[^"]*">(.*?)</td>', page, re.S)]


@pytest.mark.parametrize("state,vi,en", [
    ("awaiting", "Chờ thanh toán", "Awaiting payment"),
    ("cancelled", "Đã hủy", "Cancelled"),
    ("expired", "Hết hạn, chưa thanh toán", "Expired unpaid"),
    ("refunded", "Đã hoàn tiền", "Refunded"),
    ("paid", "Đang chuẩn bị", "Being prepared"),
    ("completed", "Hoàn tất", "Completed"),
])
def test_every_line_reads_its_orders_state(app, client, make_buyable, make_user, buy, state, vi, en):
    product, other = make_buyable(stock=5), make_buyable(stock=5)
    buy(client, {product: 1, other: 1}, payment_method="vietqr")
    order = the_order()
    office = make_user(role=Role.ADMIN)
    if state == "cancelled":
        operations.cancel_order(order, actor_label="shopper")
    elif state == "expired":
        operations.expire_order(order, due_now=True)
    elif state in ("paid", "refunded", "completed"):
        operations.mark_paid(order, actor=office)
        if state == "refunded":
            operations.mark_refunded(order, actor=office)
        if state == "completed":
            operations.fulfil_order(order, actor=office)
            operations.complete_order(order, actor=office)
    db.session.commit()
    assert line_statuses(client.get(f"/orders/{order.number}").get_data(as_text=True)) == [vi, vi]
    assert line_statuses(client.get(f"/en/orders/{order.number}").get_data(as_text=True)) == [en, en]
    desk = signed_in(app, office)
    assert line_statuses(desk.get(f"/admin/orders/{order.number}").get_data(as_text=True)) == [vi, vi]


def test_a_sent_line_reads_sent_beside_one_being_prepared(client, make_buyable, make_producer, buy):
    first, second = make_buyable(producer=make_producer(name="A")), make_buyable(producer=make_producer(name="B"))
    buy(client, {first: 1, second: 1})
    order = the_order()
    operations.fulfil_lines(order, [line for line in order.lines if line.product_id == first.id], actor_label="p")
    db.session.commit()
    assert line_statuses(client.get(f"/orders/{order.number}").get_data(as_text=True)) == [
        "Đã gửi hàng", "Đang chuẩn bị"]


# --- an order with a sent line cannot be cancelled ---

def test_the_office_cannot_cancel_an_order_with_a_sent_line(app, client, make_buyable, make_producer, make_user,
                                                          buy):
    sent, waiting = make_buyable(stock=5, producer=make_producer()), make_buyable(stock=5, producer=make_producer())
    buy(client, {sent: 2, waiting: 1})
    order = the_order()
    sent_line = next(line for line in order.lines if line.product_id == sent.id)
    producer = signed_in(app, make_user(role=Role.PRODUCER, producer=sent.producer))
    assert producer.post(f"/producer/orders/lines/{sent_line.id}/fulfil").status_code == 303
    messages_before = db.session.scalars(select(OutboxMessage.id)).all()

    office = signed_in(app, make_user(role=Role.ADMIN))
    detail = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert f"/admin/orders/{order.number}/cancel" not in detail
    assert "đã được gửi đi nên không thể hủy đơn" in detail
    refused = office.post(f"/admin/orders/{order.number}/cancel", data={"note": "khách đổi ý"})
    assert refused.status_code == 303
    page = office.get(refused.location).get_data(as_text=True)
    assert "không thể" in page
    order = the_order()
    assert order.status is S.CONFIRMED and not order.stock_released
    assert stock_of(sent) == 3 and stock_of(waiting) == 4
    assert db.session.scalars(select(OutboxMessage.id)).all() == messages_before
    # The shopper cannot either.
    assert "/cancel" not in client.get(f"/orders/{order.number}").get_data(as_text=True)
    client.post(f"/orders/{order.number}/cancel", data={"confirm": "yes"})
    assert the_order().status is S.CONFIRMED
    # Nor any other caller of the one state machine.
    with pytest.raises(workflow.TransitionRefused, match="đã được gửi đi"):
        operations.cancel_order(the_order(), actor_label="system")


def test_the_machine_reads_sent_lines_from_the_database_not_from_a_stale_object(make_buyable):
    product = make_buyable(stock=5)
    order = place_order({product.id: 1}, Buyer(name="An", phone="0905123456", email=None,
                                              fulfilment=Fulfilment.DELIVERY, province="Quảng Ngãi",
                                              commune="Xã Bình Sơn", street="Thôn 3"),
                        PaymentMethod.CASH_ON_DELIVERY, "k-stale", confirm_at_once=True)
    db.session.commit()
    assert order.lines[0].status is LineStatus.PENDING
    # Another request marked the line sent; this one still holds the line as pending.
    db.session.execute(update(OrderLine).where(OrderLine.order_id == order.id)
                       .values(status=LineStatus.SHIPPED), execution_options={"synchronize_session": False})
    assert order.lines[0].status is LineStatus.PENDING
    with pytest.raises(workflow.TransitionRefused):
        operations.cancel_order(order, actor_label="office")
    assert stock_of(product) == 4


# --- a cancellation is told to every producer, and stays in their list ---

def test_a_cancellation_gives_the_stock_back_once_and_tells_every_producer(app, client, make_buyable,
                                                                           make_producer, make_user, buy):
    garlic_maker = make_producer(name="HTX Tỏi Lý Sơn", email="toi@htx.vn")
    cinnamon_maker = make_producer(name="HTX Quế Trà Bồng", email=None)
    garlic = make_buyable(name_vi="Tỏi cô đơn", producer=garlic_maker, stock=5)
    cinnamon = make_buyable(name_vi="Quế thanh", producer=cinnamon_maker, stock=5)
    cinnamon_account = make_user(role=Role.PRODUCER, producer=cinnamon_maker, email="que@htx.vn")
    bystander = make_producer(email="other@htx.vn")
    buy(client, {garlic: 2, cinnamon: 1})
    order = the_order()

    office = signed_in(app, make_user(role=Role.ADMIN))
    assert office.post(f"/admin/orders/{order.number}/cancel").status_code == 303
    office.post(f"/admin/orders/{order.number}/cancel")  # a second click
    assert the_order().status is S.CANCELLED
    assert stock_of(garlic) == 5 and stock_of(cinnamon) == 5

    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "order-producer-stop")).all()
    assert sorted(message.recipient for message in told) == ["que@htx.vn", "toi@htx.vn"]
    for message in told:
        assert message.subject == f"Đơn hàng {order.number} đã bị hủy"
        assert "xin đừng gửi các sản phẩm này" in message.body
    garlic_mail = next(message for message in told if message.recipient == "toi@htx.vn")
    assert "Tỏi cô đơn × 2" in garlic_mail.body and "Quế thanh" not in garlic_mail.body
    assert not any(message.recipient == bystander.email for message in told)

    # Still in the producer's list of all orders, marked cancelled, with nothing to press.
    producer = signed_in(app, cinnamon_account)
    assert order.number not in producer.get("/producer/orders").get_data(as_text=True)
    everything = producer.get("/producer/orders?show=all").get_data(as_text=True)
    assert order.number in everything and "Đã hủy" in everything and "/fulfil" not in everything
    english = producer.get("/en/producer/orders?show=all").get_data(as_text=True)
    assert order.number in english and "Cancelled" in english


def test_an_unpaid_order_cancelled_was_never_the_producers_business(app, client, make_buyable, make_producer,
                                                                    make_user, buy):
    maker = make_producer(email="toi@htx.vn")
    product = make_buyable(producer=maker, stock=5)
    account = make_user(role=Role.PRODUCER, producer=maker)
    buy(client, {product: 1}, payment_method="vietqr")
    order = the_order()
    client.post(f"/orders/{order.number}/cancel", data={"confirm": "yes"})
    assert the_order().status is S.CANCELLED and stock_of(product) == 5
    assert db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.recipient == "toi@htx.vn")).all() == []
    assert order.number not in signed_in(app, account).get("/producer/orders?show=all").get_data(as_text=True)


def test_a_refund_gives_back_only_the_units_not_sent(make_buyable, make_producer, make_user):
    sent, waiting = make_buyable(stock=5, producer=make_producer()), make_buyable(stock=5, producer=make_producer())
    order = place_order({sent.id: 2, waiting.id: 1}, Buyer(name="An", phone="0905123456", email=None,
                                                          fulfilment=Fulfilment.DELIVERY, province="Quảng Ngãi",
                                                          commune="Xã Bình Sơn", street="Thôn 3"),
                        PaymentMethod.VIETQR, "k-refund")
    office = make_user(role=Role.ADMIN)
    operations.mark_paid(order, actor=office)
    operations.fulfil_lines(order, [line for line in order.lines if line.product_id == sent.id], actor=office)
    operations.mark_refunded(order, actor=office)
    assert stock_of(sent) == 3 and stock_of(waiting) == 5
