"""Money that moved (or was asked to move) for an order, and every Stripe event received, once each."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db, enum_column
from ..orders.models import Order, PaymentMethod


class TransactionKind(enum.StrEnum):
    CHARGE = "charge"
    REFUND = "refund"


class TransactionStatus(enum.StrEnum):
    PENDING = "pending"      # asked for, not confirmed yet (a refund Stripe has not reported done)
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PaymentTransaction(db.Model):
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # One charge per Stripe PaymentIntent, one refund per Stripe refund: a duplicate cannot be stored.
        UniqueConstraint("kind", "provider_reference", name="uq_payment_transaction_kind_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id", ondelete="CASCADE"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    kind: Mapped[TransactionKind] = mapped_column(enum_column(TransactionKind))
    status: Mapped[TransactionStatus] = mapped_column(enum_column(TransactionStatus))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    # Stripe's PaymentIntent or refund id, a bank transfer's reference; none for cash.
    provider_reference: Mapped[str | None] = mapped_column(String(255))
    actor_label: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship()


class EventOutcome(enum.StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"      # nothing to do: already done, or a type the shop does not use
    REJECTED = "rejected"    # did not match its order (amount, currency, session): nothing changed
    WAITING = "waiting"      # arrived before what it follows (a refund before the payment): applied later


class PaymentEvent(db.Model):
    """A webhook event, stored the first time it arrives: a second delivery finds it and does nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), default="stripe")
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    # The PaymentIntent or session it is about, to find waiting events when their payment arrives.
    object_reference: Mapped[str | None] = mapped_column(String(255), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[EventOutcome] = mapped_column(enum_column(EventOutcome))
    detail: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
