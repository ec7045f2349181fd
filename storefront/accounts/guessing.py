"""Limits on guessing passwords that never lock the rightful owner out.

Each key gets a few attempts at once, then a wait that doubles with every further failure (30 s, 1 min,
2 min … at most an hour), forgotten a day after the last failure. An attempt is counted as a failure as
soon as it is let through, and forgiven when it succeeds: attempts made at the same moment cannot slip
past the count. Keys:

- the account, for every device it has never been signed in on (an attacker's, and the owner's new phone);
- the account on one device it was signed in on before (its signed cookie): the owner's own budget,
  which nobody elsewhere can spend.

Each count is kept in its own short transaction, so it stands when the request that made it fails; it is
taken before the request's own first query, so a request never holds one connection while it waits for
another.
"""
import hashlib
import math
import random
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..clock import utcnow
from ..extensions import db, independent_transaction
from .models import SignInThrottle

FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
FORGET_AFTER = timedelta(days=1)


def account_id(email: str) -> str:
    """An address's stand-in in keys and device cookies (no typed address is stored)."""
    return hashlib.sha256(email.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]


def account_key(email: str) -> str:
    """The key of an account (or of an address without one: it is limited alike) on unknown devices."""
    return f"account:{account_id(email)}"


def device_key(device_id: str, email: str) -> str:
    return f"device:{device_id[:40]}:{account_id(email)}"


def wait_after(failures: int) -> timedelta:
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 20), LONGEST_WAIT)


def take_attempt(key: str) -> int:
    """Let one attempt through for `key` (0), or say how many seconds remain before the next one may be made."""
    now = utcnow()
    table = SignInThrottle.__table__
    with independent_transaction() as connection:
        insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(insert(table).values(key=key, failures=0, last_failure_at=now, next_attempt_at=now)
                           .on_conflict_do_nothing(index_elements=[table.c.key]))
        if random.random() < 0.01:
            connection.execute(delete(table).where(table.c.last_failure_at < now - FORGET_AFTER - LONGEST_WAIT))
        for _ in range(10):
            row = connection.execute(select(table.c.failures, table.c.last_failure_at, table.c.next_attempt_at)
                                     .where(table.c.key == key)).one()
            # The clock is read after the row: a count committed at the same moment was stamped before it,
            # so it never looks like a wait still to come.
            now = utcnow()
            if row.next_attempt_at > now:
                return max(1, math.ceil((row.next_attempt_at - now).total_seconds()))
            failures = 1 if now - row.last_failure_at > FORGET_AFTER else row.failures + 1
            # Compare and set: of attempts made at the same moment, one moves the count at a time.
            taken = connection.execute(
                update(table).where(table.c.key == key, table.c.failures == row.failures,
                                    table.c.next_attempt_at == row.next_attempt_at)
                .values(failures=failures, last_failure_at=now, next_attempt_at=now + wait_after(failures)))
            if taken.rowcount == 1:
                return 0
    return 1


def forgive(key: str) -> None:
    """The attempt let through for `key` succeeded: its count starts again (with the request's commit)."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
