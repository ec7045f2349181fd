"""Payments of orders: confirming a transfer, cash received, refunds, and Stripe's webhook events.

Every money movement is a PaymentTransaction. A charge is unique per Stripe PaymentIntent and an
event is stored once per event id, so duplicated, replayed or concurrent deliveries pay an order once.

Everything about one Stripe payment (its checkout session's events, its refunds' events, the office's
refund, the record of Stripe's answer) is done holding that payment's lock (`_hold`, until the
transaction ends), so of two events arriving at the same moment the later one reads what the earlier one
committed: a refund reported together with its payment is never left waiting for ever.

No function here calls Stripe inside a transaction that has changed something: a refund is recorded as
pending, the caller commits it, and only then `send_refund` asks Stripe and records its answer
(`outcalls.py` does the three steps for views and commands).
"""
import hashlib
import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text, update

from ..errors import DomainError
from ..extensions import db
from ..orders import operations as orders
from ..orders import workflow
from ..orders.models import Order, OrderStatus, PaymentMethod
from . import events, stripe_gateway
from .events import ChargeFacts, CheckoutSessionFacts, MalformedEvent
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
    if transaction.provider_reference is not None and _by_reference(
            transaction.kind, transaction.provider_reference) is not None:
        return False
    db.session.add(transaction)
    db.session.flush()
    return True


def _by_reference(kind: TransactionKind, reference: str) -> PaymentTransaction | None:
    return db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.kind == kind, PaymentTransaction.provider_reference == reference))


def _lock_key(reference: str) -> int:
    digest = hashlib.blake2b(f"stripe:{reference}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _hold(*references: str | None) -> None:
    """Wait for, then hold until this transaction ends, the lock of each Stripe object named (a
    PaymentIntent, a Checkout Session). PostgreSQL: one advisory lock per id, taken in one order so two
    holders never deadlock; statements after it see what the previous holder committed. SQLite lets one
    writer at a time anyway."""
    keys = sorted({_lock_key(reference) for reference in references if reference})
    if not keys or db.session.get_bind().dialect.name != "postgresql":
        return
    for key in keys:
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


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


# --- refunds ---

def _refunded(order: Order) -> int:
    """What the order's refunds give back or are about to (all but failed ones)."""
    return db.session.scalar(select(func.coalesce(func.sum(PaymentTransaction.amount), 0)).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.REFUND,
        PaymentTransaction.status != TransactionStatus.FAILED))


def _request_refund(order: Order, amount: int, actor_label: str, note: str) -> PaymentTransaction:
    """A card refund the shop owes, recorded as pending before Stripe is asked (`send_refund`)."""
    refund = PaymentTransaction(
        order=order, method=PaymentMethod.CARD, kind=TransactionKind.REFUND, status=TransactionStatus.PENDING,
        amount=amount, provider_reference=None, actor_label=actor_label, note=note[:500])
    db.session.add(refund)
    db.session.flush()
    return refund


def refund(order: Order, actor, note: str = "") -> PaymentTransaction:
    """Give a paid order's money back (what is not refunded yet); returns the refund's record.

    A transfer or cash is given back by the office, which records it here. A card refund is recorded
    as pending: once the caller has committed it, `send_refund` asks Stripe (`outcalls.py`), so Stripe
    is never waited for while the order is locked, and a failure leaves a pending refund to ask again.
    The state moves first: its conditional update makes a second refund of the same order (a double
    click) wait for the first one's commit and then be refused. A paid order that was never sent gets
    its stock back."""
    if not workflow.can_move(order, S.REFUNDED):
        raise workflow.TransitionRefused(_l("Only a paid or completed order can be refunded."))
    charge = paid_charge(order)
    if charge is None:
        raise DomainError(_l("No payment of this order was recorded, so there is nothing to refund."))
    card = order.payment_method is PaymentMethod.CARD
    if card:
        _hold(charge.provider_reference)
    amount = charge.amount - _refunded(order)
    if amount <= 0:
        raise DomainError(_l("This payment has been refunded already."))
    orders.mark_refunded(order, actor=actor, note=note)
    if card:
        return _request_refund(order, amount, _actor_label(actor), note)
    transaction = PaymentTransaction(
        order=order, method=order.payment_method, kind=TransactionKind.REFUND, status=TransactionStatus.SUCCEEDED,
        amount=amount, provider_reference=None, actor_label=_actor_label(actor), note=note[:500])
    db.session.add(transaction)
    return transaction


def _unsent_refunds():
    return select(PaymentTransaction).where(
        PaymentTransaction.kind == TransactionKind.REFUND, PaymentTransaction.method == PaymentMethod.CARD,
        PaymentTransaction.status == TransactionStatus.PENDING, PaymentTransaction.provider_reference.is_(None))


def unsent_refunds(order_id: int | None = None, limit: int | None = None) -> list[PaymentTransaction]:
    """Card refunds the shop owes that Stripe has not accepted yet (its answer failed or never came):
    the office sees them on the order, and `flask payments send-refunds` asks Stripe again."""
    query = _unsent_refunds().order_by(PaymentTransaction.id)
    if order_id is not None:
        query = query.where(PaymentTransaction.order_id == order_id)
    return list(db.session.scalars(query.limit(limit)))


def send_refund(refund_id: int) -> str | None:
    """Ask Stripe for a pending card refund, then stage its answer (Stripe's refund id). Returns it, or
    None when there is nothing to ask (gone, accepted or confirmed meanwhile).

    Call it with the pending refund committed and nothing written since (the gateway refuses otherwise).
    Safe to repeat: the idempotency key is the refund's own, so Stripe refunds it once however often it is
    asked, and it refuses to refund more than was paid. Raises GatewayError when Stripe refused or could
    not be reached: the refund stays pending."""
    refund = db.session.get(PaymentTransaction, refund_id)
    if refund is None or db.session.scalar(_unsent_refunds().where(PaymentTransaction.id == refund_id)) is None:
        return None
    order = refund.order
    charge = db.session.scalar(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE,
        PaymentTransaction.method == PaymentMethod.CARD, PaymentTransaction.provider_reference.is_not(None)))
    if charge is None:
        return None
    intent, amount, number = charge.provider_reference, refund.amount, order.number
    reference = stripe_gateway.refund(payment_intent_id=intent, amount_vnd=amount,
                                      idempotency_key=f"refund-{number}-{refund_id}",
                                      metadata={"order_number": number, "shop_refund": str(refund_id)})
    _hold(intent)  # a charge.refunded webhook may be recording this very refund
    refund = db.session.get(PaymentTransaction, refund_id, populate_existing=True)
    if refund.provider_reference is None and _by_reference(TransactionKind.REFUND, reference) is None:
        refund.provider_reference = reference
    return reference


def cancel(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    """Cancel an unpaid order; a card order's Stripe page is closed so it can no longer be paid.

    The page is closed before anything is written, so no lock is held while Stripe answers. If it
    cannot be closed (the buyer has just paid, Stripe is unreachable), the cancellation goes on: a payment
    that still arrives is refunded by the webhook."""
    if (order.payment_method is PaymentMethod.CARD and order.stripe_session_id
            and workflow.can_move(order, S.CANCELLED)):
        session_id, number = order.stripe_session_id, order.number
        try:
            stripe_gateway.expire_checkout_session(session_id)
        except stripe_gateway.GatewayError as error:
            log.info("could not close the Stripe page of %s: %s", number, error)
    orders.cancel_order(order, actor=actor, actor_label=actor_label, note=note)


# --- Stripe Checkout ---

def record_checkout_session(order: Order, session_id: str, url: str) -> str:
    """Keep the Stripe page opened for `order` (after Stripe answered, in a transaction of its own);
    returns the URL of the order's page, which is an earlier one if a concurrent attempt recorded its
    own first (only the recorded page is ever shown, so no payment can arrive for an unknown session)."""
    db.session.flush()
    db.session.execute(
        update(Order).where(Order.id == order.id, Order.stripe_session_id.is_(None))
        .values(stripe_session_id=session_id, stripe_checkout_url=url),
        execution_options={"synchronize_session": False})
    db.session.refresh(order)
    return order.stripe_checkout_url


def settle_from_stripe(order: Order) -> bool:
    """The shopper is back from Stripe's page before its webhook: ask Stripe about the session and apply
    a payment it reports exactly as the webhook would (the webhook then finds it recorded). True when
    the order is paid now. Stripe unreachable: nothing changes, the webhook will come."""
    if (order.payment_method is not PaymentMethod.CARD or order.status is not S.AWAITING_PAYMENT
            or not order.stripe_session_id):
        return False
    number = order.number
    try:
        session = stripe_gateway.retrieve_checkout_session(order.stripe_session_id)
    except stripe_gateway.GatewayError as error:
        log.info("could not ask Stripe about %s: %s", number, error)
        return False
    if session.status != "complete":
        return False
    try:
        facts = events.checkout_session({
            "id": session.id, "client_reference_id": session.order_number, "payment_status": session.payment_status,
            "amount_total": session.amount_total, "currency": session.currency,
            "payment_intent": session.payment_intent})
    except MalformedEvent as error:
        log.warning("Stripe's session of %s is not readable: %s", number, error)
        return False
    _hold(facts.id, facts.payment_intent)
    outcome, detail, _order = _session_completed(facts)
    if outcome is EventOutcome.REJECTED:
        log.warning("Stripe session of %s rejected on return: %s", number, detail)
    return order.status is S.PAID


# --- Stripe webhooks ---

@dataclass(frozen=True)
class EventResult:
    outcome: EventOutcome | None  # None: this event id was handled before
    detail: str
    order_id: int | None  # the order it is about, when known


def handle_stripe_event(event: dict) -> EventResult:
    """Apply one verified Stripe event (its JSON data, envelope checked by the gateway), at most once per
    event id.

    The fields the handlers use are checked first (`events.py`): a malformed event is recorded as
    rejected and changes nothing else. Then the lock of the payment it is about is taken, so events
    about one payment are applied one after the other; the event's row is inserted before anything else
    changes, so a concurrent delivery of the same event fails on the unique event id (IntegrityError:
    the caller rolls back and answers "duplicate")."""
    parse, handler = _HANDLERS.get(event["type"], (None, None))
    facts, problem = None, None
    if parse is not None:
        try:
            facts = parse(event["data"]["object"])
        except MalformedEvent as error:
            problem = str(error)
    _hold(*_references(facts))
    seen = db.session.scalar(select(PaymentEvent).where(PaymentEvent.event_id == event["id"]))
    if seen is not None:
        return EventResult(None, "duplicate delivery", seen.order_id)
    record = PaymentEvent(event_id=event["id"], type=event["type"], outcome=EventOutcome.IGNORED,
                          object_reference=_reference_of(facts), payload=events.storable(event))
    db.session.add(record)
    db.session.flush()
    if problem is not None:
        outcome, detail, order = EventOutcome.REJECTED, f"malformed: {problem}", None
    elif handler is None:
        outcome, detail, order = EventOutcome.IGNORED, "event type not used", None
    else:
        outcome, detail, order = handler(facts)
    record.outcome, record.detail = outcome, detail[:500]
    record.order_id = order.id if order is not None else None
    if outcome is EventOutcome.REJECTED:
        log.warning("Stripe event %s (%s) rejected: %s", event["id"], event["type"], detail)
    return EventResult(outcome, detail, record.order_id)


def event_seen(event_id: str) -> bool:
    return db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event_id)) is not None


def _references(facts) -> tuple[str | None, ...]:
    if isinstance(facts, CheckoutSessionFacts):
        return facts.id, facts.payment_intent
    if isinstance(facts, ChargeFacts):
        return (facts.payment_intent,)
    return ()


def _reference_of(facts) -> str | None:
    """What a waiting event is found by when its payment arrives: a charge's PaymentIntent, a session."""
    if isinstance(facts, ChargeFacts):
        return facts.payment_intent
    if isinstance(facts, CheckoutSessionFacts):
        return facts.id
    return None


def _order_of_session(session: CheckoutSessionFacts) -> tuple[Order | None, str]:
    order = db.session.scalar(select(Order).where(Order.stripe_session_id == session.id))
    if order is None:
        return None, "no order has this Checkout Session"
    if session.order_number not in (None, order.number):
        return None, f"the session belongs to {order.number}, not {session.order_number}"
    return order, ""


def _session_completed(session: CheckoutSessionFacts):
    order, problem = _order_of_session(session)
    if order is None:
        return EventOutcome.REJECTED, problem, None
    if session.payment_status != "paid":
        return EventOutcome.IGNORED, f"payment status {session.payment_status}", order
    if session.amount_total != order.total or session.currency != "vnd":
        return (EventOutcome.REJECTED, f"paid {session.amount_total} {session.currency}, the order is "
                f"{order.total} vnd", order)
    intent = session.payment_intent
    if not intent:
        return EventOutcome.REJECTED, "no payment intent", order
    recorded = db.session.scalar(select(PaymentTransaction.provider_reference).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE,
        PaymentTransaction.provider_reference.is_not(None)).limit(1))
    if recorded not in (None, intent):  # a session is paid by one PaymentIntent
        return EventOutcome.REJECTED, f"the session is recorded as paid by {recorded}, not {intent}", order
    charge = PaymentTransaction(order=order, method=PaymentMethod.CARD, kind=TransactionKind.CHARGE,
                                status=TransactionStatus.SUCCEEDED, amount=session.amount_total, currency="VND",
                                provider_reference=intent, actor_label="stripe")
    if _add_once(charge):
        outcome, detail = EventOutcome.APPLIED, _accept_payment(order, charge)
    else:
        outcome, detail = EventOutcome.IGNORED, "this payment is recorded already"
    apply_waiting(intent)
    return outcome, detail, order


def _accept_payment(order: Order, charge: PaymentTransaction) -> str:
    if order.status is S.AWAITING_PAYMENT:
        try:
            orders.mark_paid(order, actor_label="stripe", note=f"Stripe {charge.provider_reference}")
            return "paid"
        except workflow.TransitionRefused:
            pass  # cancelled or expired a moment ago (the order is read again): refunded below
    # Paid after the order was cancelled or expired (its stock may be sold since): the money goes back.
    # Recorded here, asked of Stripe once this is committed (outcalls.py).
    _request_refund(order, charge.amount, "stripe", f"paid while the order was {order.status.value}: refunded")
    return f"paid while {order.status.value}: to be refunded"


def _session_expired(session: CheckoutSessionFacts):
    order, problem = _order_of_session(session)
    if order is None:
        return EventOutcome.REJECTED, problem, None
    if order.status is not S.AWAITING_PAYMENT:
        return EventOutcome.IGNORED, f"order is {order.status.value}", order
    if not orders.expire_order(order, due_now=True):
        return EventOutcome.IGNORED, "order moved meanwhile", order
    return EventOutcome.APPLIED, "expired", order


def _charge_refunded(charge: ChargeFacts):
    if charge.payment_intent is None:
        return EventOutcome.IGNORED, "not a payment through Checkout", None
    paid = _by_reference(TransactionKind.CHARGE, charge.payment_intent)
    if paid is None:
        # Before its payment (the payment's event is late): applied when the payment is recorded.
        return EventOutcome.WAITING, "the payment is not known yet", None
    order = paid.order
    if charge.currency != "vnd":
        return EventOutcome.REJECTED, "currency is not vnd", order
    if charge.amount_refunded > paid.amount:
        return EventOutcome.REJECTED, f"refunded {charge.amount_refunded}, more than the {paid.amount} paid", order
    if charge.amount_refunded == 0:
        return EventOutcome.IGNORED, "nothing refunded", order
    foreign = db.session.scalar(select(PaymentTransaction.provider_reference).where(
        PaymentTransaction.kind == TransactionKind.REFUND, PaymentTransaction.order_id != order.id,
        PaymentTransaction.provider_reference.in_([refund.id for refund in charge.refunds]
                                                  + [_total_reference(charge)])).limit(1))
    if foreign is not None:
        return EventOutcome.REJECTED, f"refund {foreign} belongs to another order", order
    _record_refunds(order, charge)
    if charge.amount_refunded < paid.amount:
        return EventOutcome.APPLIED, f"partial refund of {charge.amount_refunded}", order
    if workflow.can_move(order, S.REFUNDED):
        try:
            orders.mark_refunded(order, actor_label="stripe")
            return EventOutcome.APPLIED, "refunded", order
        except workflow.TransitionRefused:
            pass
    return EventOutcome.APPLIED, f"refund confirmed, order {order.status.value}", order


def _record_refunds(order: Order, charge: ChargeFacts) -> None:
    """Make the order's refunds agree with what Stripe reports, never beyond its refunded total (so an
    event delivered twice, or an older one after a newer one, records nothing more):
    the refunds it names are matched to the shop's by id, or to a pending one not yet named of the same
    amount (asked for, Stripe's answer not recorded yet), or recorded as made in Stripe's dashboard;
    pending ones it does not name are confirmed as far as the total covers them; a total beyond all of
    them is a refund made in the dashboard."""
    rows = list(db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.REFUND)
        .order_by(PaymentTransaction.id)))
    by_reference = {row.provider_reference: row for row in rows if row.provider_reference}
    confirmed = sum(row.amount for row in rows if row.status is TransactionStatus.SUCCEEDED)
    target = charge.amount_refunded
    for listed in charge.refunds:
        row = by_reference.get(listed.id)
        if listed.status in ("failed", "canceled"):
            if row is not None and row.status is TransactionStatus.PENDING:
                row.status = TransactionStatus.FAILED
            continue
        if (row is not None and row.status is TransactionStatus.SUCCEEDED) or confirmed + listed.amount > target:
            continue
        if row is None:
            row = next((r for r in rows if r.status is TransactionStatus.PENDING and r.provider_reference is None
                        and r.amount == listed.amount), None)
        if row is None:
            row = PaymentTransaction(
                order=order, method=PaymentMethod.CARD, kind=TransactionKind.REFUND,
                status=TransactionStatus.SUCCEEDED, amount=listed.amount, provider_reference=listed.id,
                actor_label="stripe", note="refunded in Stripe's dashboard")
            db.session.add(row)
            rows.append(row)
        else:
            row.provider_reference = row.provider_reference or listed.id
            row.status = TransactionStatus.SUCCEEDED
        by_reference[listed.id] = row
        confirmed += listed.amount
    for row in rows:
        if row.status is TransactionStatus.PENDING and confirmed + row.amount <= target:
            row.status = TransactionStatus.SUCCEEDED
            confirmed += row.amount
    if target > confirmed:
        _add_once(PaymentTransaction(
            order=order, method=PaymentMethod.CARD, kind=TransactionKind.REFUND, status=TransactionStatus.SUCCEEDED,
            amount=target - confirmed, provider_reference=_total_reference(charge),
            actor_label="stripe", note="refunded in Stripe's dashboard"))
    db.session.flush()


def _total_reference(charge: ChargeFacts) -> str:
    """The reference of a refund known only by the charge's refunded total."""
    return f"{charge.id or charge.payment_intent}:{charge.amount_refunded}"


def apply_waiting(intent: str) -> int:
    """Apply the refund events that arrived before their payment, now that it may be recorded (called
    whenever a payment is recorded, and by `flask payments apply-waiting` as a safety net). Returns how
    many were applied."""
    _hold(intent)
    if _by_reference(TransactionKind.CHARGE, intent) is None:
        return 0
    applied = 0
    for waiting in db.session.scalars(select(PaymentEvent).where(
            PaymentEvent.object_reference == intent, PaymentEvent.outcome == EventOutcome.WAITING)
            .order_by(PaymentEvent.id)).all():
        try:
            payload = waiting.payload["data"]["object"]
            if not isinstance(payload, dict):
                raise MalformedEvent("the stored event has no object")
            facts = events.charge(payload)
        except (MalformedEvent, KeyError, TypeError) as error:
            waiting.outcome, waiting.detail = EventOutcome.REJECTED, f"malformed: {error}"[:500]
            continue
        outcome, detail, order = _charge_refunded(facts)
        waiting.outcome, waiting.detail = outcome, f"applied late: {detail}"[:500]
        waiting.order_id = order.id if order is not None else None
        applied += 1
    return applied


def waiting_intents() -> list[str]:
    """The payments that refund events are waiting for."""
    return list(db.session.scalars(select(PaymentEvent.object_reference).where(
        PaymentEvent.outcome == EventOutcome.WAITING, PaymentEvent.object_reference.is_not(None))
        .distinct().order_by(PaymentEvent.object_reference)))


_HANDLERS = {
    "checkout.session.completed": (events.checkout_session, _session_completed),
    "checkout.session.expired": (events.checkout_session, _session_expired),
    "charge.refunded": (events.charge, _charge_refunded),
}
