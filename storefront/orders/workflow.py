"""The one state machine of an order: which state may follow which, and the one function that moves it.

    awaiting_payment ─┬─ paid ───────┬─ shipped ──────────┬─ completed ── refunded
                      │              ├─ ready_for_pickup ─┘
                      │              └─ refunded (never sent: the stock comes back)
                      ├─ cancelled, expired (the stock comes back)
    confirmed (cash on delivery) ─ shipped | ready_for_pickup ─ completed (paid when handed over)
                                 └─ cancelled (the stock comes back)

A move is a conditional UPDATE (`WHERE status = <from>`), so of two racing moves from one state (a
payment webhook and the expiry job, two clicks of an administrator) exactly one wins; the loser
gets `TransitionRefused` and changes nothing.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from .models import Order, OrderStatus, OrderTransition

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


class TransitionRefused(DomainError):
    pass


def can_move(order: Order, to: OrderStatus) -> bool:
    return to in ALLOWED[order.status]


def releases_stock(from_status: OrderStatus, to: OrderStatus) -> bool:
    return from_status in HOLDS_STOCK and to in RELEASING


def move(order: Order, to: OrderStatus, actor=None, actor_label: str | None = None, note: str = "") -> OrderStatus:
    """Move `order` to `to`, recording who did it; returns the state it left.

    Raises TransitionRefused when the machine forbids the move, or when another request moved the
    order first (the conditional update then matches no row)."""
    from_status = order.status
    if to not in ALLOWED[from_status]:
        raise TransitionRefused(_l("An order that is “%(current)s” cannot become “%(target)s”.",
                                   current=STATUS_NAMES[from_status], target=STATUS_NAMES[to]))
    values = {"status": to}
    if to == S.PAID:
        values["paid_at"] = utcnow()
    db.session.flush()
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
