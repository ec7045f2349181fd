"""On PostgreSQL, with real threads and separate connections: events about one payment that arrive at
the same moment are applied one after the other (a refund is never lost), and Stripe is never called
while a transaction that changed an order, the stock or the page cache's version is still open."""
import threading
import time

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from shared import DATABASE_URL, ON_POSTGRES
from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus
from storefront.orders.operations import expire_unpaid
from storefront.pagecache import current_version
from storefront.payments import operations
from storefront.payments.models import EventOutcome, PaymentEvent, PaymentTransaction, TransactionKind

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="row locks and concurrent connections need PostgreSQL")]

S = OrderStatus
WEBHOOK = "/payments/stripe/webhook"
PATIENCE = 120  # seconds a thread may take before the test gives up (never reached unless it hangs)


def _connect():
    url = make_url(DATABASE_URL).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _until(condition, what):
    """Wait for a state the test knows will come (a thread at a lock, a thread finished)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        time.sleep(0.01)


def _waiting_for_a_lock(connection) -> bool:
    return connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()[0] > 0


class Delivery(threading.Thread):
    """One webhook delivery in a thread of its own (its own request, session and connection)."""

    def __init__(self, app, body, signature):
        super().__init__(daemon=True)
        self.app, self.body, self.signature, self.response, self.error = app, body, signature, None, None

    def run(self):
        try:
            self.response = self.app.test_client().post(
                WEBHOOK, data=self.body, headers={"Stripe-Signature": self.signature},
                content_type="application/json")
        except Exception as error:  # noqa: BLE001  (reported by the test)
            self.error = error


def _paused(monkeypatch, event_type):
    """Make the handler of `event_type` stop, its work done but its transaction not committed, until
    released: the moment another delivery could read around it."""
    parse, handle = operations._HANDLERS[event_type]
    reached, release = threading.Event(), threading.Event()

    def held(facts):
        result = handle(facts)
        reached.set()
        assert release.wait(PATIENCE)
        return result

    monkeypatch.setitem(operations._HANDLERS, event_type, (parse, held))
    return reached, release


@pytest.fixture
def card_order(client, fake_stripe, make_buyable, buy):
    product = make_buyable(price=240_000, stock=5)
    assert buy(client, {product: 2}, payment_method="card").status_code == 303
    order = db.session.scalar(select(Order))
    return order.number, order.stripe_session_id, product.id


@pytest.mark.parametrize("first", ["checkout.session.completed", "charge.refunded"])
def test_a_payment_and_its_refund_reported_at_the_same_moment_end_refunded(
        app, fake_stripe, card_order, monkeypatch, first):
    number, session_id, product_id = card_order
    completed = fake_stripe.complete(session_id)
    intent = completed["data"]["object"]["payment_intent"]
    refunded = fake_stripe.refund_outside(intent)
    events = {"checkout.session.completed": completed, "charge.refunded": refunded}
    second = next(kind for kind in events if kind != first)
    reached, release = _paused(monkeypatch, first)
    db.session.remove()

    with _connect() as observer:
        one = Delivery(app, *fake_stripe.sign(events[first]))
        one.start()
        assert reached.wait(PATIENCE)
        # The first delivery has done its work and not committed it; the second arrives now.
        two = Delivery(app, *fake_stripe.sign(events[second]))
        two.start()
        _until(lambda: not two.is_alive() or _waiting_for_a_lock(observer), "the second delivery")
        release.set()
        one.join(PATIENCE)
        two.join(PATIENCE)

    assert (one.error, two.error) == (None, None)
    assert (one.response.status_code, two.response.status_code) == (200, 200)
    order = db.session.scalar(select(Order).where(Order.number == number))
    assert order.status is S.REFUNDED
    assert db.session.get(Product, product_id).stock == 5
    refunds = db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.REFUND)).all()
    assert [(r.amount, r.status.value) for r in refunds] == [(510_000, "succeeded")]
    assert db.session.scalar(select(func.count(PaymentEvent.id)).where(
        PaymentEvent.outcome == EventOutcome.WAITING)) == 0


@pytest.fixture
def stripe_sees_no_open_write(fake_stripe):
    """Each time the fake Stripe receives a call, look at the database from outside the shop: no
    transaction that changed something may be open (it would hold its row locks while Stripe answers),
    and no row of an order, a product or the page cache's version may be locked."""
    calls, problems = [], []
    observer = _connect()
    lock = threading.Lock()

    def look(method, path):
        with lock:
            calls.append(path)
            writers = observer.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL").fetchone()[0]
            if writers:
                problems.append(f"{method} {path}: {writers} writing transaction(s) open")
            for table in ("customer_order", "product"):
                try:
                    with observer.transaction():
                        observer.execute(f"SELECT id FROM {table} FOR UPDATE NOWAIT").fetchall()
                except psycopg.errors.LockNotAvailable:
                    problems.append(f"{method} {path}: a row of {table} is locked")

    fake_stripe.on_request = look
    yield calls, problems
    fake_stripe.on_request = None
    observer.close()


@pytest.fixture
def office(app, make_user):
    from storefront.accounts.models import Role

    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": admin.email, "password": "mật-khẩu-đủ-dài-1"})
    return client


def _version() -> int:
    db.session.expire_all()
    return current_version()


def test_no_stripe_call_while_the_order_or_the_page_cache_is_locked(
        app, client, office, fake_stripe, stripe_sees_no_open_write, make_buyable, buy):
    calls, problems = stripe_sees_no_open_write
    product = make_buyable(price=100_000, stock=2)
    db.session.commit()

    # A card checkout that sells the product out (the page cache's version changes with it).
    version = _version()
    response = buy(client, {product: 2}, payment_method="card")
    order = db.session.scalar(select(Order))
    assert response.location == order.stripe_checkout_url and _version() > version
    # Back from Stripe's page before the webhook: Stripe is asked about the session.
    completed = fake_stripe.complete(order.stripe_session_id)
    client.get(f"/orders/{order.number}?paid=1")
    assert db.session.scalar(select(Order)).status is S.PAID
    # The office refunds it: the stock comes back (and the version changes), then Stripe is asked.
    version = _version()
    assert office.post(f"/admin/orders/{order.number}/refund").status_code == 303
    assert _version() > version and len(fake_stripe.refunds) == 1

    # A payment arriving after its order expired is refunded from the webhook.
    buy(client, {product: 2}, payment_method="card")
    late = db.session.scalar(select(Order).where(Order.id != order.id))
    completed = fake_stripe.complete(late.stripe_session_id)
    late.expires_at = late.created_at
    db.session.commit()
    assert expire_unpaid() == 1
    db.session.commit()
    body, signature = fake_stripe.sign(completed)
    assert client.post(WEBHOOK, data=body, headers={"Stripe-Signature": signature}).status_code == 200
    assert len(fake_stripe.refunds) == 2

    # The shopper cancels a card order: its Stripe page is closed.
    buy(client, {product: 1}, payment_method="card")
    cancelled = db.session.scalar(select(Order).order_by(Order.id.desc()).limit(1))
    assert client.post(f"/orders/{cancelled.number}/cancel", data={"confirm": "yes"}).status_code == 303
    assert fake_stripe.sessions[cancelled.stripe_session_id]["status"] == "expired"

    assert sorted(set(calls)) == sorted({
        "/v1/checkout/sessions", f"/v1/checkout/sessions/{order.stripe_session_id}", "/v1/refunds",
        f"/v1/checkout/sessions/{cancelled.stripe_session_id}/expire"})
    assert problems == []
