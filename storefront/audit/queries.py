"""Reading the audit log: who changed what, filtered the way the office asks."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..clock import end_of_local_day_utc
from ..extensions import db
from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # part of the actor's e-mail ("system" for the command line)
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    since: date | None = None  # local dates, inclusive
    until: date | None = None


def audit_entries(filters: AuditFilters, page: int = 1, per_page: int = 50) -> tuple[list[AuditEntry], int]:
    """A page of entries, newest first, and how many match in all."""
    conditions = []
    if filters.actor:
        pattern = "%" + filters.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(AuditEntry.actor_label.ilike(pattern, escape="\\"))
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.object_type:
        conditions.append(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        conditions.append(AuditEntry.object_id == filters.object_id)
    if filters.since:
        conditions.append(AuditEntry.at >= end_of_local_day_utc(filters.since - timedelta(days=1)))
    if filters.until:
        conditions.append(AuditEntry.at < end_of_local_day_utc(filters.until))
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    entries = db.session.scalars(select(AuditEntry).where(*conditions)
                                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)).all()
    return list(entries), total


def known_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def known_object_types() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)))
