"""Payment work that asks Stripe for something, in the order the architecture asks for: what must be true
is committed first, Stripe is called with no transaction open, and its answer is recorded and committed
in a transaction of its own.

These functions commit, so views and commands call them at the end of their own work (the request's
own commit then finds nothing left to do); operations never call them. Each step is safe to repeat:
a refund is asked for under its own idempotency key, so a click, the command and Stripe's redelivery
of a webhook may all ask again without refunding twice.
"""
import logging
from dataclasses import dataclass

from ..extensions import db
from . import operations, stripe_gateway

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundAttempt:
    order_number: str
    amount: int
    reference: str | None  # Stripe's refund id (re_…) once it accepted the refund
    error: stripe_gateway.GatewayError | None = None


def commit_and_send_refunds(order_id: int | None = None, limit: int | None = None) -> list[RefundAttempt]:
    """Commit what the caller staged (a refund request, a late payment's refund), then ask Stripe for
    every card refund it has not accepted yet, of the order `order_id` or of all orders, recording each answer as it
    comes. A refusal or an unreachable Stripe leaves that refund pending (and visible) for another try."""
    db.session.commit()
    attempts = []
    for refund in operations.unsent_refunds(order_id, limit):
        refund_id, number, amount = refund.id, refund.order.number, refund.amount
        try:
            reference = operations.send_refund(refund_id)
            db.session.commit()
        except stripe_gateway.GatewayError as error:
            db.session.rollback()
            log.warning("refund %s of %s not accepted by Stripe: %s", refund_id, number, error)
            attempts.append(RefundAttempt(number, amount, None, error))
            continue
        attempts.append(RefundAttempt(number, amount, reference))
    return attempts
