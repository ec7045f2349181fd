"""A local stand-in for the part of Stripe's API the shop uses, and signed webhooks, for tests.

Use as a pytest plugin (`pytest_plugins = ["payments.fake_stripe"]` in a test module) to get the
`fake_stripe` fixture: a real HTTP server on 127.0.0.1 that the real `stripe` SDK talks to, because the
fixture points the app's STRIPE_API_BASE at it (and sets test keys) for the duration of the test.

It answers, in Stripe's shapes and with Stripe's rules:
- POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id}, POST /v1/checkout/sessions/{id}/expire,
  POST /v1/refunds;
- Idempotency-Key on every POST: the same key with the same parameters replays the first answer
  (header Idempotent-Replayed: true); the same key with other parameters is a 400 idempotency_error;
- errors as {"error": {"type", "code", "message", "param"}} with a Request-Id header; a wrong API key
  is a 401.

The test drives what happens on Stripe's side: `fake_stripe.complete(session_id)` pays the session
and returns the `checkout.session.completed` event Stripe would send; `fake_stripe.expire(session_id)`
lets it lapse (`checkout.session.expired`). `signed_event(event, secret)` (or `fake_stripe.sign(event)`)
turns an event into the body and Stripe-Signature header of a webhook request, signed with the SDK's
own helper. A refund (through the API, or `fake_stripe.refund_outside(intent)` as from Stripe's
dashboard) emits `refund.created` and `charge.refunded`. `fake_stripe.events` lists every event emitted
and `fake_stripe.last_event(type)` gives the latest of a type. `fake_stripe.fail_next(...)` makes the
next answers errors (e.g. 500s, which the SDK retries with the same idempotency key),
`fake_stripe.lose_next_answer()` carries the next request out but drops its answer, and
`fake_stripe.on_request` is called as each API request arrives (to look at the shop at that moment).

A browser can follow the session's URL to a minimal hosted page: its Pay button completes the session,
posts the signed event to `fake_stripe.webhook_url` if the test set one (results in `.deliveries`),
and redirects to the success URL ({CHECKOUT_SESSION_ID} filled in), as Stripe does. For an app other
than the `app` fixture's (the browser tests' demo_app), `with serving(demo_app) as fake:` does what
the fixture does.

Test modules may both list it in `pytest_plugins` and import `signed_event` from it: PYTEST_DONT_REWRITE
(it has no asserts to rewrite) spares the "already imported" warning pytest would otherwise raise.
"""
import copy
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

_CONFIG_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")
_MISSING = object()
_PAGE = '<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title><main>{body}</main></html>'


def signed_event(event: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and the Stripe-Signature header of a webhook delivering `event`, signed with `secret`
    at `timestamp` (now by default), as Stripe signs them."""
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body.encode("utf-8"), header


class _Answer(Exception):
    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


def _error(status, message, *, type="invalid_request_error", code=None, param=None):
    error = {"type": type, "message": message}
    if code:
        error["code"] = code
    if param:
        error["param"] = param
    return _Answer(status, {"error": error})


def _missing(param):
    return _error(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def _integer(form, param, *, required=True):
    value = form.get(param)
    if value is None:
        if required:
            raise _missing(param)
        return None
    try:
        return int(value)
    except ValueError:
        raise _error(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=param) from None


def _sub_dict(form, prefix):
    """metadata[a]=1&metadata[b]=2 → {"a": "1", "b": "2"}."""
    return {key[len(prefix) + 1:-1]: value for key, value in form.items()
            if key.startswith(prefix + "[") and key.endswith("]") and key.count("[") == 1 + prefix.count("[")}


def _token(prefix):
    return f"{prefix}_test_{secrets.token_hex(12)}"


class FakeStripe:
    def __init__(self):
        self.secret_key = _token("sk")
        self.webhook_secret = "whsec_" + secrets.token_hex(16)
        self.requests: list[tuple[str, str, dict, str | None]] = []
        self.sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        #: Every event this fake's Stripe has emitted, oldest first.
        self.events: list[dict] = []
        #: Where a payment made on the hosted page posts its signed event (None: nowhere).
        self.webhook_url: str | None = None
        #: (event id, HTTP status or error) of each delivery to webhook_url.
        self.deliveries: list[tuple[str, object]] = []
        #: Called with (method, path) as each API request arrives, before it is answered: a test's
        #: look at the shop's side at that moment (e.g. which database rows are locked).
        self.on_request = None
        self._idempotent: dict[str, tuple[str, str, dict, dict]] = {}
        self._failures: list[tuple[int, dict]] = []
        self._lose_answers = 0
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self.base_url = None

    # -- server -----------------------------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

            def do_DELETE(self):
                fake._handle(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-stripe", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def _handle(self, handler, method):
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else ""
        form = dict(parse_qsl(raw if method == "POST" else url.query, keep_blank_values=True))
        if url.path.startswith("/c/pay/"):
            return self._hosted_page(handler, method, url.path.rsplit("/", 1)[-1])
        key = handler.headers.get("Idempotency-Key")
        headers = {}
        if self.on_request is not None:
            self.on_request(method, url.path)
        with self._lock:
            self.requests.append((method, url.path, form, key))
            try:
                if handler.headers.get("Authorization") != f"Bearer {self.secret_key}":
                    raise _error(401, "Invalid API Key provided: sk_test_****" + self.secret_key[-4:])
                if self._failures:
                    status, body = self._failures.pop(0)
                    raise _Answer(status, body)
                if method == "POST" and key is not None and key in self._idempotent:
                    first_method, first_path, first_form, answer = self._idempotent[key]
                    if (first_method, first_path, first_form) != (method, url.path, form):
                        raise _error(
                            400, "Keys for idempotent requests can only be used with the same parameters "
                                 "they were first used with. Try using a key other than "
                                 f"'{key}' if you meant to execute a different request.",
                            type="idempotency_error")
                    headers["Idempotent-Replayed"] = "true"
                    status, body = 200, answer
                else:
                    status, body = 200, self._route(method, url.path, form)
                    if method == "POST" and key is not None:
                        self._idempotent[key] = (method, url.path, form, body)
            except _Answer as answer:
                status, body = answer.status, answer.body
        if key is not None:
            headers["Idempotency-Key"] = key
        with self._lock:
            lose, self._lose_answers = self._lose_answers > 0, max(0, self._lose_answers - 1)
        if lose:  # done, but the connection drops before the answer: the client sees a network error
            handler.close_connection = True
            return
        self._send(handler, status, body, headers)

    @staticmethod
    def _send(handler, status, body, headers, content_type="application/json"):
        data = (json.dumps(body) if content_type == "application/json" else body).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", "req_" + secrets.token_hex(7))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _hosted_page(self, handler, method, session_id):
        """Stripe's hosted payment page, reduced to a Pay button and a back link. Paying completes the
        session, delivers the event to `webhook_url` when it is set, and redirects to the success URL."""
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return self._send(handler, 404, _PAGE.format(title="Not found", body="<h1>Not found</h1>"),
                                  {}, "text/html; charset=utf-8")
            event = None
            if method == "POST" and session["status"] == "open":
                event = self.complete(session_id)
            view = self._public(session)
        if event is not None:
            self._deliver(event)
            success = view["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
            return self._send(handler, 303, "", {"Location": success}, "text/plain")
        amount = f"{view['amount_total']:,}".replace(",", ".")
        if view["status"] == "open":
            body = (f'<h1>Pay {amount} {escape(view["currency"].upper())}</h1>'
                    f'<form method="post"><button type="submit">Pay</button></form>'
                    f'<p><a href="{escape(view["cancel_url"] or "/")}">Back</a></p>')
        else:
            body = f'<h1>This payment page is {escape(view["status"])}</h1>'
        self._send(handler, 200, _PAGE.format(title="Fake Stripe Checkout", body=body), {},
                   "text/html; charset=utf-8")

    def _deliver(self, event):
        if not self.webhook_url:
            return
        body, header = self.sign(event)
        request = urllib.request.Request(self.webhook_url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": header})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        except OSError as error:
            status = repr(error)
        self.deliveries.append((event["id"], status))

    def _route(self, method, path, form):
        parts = path.strip("/").split("/")
        if parts[:3] == ["v1", "checkout", "sessions"]:
            if method == "POST" and len(parts) == 3:
                return self._create_session(form)
            if len(parts) >= 4:
                session = self._find_session(parts[3])
                if method == "GET" and len(parts) == 4:
                    return self._public(session)
                if method == "POST" and parts[4:] == ["expire"]:
                    if session["status"] != "open":
                        raise _error(400, "Only Checkout Sessions with a status in [\"open\"] can be expired.")
                    self._mark_expired(session)
                    self._event("checkout.session.expired", session)
                    return self._public(session)
        if parts == ["v1", "refunds"] and method == "POST":
            return self._create_refund(form)
        raise _error(404, f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
                          "or we can help at https://support.stripe.com/.")

    # -- resources --------------------------------------------------------------------------------

    def _find_session(self, session_id):
        session = self.sessions.get(session_id)
        if session is None:
            raise _error(404, f"No such checkout.session: '{session_id}'", code="resource_missing",
                         param="session")
        return session

    def _create_session(self, form):
        if form.get("mode") != "payment":
            raise _missing("mode") if "mode" not in form else _error(
                400, "This fake only supports mode=payment.", param="mode")
        for param in ("success_url", "line_items[0][quantity]", "line_items[0][price_data][currency]",
                      "line_items[0][price_data][product_data][name]"):
            if not form.get(param):
                raise _missing(param)
        total, currency, index = 0, form["line_items[0][price_data][currency]"], 0
        while f"line_items[{index}][quantity]" in form:
            prefix = f"line_items[{index}]"
            amount = _integer(form, f"{prefix}[price_data][unit_amount]")
            quantity = _integer(form, f"{prefix}[quantity]")
            if amount < 0 or quantity < 1:
                raise _error(400, "Invalid amount or quantity.", param=f"{prefix}[price_data][unit_amount]")
            if form.get(f"{prefix}[price_data][currency]") != currency:
                raise _error(400, "All line items must use the same currency.", param=f"{prefix}[price_data][currency]")
            total += amount * quantity
            index += 1
        now = int(time.time())
        expires_at = _integer(form, "expires_at", required=False)
        if expires_at is None:
            expires_at = now + 24 * 3600
        elif not now + 30 * 60 - 5 <= expires_at <= now + 24 * 3600 + 5:
            raise _error(400, "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                              "Checkout Session creation.", param="expires_at")
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": form.get("cancel_url"),
            "client_reference_id": form.get("client_reference_id"),
            "created": now,
            "currency": currency,
            "customer": None,
            "customer_details": None,
            "customer_email": form.get("customer_email"),
            "expires_at": expires_at,
            "livemode": False,
            "metadata": _sub_dict(form, "metadata"),
            "mode": "payment",
            # Created when the buyer pays (API versions since 2022-08-01), not with the session.
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form["success_url"],
            "url": f"{self.base_url}/c/pay/{session_id}",
            # Kept for complete(); not part of Stripe's session object.
            "_payment_intent_data": {"metadata": _sub_dict(form, "payment_intent_data[metadata]"),
                                     "description": form.get("payment_intent_data[description]")},
        }
        self.sessions[session_id] = session
        return self._public(session)

    @staticmethod
    def _public(session):
        return {key: copy.deepcopy(value) for key, value in session.items() if not key.startswith("_")}

    def _create_refund(self, form):
        intent_id = form.get("payment_intent")
        if not intent_id:
            raise _missing("payment_intent")
        return self._refund(intent_id, _integer(form, "amount", required=False),
                            metadata=_sub_dict(form, "metadata"), reason=form.get("reason"))

    def _refund(self, intent_id, amount, metadata=None, reason=None):
        intent = self.payment_intents.get(intent_id)
        if intent is None:
            raise _error(400, f"No such payment_intent: '{intent_id}'", code="resource_missing",
                         param="payment_intent")
        remaining = intent["amount"] - intent["amount_refunded"]
        if remaining <= 0:
            raise _error(400, f"Charge {intent['latest_charge']} has already been refunded.",
                         code="charge_already_refunded")
        if amount is None:
            amount = remaining
        if amount <= 0:
            raise _error(400, "Invalid positive integer", code="parameter_invalid_integer", param="amount")
        if amount > remaining:
            raise _error(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                              f"({remaining})", code="amount_too_large", param="amount")
        intent["amount_refunded"] += amount
        refund = {
            "id": "re_test_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "charge": intent["latest_charge"],
            "created": int(time.time()),
            "currency": intent["currency"],
            "metadata": metadata or {},
            "payment_intent": intent_id,
            "reason": reason,
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        # What Stripe then sends: the refund, and the charge with its new refunded total.
        self._event("refund.created", refund)
        self._event("charge.refunded", self._charge(intent))
        return copy.deepcopy(refund)

    @staticmethod
    def _charge(intent):
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": intent["amount_refunded"],
            "captured": True,
            "currency": intent["currency"],
            "metadata": dict(intent.get("metadata") or {}),
            "paid": True,
            "payment_intent": intent["id"],
            "refunded": intent["amount_refunded"] >= intent["amount"],
            "status": "succeeded",
        }

    # -- what happens on Stripe's side ------------------------------------------------------------

    def _event(self, type, obj):
        event = {
            "id": "evt_test_" + secrets.token_hex(12),
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "data": {"object": self._public(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
        self.events.append(event)
        return copy.deepcopy(event)

    def complete(self, session_id: str, email: str = "buyer@example.com") -> dict:
        """The buyer pays on Stripe's page: the session becomes complete and paid, its PaymentIntent
        exists (refundable); returns the checkout.session.completed event."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"session {session_id} is {session['status']}, not open")
            intent_id = "pi_test_" + secrets.token_hex(12)
            self.payment_intents[intent_id] = {
                "id": intent_id, "amount": session["amount_total"], "amount_refunded": 0,
                "currency": session["currency"], "latest_charge": "ch_test_" + secrets.token_hex(12),
                **session["_payment_intent_data"],
            }
            session.update(status="complete", payment_status="paid", payment_intent=intent_id,
                           customer_details={"email": session["customer_email"] or email, "name": None})
            return self._event("checkout.session.completed", session)

    def _mark_expired(self, session):
        session.update(status="expired", url=None)

    def expire(self, session_id: str) -> dict:
        """The session's time runs out unpaid; returns the checkout.session.expired event."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"session {session_id} is {session['status']}, not open")
            self._mark_expired(session)
            return self._event("checkout.session.expired", session)

    def refund_outside(self, payment_intent_id: str, amount: int | None = None) -> dict:
        """Someone refunds in Stripe's dashboard (all that remains, or `amount`); returns the
        charge.refunded event Stripe sends."""
        with self._lock:
            try:
                self._refund(payment_intent_id, amount)
            except _Answer as answer:
                raise ValueError(answer.body["error"]["message"]) from None
            return copy.deepcopy(self.events[-1])

    def last_event(self, type: str) -> dict:
        """The latest event of this type (e.g. "charge.refunded" after the shop asked for a refund)."""
        with self._lock:
            return copy.deepcopy(next(e for e in reversed(self.events) if e["type"] == type))

    def sign(self, event: dict, timestamp: int | None = None) -> tuple[bytes, str]:
        """`signed_event` with this fake's webhook secret."""
        return signed_event(event, self.webhook_secret, timestamp)

    def fail_next(self, status: int = 500, *, type: str = "api_error", message: str = "Something went wrong.",
                  code: str | None = None, times: int = 1):
        """The next `times` API requests are answered with this error (not remembered under their
        idempotency key, as Stripe does not keep failed attempts)."""
        with self._lock:
            body = {"error": {"type": type, "message": message, **({"code": code} if code else {})}}
            self._failures.extend([(status, body)] * times)

    def lose_next_answer(self, times: int = 1):
        """The next `times` API requests are carried out (and remembered under their idempotency key)
        but their answers are lost: the connection closes, as when the network fails on the way back."""
        with self._lock:
            self._lose_answers += times

    def posts(self, path: str) -> list[tuple[str, str, dict, str | None]]:
        """The POST requests made to `path`."""
        return [r for r in self.requests if r[0] == "POST" and r[1] == path]


@contextmanager
def serving(app):
    """A running FakeStripe that `app` talks to (its keys and API address set), restored afterwards.
    For apps other than the `app` fixture's, e.g. the browser tests' demo_app."""
    fake = FakeStripe().start()
    saved = {key: app.config.get(key, _MISSING) for key in _CONFIG_KEYS}
    app.config.update(STRIPE_SECRET_KEY=fake.secret_key, STRIPE_WEBHOOK_SECRET=fake.webhook_secret,
                      STRIPE_API_BASE=fake.base_url)
    try:
        yield fake
    finally:
        for key, value in saved.items():
            if value is _MISSING:
                app.config.pop(key, None)
            else:
                app.config[key] = value
        fake.stop()


@pytest.fixture
def fake_stripe(app):
    with serving(app) as fake:
        yield fake
