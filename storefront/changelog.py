"""The content change log: one row per committed transaction that changed public content, written in that
same transaction (the outbox pattern), naming the products whose search documents it touched.

Two readers follow it. Each node's search follower (search/follow.py) reindexes the products named after
the last row it applied. Each worker's page cache derives its content version from it: the number of
rows ever committed (rows in the log plus rows pruned from it). Inserting a row locks nothing another
writer waits for, unlike a single counter row that every writer would update; and the number grows with
every commit even when ids commit out of order (a transaction holding id 10 committing after id 11 was
seen), where max(id) would not.

The row is inserted just before commit, after the last flush, so that its id is taken as late as it
can be: ids then commit almost in their order, and a follower needs to watch only the few ids it saw
missing just below the highest one (see follow.py). On PostgreSQL the same transaction sends a NOTIFY,
delivered on commit, so that followers wake at once.
"""
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Integer, String, delete, event, func, insert, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import utcnow
from .extensions import db

CHANNEL = "content_change"
# What a transaction collects in its session before it commits.
CHANGED = "content_changed"
PRODUCTS = "content_change_products"
# PostgreSQL's bigint where ids may run long; SQLite needs its INTEGER PRIMARY KEY to count by itself.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ContentChange(db.Model):
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The ids of the products whose search documents changed, space-separated ("" when none did: a sales
    # point or an area changed, which only invalidates cached pages).
    product_ids: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ContentChangePruning(db.Model):
    """One row (id=1): how many rows pruning has removed so far, and the highest id it removed."""
    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_rows: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)


def note_products(session: Session, product_ids) -> None:
    """These products' search documents change with the session's transaction."""
    session.info.setdefault(PRODUCTS, set()).update(product_ids)
    session.info[CHANGED] = True


def note_content(session: Session) -> None:
    """The session's transaction changes what public pages show."""
    session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _write_change(session):
    if session.in_nested_transaction():
        return
    session.flush()  # the flushes that commit would make now: they may still name products
    if not session.info.get(CHANGED):
        return
    product_ids = sorted(session.info.get(PRODUCTS, ()))
    connection = session.connection()
    connection.execute(insert(ContentChange).values(product_ids=" ".join(map(str, product_ids)),
                                                    created_at=utcnow()))
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"NOTIFY {CHANNEL}"))
    session.info["content_change_written"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session):
    if not session.in_nested_transaction():  # a savepoint rolled back leaves the outer changes standing
        session.info.pop(CHANGED, None)
        session.info.pop(PRODUCTS, None)
        session.info.pop("content_change_written", None)


_committed_listeners = []


def on_committed(listener):
    """Call listener(product_ids) after each commit that wrote a change (in the committing process)."""
    _committed_listeners.append(listener)
    return listener


@event.listens_for(Session, "after_commit")
def _announce(session):
    written = session.info.pop("content_change_written", False)
    session.info.pop(CHANGED, None)
    product_ids = session.info.pop(PRODUCTS, set())
    if written:
        for listener in _committed_listeners:
            listener(product_ids)


def version_statement():
    """One statement, so one snapshot: rows in the log plus rows pruned from it."""
    pruned = select(ContentChangePruning.pruned_rows).where(ContentChangePruning.id == 1).scalar_subquery()
    return select(select(func.count()).select_from(ContentChange).scalar_subquery() + func.coalesce(pruned, 0))


def head(connection) -> tuple[int, int]:
    """(the highest id in the log, the highest id pruning removed), both 0 when there is none."""
    last = connection.scalar(select(func.coalesce(func.max(ContentChange.id), 0)))
    pruned = connection.scalar(select(ContentChangePruning.pruned_through).where(ContentChangePruning.id == 1))
    return int(last), int(pruned or 0)


def prune(older_than: timedelta) -> int:
    """Remove the rows written more than `older_than` ago; returns how many. A follower whose position is
    below the highest id removed rebuilds its index."""
    cutoff = utcnow() - older_than
    with db.engine.begin() as connection:
        removed = connection.execute(delete(ContentChange).where(ContentChange.created_at < cutoff)
                                     .returning(ContentChange.id)).scalars().all()
        if not removed:
            return 0
        changed = connection.execute(
            update(ContentChangePruning).where(ContentChangePruning.id == 1)
            .values(pruned_rows=ContentChangePruning.pruned_rows + len(removed),
                    pruned_through=func.greatest(ContentChangePruning.pruned_through, max(removed))
                    if connection.dialect.name == "postgresql"
                    else func.max(ContentChangePruning.pruned_through, max(removed))))
        if changed.rowcount == 0:
            connection.execute(insert(ContentChangePruning).values(id=1, pruned_rows=len(removed),
                                                                   pruned_through=max(removed)))
    return len(removed)
