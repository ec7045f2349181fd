"""The one state machine of an order: which state may follow which, and the one function that moves it.

    awaiting_payment ─┬─ paid ───────┬─ shipped ──────────┬─ completed ── refunded
                      │              ├─ ready_for_pickup ─┘
                      │              └─ refunded (the units not sent come back)
                      ├─ cancelled, expired (the stock comes back)
    confirmed (cash on delivery) ─ shipped | ready_for_pickup ─ completed (paid when handed over)
                                 └─ cancelled, while no line is sent (the stock comes back)

A move is a conditional UPDATE (`WHERE status = <from>`), so of two racing moves from one state (a
payment webhook and the expiry job, two clicks of an administrator) exactly one wins; the loser
gets `TransitionRefused` and changes nothing.

Once a producer has sent a line, its units are with the shopper or on the road: the order can no longer
be cancelled (it completes, or goes through a return and a refund). A cancellation takes the order's row
lock, which a producer marking a line takes too (operations._locked), so the two never cross.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import LineStatus, Order, OrderLine, OrderStatus, OrderTransition

S = OrderStatus

ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.SHIPPED, S.READY_FOR_PICKUP, S.CANCELLED}),
    S.PAID: frozenset({S.SHIPPED, S.READY_FOR_PICKUP, S.REFUNDED}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.READY_FOR_PICKUP: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.REFUNDED: frozenset(),
}

# Leaving one of these states for one of RELEASING gives the order's stock back (exactly once).
HOLDS_STOCK = frozenset({S.AWAITING_PAYMENT, S.CONFIRMED, S.PAID})
RELEASING = frozenset({S.CANCELLED, S.EXPIRED, S.REFUNDED})
# An order in one of these has been accepted: its producers may send their lines.
TO_FULFIL = frozenset({S.CONFIRMED, S.PAID})
# States only an order that was accepted reaches (a cancelled one may have been, or not).
ONLY_ACCEPTED = TO_FULFIL | {S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED, S.REFUNDED}
# Its producers were told to send it, and now must not: each hears of the move (operations._move).
STOPS_PRODUCERS = frozenset({S.CANCELLED, S.REFUNDED})
# Refused while any line of the order has been sent.
ONLY_UNSENT = frozenset({S.CANCELLED})
# What a shopper may do from the order page (anything else goes through the OCOP office).
SHOPPER_MAY_CANCEL = frozenset({S.AWAITING_PAYMENT, S.CONFIRMED})
FINAL = frozenset(state for state, following in ALLOWED.items() if not following)

STATUS_NAMES = {
    S.AWAITING_PAYMENT: _l("Awaiting payment"),
    S.CONFIRMED: _l("Confirmed"),
    S.PAID: _l("Paid"),
    S.SHIPPED: _l("Shipped"),
    S.READY_FOR_PICKUP: _l("Ready for pickup"),
    S.COMPLETED: _l("Completed"),
    S.CANCELLED: _l("Cancelled"),
    S.EXPIRED: _l("Expired unpaid"),
    S.REFUNDED: _l("Refunded"),
}


LINE_STATUS_NAMES = {
    LineStatus.PENDING: _l("Being prepared"),
    LineStatus.SHIPPED: _l("Shipped"),
    LineStatus.READY_FOR_PICKUP: _l("Ready for pickup"),
}
SENT_LINES_REFUSAL = _l("Some products of this order were already sent, so it cannot be cancelled. "
                        "Complete it, or agree a return with the shopper and refund it.")


class TransitionRefused(DomainError):
    pass


def refusal(order: Order, to: OrderStatus):
    """Why the machine refuses moving `order` to `to`, as its loaded lines stand, or None."""
    if to not in ALLOWED[order.status]:
        return _l("An order that is “%(current)s” cannot become “%(target)s”.",
                  current=STATUS_NAMES[order.status], target=STATUS_NAMES[to])
    if to in ONLY_UNSENT and any(line.status is not LineStatus.PENDING for line in order.lines):
        return SENT_LINES_REFUSAL
    return None


def can_move(order: Order, to: OrderStatus) -> bool:
    return refusal(order, to) is None


def shopper_may_cancel(order: Order) -> bool:
    return order.status in SHOPPER_MAY_CANCEL and can_move(order, S.CANCELLED)


def releases_stock(from_status: OrderStatus, to: OrderStatus) -> bool:
    return from_status in HOLDS_STOCK and to in RELEASING


def stops_producers(from_status: OrderStatus, to: OrderStatus) -> bool:
    """The producers had been asked to send the order, and now must not."""
    return from_status in TO_FULFIL and to in STOPS_PRODUCERS


def line_status_name(order: Order, line: OrderLine):
    """What a line's status reads, for the shopper, the office and the producer alike. A line is prepared
    and sent only while its order is accepted or on its way; otherwise it shares the order's state
    (awaiting payment, cancelled, expired, refunded, completed)."""
    if order.status in TO_FULFIL or order.status in (S.SHIPPED, S.READY_FOR_PICKUP):
        return LINE_STATUS_NAMES[line.status]
    return STATUS_NAMES[order.status]


def _any_line_sent(order: Order) -> bool:
    """Read under the order's row lock, so a line marked sent by a request that held it is seen."""
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    return bool(db.session.scalar(select(exists().where(
        OrderLine.order_id == order.id, OrderLine.status != LineStatus.PENDING))))


def move(order: Order, to: OrderStatus, actor=None, actor_label: str | None = None, note: str = "") -> OrderStatus:
    """Move `order` to `to`, recording who did it; returns the state it left.

    Raises TransitionRefused when the machine forbids the move, or when another request moved the
    order first (the conditional update then matches no row)."""
    from_status = order.status
    refused = refusal(order, to)
    if refused is not None:
        raise TransitionRefused(refused)
    db.session.flush()
    if to in ONLY_UNSENT and _any_line_sent(order):
        raise TransitionRefused(SENT_LINES_REFUSAL)
    values = {"status": to}
    if to == S.PAID:
        values["paid_at"] = utcnow()
    moved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == from_status).values(**values),
        execution_options={"synchronize_session": False})
    if moved.rowcount != 1:
        db.session.refresh(order)
        raise TransitionRefused(_l("The order changed meanwhile: it is now “%(current)s”.",
                                   current=STATUS_NAMES[order.status]))
    for name, value in values.items():
        set_committed_value(order, name, value)  # the row holds it already: nothing more to flush
    db.session.add(OrderTransition(
        order=order, from_status=from_status, to_status=to, actor=actor, note=note[:500],
        actor_label=actor_label or (actor.email if actor is not None else "system")))
    return from_status
