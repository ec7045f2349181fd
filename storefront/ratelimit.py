"""Fixed-window rate limits shared by every worker, counted in the database.

A hit is counted in its own short transaction, so it stands even when the request that made it fails
and rolls back (a wrong password is exactly such a request).
"""
import random
from datetime import datetime

from sqlalchemy import String, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .extensions import db, independent_transaction

_EPOCH = datetime(1970, 1, 1)

# Windows older than this are deleted now and then; no limit here is longer.
FORGET_AFTER_SECONDS = 24 * 3600


class RateLimitCounter(db.Model):
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt by `key` at `scope`; False once it makes more than `limit` in the window."""
    now = int((utcnow() - _EPOCH).total_seconds())
    window_start = now - now % window_seconds
    table = RateLimitCounter.__table__
    with independent_transaction() as connection:
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values(scope=scope, key=key[:200], window_start=window_start, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key, table.c.window_start],
            set_={"count": table.c.count + 1},
        ).returning(table.c.count)
        count = connection.execute(statement).scalar_one()
        if random.random() < 0.01:
            connection.execute(delete(table).where(table.c.window_start < now - FORGET_AFTER_SECONDS))
    return count <= limit
