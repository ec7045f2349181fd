"""A fixed-window rate limiter kept in the database, so every worker process counts together.

`hit("visit-request", client_address, limit=5, window_seconds=60)` counts one attempt and says whether
it is allowed. The count is written in its own short transaction (db.engine.begin()), not in the
request's session: an attempt that is refused, or whose request rolls back, still counts.
"""
from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .extensions import db

_EPOCH = datetime(1970, 1, 1)
# Windows older than this are deleted when a key starts a new window.
_KEEP = timedelta(days=1)


class RateLimitCounter(db.Model):
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `key` in `scope`; True while the window holds at most `limit` attempts."""
    now = utcnow()
    elapsed = int((now - _EPOCH).total_seconds())
    window = _EPOCH + timedelta(seconds=elapsed - elapsed % window_seconds)
    key = (key or "-")[:100]
    table = RateLimitCounter.__table__
    with db.engine.begin() as connection:
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = insert(table).values(scope=scope, key=key, window_start=window, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key, table.c.window_start],
            set_={"count": table.c.count + 1}).returning(table.c.count)
        count = connection.execute(statement).scalar_one()
        if count == 1:
            connection.execute(delete(table).where(table.c.window_start < now - _KEEP))
    return count <= limit
