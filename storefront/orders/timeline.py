"""An order's way from placed to completed, as its buyer follows it: each step done (with its date), the one
under way, the ones to come; or where it stopped (cancelled, expired unpaid, refunded). And each producer's
parcel: being prepared, or sent (ready for pickup) since when."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from .models import Fulfilment, LineStatus, Order, OrderLine, OrderStatus, PaymentMethod
from .workflow import STATUS_NAMES

S = OrderStatus
DONE, CURRENT, NEXT, STOPPED = "done", "current", "next", "stopped"
# How far along the way each state is: 0 placed, 1 paid or confirmed, 2 sent or ready, 3 completed.
PROGRESS = {S.AWAITING_PAYMENT: 0, S.CONFIRMED: 1, S.PAID: 1, S.SHIPPED: 2, S.READY_FOR_PICKUP: 2,
            S.COMPLETED: 3, S.REFUNDED: 3}


@dataclass(frozen=True)
class Step:
    name: object  # a lazy string
    at: datetime | None
    state: str


def timeline(order: Order) -> list[Step]:
    reached = {step.to_status: step.at for step in order.transitions}
    steps = [Step(_l("Order placed"), order.created_at, DONE)]
    if order.status in (S.CANCELLED, S.EXPIRED):
        if S.PAID in reached:
            steps.append(Step(_l("Paid"), reached[S.PAID], DONE))
        return steps + [Step(STATUS_NAMES[order.status], reached.get(order.status), STOPPED)]
    if order.status is S.REFUNDED and S.SHIPPED not in reached and S.READY_FOR_PICKUP not in reached:
        return steps + [Step(_l("Paid"), reached.get(S.PAID) or order.paid_at, DONE),
                        Step(STATUS_NAMES[S.REFUNDED], reached.get(S.REFUNDED), STOPPED)]
    progress = PROGRESS[order.status]
    sent = S.READY_FOR_PICKUP if order.fulfilment is Fulfilment.PICKUP else S.SHIPPED

    def step(name, at, level):  # a moment that has come (its date) or is still to come
        return Step(name, at, DONE) if progress >= level else Step(name, None, NEXT)

    if order.payment_method is PaymentMethod.CASH_ON_DELIVERY:
        steps.append(Step(_l("Confirmed: you pay on delivery"), reached.get(S.CONFIRMED), DONE))
    elif progress == 0:
        steps.append(Step(_l("Waiting for your payment"), None, CURRENT))
    else:
        steps.append(Step(_l("Paid"), reached.get(S.PAID) or order.paid_at, DONE))
    steps.append(Step(_l("Being prepared by the producers"), None,
                      CURRENT if progress == 1 else DONE if progress > 1 else NEXT))
    steps.append(step(STATUS_NAMES[sent], reached.get(sent), 2))
    steps.append(step(STATUS_NAMES[S.COMPLETED], reached.get(S.COMPLETED), 3))
    if order.status is S.REFUNDED:
        steps.append(Step(STATUS_NAMES[S.REFUNDED], reached.get(S.REFUNDED), STOPPED))
    return steps


@dataclass(frozen=True)
class Parcel:
    state: str  # "preparing", "sent", "ready" or "closed" (the order itself stopped or was never paid)
    at: datetime | None


def parcel(order: Order, lines: list[OrderLine]) -> Parcel:
    """One producer's part of the order: sent (or ready) once all its lines are, since the last of them."""
    if order.status not in (S.CONFIRMED, S.PAID, S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED):
        return Parcel("closed", None)
    if all(line.status is not LineStatus.PENDING for line in lines):
        moments = [line.fulfilled_at for line in lines if line.fulfilled_at]
        return Parcel("ready" if order.fulfilment is Fulfilment.PICKUP else "sent", max(moments, default=None))
    return Parcel("preparing", None)
