"""Payments of orders: confirming a transfer, cash received, refunds, and Stripe's webhook events.

Every money movement is a PaymentTransaction. A charge is unique per Stripe PaymentIntent and an
event is stored once per event id, so duplicated, replayed or concurrent deliveries pay an order once.
"""
import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from ..orders import operations as orders
from ..orders import workflow
from ..orders.models import Order, OrderStatus, PaymentMethod
from . import stripe_gateway
from .models import EventOutcome, PaymentEvent, PaymentTransaction, TransactionKind, TransactionStatus

S = OrderStatus
log = logging.getLogger(__name__)


def _actor_label(actor, default="system") -> str:
    return actor.email if actor is not None else default


def transactions_of(order: Order) -> list[PaymentTransaction]:
    return list(db.session.scalars(select(PaymentTransaction).where(PaymentTransaction.order_id == order.id)
                                   .order_by(PaymentTransaction.id)))


def paid_charge(order: Order) -> PaymentTransaction | None:
    return db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE,
        PaymentTransaction.status == TransactionStatus.SUCCEEDED).order_by(PaymentTransaction.id).limit(1))


def _add_once(transaction: PaymentTransaction) -> bool:
    """Store a transaction unless its (kind, reference) is stored already; False for a duplicate.
    (The unique constraint stops a concurrent twin: its request fails and Stripe delivers again.)"""
    if transaction.provider_reference is not None and db.session.scalar(select(PaymentTransaction.id).where(
            PaymentTransaction.kind == transaction.kind,
            PaymentTransaction.provider_reference == transaction.provider_reference)) is not None:
        return False
    db.session.add(transaction)
    db.session.flush()
    return True


def confirm_transfer(order: Order, actor, note: str = "") -> None:
    """The office saw the VietQR transfer arrive in the account: the order is paid."""
    if order.payment_method is not PaymentMethod.VIETQR:
        raise DomainError(_l("Only an order paid by bank transfer is confirmed this way."))
    orders.mark_paid(order, actor=actor, note=note)
    db.session.add(PaymentTransaction(
        order=order, method=order.payment_method, kind=TransactionKind.CHARGE, status=TransactionStatus.SUCCEEDED,
        amount=order.total, provider_reference=None, actor_label=_actor_label(actor), note=note[:500]))


def complete(order: Order, actor, note: str = "") -> None:
    """Handed over (delivered or picked up). Cash on delivery is paid now."""
    orders.complete_order(order, actor=actor, note=note)
    if order.payment_method is PaymentMethod.CASH_ON_DELIVERY:
        db.session.add(PaymentTransaction(
            order=order, method=order.payment_method, kind=TransactionKind.CHARGE,
            status=TransactionStatus.SUCCEEDED, amount=order.total, actor_label=_actor_label(actor),
            note="cash received on delivery"))


def refund(order: Order, actor, note: str = "") -> None:
    """Give a paid order's money back. A card payment is refunded through Stripe (one idempotency key per
    order, so a repeated click or a retry refunds once); a transfer or cash is given back by the office,
    which records it here. A paid order that was never sent gets its stock back."""
    if not workflow.can_move(order, S.REFUNDED):
        raise workflow.TransitionRefused(_l("Only a paid or completed order can be refunded."))
    charge = paid_charge(order)
    if charge is None:
        raise DomainError(_l("No payment of this order was recorded, so there is nothing to refund."))
    # The state moves first: the conditional update holds the order's row, so a second refund of the
    # same order waits here and is then refused, and Stripe is asked once.
    orders.mark_refunded(order, actor=actor, note=note)
    reference = None
    status = TransactionStatus.SUCCEEDED
    if order.payment_method is PaymentMethod.CARD:
        try:
            reference = stripe_gateway.refund(payment_intent_id=charge.provider_reference, amount_vnd=charge.amount,
                                              idempotency_key=f"refund-{order.number}")
        except stripe_gateway.GatewayError as error:
            log.warning("refund of %s failed: %s", order.number, error)
            raise DomainError(_l("Stripe did not accept the refund: %(reason)s", reason=str(error))) from None
        status = TransactionStatus.PENDING  # done when Stripe's charge.refunded arrives
    _add_once(PaymentTransaction(
        order=order, method=order.payment_method, kind=TransactionKind.REFUND, status=status,
        amount=charge.amount, provider_reference=reference, actor_label=_actor_label(actor), note=note[:500]))


def cancel(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    """Cancel an unpaid order; a card order's Stripe page is closed so it can no longer be paid."""
    orders.cancel_order(order, actor=actor, actor_label=actor_label, note=note)
    if order.payment_method is PaymentMethod.CARD and order.stripe_session_id:
        try:
            stripe_gateway.expire_checkout_session(order.stripe_session_id)
        except stripe_gateway.GatewayError as error:
            # Already paid or closed: a payment that still arrives is refunded by the webhook.
            log.info("could not close the Stripe page of %s: %s", order.number, error)


def settle_from_stripe(order: Order) -> bool:
    """The shopper is back from Stripe's page before its webhook: ask Stripe about the session and apply
    a payment it reports exactly as the webhook would (the webhook then finds it recorded). True when
    the order is paid now. Stripe unreachable: nothing changes, the webhook will come."""
    if (order.payment_method is not PaymentMethod.CARD or order.status is not S.AWAITING_PAYMENT
            or not order.stripe_session_id):
        return False
    try:
        session = stripe_gateway.retrieve_checkout_session(order.stripe_session_id)
    except stripe_gateway.GatewayError as error:
        log.info("could not ask Stripe about %s: %s", order.number, error)
        return False
    if session.status != "complete":
        return False
    outcome, detail, _order = _session_completed({
        "id": session.id, "client_reference_id": session.order_number, "payment_status": session.payment_status,
        "amount_total": session.amount_total, "currency": session.currency,
        "payment_intent": session.payment_intent})
    if outcome is EventOutcome.REJECTED:
        log.warning("Stripe session of %s rejected on return: %s", order.number, detail)
    return order.status is S.PAID


# --- Stripe webhooks ---

def handle_stripe_event(event: dict) -> tuple[EventOutcome | None, str]:
    """Apply one verified Stripe event (as a dict), at most once per event id.

    Returns (outcome, detail); outcome None means this event id was handled before. The event's row is
    inserted first: a concurrent delivery of the same event waits for this one's commit, then fails on
    the unique event id (IntegrityError: the caller rolls back and answers "duplicate")."""
    if event_seen(event["id"]):
        return None, "duplicate delivery"
    obj = event["data"]["object"]
    record = PaymentEvent(event_id=event["id"], type=event["type"], outcome=EventOutcome.IGNORED,
                          object_reference=_reference_of(event["type"], obj), payload=event)
    db.session.add(record)
    db.session.flush()
    handler = _HANDLERS.get(event["type"])
    if handler is None:
        outcome, detail, order = EventOutcome.IGNORED, "event type not used", None
    else:
        outcome, detail, order = handler(obj)
    record.outcome, record.detail = outcome, detail[:500]
    record.order_id = order.id if order is not None else None
    if outcome is EventOutcome.REJECTED:
        log.warning("Stripe event %s (%s) rejected: %s", event["id"], event["type"], detail)
    return outcome, detail


def event_seen(event_id: str) -> bool:
    return db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event_id)) is not None


def _reference_of(event_type: str, obj: dict) -> str | None:
    if event_type.startswith("charge."):
        return obj.get("payment_intent") if isinstance(obj.get("payment_intent"), str) else None
    return obj.get("id")


def _order_of_session(session: dict) -> tuple[Order | None, str]:
    order = db.session.scalar(select(Order).where(Order.stripe_session_id == session.get("id")))
    if order is None:
        return None, "no order has this Checkout Session"
    if session.get("client_reference_id") not in (None, order.number):
        return None, f"the session belongs to {order.number}, not {session.get('client_reference_id')}"
    return order, ""


def _session_completed(session: dict):
    order, problem = _order_of_session(session)
    if order is None:
        return EventOutcome.REJECTED, problem, None
    if session.get("payment_status") != "paid":
        return EventOutcome.IGNORED, f"payment status {session.get('payment_status')}", order
    amount, currency = session.get("amount_total"), str(session.get("currency") or "").lower()
    if amount != order.total or currency != "vnd":
        return EventOutcome.REJECTED, f"paid {amount} {currency}, the order is {order.total} vnd", order
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if not intent:
        return EventOutcome.REJECTED, "no payment intent", order
    charge = PaymentTransaction(order=order, method=PaymentMethod.CARD, kind=TransactionKind.CHARGE,
                                status=TransactionStatus.SUCCEEDED, amount=amount, currency="VND",
                                provider_reference=intent, actor_label="stripe")
    if not _add_once(charge):
        return EventOutcome.IGNORED, "this payment is recorded already", order
    if order.status is S.AWAITING_PAYMENT:
        orders.mark_paid(order, actor_label="stripe", note=f"Stripe {intent}")
        detail = "paid"
    else:
        # Paid after the order was cancelled or expired (its stock may be sold since): give it back.
        refund_id = stripe_gateway.refund(payment_intent_id=intent, amount_vnd=amount,
                                          idempotency_key=f"late-refund-{order.number}")
        _add_once(PaymentTransaction(
            order=order, method=PaymentMethod.CARD, kind=TransactionKind.REFUND, status=TransactionStatus.PENDING,
            amount=amount, provider_reference=refund_id, actor_label="stripe",
            note=f"paid while the order was {order.status.value}: refunded"))
        detail = f"paid while {order.status.value}: refunded"
    for waiting in db.session.scalars(select(PaymentEvent).where(
            PaymentEvent.object_reference == intent, PaymentEvent.outcome == EventOutcome.WAITING)).all():
        outcome, waiting_detail, _order = _charge_refunded(waiting.payload["data"]["object"])
        waiting.outcome, waiting.detail = outcome, f"applied late: {waiting_detail}"[:500]
        waiting.order_id = order.id
    return EventOutcome.APPLIED, detail, order


def _session_expired(session: dict):
    order, problem = _order_of_session(session)
    if order is None:
        return EventOutcome.REJECTED, problem, None
    if order.status is not S.AWAITING_PAYMENT:
        return EventOutcome.IGNORED, f"order is {order.status.value}", order
    try:
        orders.expire_order(order, due_now=True)
    except workflow.TransitionRefused:
        return EventOutcome.IGNORED, "order moved meanwhile", order
    return EventOutcome.APPLIED, "expired", order


def _charge_refunded(charge: dict):
    intent = charge.get("payment_intent")
    paid = db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.CHARGE, PaymentTransaction.provider_reference == intent))
    if paid is None:
        return EventOutcome.WAITING, "the payment is not known yet", None
    order = paid.order
    if str(charge.get("currency") or "").lower() != "vnd":
        return EventOutcome.REJECTED, "currency is not vnd", order
    refunded = charge.get("amount_refunded") or 0
    refund_ids = [refund.get("id") for refund in (charge.get("refunds") or {}).get("data") or [] if refund.get("id")]
    ours = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.REFUND)))
    for transaction in ours:
        if transaction.status is TransactionStatus.PENDING:
            transaction.status = TransactionStatus.SUCCEEDED
    if not ours:
        _add_once(PaymentTransaction(
            order=order, method=PaymentMethod.CARD, kind=TransactionKind.REFUND, status=TransactionStatus.SUCCEEDED,
            amount=refunded, provider_reference=refund_ids[0] if refund_ids else f"{charge.get('id')}:{refunded}",
            actor_label="stripe", note="refunded in Stripe's dashboard"))
    if refunded < paid.amount:
        return EventOutcome.APPLIED, f"partial refund of {refunded}", order
    if workflow.can_move(order, S.REFUNDED):
        orders.mark_refunded(order, actor_label="stripe")
        return EventOutcome.APPLIED, "refunded", order
    return EventOutcome.APPLIED, f"refund confirmed, order {order.status.value}", order


_HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.expired": _session_expired,
    "charge.refunded": _charge_refunded,
}
