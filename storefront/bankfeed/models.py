"""Every incoming transfer a bank-feed service reported, once each, and what became of it."""
import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db, enum_column
from ..orders.models import Order


class TransferState(enum.StrEnum):
    MATCHED = "matched"                # paid its order by itself
    TO_RECONCILE = "to_reconcile"      # waits for the office (see Mismatch)
    MATCHED_BY_HAND = "matched_by_hand"
    REFUNDED = "refunded"              # the office sent the money back to the sender
    IGNORED = "ignored"                # not an order's payment (the office says why)


class Mismatch(enum.StrEnum):
    """Why a transfer was not matched by itself."""
    NO_ORDER = "no_order"              # no order number found in the description
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    ALREADY_PAID = "already_paid"
    ORDER_CLOSED = "order_closed"      # cancelled, expired (its stock released) or refunded
    NOT_A_TRANSFER = "not_a_transfer"  # the order is paid another way (cash, card)
    SEVERAL_ORDERS = "several_orders"  # the description names more than one order


class BankTransfer(db.Model):
    __table_args__ = (
        # A service reports a transaction under one id, however often it delivers it.
        UniqueConstraint("provider", "provider_id", name="uq_bank_transfer_provider_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_bank_transfer_state_transferred_at", "state", "transferred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str] = mapped_column(String(100))
    account_number: Mapped[str] = mapped_column(String(40))
    bank: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(1000), default="")
    # The bank's own reference of the transaction (on the account statement).
    bank_reference: Mapped[str] = mapped_column(String(100), default="")
    # When the bank booked it (UTC), as the service reports it; when the shop heard of it.
    transferred_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[TransferState] = mapped_column(enum_column(TransferState))
    mismatch: Mapped[Mismatch | None] = mapped_column(enum_column(Mismatch))
    # The order it paid, or the one it names but could not pay.
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id", ondelete="SET NULL"), index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(254))
    resolved_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)

    order: Mapped[Order | None] = relationship()

    @property
    def name(self) -> str:
        """How the audit log names it."""
        return f"{self.provider} {self.provider_id}"

    @property
    def reference(self) -> str:
        """The payment's reference in the shop's records: unique per service and transaction."""
        return f"{self.provider}:{self.provider_id}"
