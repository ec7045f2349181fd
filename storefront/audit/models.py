from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..clock import utcnow
from ..extensions import db

# The actor of an entry made by the shop itself (an unpaid order expiring), and of one made by a `flask`
# command (entries made by commands before the command line was told apart say "system" too).
SYSTEM = "system"
COMMAND_LINE = "command line"


class AuditEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # None for changes made from the command line or by the shop itself (an expired order): the label says.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254))
    # What was done, as "area.verb": "certificate.renew", "product.update", "order.refund"…
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int | None] = mapped_column(index=True)
    object_label: Mapped[str] = mapped_column(String(300), default="")
    # {field: [old, new]}, values as JSON-friendly text or numbers.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(1000), default="")

    actor: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<AuditEntry {self.action} {self.object_type}#{self.object_id} by {self.actor_label}>"
