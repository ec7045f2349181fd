"""Card payments through Stripe Checkout: the hosted payment page, refunds, and signed webhooks.

One `stripe.StripeClient` per process and configuration, built from `flask.current_app.config`
(STRIPE_SECRET_KEY, STRIPE_API_BASE, the timeout and retries) on first use and reused by every thread
(its HTTP client keeps one connection pool per thread). No key or address is kept in the SDK's
module-level settings, where it would leak from one app (or test) to the next. Settings:

- STRIPE_SECRET_KEY: the secret API key (sk_live_… / sk_test_…).
- STRIPE_WEBHOOK_SECRET: the signing secret of the webhook endpoint (whsec_…).
- STRIPE_API_BASE: the API's address, "https://api.stripe.com" unless a test points it elsewhere.
- STRIPE_TIMEOUT_SECONDS (default 20) and STRIPE_MAX_NETWORK_RETRIES (default 2): the SDK retries
  connection failures, 409 and 5xx answers with the same Idempotency-Key, so a retry never charges or
  refunds twice.

No call is made inside a database transaction that has changed anything: while Stripe answers, such a
transaction would hold its row locks (an order, the stock, the page cache's version) and every other
write to them would wait for Stripe's network. Each call checks it (`RuntimeError` otherwise) and ends
a transaction that only read. The shop commits what must be true first, calls, then records the answer.

VND is a zero-decimal currency at Stripe: amounts are whole đồng, as everywhere in the shop.
Failures of the API or the network raise `GatewayError`; a webhook that cannot be trusted raises
`InvalidWebhook`. Both carry messages safe to log (no keys, no card data).
"""
import json
import re
import threading
import time
from dataclasses import dataclass

import stripe
from flask import current_app
from sqlalchemy import text

from ..extensions import db

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_TIMEOUT_SECONDS = 20
DEFAULT_MAX_NETWORK_RETRIES = 2
#: Webhooks signed longer ago than this (seconds) are refused, as the SDK does by default.
WEBHOOK_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE

_SECRET = re.compile(r"\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9*]+")


class GatewayError(Exception):
    """Stripe refused a request or could not be reached. `str(error)` is safe to log.

    Attributes: `code` (Stripe's error code or type, e.g. "resource_missing", "idempotency_error",
    "api_connection_error"), `http_status` (None when the network failed), `request_id` (Stripe's, to
    quote to its support), `retryable` (True when trying again later, with the same idempotency key,
    may succeed: network failures, rate limits, Stripe's own errors)."""

    def __init__(self, message, *, code=None, http_status=None, request_id=None, retryable=False):
        super().__init__(message)
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.retryable = retryable


class InvalidWebhook(Exception):
    """A webhook request that did not come from Stripe as it is: bad or missing signature, a timestamp
    outside the tolerance, or a body that is not a Stripe event. Answer it with 400."""


@dataclass(frozen=True)
class CheckoutSession:
    """What the shop needs of a Checkout Session it asks Stripe about."""
    id: str
    status: str  # "open", "complete" or "expired"
    payment_status: str  # "unpaid", "paid" or "no_payment_required"
    amount_total: int | None
    currency: str | None
    payment_intent: str | None  # set once the buyer has paid
    order_number: str | None  # client_reference_id
    url: str | None


def card_payments_enabled(config) -> bool:
    """Whether the shop can take cards: both the API key and the webhook signing secret are set."""
    return bool((config.get("STRIPE_SECRET_KEY") or "").strip()
                and (config.get("STRIPE_WEBHOOK_SECRET") or "").strip())


def _redact(text: str) -> str:
    return _SECRET.sub(lambda m: f"{m.group(1)}_…", text)


def _gateway_error(operation: str, error: stripe.StripeError) -> GatewayError:
    status = getattr(error, "http_status", None)
    if isinstance(error, stripe.APIConnectionError):
        code = "api_connection_error"
        message = "could not reach Stripe"
    else:
        body = error.json_body if isinstance(error.json_body, dict) else {}
        details = body.get("error") if isinstance(body.get("error"), dict) else {}
        if isinstance(error, stripe.AuthenticationError):
            code = "authentication_error"
        else:
            code = error.code or details.get("code") or details.get("type") or type(error).__name__
        message = _redact(((error.user_message or "").strip() or "no message").splitlines()[0])
    retryable = (isinstance(error, (stripe.APIConnectionError, stripe.RateLimitError))
                 or (status is not None and (status >= 500 or status == 409)))
    request = f", request {error.request_id}" if error.request_id else ""
    http = f"HTTP {status}, " if status else ""
    return GatewayError(f"Stripe {operation} failed ({http}{code}{request}): {message}",
                        code=code, http_status=status, request_id=error.request_id, retryable=retryable)


_clients_lock = threading.Lock()


def _client() -> stripe.StripeClient:
    """This process's client for the current configuration, built once and shared by every thread."""
    config = current_app.config
    key = (config.get("STRIPE_SECRET_KEY") or "").strip()
    if not key:
        raise GatewayError("Stripe is not configured: STRIPE_SECRET_KEY is empty.", code="not_configured")
    settings = (key, (config.get("STRIPE_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
                float(config.get("STRIPE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
                int(config.get("STRIPE_MAX_NETWORK_RETRIES", DEFAULT_MAX_NETWORK_RETRIES)))
    extensions = current_app.extensions
    with _clients_lock:
        known = extensions.get("stripe_client")
        if known is not None and known[0] == settings:
            return known[1]
        if known is not None:  # the configuration changed (a test): the old client's pool is closed
            known[2].close()
        http = stripe.RequestsClient(timeout=settings[2])
        client = stripe.StripeClient(settings[0], base_addresses={"api": settings[1]},
                                     max_network_retries=settings[3], http_client=http)
        extensions["stripe_client"] = (settings, client, http)
        return client


def _outside_any_write() -> None:
    """Refuse to call Stripe while this session's transaction holds changes; end one that only read."""
    session = db.session()
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        raise RuntimeError("Stripe is called with changes staged in the session: commit them first.")
    if not session.in_transaction():
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        wrote = connection.execute(text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")).scalar()
    else:  # SQLite's driver opens its transaction only before the first write
        wrote = getattr(connection.connection.driver_connection, "in_transaction", False)
    if wrote:
        raise RuntimeError("Stripe is called inside a transaction that changed the database: commit first.")
    session.commit()


def _call(operation, request):
    _outside_any_write()
    client = _client()
    try:
        return request(client)
    except stripe.StripeError as error:
        raise _gateway_error(operation, error) from error


def _require_text(name, value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-empty text.")


def _require_amount(amount):
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"The amount must be a positive whole number of đồng, not {amount!r}.")


def create_checkout_session(*, order_number: str, amount_vnd: int, description: str,
                            customer_email: str | None, success_url: str, cancel_url: str,
                            idempotency_key: str, expires_at: int | None = None) -> tuple[str, str]:
    """Open a Stripe Checkout page for one order; returns (session id, the page's URL to redirect to).

    The order number travels as the session's client_reference_id and in the metadata of the session
    and of its PaymentIntent, so webhooks and Stripe's dashboard both lead back to the order.
    `idempotency_key` is sent as Stripe's Idempotency-Key: repeating the call with the same key and
    arguments (a double click, a retry) returns the same session instead of opening a second one.
    `expires_at` (Unix time, 30 minutes to 24 hours ahead) closes the page when the order's hold ends."""
    _require_text("The order number", order_number)
    _require_amount(amount_vnd)
    _require_text("The description", description)
    _require_text("The success URL", success_url)
    _require_text("The cancel URL", cancel_url)
    _require_text("The idempotency key", idempotency_key)
    params = {
        "mode": "payment",
        "line_items": [{
            "quantity": 1,
            "price_data": {
                "currency": "vnd",
                "unit_amount": amount_vnd,  # zero-decimal currency: whole đồng
                "product_data": {"name": description[:250]},
            },
        }],
        "client_reference_id": order_number,
        "metadata": {"order_number": order_number},
        "payment_intent_data": {"metadata": {"order_number": order_number},
                                "description": description[:1000]},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if customer_email:
        params["customer_email"] = customer_email
    if expires_at is not None:
        if isinstance(expires_at, bool) or not isinstance(expires_at, int):
            raise ValueError(f"expires_at must be a Unix timestamp, not {expires_at!r}.")
        params["expires_at"] = expires_at
    session = _call("checkout session creation", lambda client: client.v1.checkout.sessions.create(
        params, {"idempotency_key": idempotency_key}))
    if not session.to_dict().get("url"):
        raise GatewayError(f"Stripe returned checkout session {session.id} without a URL.", code="no_url")
    return session.id, session.url


def _session(session) -> CheckoutSession:
    values = session.to_dict()
    payment_intent = values.get("payment_intent")
    if isinstance(payment_intent, dict):  # expanded
        payment_intent = payment_intent.get("id")
    return CheckoutSession(
        id=values["id"], status=values.get("status"), payment_status=values.get("payment_status"),
        amount_total=values.get("amount_total"), currency=values.get("currency"),
        payment_intent=payment_intent, order_number=values.get("client_reference_id"),
        url=values.get("url"))


def retrieve_checkout_session(session_id: str) -> CheckoutSession:
    """Ask Stripe for a session's state (to settle an order whose webhook is late or lost)."""
    _require_text("The session id", session_id)
    return _session(_call("checkout session retrieval",
                          lambda client: client.v1.checkout.sessions.retrieve(session_id)))


def expire_checkout_session(session_id: str) -> CheckoutSession:
    """Close a session's payment page, so an order cancelled or expired in the shop cannot be paid.
    Stripe refuses (GatewayError) if the session is no longer open, e.g. the buyer has just paid:
    retrieve it then, and refund if need be."""
    _require_text("The session id", session_id)
    return _session(_call("checkout session expiry",
                          lambda client: client.v1.checkout.sessions.expire(session_id)))


def refund(*, payment_intent_id: str, amount_vnd: int, idempotency_key: str,
           metadata: dict[str, str] | None = None) -> str:
    """Refund `amount_vnd` đồng (all or part) of a paid PaymentIntent; returns the refund's id (re_…).
    The same idempotency key and arguments return the same refund instead of refunding twice.
    `metadata` (text values) is shown with the refund in Stripe's dashboard."""
    _require_text("The payment intent id", payment_intent_id)
    _require_amount(amount_vnd)
    _require_text("The idempotency key", idempotency_key)
    params = {"payment_intent": payment_intent_id, "amount": amount_vnd}
    if metadata:
        params["metadata"] = {str(key): str(value) for key, value in metadata.items()}
    result = _call("refund", lambda client: client.v1.refunds.create(params, {"idempotency_key": idempotency_key}))
    return result.id


# An event's id and type, as Stripe writes them; anything else is not an event the shop can record once.
_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,255}")
_EVENT_TYPE = re.compile(r"[a-z0-9_.]{1,100}")


def _signed_at(signature_header: str) -> int | None:
    for item in signature_header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def verified_event(payload: bytes, signature_header: str) -> dict:
    """The Stripe event in a webhook request, as plain JSON data, once its Stripe-Signature is verified
    against STRIPE_WEBHOOK_SECRET and found signed within WEBHOOK_TOLERANCE of now (before or after:
    a timestamp from the future is as suspect as an old one).

    Pass the raw request body (`request.get_data()`), never re-serialised JSON. Raises InvalidWebhook
    for a missing or wrong signature, a timestamp out of tolerance, or a body that is not a Stripe event
    with an id and a type. Only the envelope is checked here: what the shop reads inside `data.object`
    is checked where it is read (`events.py`). Stripe may deliver an event more than once and in any
    order: act on its id only once."""
    config = current_app.config
    secret = (config.get("STRIPE_WEBHOOK_SECRET") or "").strip()
    if not secret:
        raise InvalidWebhook("Stripe webhooks are not configured: STRIPE_WEBHOOK_SECRET is empty.")
    if not isinstance(payload, (bytes, bytearray)):
        raise InvalidWebhook("The webhook body must be the raw bytes of the request.")
    if not isinstance(signature_header, str):
        raise InvalidWebhook("Stripe signature refused: no Stripe-Signature header.")
    try:
        text_body = bytes(payload).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidWebhook("The webhook body is not UTF-8.") from None
    try:
        stripe.WebhookSignature.verify_header(text_body, signature_header, secret, WEBHOOK_TOLERANCE)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(f"Stripe signature refused: {error.user_message or 'invalid'}") from None
    signed_at = _signed_at(signature_header)
    if signed_at is None or signed_at > time.time() + WEBHOOK_TOLERANCE:
        raise InvalidWebhook("Stripe signature refused: timestamp outside the tolerance zone (in the future)")
    try:
        data = json.loads(text_body)
    except (ValueError, RecursionError):
        raise InvalidWebhook("The webhook body is not JSON.") from None
    if not (isinstance(data, dict) and data.get("object") == "event"
            and isinstance(data.get("id"), str) and _EVENT_ID.fullmatch(data["id"])
            and isinstance(data.get("type"), str) and _EVENT_TYPE.fullmatch(data["type"])
            and isinstance(data.get("data"), dict) and isinstance(data["data"].get("object"), dict)):
        raise InvalidWebhook("The webhook body is not a Stripe event.")
    return data


def parse_event(payload: bytes, signature_header: str) -> stripe.Event:
    """`verified_event` as the SDK's Event object (attribute access), for scripts and tests. The
    webhook itself works on the plain data, read field by field (`events.py`)."""
    data = verified_event(payload, signature_header)
    key = (current_app.config.get("STRIPE_SECRET_KEY") or "").strip() or None
    return stripe.Event.construct_from(data, key)
