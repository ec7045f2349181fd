"""On PostgreSQL, with real threads and connections: one transfer delivered 100 times at once records one
payment, and a transfer that meets its order's expiry at the same moment either pays the order (which then
does not expire) or waits for the office (the order expired, its stock released): never both, never neither."""
import threading
import time
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storefront.bankfeed import operations
from storefront.bankfeed.models import BankTransfer, Mismatch, TransferState
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order, OrderStatus
from storefront.orders.operations import expire_unpaid
from storefront.payments.models import PaymentTransaction

from bankfeed.deliveries import signed, transfer
from races import STUCK, in_parallel
from shared import DATABASE_URL, ON_POSTGRES

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="row locks and concurrent connections need PostgreSQL")]

S = OrderStatus
WEBHOOK = "/payments/bank-feed"


@pytest.fixture
def due_order(app, make_buyable, buy):
    """due_order() places a VietQR order of 2 units (stock 5 → 3), its pay-by time already past: due to
    expire. Returns its number and its product's id."""
    def place():
        product = make_buyable(price=100_000, stock=5)
        response = buy(app.test_client(), {product: 2}, payment_method="vietqr")
        order = db.session.scalar(select(Order).where(Order.number == response.location.rsplit("/", 1)[1]))
        order.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        number, product_id = order.number, product.id
        db.session.remove()
        return number, product_id
    return place


def _post(app, body, headers, feed="sepay"):
    return app.test_client().post(f"{WEBHOOK}/{feed}", data=body, headers=headers)


def _expire(app):
    with app.app_context():
        expired = expire_unpaid()
        db.session.commit()
        return expired


def _connect():
    url = make_url(DATABASE_URL).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _waiting_for_a_lock(connection) -> bool:
    return connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()[0] > 0


def test_one_transfer_delivered_100_times_at_once_records_one_payment(app, make_buyable, make_producer, buy):
    product = make_buyable(price=100_000, stock=5, producer=make_producer(email="htx@example.vn"))
    response = buy(app.test_client(), {product: 2}, payment_method="vietqr")
    number = response.location.rsplit("/", 1)[1]
    db.session.remove()
    body, headers = signed(app, transfer(number, 230_000))
    start = threading.Barrier(100, timeout=STUCK)

    def deliver():
        start.wait()
        answer = _post(app, body, headers)
        return answer.status_code, answer.get_json().get("outcome")

    answers = in_parallel(*[deliver] * 100)
    assert sorted(set(answers)) == [(200, "duplicate"), (200, "matched")]
    assert answers.count((200, "matched")) == 1
    assert db.session.scalar(select(Order.status).where(Order.number == number)) is S.PAID
    assert db.session.scalar(select(func.count()).select_from(BankTransfer)) == 1
    assert db.session.scalar(select(func.count()).select_from(PaymentTransaction)) == 1
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "order-producer")) == 1


def test_a_transfer_and_the_expiry_at_the_same_moment_never_both_win(app, due_order):
    for round_ in range(10):
        number, product_id = due_order()
        body, headers = signed(app, transfer(number, 230_000))
        start = threading.Barrier(2, timeout=STUCK)

        def pay():
            start.wait()
            return _post(app, body, headers).status_code

        def expire():
            start.wait()
            return _expire(app)

        paid_answer, _expired = in_parallel(pay, expire)
        assert paid_answer == 200
        status = db.session.scalar(select(Order.status).where(Order.number == number))
        stock = db.session.get(Product, product_id).stock
        state = db.session.scalars(select(BankTransfer.state).where(BankTransfer.description == number)).one()
        charges = db.session.scalar(select(func.count()).select_from(PaymentTransaction).join(Order).where(
            Order.number == number))
        if status is S.PAID:
            assert (stock, charges, state) == (3, 1, TransferState.MATCHED), round_
        else:
            assert (status, stock, charges, state) == (S.EXPIRED, 5, 0, TransferState.TO_RECONCILE), round_
        db.session.remove()


def test_an_expiry_committed_while_the_transfer_was_read_sends_it_to_the_office(app, due_order, monkeypatch):
    """The transfer has found its order; before it locks it, the expiry commits: the transfer sees it."""
    number, product_id = due_order()
    found, release = threading.Event(), threading.Event()
    original = operations._named_order

    def found_then_wait(facts):
        result = original(facts)
        found.set()
        assert release.wait(STUCK)
        return result

    monkeypatch.setattr(operations, "_named_order", found_then_wait)
    body, headers = signed(app, transfer(number, 230_000))

    def pay():
        return _post(app, body, headers).get_json()

    def expire_meanwhile():
        assert found.wait(STUCK)
        try:
            return _expire(app)
        finally:
            release.set()

    answer, expired = in_parallel(pay, expire_meanwhile)
    assert expired == 1 and answer["outcome"] == "to_reconcile" and answer["detail"] == "order_closed"
    transfer_row = db.session.scalars(select(BankTransfer)).one()
    assert (transfer_row.state, transfer_row.mismatch) == (TransferState.TO_RECONCILE, Mismatch.ORDER_CLOSED)
    assert db.session.get(Product, product_id).stock == 5
    assert db.session.scalar(select(func.count()).select_from(PaymentTransaction)) == 0


def test_an_expiry_arriving_while_the_transfer_pays_waits_and_then_finds_the_order_paid(app, due_order, monkeypatch):
    """The transfer has paid the order and not committed; the expiry comes now: it waits for the order's
    row, then finds it paid and leaves it (and its stock) alone."""
    number, product_id = due_order()
    settled, release = threading.Event(), threading.Event()
    original = operations._settle

    def settle_then_wait(*args, **kwargs):
        original(*args, **kwargs)
        settled.set()
        assert release.wait(STUCK)

    monkeypatch.setattr(operations, "_settle", settle_then_wait)
    body, headers = signed(app, transfer(number, 230_000))

    def expire_now():
        assert settled.wait(STUCK)
        return _expire(app)

    with _connect() as observer:
        def release_once_the_expiry_waits():
            assert settled.wait(STUCK)
            deadline = time.monotonic() + STUCK
            while not _waiting_for_a_lock(observer):
                assert time.monotonic() < deadline, "the expiry never waited for the order's row"
                time.sleep(0.01)
            release.set()

        answer, expired, _ = in_parallel(lambda: _post(app, body, headers).get_json(), expire_now,
                                         release_once_the_expiry_waits)
    assert answer["outcome"] == "matched" and expired == 0
    assert db.session.scalar(select(Order.status).where(Order.number == number)) is S.PAID
    assert db.session.get(Product, product_id).stock == 3
