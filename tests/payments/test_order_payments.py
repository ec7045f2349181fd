"""Every way to pay, end to end: cash on delivery, VietQR confirmed by the office, Stripe Checkout with its
webhooks in every order and duplicated, refunds that never pay back twice, and the attacks on all of it."""
import copy
import time

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.catalog.models import Product
from storefront.audit.models import AuditEntry
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order, OrderStatus
from storefront.orders.operations import expire_unpaid
from storefront.payments import vietqr
from storefront.payments.models import EventOutcome, PaymentEvent, PaymentTransaction, TransactionKind

S = OrderStatus
WEBHOOK = "/payments/stripe/webhook"


def the_order() -> Order:
    db.session.expire_all()
    return db.session.scalar(select(Order).order_by(Order.id.desc()).limit(1))


def stock_of(product) -> int:
    db.session.expire_all()
    return db.session.get(Product, product.id).stock


def charges() -> list[PaymentTransaction]:
    return db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.CHARGE)).all()


def refund_records() -> list[PaymentTransaction]:
    db.session.expire_all()
    return db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.REFUND).order_by(PaymentTransaction.id)).all()


def deliver(client, fake, event, timestamp=None):
    body, signature = fake.sign(event, timestamp)
    return client.post(WEBHOOK, data=body, headers={"Stripe-Signature": signature},
                       content_type="application/json")


@pytest.fixture
def card_order(client, fake_stripe, make_buyable, make_producer, buy):
    """A guest's card order of 2 units (stock 5 → 3), its Stripe page open."""
    product = make_buyable(price=240_000, stock=5, producer=make_producer(email="htx-toi@example.vn"))
    response = buy(client, {product: 2}, payment_method="card")
    assert response.status_code == 303
    order = the_order()
    assert response.location == order.stripe_checkout_url
    return order, product


def test_card_payment_end_to_end(client, fake_stripe, card_order):
    order, product = card_order
    assert order.status is S.AWAITING_PAYMENT and stock_of(product) == 3
    (created,) = fake_stripe.posts("/v1/checkout/sessions")
    _method, _path, form, idempotency_key = created
    assert idempotency_key == f"checkout-{order.number}"
    # VND is zero-decimal: the amount in đồng, not ×100.
    assert form["line_items[0][price_data][currency]"] == "vnd"
    assert form["line_items[0][price_data][unit_amount]"] == str(order.total) == "510000"
    assert form["client_reference_id"] == order.number
    assert form["success_url"].endswith(f"/orders/{order.number}?paid=1")

    event = fake_stripe.complete(order.stripe_session_id)
    response = deliver(client, fake_stripe, event)
    assert response.status_code == 200 and response.json["outcome"] == "applied"
    order = the_order()
    assert order.status is S.PAID and order.paid_at is not None
    assert [(t.from_status, t.to_status, t.actor_label) for t in order.transitions] == [
        (None, S.AWAITING_PAYMENT, "shopper"), (S.AWAITING_PAYMENT, S.PAID, "stripe")]
    (charge,) = charges()
    assert charge.amount == 510_000 and charge.provider_reference.startswith("pi_")
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "order-producer")) == 1
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Đã thanh toán" in page


def test_a_duplicated_webhook_pays_once(client, fake_stripe, card_order):
    order, _product = card_order
    event = fake_stripe.complete(order.stripe_session_id)
    for _ in range(3):
        assert deliver(client, fake_stripe, event).status_code == 200
    # The same payment told again under another event id (Stripe resends after a timeout).
    again = copy.deepcopy(event)
    again["id"] = "evt_test_other"
    assert deliver(client, fake_stripe, again).json["outcome"] == "ignored"
    assert len(charges()) == 1
    assert [t.to_status for t in the_order().transitions].count(S.PAID) == 1
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 2


def test_forged_stale_and_unsigned_webhooks_are_refused(client, fake_stripe, card_order):
    order, _product = card_order
    event = fake_stripe.complete(order.stripe_session_id)
    body, signature = fake_stripe.sign(event)
    forged = body.replace(b'"amount_total":510000', b'"amount_total":1')
    assert client.post(WEBHOOK, data=forged, headers={"Stripe-Signature": signature}).status_code == 400
    assert client.post(WEBHOOK, data=body).status_code == 400
    from payments.fake_stripe import signed_event

    wrong_body, wrong_signature = signed_event(event, "whsec_not_the_shops")
    assert client.post(WEBHOOK, data=wrong_body, headers={"Stripe-Signature": wrong_signature}).status_code == 400
    assert deliver(client, fake_stripe, event, timestamp=int(time.time()) - 3600).status_code == 400
    assert the_order().status is S.AWAITING_PAYMENT and charges() == []
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 0


def test_a_payment_of_another_amount_or_currency_is_rejected(client, fake_stripe, card_order):
    order, _product = card_order
    event = fake_stripe.complete(order.stripe_session_id)
    cheaper = copy.deepcopy(event)
    cheaper["id"], cheaper["data"]["object"]["amount_total"] = "evt_cheaper", 1000
    dollars = copy.deepcopy(event)
    dollars["id"], dollars["data"]["object"]["currency"] = "evt_usd", "usd"
    for bad in (cheaper, dollars):
        response = deliver(client, fake_stripe, bad)
        assert response.status_code == 200 and response.json["outcome"] == "rejected"
    assert the_order().status is S.AWAITING_PAYMENT and charges() == []


def test_a_session_of_another_order_pays_nothing(client, app, fake_stripe, make_buyable, buy, card_order):
    order, _product = card_order
    other_client = app.test_client()
    buy(other_client, {make_buyable(price=10_000): 1}, payment_method="card")
    other = the_order()
    event = fake_stripe.complete(order.stripe_session_id)
    # The first order's paid session, claimed for the second order.
    event["data"]["object"]["client_reference_id"] = other.number
    assert deliver(client, fake_stripe, event).json["outcome"] == "rejected"
    unknown = copy.deepcopy(event)
    unknown["id"], unknown["data"]["object"]["id"] = "evt_unknown", "cs_test_nobody"
    assert deliver(client, fake_stripe, unknown).json["outcome"] == "rejected"
    db.session.expire_all()
    assert {o.status for o in db.session.scalars(select(Order))} == {S.AWAITING_PAYMENT}


def test_a_session_that_expires_gives_the_stock_back_once(client, fake_stripe, card_order):
    order, product = card_order
    event = fake_stripe.expire(order.stripe_session_id)
    assert deliver(client, fake_stripe, event).json["outcome"] == "applied"
    assert deliver(client, fake_stripe, event).json["outcome"] == "duplicate"
    assert the_order().status is S.EXPIRED and stock_of(product) == 5


def test_completed_then_expired_stays_paid(client, fake_stripe, card_order):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    expired = copy.deepcopy(completed)
    expired["id"], expired["type"] = "evt_expired_late", "checkout.session.expired"
    deliver(client, fake_stripe, completed)
    assert deliver(client, fake_stripe, expired).json["outcome"] == "ignored"
    assert the_order().status is S.PAID and stock_of(product) == 3


def test_a_payment_after_the_order_expired_is_refunded(client, fake_stripe, card_order):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    order.expires_at = order.created_at  # the hold ran out before Stripe's message came
    db.session.commit()
    assert expire_unpaid() == 1
    db.session.commit()
    assert stock_of(product) == 5
    response = deliver(client, fake_stripe, completed)
    assert response.json["outcome"] == "applied" and "refunded" in response.json["detail"]
    assert the_order().status is S.EXPIRED
    (refund,) = fake_stripe.posts("/v1/refunds")
    assert refund[2]["amount"] == "510000"
    assert {t.kind for t in db.session.scalars(select(PaymentTransaction))} == {TransactionKind.CHARGE,
                                                                               TransactionKind.REFUND}
    assert stock_of(product) == 5


@pytest.fixture
def office(make_user, sign_in, app):
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": admin.email, "password": "mật-khẩu-đủ-dài-1"})
    return client


def test_the_office_refunds_a_card_order_once_and_the_webhook_confirms_it(client, office, fake_stripe, card_order):
    order, product = card_order
    deliver(client, fake_stripe, fake_stripe.complete(order.stripe_session_id))
    page = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "Hoàn tiền" in page
    assert office.post(f"/admin/orders/{order.number}/refund", data={"note": "khách đổi ý"}).status_code == 303
    assert office.post(f"/admin/orders/{order.number}/refund").status_code == 303  # a second click
    (refund,) = fake_stripe.posts("/v1/refunds")
    (recorded,) = refund_records()
    assert refund[3] == f"refund-{order.number}-{recorded.id}" and refund[2]["amount"] == "510000"
    assert refund[2]["metadata[order_number]"] == order.number
    assert recorded.status.value == "pending" and recorded.provider_reference.startswith("re_")
    order = the_order()
    assert order.status is S.REFUNDED and stock_of(product) == 5  # never sent: the units come back
    # Stripe then reports the refund, maybe twice.
    refunded = fake_stripe.last_event("charge.refunded")
    assert deliver(client, fake_stripe, refunded).json["outcome"] == "applied"
    assert deliver(client, fake_stripe, refunded).json["outcome"] == "duplicate"
    refunds = db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.REFUND)).all()
    assert [r.status.value for r in refunds] == ["succeeded"]
    assert stock_of(product) == 5

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.refund"))
    assert entry.changes == {"status": ["paid", "refunded"]} and entry.note == "khách đổi ý"


def test_a_refund_reported_before_the_payment_is_applied_when_the_payment_arrives(client, fake_stripe, card_order):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    intent = completed["data"]["object"]["payment_intent"]
    refunded = fake_stripe.refund_outside(intent)
    assert deliver(client, fake_stripe, refunded).json["outcome"] == "waiting"
    assert the_order().status is S.AWAITING_PAYMENT
    assert deliver(client, fake_stripe, completed).json["outcome"] == "applied"
    order = the_order()
    assert [t.to_status for t in order.transitions] == [S.AWAITING_PAYMENT, S.PAID, S.REFUNDED]
    assert stock_of(product) == 5
    waiting = db.session.scalar(select(PaymentEvent).where(PaymentEvent.type == "charge.refunded"))
    assert waiting.outcome is EventOutcome.APPLIED


def test_a_partial_refund_from_the_dashboard_is_recorded_without_refunding_the_order(
        client, fake_stripe, card_order):
    order, _product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    deliver(client, fake_stripe, completed)
    partial = fake_stripe.refund_outside(completed["data"]["object"]["payment_intent"], amount=30_000)
    assert deliver(client, fake_stripe, partial).json["detail"] == "partial refund of 30000"
    assert the_order().status is S.PAID


def test_without_stripe_keys_the_card_option_is_hidden_and_refused(client, make_buyable, buy):
    product = make_buyable()
    db.session.commit()
    client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="card"' not in page and 'value="vietqr"' in page
    response = buy(client, {}, payment_method="card")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert client.post(WEBHOOK, data=b"{}").status_code == 404


@pytest.mark.parametrize("lang, failed, retry, ready", [
    ("", "Không mở được trang thanh toán của Stripe", "Thử thanh toán bằng thẻ lần nữa", "Trang thanh toán của Stripe đã sẵn sàng"),
    ("/en", "Stripe’s payment page could not be opened", "Try paying by card again", "Stripe’s payment page is ready"),
])
def test_when_stripe_is_down_the_order_waits_and_its_page_offers_to_pay_again(
        app, client, fake_stripe, make_buyable, buy, monkeypatch, lang, failed, retry, ready):
    product = make_buyable(stock=5)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(500)
    response = buy(client, {product: 2}, lang=lang, payment_method="card")
    order = the_order()
    # The order is placed and holds its stock; the shopper lands on its page, told what happened.
    assert response.status_code == 303 and response.location == f"{lang}/orders/{order.number}"
    assert order.status is S.AWAITING_PAYMENT and stock_of(product) == 3
    assert order.stripe_session_id is None and fake_stripe.sessions == {}
    page = client.get(response.location).get_data(as_text=True)
    assert failed in page and retry in page
    assert 'class="cart-line"' not in client.get(f"{lang}/cart").get_data(as_text=True)  # the cart is emptied

    # Stripe is back: the button opens the page (once, however often it is pressed).
    again = client.post(f"{lang}/orders/{order.number}/pay")
    assert again.status_code == 303 and again.location == f"{lang}/orders/{order.number}"
    order = the_order()
    assert order.stripe_session_id in fake_stripe.sessions
    page = client.get(again.location).get_data(as_text=True)
    assert ready in page and order.stripe_checkout_url in page and retry not in page
    client.post(f"{lang}/orders/{order.number}/pay")
    assert len(fake_stripe.sessions) == 1
    (_, _, form, key), *_ = fake_stripe.posts("/v1/checkout/sessions")
    assert key == f"checkout-{order.number}"
    assert form["cancel_url"].endswith(f"{lang}/orders/{order.number}")
    assert deliver(client, fake_stripe, fake_stripe.complete(order.stripe_session_id)).json["outcome"] == "applied"
    assert the_order().status is S.PAID


def test_only_the_shopper_of_an_order_may_open_its_payment_page(app, client, fake_stripe, card_order):
    order, _product = card_order
    stranger = app.test_client()
    assert stranger.post(f"/orders/{order.number}/pay").status_code == 404
    assert client.post(f"/orders/{order.number}/pay", csrf=False).status_code == 400


def test_vietqr_order_shows_the_code_and_the_office_confirms_the_transfer(client, office, make_buyable, buy,
                                                                          make_producer):
    product = make_buyable(price=185_000, stock=4, producer=make_producer(email="htx-que@example.vn"))
    response = buy(client, {product: 1}, payment_method="vietqr")
    order = the_order()
    assert order.status is S.AWAITING_PAYMENT and order.expires_at is not None
    page = client.get(response.location).get_data(as_text=True)
    payload = vietqr.build_payload(bank_bin="970436", account_number="0123456789", amount=215_000,
                                   reference=order.number)
    assert "<svg" in page and "0123456789" in page and order.number in page and "215.000" in page
    assert f"5406215000" in payload and order.number in payload
    # The producer hears nothing until the money is there.
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "order-producer")) == 0
    assert office.post(f"/admin/orders/{order.number}/confirm_transfer", data={"note": "VCB 12/11"}).status_code == 303
    order = the_order()
    assert order.status is S.PAID and charges()[0].amount == 215_000
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "order-producer")) == 1
    # Confirming again changes nothing.
    office.post(f"/admin/orders/{order.number}/confirm_transfer")
    assert len(charges()) == 1


def test_an_unpaid_transfer_order_expires_lazily_and_by_command(app, client, make_buyable, buy):
    product = make_buyable(stock=4)
    response = buy(client, {product: 3}, payment_method="vietqr")
    order = the_order()
    order.expires_at = order.created_at
    db.session.commit()
    # Looking at the order is enough.
    page = client.get(response.location).get_data(as_text=True)
    assert "Hết hạn, chưa thanh toán" in page and stock_of(product) == 4
    second = app.test_client()
    buy(second, {product: 2}, payment_method="vietqr")
    order = the_order()
    order.expires_at = order.created_at
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["orders", "expire-unpaid"])
    assert "Expired 1 unpaid order." in result.output
    assert stock_of(product) == 4
    assert app.test_cli_runner().invoke(args=["orders", "expire-unpaid"]).output.startswith("Expired 0")


def test_cash_on_delivery_is_paid_when_delivered(client, office, make_buyable, buy):
    product = make_buyable()
    buy(client, {product: 1})
    order = the_order()
    assert order.status is S.CONFIRMED and charges() == []
    assert office.post(f"/admin/orders/{order.number}/ship").status_code == 303
    assert office.post(f"/admin/orders/{order.number}/complete").status_code == 303
    order = the_order()
    assert order.status is S.COMPLETED
    (cash,) = charges()
    assert cash.amount == order.total and cash.method.value == "cod"


def test_back_from_stripe_before_the_webhook_the_order_is_settled_once(client, fake_stripe, card_order):
    order, _product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    page = client.get(f"/orders/{order.number}?paid=1").get_data(as_text=True)
    assert "Đã thanh toán" in page
    assert the_order().status is S.PAID and len(charges()) == 1
    # The webhook arrives afterwards: the payment is known, nothing more happens.
    assert deliver(client, fake_stripe, completed).json["outcome"] == "ignored"
    assert len(charges()) == 1 and [t.to_status for t in the_order().transitions].count(S.PAID) == 1


def test_a_shopper_who_comes_back_without_paying_sees_the_order_waiting(client, fake_stripe, card_order):
    order, _product = card_order
    client.get(f"/orders/{order.number}?paid=1")
    assert the_order().status is S.AWAITING_PAYMENT and charges() == []


# --- refunds: recorded first, then asked of Stripe, retried until accepted, never paid twice ---

def paid_card_order(client, fake_stripe, card_order):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    assert deliver(client, fake_stripe, completed).json["outcome"] == "applied"
    return the_order(), product, completed["data"]["object"]["payment_intent"]


@pytest.mark.parametrize("lang, pending, button", [
    ("", "chưa được Stripe chấp nhận", "Yêu cầu Stripe hoàn tiền lần nữa"),
    ("/en", "not accepted by Stripe yet", "Ask Stripe for the refund again"),
])
def test_a_refund_stripe_cannot_take_stays_pending_visibly_and_is_asked_again_once(
        app, client, office, fake_stripe, card_order, monkeypatch, lang, pending, button):
    order, product, intent = paid_card_order(client, fake_stripe, card_order)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(503, message="Stripe is down")
    response = office.post(f"{lang}/admin/orders/{order.number}/refund", data={"note": "hết hàng"})
    assert response.status_code == 303
    # What the office asked for is recorded: the order is refunded, its units are back, the refund waits.
    order = the_order()
    assert order.status is S.REFUNDED and stock_of(product) == 5
    (refund,) = refund_records()
    assert (refund.status.value, refund.provider_reference, refund.amount) == ("pending", None, 510_000)
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 0
    page = office.get(response.location).get_data(as_text=True)
    assert pending in page and button in page and "Stripe is down" in page

    # Asked again, by the button (twice) and by the command: Stripe refunds once.
    assert office.post(f"{lang}/admin/orders/{order.number}/refunds/send").status_code == 303
    page = office.get(f"{lang}/admin/orders/{order.number}").get_data(as_text=True)
    assert pending not in page and button not in page
    from storefront.audit.models import AuditEntry
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "order.refund_sent")).all() \
        == ["order.refund_sent"]  # the office's second request is in the log
    office.post(f"{lang}/admin/orders/{order.number}/refunds/send")
    result = app.test_cli_runner().invoke(args=["payments", "send-refunds"])
    assert result.exit_code == 0 and "0 refunds accepted, 0 still pending." in result.output
    assert len(fake_stripe.refunds) == 1 and fake_stripe.payment_intents[intent]["amount_refunded"] == 510_000
    (refund,) = refund_records()
    assert refund.provider_reference == next(iter(fake_stripe.refunds))
    # Stripe confirms it.
    assert deliver(client, fake_stripe, fake_stripe.last_event("charge.refunded")).json["outcome"] == "applied"
    assert [r.status.value for r in refund_records()] == ["succeeded"]


def test_the_command_asks_stripe_for_every_pending_refund(app, client, office, fake_stripe, card_order, monkeypatch):
    order, _product, intent = paid_card_order(client, fake_stripe, card_order)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(503, times=2)
    office.post(f"/admin/orders/{order.number}/refund")
    failed = app.test_cli_runner().invoke(args=["payments", "send-refunds"])
    assert failed.exit_code == 1 and "0 refunds accepted, 1 still pending." in failed.output
    assert f"{order.number}: refund of 510.000\u00a0₫ NOT accepted" in failed.output
    done = app.test_cli_runner().invoke(args=["payments", "send-refunds"])
    assert done.exit_code == 0 and "1 refund accepted, 0 still pending." in done.output
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 510_000 and len(fake_stripe.refunds) == 1


def test_a_refund_whose_answer_was_lost_is_asked_again_and_paid_once(app, client, office, fake_stripe, card_order,
                                                                      monkeypatch):
    order, _product, intent = paid_card_order(client, fake_stripe, card_order)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.lose_next_answer()  # Stripe refunds, the answer never reaches the shop
    office.post(f"/admin/orders/{order.number}/refund")
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 510_000
    (refund,) = refund_records()
    assert (refund.status.value, refund.provider_reference) == ("pending", None)
    office.post(f"/admin/orders/{order.number}/refunds/send")
    (refund,) = refund_records()
    assert refund.provider_reference == next(iter(fake_stripe.refunds)) and len(fake_stripe.refunds) == 1
    assert [r[3] for r in fake_stripe.posts("/v1/refunds")] == [f"refund-{order.number}-{refund.id}"] * 2


@pytest.mark.parametrize("names_refunds", [False, True])
def test_a_refund_confirmed_by_stripe_before_its_answer_is_recorded_is_recorded_once(
        app, client, office, fake_stripe, card_order, monkeypatch, names_refunds):
    order, _product, _intent = paid_card_order(client, fake_stripe, card_order)
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.lose_next_answer()
    office.post(f"/admin/orders/{order.number}/refund")
    # Stripe's charge.refunded arrives before the shop knows Stripe's answer. Older API versions list
    # the charge's refunds in it (matched to the shop's pending one by amount), newer ones give the total.
    refunded = fake_stripe.last_event("charge.refunded")
    (stripe_refund,) = fake_stripe.refunds.values()
    if names_refunds:
        refunded["data"]["object"]["refunds"] = {"object": "list", "data": [stripe_refund]}
    assert deliver(client, fake_stripe, refunded).json["outcome"] == "applied"
    (refund,) = refund_records()
    assert refund.status.value == "succeeded" and refund.amount == 510_000
    assert refund.provider_reference == (stripe_refund["id"] if names_refunds else None)
    # Nothing is left to ask for, and the same report again records nothing more.
    assert app.test_cli_runner().invoke(args=["payments", "send-refunds"]).output.startswith("0 refunds")
    refunded["id"] += "_again"
    deliver(client, fake_stripe, refunded)
    assert len(refund_records()) == 1 and len(fake_stripe.posts("/v1/refunds")) == 1


def test_the_office_refunds_what_the_dashboard_has_not(client, office, fake_stripe, card_order):
    order, _product, intent = paid_card_order(client, fake_stripe, card_order)
    deliver(client, fake_stripe, fake_stripe.refund_outside(intent, amount=30_000))
    office.post(f"/admin/orders/{order.number}/refund")
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 510_000
    refunded = deliver(client, fake_stripe, fake_stripe.last_event("charge.refunded"))
    assert refunded.json["detail"] == "refund confirmed, order refunded"
    assert [(r.amount, r.status.value) for r in refund_records()] == [(30_000, "succeeded"), (480_000, "succeeded")]
    assert the_order().status is S.REFUNDED


def test_a_late_payment_is_refunded_after_its_record_is_committed_and_again_when_stripe_was_down(
        app, client, fake_stripe, card_order, monkeypatch):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    order.expires_at = order.created_at
    db.session.commit()
    assert expire_unpaid() == 1
    db.session.commit()
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(503)
    # Stripe cannot be asked: the payment and the refund owed are recorded, Stripe is asked to come back.
    response = deliver(client, fake_stripe, completed)
    assert response.status_code == 503 and response.json["outcome"] == "applied"
    assert {(t.kind.value, t.status.value) for t in db.session.scalars(select(PaymentTransaction))} == {
        ("charge", "succeeded"), ("refund", "pending")}
    # Stripe delivers the event again: a duplicate, which asks for the refund again.
    again = deliver(client, fake_stripe, completed)
    assert again.status_code == 200 and again.json["outcome"] == "duplicate"
    assert again.json["refunds"] == list(fake_stripe.refunds)
    assert deliver(client, fake_stripe, completed).json.get("refunds") is None
    (refund,) = fake_stripe.posts("/v1/refunds")[-1:]
    assert refund[2]["amount"] == "510000" and len(fake_stripe.refunds) == 1
    assert the_order().status is S.EXPIRED and stock_of(product) == 5


def test_a_refund_event_whose_payment_was_recorded_without_it_is_applied_by_the_command(
        app, client, fake_stripe, card_order):
    order, product = card_order
    completed = fake_stripe.complete(order.stripe_session_id)
    intent = completed["data"]["object"]["payment_intent"]
    assert deliver(client, fake_stripe, fake_stripe.refund_outside(intent)).json["outcome"] == "waiting"
    # The payment gets recorded by a path that did not look for waiting events (as before this safety net).
    order = the_order()
    db.session.add(PaymentTransaction(order=order, method=order.payment_method, kind=TransactionKind.CHARGE,
                                      status="succeeded", amount=order.total, provider_reference=intent,
                                      actor_label="stripe"))
    from storefront.orders.operations import mark_paid

    mark_paid(order, actor_label="stripe")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["payments", "apply-waiting"])
    assert result.exit_code == 0 and "Applied 1 waiting event; 0 payment(s) still unknown." in result.output
    assert the_order().status is S.REFUNDED and stock_of(product) == 5
    assert [(r.amount, r.status.value) for r in refund_records()] == [(510_000, "succeeded")]
    assert "Applied 0 waiting events" in app.test_cli_runner().invoke(args=["payments", "apply-waiting"]).output


def test_a_signed_refund_event_with_strings_for_refunds_is_recorded_as_rejected(client, fake_stripe, card_order):
    order, _product, intent = paid_card_order(client, fake_stripe, card_order)
    event = fake_stripe.refund_outside(intent)
    event["data"]["object"]["refunds"] = {"object": "list", "data": ["re_1", "re_2"]}
    response = deliver(client, fake_stripe, event)
    assert response.status_code == 200 and response.json["outcome"] == "rejected"
    assert "refunds.data" in response.json["detail"]
    assert the_order().status is S.PAID and refund_records() == []
    stored = db.session.scalar(select(PaymentEvent).where(PaymentEvent.event_id == event["id"]))
    assert stored.outcome is EventOutcome.REJECTED
    # Delivered again (Stripe retries nothing after a 200, but a replay is a duplicate).
    assert deliver(client, fake_stripe, event).json["outcome"] == "duplicate"


def test_a_webhook_signed_in_the_future_is_refused(client, fake_stripe, card_order):
    order, _product = card_order
    event = fake_stripe.complete(order.stripe_session_id)
    assert deliver(client, fake_stripe, event, timestamp=int(time.time()) + 3600).status_code == 400
    assert the_order().status is S.AWAITING_PAYMENT
    assert db.session.scalar(select(func.count(PaymentEvent.id))) == 0
