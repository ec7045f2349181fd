"""On PostgreSQL, with real threads and separate connections: concurrent buyers never oversell, and a
webhook delivered a hundred times at once pays once."""
import re
import threading

import pytest
from sqlalchemy import func, select

from shared import ON_POSTGRES
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus, OrderTransition
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
