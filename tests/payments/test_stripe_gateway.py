"""The Stripe gateway end to end: the real SDK against a local fake of Stripe's API, and signed webhooks."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import stripe

from payments.fake_stripe import signed_event
from storefront.payments.stripe_gateway import (
    WEBHOOK_TOLERANCE, GatewayError, InvalidWebhook, card_payments_enabled, create_checkout_session,
    expire_checkout_session, parse_event, refund, retrieve_checkout_session,
)

pytest_plugins = ["payments.fake_stripe"]

SESSIONS = "/v1/checkout/sessions"


def checkout(**changes):
    arguments = {
        "order_number": "OCOP2611220001", "amount_vnd": 185000, "description": "Đơn hàng OCOP2611220001",
        "customer_email": "lan@example.vn", "success_url": "https://shop.example/orders/OCOP2611220001/paid",
        "cancel_url": "https://shop.example/orders/OCOP2611220001", "idempotency_key": "checkout-1-attempt-1",
    }
    return create_checkout_session(**{**arguments, **changes})


def paid_session(fake_stripe, amount=185000):
    session_id, _ = checkout(amount_vnd=amount, idempotency_key=f"paid-{amount}")
    event = fake_stripe.complete(session_id)
    return session_id, event["data"]["object"]["payment_intent"]


def test_card_payments_need_both_the_key_and_the_webhook_secret():
    assert card_payments_enabled({"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1"})
    assert not card_payments_enabled({"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": ""})
    assert not card_payments_enabled({"STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": "whsec_1"})
    assert not card_payments_enabled({"STRIPE_SECRET_KEY": "  ", "STRIPE_WEBHOOK_SECRET": "whsec_1"})
    assert not card_payments_enabled({})


def test_the_fake_turns_card_payments_on(app, fake_stripe):
    assert card_payments_enabled(app.config)
    assert app.config["STRIPE_API_BASE"] == fake_stripe.base_url


def test_the_fake_leaves_the_configuration_as_it_found_it(app):
    # Runs after tests that used the fake: card payments are off again in the test configuration.
    assert not card_payments_enabled(app.config)
    assert app.config.get("STRIPE_API_BASE", "https://api.stripe.com") == "https://api.stripe.com"


def test_checkout_session_asks_stripe_for_the_order_amount_in_dong(fake_stripe):
    session_id, url = checkout()

    assert session_id.startswith("cs_test_")
    assert url == f"{fake_stripe.base_url}/c/pay/{session_id}"
    [(method, path, form, key)] = fake_stripe.requests
    assert (method, path, key) == ("POST", SESSIONS, "checkout-1-attempt-1")
    assert form["mode"] == "payment"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][currency]"] == "vnd"
    assert form["line_items[0][price_data][unit_amount]"] == "185000"  # zero-decimal: đồng, not hào
    assert form["line_items[0][price_data][product_data][name]"] == "Đơn hàng OCOP2611220001"
    assert form["client_reference_id"] == "OCOP2611220001"
    assert form["metadata[order_number]"] == "OCOP2611220001"
    assert form["payment_intent_data[metadata][order_number]"] == "OCOP2611220001"
    assert form["customer_email"] == "lan@example.vn"
    assert form["success_url"] == "https://shop.example/orders/OCOP2611220001/paid"
    assert form["cancel_url"] == "https://shop.example/orders/OCOP2611220001"
    assert "expires_at" not in form

    session = fake_stripe.sessions[session_id]
    assert (session["amount_total"], session["currency"], session["status"]) == (185000, "vnd", "open")


def test_checkout_session_without_email_and_with_an_expiry(fake_stripe):
    expires_at = int(time.time()) + 3600
    session_id, _ = checkout(customer_email=None, expires_at=expires_at)
    form = fake_stripe.requests[-1][2]
    assert "customer_email" not in form
    assert form["expires_at"] == str(expires_at)
    assert fake_stripe.sessions[session_id]["expires_at"] == expires_at


def test_a_retried_checkout_returns_the_same_session(fake_stripe):
    first = checkout()
    again = checkout()

    assert again == first
    assert len(fake_stripe.sessions) == 1
    assert [r[3] for r in fake_stripe.posts(SESSIONS)] == ["checkout-1-attempt-1"] * 2


def test_reusing_a_key_for_other_parameters_is_refused(fake_stripe):
    checkout()
    with pytest.raises(GatewayError) as caught:
        checkout(amount_vnd=190000)
    error = caught.value
    assert (error.code, error.http_status, error.retryable) == ("idempotency_error", 400, False)
    assert error.request_id.startswith("req_")
    assert "checkout session creation" in str(error)
    assert len(fake_stripe.sessions) == 1

    # Another key is another session.
    checkout(amount_vnd=190000, idempotency_key="checkout-1-attempt-2")
    assert len(fake_stripe.sessions) == 2


def test_a_stripe_outage_is_retried_with_the_same_key_without_a_second_session(fake_stripe):
    fake_stripe.fail_next(500)
    session_id, _ = checkout()

    attempts = fake_stripe.posts(SESSIONS)
    assert len(attempts) == 2
    assert attempts[0][2:] == attempts[1][2:]  # same parameters, same idempotency key
    assert list(fake_stripe.sessions) == [session_id]


def test_a_lasting_outage_is_a_retryable_gateway_error(app, fake_stripe, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(503, message="Stripe is down")
    with pytest.raises(GatewayError) as caught:
        checkout()
    assert (caught.value.http_status, caught.value.code, caught.value.retryable) == (503, "api_error", True)
    assert fake_stripe.sessions == {}


def test_rate_limiting_is_retryable(app, fake_stripe, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    fake_stripe.fail_next(429, type="invalid_request_error", code="rate_limit", message="Too many requests")
    with pytest.raises(GatewayError) as caught:
        checkout()
    assert (caught.value.http_status, caught.value.code, caught.value.retryable) == (429, "rate_limit", True)


def test_an_unreachable_stripe_is_a_retryable_gateway_error(app, fake_stripe, monkeypatch):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", f"http://127.0.0.1:{port}")
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    with pytest.raises(GatewayError) as caught:
        checkout()
    error = caught.value
    assert (error.code, error.http_status, error.retryable) == ("api_connection_error", None, True)
    assert str(error) == "Stripe checkout session creation failed (api_connection_error): could not reach Stripe"


def test_a_wrong_key_is_an_authentication_error_that_does_not_log_the_key(app, fake_stripe, monkeypatch):
    wrong = "sk_test_" + "x" * 20 + "wxyz"
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", wrong)
    with pytest.raises(GatewayError) as caught:
        checkout()
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == (
        "authentication_error", 401, False)
    assert fake_stripe.secret_key[-4:] not in str(caught.value)
    assert "sk_test_" not in str(caught.value) and wrong not in str(caught.value)


def test_without_a_key_nothing_is_sent(app, fake_stripe, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "")
    with pytest.raises(GatewayError) as caught:
        checkout()
    assert caught.value.code == "not_configured"
    assert fake_stripe.requests == []


@pytest.mark.parametrize("change", [
    {"amount_vnd": 0}, {"amount_vnd": -185000}, {"amount_vnd": 1850.5}, {"amount_vnd": "185000"},
    {"amount_vnd": True}, {"order_number": ""}, {"description": " "}, {"idempotency_key": ""},
    {"success_url": ""}, {"expires_at": "soon"},
])
def test_bad_arguments_are_refused_before_calling_stripe(fake_stripe, change):
    with pytest.raises(ValueError):
        checkout(**change)
    assert fake_stripe.requests == []


def test_stripe_validation_errors_become_gateway_errors(fake_stripe):
    with pytest.raises(GatewayError) as caught:
        checkout(expires_at=int(time.time()) + 60)  # Stripe wants 30 minutes to 24 hours
    assert (caught.value.code, caught.value.http_status) == ("invalid_request_error", 400)
    assert "expires_at" in str(caught.value)


def test_retrieve_tells_whether_the_buyer_has_paid(fake_stripe):
    session_id, url = checkout()
    state = retrieve_checkout_session(session_id)
    assert (state.status, state.payment_status, state.payment_intent) == ("open", "unpaid", None)
    assert (state.amount_total, state.currency, state.order_number, state.url) == (
        185000, "vnd", "OCOP2611220001", url)

    event = fake_stripe.complete(session_id)
    state = retrieve_checkout_session(session_id)
    assert (state.status, state.payment_status) == ("complete", "paid")
    assert state.payment_intent == event["data"]["object"]["payment_intent"]
    assert state.payment_intent.startswith("pi_test_")


def test_an_unknown_session_is_resource_missing(fake_stripe):
    with pytest.raises(GatewayError) as caught:
        retrieve_checkout_session("cs_test_nope")
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == ("resource_missing", 404, False)
    assert "cs_test_nope" in str(caught.value)


def test_expiring_closes_an_open_session_only(fake_stripe):
    session_id, _ = checkout()
    state = expire_checkout_session(session_id)
    assert (state.status, state.url) == ("expired", None)
    assert fake_stripe.sessions[session_id]["status"] == "expired"
    assert [(e["type"], e["data"]["object"]["id"]) for e in fake_stripe.events] == [
        ("checkout.session.expired", session_id)]
    with pytest.raises(GatewayError) as caught:
        expire_checkout_session(session_id)
    assert caught.value.http_status == 400

    paid_id, _ = paid_session(fake_stripe)
    with pytest.raises(GatewayError):
        expire_checkout_session(paid_id)
    assert fake_stripe.sessions[paid_id]["status"] == "complete"


def test_refund_returns_the_refund_and_is_idempotent(fake_stripe):
    _, intent = paid_session(fake_stripe)

    refund_id = refund(payment_intent_id=intent, amount_vnd=60000, idempotency_key="refund-1")
    assert refund_id.startswith("re_test_")
    (method, path, form, key) = fake_stripe.requests[-1]
    assert (method, path, key) == ("POST", "/v1/refunds", "refund-1")
    assert form == {"payment_intent": intent, "amount": "60000"}

    assert refund(payment_intent_id=intent, amount_vnd=60000, idempotency_key="refund-1") == refund_id
    assert list(fake_stripe.refunds) == [refund_id]
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 60000

    with pytest.raises(GatewayError) as caught:
        refund(payment_intent_id=intent, amount_vnd=70000, idempotency_key="refund-1")
    assert caught.value.code == "idempotency_error"

    second = refund(payment_intent_id=intent, amount_vnd=125000, idempotency_key="refund-2")
    assert second != refund_id
    assert fake_stripe.payment_intents[intent]["amount_refunded"] == 185000


def test_a_refund_is_followed_by_the_charge_refunded_event(fake_stripe):
    _, intent = paid_session(fake_stripe)
    first = refund(payment_intent_id=intent, amount_vnd=60000, idempotency_key="refund-1")
    refund(payment_intent_id=intent, amount_vnd=60000, idempotency_key="refund-1")  # replayed: no new event

    assert [e["type"] for e in fake_stripe.events] == [
        "checkout.session.completed", "refund.created", "charge.refunded"]
    assert fake_stripe.last_event("refund.created")["data"]["object"]["id"] == first
    event = parse_event(*fake_stripe.sign(fake_stripe.last_event("charge.refunded")))
    charge = event.data.object
    assert (charge.payment_intent, charge.amount, charge.amount_refunded, charge.refunded, charge.currency) == (
        intent, 185000, 60000, False, "vnd")

    refund(payment_intent_id=intent, amount_vnd=125000, idempotency_key="refund-2")
    charge = fake_stripe.last_event("charge.refunded")["data"]["object"]
    assert (charge["amount_refunded"], charge["refunded"]) == (185000, True)
    with pytest.raises(GatewayError) as caught:
        refund(payment_intent_id=intent, amount_vnd=1, idempotency_key="refund-3")
    assert caught.value.code == "charge_already_refunded"


def test_a_refund_made_in_stripes_dashboard_sends_charge_refunded(fake_stripe):
    _, intent = paid_session(fake_stripe)
    event = fake_stripe.refund_outside(intent)
    assert event["type"] == "charge.refunded"
    assert (event["data"]["object"]["amount_refunded"], event["data"]["object"]["refunded"]) == (185000, True)
    assert len(fake_stripe.refunds) == 1
    with pytest.raises(ValueError, match="already been refunded"):
        fake_stripe.refund_outside(intent)


def test_refunding_more_than_was_paid_is_refused(fake_stripe):
    _, intent = paid_session(fake_stripe)
    with pytest.raises(GatewayError) as caught:
        refund(payment_intent_id=intent, amount_vnd=185001, idempotency_key="refund-too-much")
    assert (caught.value.code, caught.value.http_status) == ("amount_too_large", 400)
    assert fake_stripe.refunds == {}


def test_refunding_an_unknown_payment_is_refused(fake_stripe):
    with pytest.raises(GatewayError) as caught:
        refund(payment_intent_id="pi_test_nope", amount_vnd=1000, idempotency_key="refund-x")
    assert caught.value.code == "resource_missing"
    with pytest.raises(ValueError):
        refund(payment_intent_id="pi_test_nope", amount_vnd=0, idempotency_key="refund-y")


def test_no_key_or_address_is_left_in_the_sdks_global_settings(fake_stripe):
    paid_session(fake_stripe)
    assert stripe.api_key is None
    assert stripe.api_base == "https://api.stripe.com"


# -- webhooks ---------------------------------------------------------------------------------------


def test_a_signed_event_is_accepted(fake_stripe):
    session_id, _ = checkout()
    event = fake_stripe.complete(session_id)
    body, header = signed_event(event, fake_stripe.webhook_secret)

    parsed = parse_event(body, header)

    assert isinstance(parsed, stripe.Event)
    assert (parsed.id, parsed.type) == (event["id"], "checkout.session.completed")
    session = parsed.data.object
    assert (session.id, session.client_reference_id, session.metadata["order_number"]) == (
        session_id, "OCOP2611220001", "OCOP2611220001")
    assert (session.amount_total, session.currency, session.payment_status) == (185000, "vnd", "paid")
    assert session.payment_intent == fake_stripe.sessions[session_id]["payment_intent"]


def test_an_expired_session_event_is_accepted(fake_stripe):
    session_id, _ = checkout()
    parsed = parse_event(*fake_stripe.sign(fake_stripe.expire(session_id)))
    assert parsed.type == "checkout.session.expired"
    assert parsed.data.object.status == "expired"


def test_an_event_signed_a_little_while_ago_is_accepted(fake_stripe):
    body, header = fake_stripe.sign(fake_stripe.complete(checkout()[0]), int(time.time()) - WEBHOOK_TOLERANCE + 30)
    assert parse_event(body, header).type == "checkout.session.completed"


def test_a_forged_signature_is_refused(fake_stripe):
    event = fake_stripe.complete(checkout()[0])
    body, header = signed_event(event, "whsec_" + "0" * 32)
    with pytest.raises(InvalidWebhook, match="signature"):
        parse_event(body, header)


@pytest.mark.parametrize("header", ["", None, "t=abc,v1=def", "garbage", "v1=" + "0" * 64])
def test_a_missing_or_unreadable_signature_is_refused(fake_stripe, header):
    body, _ = fake_stripe.sign(fake_stripe.complete(checkout()[0]))
    with pytest.raises(InvalidWebhook):
        parse_event(body, header)


def test_a_stale_event_is_refused(fake_stripe):
    event = fake_stripe.complete(checkout()[0])
    body, header = fake_stripe.sign(event, int(time.time()) - WEBHOOK_TOLERANCE - 10)
    with pytest.raises(InvalidWebhook, match="tolerance"):
        parse_event(body, header)


def test_a_signature_replayed_with_another_body_is_refused(fake_stripe):
    event = fake_stripe.complete(checkout()[0])
    _, header = fake_stripe.sign(event)
    tampered = dict(event, data={"object": {**event["data"]["object"], "amount_total": 1}})
    with pytest.raises(InvalidWebhook):
        parse_event(json.dumps(tampered, separators=(",", ":")).encode(), header)
    # Re-serialising the genuine event (other spacing) breaks the signature too: pass the raw body.
    with pytest.raises(InvalidWebhook):
        parse_event(json.dumps(event, indent=1).encode(), header)


@pytest.mark.parametrize("body", [
    b"{not json", b"", b"[]", b'"event"', b'{"object": "event"}',
    b'{"id": "evt_1", "object": "charge", "type": "x", "data": {"object": {}}}',
    b'{"id": "evt_1", "object": "event", "type": "x", "data": []}',
    "\u00e9".encode("latin-1"),
])
def test_a_correctly_signed_body_that_is_not_an_event_is_refused(fake_stripe, body):
    header = stripe.WebhookSignature.generate_signature_header(body.decode("latin-1"), fake_stripe.webhook_secret)
    with pytest.raises(InvalidWebhook):
        parse_event(body, header)


def test_the_body_must_be_bytes(fake_stripe):
    body, header = fake_stripe.sign(fake_stripe.complete(checkout()[0]))
    with pytest.raises(InvalidWebhook):
        parse_event(body.decode(), header)


def test_webhooks_are_refused_without_a_configured_secret(app, fake_stripe, monkeypatch):
    body, header = fake_stripe.sign(fake_stripe.complete(checkout()[0]))
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "")
    with pytest.raises(InvalidWebhook, match="not configured"):
        parse_event(body, header)


# -- the fake's hosted page, for browser tests ------------------------------------------------------


@pytest.fixture
def webhook_receiver():
    """A local endpoint recording the webhook requests it receives."""
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stripe/webhook", received
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_paying_on_the_hosted_page_delivers_the_event_and_returns_to_the_shop(fake_stripe, webhook_receiver):
    fake_stripe.webhook_url, received = webhook_receiver
    session_id, url = checkout(success_url="https://shop.example/paid?session={CHECKOUT_SESSION_ID}")

    with requests.Session() as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "185.000 VND" in page.text
        paid = browser.post(url, allow_redirects=False)
        assert paid.status_code == 303
        assert paid.headers["Location"] == f"https://shop.example/paid?session={session_id}"
        assert "is complete" in browser.get(url).text

    [(body, header)] = received
    event = parse_event(body, header)
    assert (event.type, event.data.object.id, event.data.object.payment_status) == (
        "checkout.session.completed", session_id, "paid")
    assert fake_stripe.deliveries == [(event.id, 200)]
    assert [e["id"] for e in fake_stripe.events] == [event.id]
    assert retrieve_checkout_session(session_id).status == "complete"


def test_the_hosted_page_of_an_unknown_session_is_not_found(fake_stripe):
    assert requests.get(f"{fake_stripe.base_url}/c/pay/cs_test_nope").status_code == 404


# -- one client, and never inside a transaction that wrote -------------------------------------------


def test_one_client_serves_every_call_and_thread_until_the_configuration_changes(app, fake_stripe, monkeypatch):
    from storefront.payments import stripe_gateway

    checkout()
    client = app.extensions["stripe_client"][1]
    seen, errors = [], []

    def call():
        try:
            retrieve_checkout_session(next(iter(fake_stripe.sessions)))
            with app.app_context():
                seen.append(stripe_gateway._client())
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    def in_app(function):
        def run():
            with app.app_context():
                function()
        return run

    threads = [threading.Thread(target=in_app(call)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and seen == [client] * 4
    refund(payment_intent_id=paid_session(fake_stripe)[1], amount_vnd=1000, idempotency_key="refund-reuse")
    assert app.extensions["stripe_client"][1] is client
    monkeypatch.setitem(app.config, "STRIPE_MAX_NETWORK_RETRIES", 0)
    checkout(idempotency_key="another")
    assert app.extensions["stripe_client"][1] is not client


def test_stripe_is_never_called_inside_a_transaction_that_wrote(app, fake_stripe, make_area):
    from storefront.extensions import db

    make_area()  # staged and flushed: this transaction has written
    with pytest.raises(RuntimeError, match="commit"):
        checkout()
    db.session.commit()
    from storefront.areas.models import Area

    area = db.session.scalar(db.select(Area).limit(1))
    area.name = "Changed, not flushed"
    with pytest.raises(RuntimeError, match="commit"):
        checkout()
    assert fake_stripe.requests == []
    db.session.rollback()
    db.session.scalar(db.select(Area).limit(1))  # a transaction that only read is ended before the call
    assert checkout()[0] in fake_stripe.sessions
    assert not db.session().in_transaction()


def test_a_refund_carries_its_metadata(fake_stripe):
    _, intent = paid_session(fake_stripe)
    refund(payment_intent_id=intent, amount_vnd=1000, idempotency_key="refund-m",
           metadata={"order_number": "QN2345ABCD", "shop_refund": 7})
    form = fake_stripe.requests[-1][2]
    assert (form["metadata[order_number]"], form["metadata[shop_refund]"]) == ("QN2345ABCD", "7")


def test_an_event_signed_in_the_future_is_refused(fake_stripe):
    event = fake_stripe.complete(checkout()[0])
    body, header = fake_stripe.sign(event, int(time.time()) + WEBHOOK_TOLERANCE + 60)
    with pytest.raises(InvalidWebhook, match="future"):
        parse_event(body, header)
    # A clock a little ahead of ours is within the tolerance.
    assert parse_event(*fake_stripe.sign(event, int(time.time()) + 60)).id == event["id"]


def test_the_webhook_gets_the_event_as_plain_data(fake_stripe):
    from storefront.payments.stripe_gateway import verified_event

    event = {"id": "evt_odd", "object": "event", "type": "charge.refunded",
             "data": {"object": {"object": {"not": "a type"}, "refunds": {"object": ["list"]}}}}
    assert verified_event(*fake_stripe.sign(event)) == event


@pytest.mark.parametrize("change", [{"id": "evt 1"}, {"id": "e" * 256}, {"id": 7}, {"type": "Charge.Refunded!"},
                                    {"type": "x" * 101}, {"data": {"object": "ch_1"}}])
def test_an_event_without_a_usable_id_or_type_is_refused(fake_stripe, change):
    from storefront.payments.stripe_gateway import verified_event

    event = {"id": "evt_1", "object": "event", "type": "charge.refunded", "data": {"object": {}}, **change}
    with pytest.raises(InvalidWebhook, match="not a Stripe event"):
        verified_event(*fake_stripe.sign(event))
