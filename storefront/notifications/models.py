import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db, enum_column


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # What the message is about, for operators and for filtering: "order-confirmed", "certificate-expiring"…
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # A message that must go at most once (one expiry notice per certificate and threshold) names itself.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.PENDING,
                                                  index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} to {self.recipient} {self.status}>"
