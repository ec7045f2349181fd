"""On PostgreSQL, with real threads and separate connections: concurrent buyers never oversell, and a
webhook delivered a hundred times at once pays once."""
import re
import threading

import pytest
from sqlalchemy import func, select

from shared import ON_POSTGRES
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders.models import (Fulfilment, LineStatus, Order, OrderLine, OrderStatus, OrderTransition,
                                      PaymentMethod)
from storefront.orders.operations import Buyer, place_order
from storefront.payments.models import PaymentEvent, PaymentTransaction

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="row locks and concurrent connections need PostgreSQL")]

BUYERS = 100


def all_at_once(calls):
    """Run every call in its own thread, released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_a_hundred_buyers_for_the_last_ten_units(app, make_buyable, checkout_fields):
    product = make_buyable(stock=10, price=50_000)
    db.session.commit()
    product_id = product.id
    shoppers = []
    for _ in range(BUYERS):
        shopper = app.test_client()
        assert shopper.post("/cart/add", data={"product_id": product.id, "quantity": 1}).status_code == 303
        token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                          shopper.get("/checkout").get_data(as_text=True))[1]
        shoppers.append((shopper, token))
    db.session.remove()  # the test's own connection goes back to the pool

    results = all_at_once([
        (lambda s=shopper, t=token: s.post("/checkout", data={**checkout_fields, "token": t}).status_code)
        for shopper, token in shoppers])

    assert sorted(set(map(str, results))) == ["303", "409"], results
    assert results.count(303) == 10 and results.count(409) == 90
    assert db.session.get(Product, product_id).stock == 0
    assert db.session.scalar(select(func.count(Order.id))) == 10
    assert db.session.scalar(select(func.min(Product.stock))) >= 0


def test_a_double_click_at_the_same_moment_makes_one_order(app, make_buyable, checkout_fields):
    product = make_buyable(stock=10)
    db.session.commit()
    product_id = product.id
    shopper = app.test_client()
    shopper.post("/cart/add", data={"product_id": product.id, "quantity": 2})
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      shopper.get("/checkout").get_data(as_text=True))[1]
    db.session.remove()
    # Two tabs of one browser (one session cookie) submitting the same form together.
    results = all_at_once([lambda: shopper.post("/checkout", data={**checkout_fields, "token": token})
                           for _ in range(8)])
    locations = {response.location for response in results}
    assert all(response.status_code == 303 for response in results)
    assert len(locations) == 1
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert db.session.get(Product, product_id).stock == 8


def test_a_hundred_deliveries_of_one_webhook_pay_once(app, client, fake_stripe, make_buyable, buy):
    product = make_buyable(stock=5, price=120_000)
    buy(client, {product: 1}, payment_method="card")
    order = db.session.scalar(select(Order))
    body, signature = fake_stripe.sign(fake_stripe.complete(order.stripe_session_id))
    number = order.number
    db.session.remove()

    def deliver():
        response = app.test_client().post("/payments/stripe/webhook", data=body,
                                          headers={"Stripe-Signature": signature}, content_type="application/json")
        return response.status_code, response.json.get("outcome")

    results = all_at_once([deliver for _ in range(BUYERS)])
    assert all(status == 200 for status, _outcome in results), results
    assert sorted(outcome for _status, outcome in results).count("applied") == 1
    order = db.session.scalar(select(Order).where(Order.number == number))
    assert order.status is OrderStatus.PAID
    assert db.session.scalar(select(func.count(PaymentTransaction.id))) == 1
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 1
    assert db.session.scalar(select(func.count(OrderTransition.id)).where(
        OrderTransition.to_status == OrderStatus.PAID)) == 1


def test_a_cancellation_and_a_producer_sending_a_line_never_cross(app, make_buyable, make_producer, make_user):
    """The office cancels orders while a producer marks its line of each sent, all at once: each order ends
    either cancelled with nothing sent and its stock back, or still open with the line sent and its stock
    taken. Never cancelled with a line on the road."""
    sender, other = make_producer(), make_producer()
    sent_product, other_product = make_buyable(producer=sender, stock=100), make_buyable(producer=other, stock=100)
    buyer = dict(name="An", phone="0905123456", email=None, fulfilment=Fulfilment.DELIVERY, province="Quảng Ngãi",
                 commune="Xã Bình Sơn", street="Thôn 3")
    orders = [place_order({sent_product.id: 1, other_product.id: 1}, Buyer(**buyer), PaymentMethod.CASH_ON_DELIVERY,
                          f"race-{i}", confirm_at_once=True) for i in range(20)]
    numbers = [order.number for order in orders]
    lines = [next(line.id for line in order.lines if line.product_id == sent_product.id) for order in orders]
    office_user, producer_user = make_user(role="admin"), make_user(role="producer", producer=sender)
    db.session.commit()
    office, producer = app.test_client(), app.test_client()
    for user, client in ((office_user, office), (producer_user, producer)):
        assert client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"}).status_code == 302
    ids = (sent_product.id, other_product.id)
    db.session.remove()

    calls = []
    for number, line_id in zip(numbers, lines):
        calls.append(lambda n=number: office.post(f"/admin/orders/{n}/cancel").status_code)
        calls.append(lambda i=line_id: producer.post(f"/producer/orders/lines/{i}/fulfil").status_code)
    results = all_at_once(calls)
    assert set(results) == {303}, results

    cancelled = 0
    for number, line_id in zip(numbers, lines):
        order = db.session.scalar(select(Order).where(Order.number == number))
        line = db.session.get(OrderLine, line_id)
        if order.status is OrderStatus.CANCELLED:
            cancelled += 1
            assert line.status is LineStatus.PENDING and order.stock_released
        else:
            assert order.status is OrderStatus.CONFIRMED and line.status is LineStatus.SHIPPED
            assert not order.stock_released
    stock = {product_id: db.session.get(Product, product_id).stock for product_id in ids}
    assert stock == {ids[0]: 80 + cancelled, ids[1]: 80 + cancelled}
