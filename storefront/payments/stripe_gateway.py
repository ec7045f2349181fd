"""Card payments through Stripe Checkout: the hosted payment page, refunds, and signed webhooks.

Every call builds its own `stripe.StripeClient` from `flask.current_app.config` (STRIPE_SECRET_KEY,
STRIPE_API_BASE), so no key or address is kept in the SDK's module-level settings, where it would leak
from one app (or test) to the next. Settings:

- STRIPE_SECRET_KEY: the secret API key (sk_live_… / sk_test_…).
- STRIPE_WEBHOOK_SECRET: the signing secret of the webhook endpoint (whsec_…).
- STRIPE_API_BASE: the API's address, "https://api.stripe.com" unless a test points it elsewhere.
- STRIPE_TIMEOUT_SECONDS (default 20) and STRIPE_MAX_NETWORK_RETRIES (default 2): the SDK retries
  connection failures, 409 and 5xx answers with the same Idempotency-Key, so a retry never charges or
  refunds twice.

VND is a zero-decimal currency at Stripe: amounts are whole đồng, as everywhere in the shop.
Failures of the API or the network raise `GatewayError`; a webhook that cannot be trusted raises
`InvalidWebhook`. Both carry messages safe to log (no keys, no card data).
"""
import json
import re
from dataclasses import dataclass

import stripe
from flask import current_app

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


class _Client:
    """A StripeClient for one call, with its own HTTP session, closed afterwards."""

    def __init__(self):
        config = current_app.config
        key = (config.get("STRIPE_SECRET_KEY") or "").strip()
        if not key:
            raise GatewayError("Stripe is not configured: STRIPE_SECRET_KEY is empty.", code="not_configured")
        self._http = stripe.RequestsClient(
            timeout=float(config.get("STRIPE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)))
        self.client = stripe.StripeClient(
            key,
            base_addresses={"api": (config.get("STRIPE_API_BASE") or DEFAULT_API_BASE).rstrip("/")},
            max_network_retries=int(config.get("STRIPE_MAX_NETWORK_RETRIES", DEFAULT_MAX_NETWORK_RETRIES)),
            http_client=self._http,
        )

    def __enter__(self):
        return self.client

    def __exit__(self, *exc):
        self._http.close()
        return False


def _call(operation, request):
    with _Client() as client:
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


def refund(*, payment_intent_id: str, amount_vnd: int, idempotency_key: str) -> str:
    """Refund `amount_vnd` đồng (all or part) of a paid PaymentIntent; returns the refund's id (re_…).
    The same idempotency key and arguments return the same refund instead of refunding twice."""
    _require_text("The payment intent id", payment_intent_id)
    _require_amount(amount_vnd)
    _require_text("The idempotency key", idempotency_key)
    result = _call("refund", lambda client: client.v1.refunds.create(
        {"payment_intent": payment_intent_id, "amount": amount_vnd},
        {"idempotency_key": idempotency_key}))
    return result.id


def parse_event(payload: bytes, signature_header: str) -> stripe.Event:
    """The Stripe event in a webhook request, once its Stripe-Signature is verified against
    STRIPE_WEBHOOK_SECRET and found recent (within the SDK's tolerance, 5 minutes).

    Pass the raw request body (`request.get_data()`), never re-serialised JSON. Raises InvalidWebhook
    for a missing or wrong signature, a stale timestamp, or a body that is not a Stripe event.
    Stripe may deliver an event more than once and in any order: act on `event.id` only once."""
    config = current_app.config
    secret = (config.get("STRIPE_WEBHOOK_SECRET") or "").strip()
    if not secret:
        raise InvalidWebhook("Stripe webhooks are not configured: STRIPE_WEBHOOK_SECRET is empty.")
    if not isinstance(payload, (bytes, bytearray)):
        raise InvalidWebhook("The webhook body must be the raw bytes of the request.")
    try:
        text = bytes(payload).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidWebhook("The webhook body is not UTF-8.") from None
    try:
        stripe.WebhookSignature.verify_header(text, signature_header, secret, WEBHOOK_TOLERANCE)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(f"Stripe signature refused: {error.user_message or 'invalid'}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidWebhook("The webhook body is not JSON.") from None
    if not (isinstance(data, dict) and data.get("object") == "event"
            and isinstance(data.get("id"), str) and isinstance(data.get("type"), str)
            and isinstance(data.get("data"), dict) and isinstance(data["data"].get("object"), dict)):
        raise InvalidWebhook("The webhook body is not a Stripe event.")
    key = (config.get("STRIPE_SECRET_KEY") or "").strip() or None
    return stripe.Event.construct_from(data, key)
