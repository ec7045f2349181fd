"""Each node's index follows the content change log (changelog.py) of the one database.

A step, under the index's write lock: read the index's position (the highest change id it holds and the
ids just below it that were missing), read the log rows after it and those missing ids, reindex the
products they name from the database, and move the position on. Ids may commit out of order (a
transaction that took id 10 commits after id 11 was seen): a missing id is watched for
SEARCH_FOLLOW_GAP_SECONDS before it is taken for a rolled-back transaction. The index is rebuilt
instead when its folder is empty or has no position, when the log was pruned past its position, when
the log is behind the position (a database restored or reset), or when more than
SEARCH_FOLLOW_REBUILD_AFTER changes wait.

Who steps:
- the process that committed a change, right after its commit, if the write lock is free at that very
  moment (a request never waits for it); so a change shows at once in its own node's search;
- one follower per node, as a thread of an app process (SEARCH_FOLLOW=thread, started by the first
  request; the processes of a node elect one through a file lock beside the index, the others stand by)
  or as `flask search follow` (SEARCH_FOLLOW=off in the web processes). It wakes on PostgreSQL's
  NOTIFY, sent by the writing transaction and delivered on commit, and polls every
  SEARCH_FOLLOW_POLL_SECONDS besides (only polling on SQLite). It also prunes the log now and then.
"""
import fcntl
import logging
import os
import threading
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError
from whoosh import index as whoosh_index

from .. import changelog
from ..extensions import db
from ..warmup import is_warming
from . import index

log = logging.getLogger(__name__)

MAX_GAPS = 1000
LEADER_RETRY_SECONDS = 5.0


class Outcome:
    CURRENT = "current"  # nothing new
    APPLIED = "applied"
    BUSY = "busy"  # another writer of this node holds the index
    BEHIND = "behind"  # needs a rebuild, not allowed here
    REBUILT = "rebuilt"


class _NeedsRebuild(Exception):
    pass


def step(wait: bool = True, allow_rebuild: bool = True) -> str:
    """Bring this node's index up to the log. wait=False: give up at once when another writer holds it."""
    try:
        with index._write_lock(wait=wait):
            return _apply()
    except index.Busy:
        return Outcome.BUSY
    except _NeedsRebuild as reason:
        if not allow_rebuild:
            return Outcome.BEHIND
        log.warning("search index rebuilt: %s", reason)
        return Outcome.REBUILT if index.rebuild() >= 0 else Outcome.BUSY


def _apply() -> str:
    config = current_app.config
    if not whoosh_index.exists_in(index.index_dir()):
        raise _NeedsRebuild("no index in the folder")
    position = index.read_position()
    if position is None:
        raise _NeedsRebuild("the index does not know its position in the change log")
    through, gaps = position["through"], position["gaps"]
    limit = config["SEARCH_FOLLOW_REBUILD_AFTER"]
    Change = changelog.ContentChange
    with db.engine.connect() as connection:
        last, pruned = changelog.head(connection)
        if pruned > through:
            raise _NeedsRebuild(f"the change log was pruned past {through} (to {pruned})")
        if last < through and pruned < through:
            raise _NeedsRebuild(f"the change log ends at {last}, before the index's {through}")
        rows = connection.execute(
            select(Change.id, Change.product_ids)
            .where(or_(Change.id > through, Change.id.in_(sorted(gaps))) if gaps else Change.id > through)
            .order_by(Change.id).limit(limit + 1)).all()
    if len(rows) > limit:
        raise _NeedsRebuild(f"more than {limit} changes wait")
    now = time.time()
    expired = [gap for gap, seen in gaps.items() if now - seen > config["SEARCH_FOLLOW_GAP_SECONDS"]]
    if not rows and not expired:
        return Outcome.CURRENT
    product_ids = {int(word) for _, named in rows for word in named.split()}
    index.write_documents(product_ids)
    seen = {change_id for change_id, _ in rows}
    new_through = max([through, *seen])
    gaps = {gap: first for gap, first in gaps.items()
            if gap not in seen and gap > pruned and gap not in expired}
    for missing in range(through + 1, new_through):
        if missing not in seen:
            gaps[missing] = now
    if len(gaps) > MAX_GAPS:
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    if expired:
        log.info("change ids %s never committed: taken for rolled back", sorted(expired)[:20])
    index.write_position(new_through, gaps)
    return Outcome.APPLIED


class _Listener:
    """Wakes on the log's NOTIFY (PostgreSQL): its own connection, outside the pool, in autocommit."""

    def __init__(self, url):
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.connection = None

    def wait(self, timeout: float) -> bool:
        import psycopg

        try:
            if self.connection is None:
                self.connection = psycopg.connect(self.conninfo, autocommit=True)
                self.connection.execute(f"LISTEN {changelog.CHANNEL}")
            woken = False
            for _ in self.connection.notifies(timeout=timeout, stop_after=1):
                woken = True
            return woken
        except psycopg.Error as error:
            log.warning("change notifications unavailable (polling meanwhile): %s", error)
            self.close()
            time.sleep(timeout)
            return False

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                pass
            self.connection = None


class Follower:
    """The loop of one node's follower. One per app; run() in a thread or in the foreground."""

    def __init__(self, app):
        self.app = app
        self.stopping = threading.Event()
        self.woken = threading.Event()
        self.thread = None
        self.pid = None
        self.leading = threading.Event()
        self.steps = 0

    def start(self) -> None:
        """Start the loop in a daemon thread of this process (once per process, also after a fork)."""
        if self.pid == os.getpid() and self.thread is not None and self.thread.is_alive():
            return
        self.pid = os.getpid()
        self.stopping.clear()
        self.thread = threading.Thread(target=self.run, name="search-follower", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.woken.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def wake(self) -> None:
        self.woken.set()

    def run(self) -> None:
        with self.app.app_context():
            while not self.stopping.is_set():
                leader = self._take_leadership()
                if leader is None:
                    self.stopping.wait(LEADER_RETRY_SECONDS)
                    continue
                try:
                    self._lead()
                finally:
                    self.leading.clear()
                    leader.close()

    def _take_leadership(self):
        path = index.index_dir().with_name(index.index_dir().name + ".follower")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        self.leading.set()
        return handle

    def _lead(self) -> None:
        config = self.app.config
        poll = config["SEARCH_FOLLOW_POLL_SECONDS"]
        listener = _Listener(db.engine.url) if db.engine.dialect.name == "postgresql" else None
        pruned_at = 0.0
        try:
            if listener is not None:
                listener.wait(0)  # listening before the first step: nothing committed after it is missed
            while not self.stopping.is_set():
                self.woken.clear()
                try:
                    step(wait=True, allow_rebuild=True)
                    self.steps += 1
                    if time.monotonic() - pruned_at >= config["CONTENT_CHANGE_PRUNE_SECONDS"]:
                        pruned_at = time.monotonic()
                        changelog.prune(timedelta(hours=config["CONTENT_CHANGE_RETENTION_HOURS"]))
                except OperationalError as error:  # the database is down or out of connections: try again
                    log.warning("search follower waiting for the database: %s", str(error).splitlines()[0])
                    self.stopping.wait(poll)
                except Exception:
                    log.exception("search follower step failed")
                    self.stopping.wait(poll)
                if self.woken.is_set():
                    continue
                if listener is not None:
                    listener.wait(poll)
                else:
                    self.woken.wait(poll)
        finally:
            if listener is not None:
                listener.close()


def follower(app=None) -> Follower:
    app = app or current_app._get_current_object()
    found = app.extensions.get("search_follower")
    if found is None:
        found = app.extensions.setdefault("search_follower", Follower(app))
    return found


def after_commit(product_ids) -> None:
    """The committing process brings its own node's index up to date now, unless another writer holds
    it (then the node's follower does, woken by the same commit)."""
    if not product_ids:
        return
    app = current_app._get_current_object()
    try:
        outcome = step(wait=False, allow_rebuild=False)
    except Exception:
        # The commit stands; the node's follower catches up.
        app.logger.exception("search index update failed for products %s", sorted(product_ids))
        outcome = Outcome.BUSY
    if outcome in (Outcome.BUSY, Outcome.BEHIND):
        found = app.extensions.get("search_follower")
        if found is not None:
            found.wake()


def start_search_follower() -> None:
    """Before each request with SEARCH_FOLLOW=thread: this process's follower runs (started once), except
    in gunicorn's master warming the app before it forks the workers (storefront/warmup.py)."""
    app = current_app._get_current_object()
    if not is_warming(app):
        follower(app).start()


def init_app(app) -> None:
    if app.config.get("SEARCH_FOLLOW") == "thread":
        app.before_request(start_search_follower)
