"""The Whoosh index of products: its schema, its documents, and every way it is written.

Writes are serialised across processes (gunicorn workers, commands) by an exclusive lock file:
incremental updates hold it while they write; a rebuild builds a fresh index beside the live one
without it, then takes it only to swap the directories and replay the updates made meanwhile.
A missing or unreadable index is rebuilt in the background while searches fall back to the
in-memory listing (see queries.py).

Beside the index, its position in the content change log (`<index>.position`): the highest change id it
holds and the ids just below it that were missing when it was read (they may still commit). follow.py
moves it on; a rebuild sets it to the log's head as it was when the rebuild started reading.
"""
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from ..areas.models import Area
from ..catalog.models import CraftVillage, Producer, Product
from ..extensions import db
from .. import changelog
from ..text import nfc
from .analysis import ENGLISH, EXACT, FOLDED

log = logging.getLogger(__name__)

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    name=TEXT(analyzer=FOLDED, field_boost=6.0, spelling=True),
    name_exact=TEXT(analyzer=EXACT, field_boost=2.0),
    # The name's first words: "Tỏi Lý Sơn ngâm mật ong" answers "tỏi lý sơn" better than "Rượu tỏi Lý Sơn".
    name_lead=TEXT(analyzer=FOLDED),
    name_en=TEXT(analyzer=ENGLISH, field_boost=4.0),
    producer=TEXT(analyzer=FOLDED, field_boost=2.5),
    places=TEXT(analyzer=FOLDED, field_boost=1.5),
    text=TEXT(analyzer=FOLDED, spelling=True),
    text_en=TEXT(analyzer=ENGLISH),
)
WRITE_TIMEOUT_SECONDS = 30.0
# After a rebuild, ids this far below the log's head that were not there are watched: they may commit.
GAP_WINDOW = 200
BATCH = 500
LEAD_WORDS = 3
# A word nobody types, first in name_lead, so that a phrase query can ask for "the name starts with".
NAME_START = "zzstartzz"


class IndexUnavailable(Exception):
    """The index is missing or unreadable: searches fall back while it is rebuilt."""


def index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def _sibling(suffix: str) -> Path:
    folder = index_dir()
    return folder.with_name(folder.name + suffix)


class Busy(Exception):
    """Another process or thread of this node is writing the index."""


@contextmanager
def _write_lock(wait: bool = True):
    """The node's one writer. `wait=False` raises Busy at once instead of waiting (a request never waits)."""
    path = _sibling(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        deadline = time.monotonic() + WRITE_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    raise Busy() from None
                if time.monotonic() > deadline:
                    raise TimeoutError("the search index stayed locked") from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- The index's position in the content change log ------------------------------------------------

def read_position() -> dict | None:
    """{"through": id, "gaps": {id: first seen (epoch seconds)}}, or None when unknown."""
    try:
        data = json.loads(_sibling(".position").read_text())
        return {"through": int(data["through"]), "gaps": {int(k): float(v) for k, v in data["gaps"].items()}}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_position(through: int, gaps: dict[int, float]) -> None:
    """Written after the index itself: a reader that sees the position finds the index at least there."""
    path, temporary = _sibling(".position"), _sibling(f".position-{os.getpid()}-{threading.get_ident()}")
    temporary.write_text(json.dumps({"through": through, "gaps": {str(k): v for k, v in gaps.items()}}))
    os.replace(temporary, path)


def applied_position() -> int:
    """What the page cache keys search pages by: changes once this node's index has moved on."""
    try:
        return _sibling(".position").stat().st_mtime_ns
    except OSError:
        return 0


def _log_head() -> tuple[int, dict[int, float]]:
    """(highest id in the log, ids below it within GAP_WINDOW that are not there): read before the documents."""
    with db.engine.connect() as connection:
        last, pruned = changelog.head(connection)
        last = max(last, pruned)  # a log pruned empty: the rebuild holds everything up to what was pruned
        present = set(connection.scalars(select(changelog.ContentChange.id)
                                         .where(changelog.ContentChange.id > last - GAP_WINDOW)))
    now = time.time()
    return last, {i: now for i in range(max(last - GAP_WINDOW, pruned) + 1, last) if i not in present}


def open_index():
    folder = index_dir()
    try:
        if not whoosh_index.exists_in(folder):
            raise IndexUnavailable(f"no index in {folder}")
        return whoosh_index.open_dir(folder)
    except IndexUnavailable:
        raise
    except Exception as error:  # a damaged table of contents or segment: Whoosh raises many kinds
        raise IndexUnavailable(f"unreadable index in {folder}: {error!r}") from error


def _documents(product_ids=None):
    """Index documents for these products (all when None), read in one query per batch."""
    commune, district = Area.__table__.alias("commune"), Area.__table__.alias("district")
    query = (select(Product.id, Product.name_vi, Product.name_en, Product.summary_vi, Product.summary_en,
                    Product.description_vi, Product.description_en, Product.story_vi, Product.story_en,
                    Product.heritage_vi, Product.heritage_en, Producer.name.label("producer"),
                    commune.c.name.label("commune"), district.c.name.label("district"),
                    CraftVillage.name_vi.label("village"))
             .join(Producer, Producer.id == Product.producer_id)
             .join(commune, commune.c.id == Producer.area_id)
             .outerjoin(district, district.c.id == commune.c.parent_id)
             .outerjoin(CraftVillage, CraftVillage.id == Producer.craft_village_id)
             .order_by(Product.id))
    if product_ids is not None:
        query = query.where(Product.id.in_(product_ids))
    with db.engine.connect() as connection:
        for row in connection.execute(query):
            yield {
                "id": str(row.id),
                "name": nfc(row.name_vi),
                "name_exact": nfc(row.name_vi),
                "name_lead": " ".join([NAME_START] + nfc(row.name_vi).split()[:LEAD_WORDS]),
                "name_en": nfc(row.name_en or ""),
                "producer": nfc(row.producer),
                "places": nfc(" ".join(filter(None, (row.commune, row.district, row.village)))),
                "text": nfc("\n".join(filter(None, (row.summary_vi, row.description_vi, row.story_vi,
                                                    row.heritage_vi)))),
                "text_en": nfc("\n".join(filter(None, (row.summary_en, row.description_en, row.story_en,
                                                       row.heritage_en)))),
            }


def update_products(product_ids) -> None:
    """Bring these products' documents in line with the database (deleted products leave the index)."""
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return
    with _write_lock():
        write_documents(product_ids)


def write_documents(product_ids) -> None:
    """update_products with the write lock already held."""
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return
    if _sibling(".rebuilding").exists():
        with open(_sibling(".pending"), "a") as pending:
            pending.write("".join(f"{i}\n" for i in product_ids))
    try:
        ix = open_index()
    except IndexUnavailable:
        return  # the rebuild that recovers the index reads the database as it is then
    writer = ix.writer(timeout=WRITE_TIMEOUT_SECONDS)
    try:
        for product_id in product_ids:
            writer.delete_by_term("id", str(product_id))
        for document in _documents(product_ids):
            writer.add_document(**document)
        writer.commit()
    except BaseException:
        _abandon(writer)
        raise


def _abandon(writer) -> None:
    """Give up a write, and above all Whoosh's lock: a commit that fails (a full disk) does not release
    it, and every later write in this process would wait for it, then fail."""
    try:
        writer.cancel()
    except Exception:
        pass  # a half-committed writer refuses to cancel; its lock is released below all the same
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        lock.release()


def rebuild(progress=None) -> int:
    """Build a fresh index beside the live one and swap it in. Returns the number of documents.

    Only one rebuild runs at a time across processes; a second caller returns -1 at once.
    """
    marker = _sibling(".rebuilding")
    marker.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        if time.time() - marker.stat().st_mtime < 3600:
            return -1
        marker.unlink(missing_ok=True)  # left by a rebuild that died
        handle = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    os.close(handle)
    fresh = _sibling(f".new-{os.getpid()}")
    try:
        through, gaps = _log_head()
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(fresh, SCHEMA)
        writer = ix.writer(limitmb=128)
        count = 0
        for document in _documents():
            writer.add_document(**document)
            count += 1
            if progress and count % BATCH == 0:
                progress(BATCH)
        writer.commit()
        if progress:
            progress(count % BATCH)
        with _write_lock():
            _swap_in(fresh)
            write_position(through, gaps)
            pending = _take_pending()
            marker.unlink(missing_ok=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        marker.unlink(missing_ok=True)
    update_products(pending)
    return count


def _swap_in(fresh: Path) -> None:
    live, retired = index_dir(), _sibling(f".old-{os.getpid()}")
    if live.exists():
        os.replace(live, retired)
    os.replace(fresh, live)
    shutil.rmtree(retired, ignore_errors=True)


def _take_pending() -> set[int]:
    path = _sibling(".pending")
    if not path.exists():
        return set()
    ids = {int(line) for line in path.read_text().split() if line.isdigit()}
    path.unlink()
    return ids


_background_lock = threading.Lock()


def rebuild_in_background(app) -> None:
    """Start a rebuild unless one is already running in this process."""
    if not _background_lock.acquire(blocking=False):
        return

    def run():
        try:
            with app.app_context():
                count = rebuild()
                if count >= 0:
                    log.warning("search index rebuilt: %d products", count)
        except Exception:
            log.exception("search index rebuild failed")
        finally:
            _background_lock.release()

    threading.Thread(target=run, name="search-index-rebuild", daemon=True).start()


def recover(app) -> None:
    """The index is missing or broken: rebuild it (in the background unless configured inline)."""
    if app.config["SEARCH_REBUILD_INLINE"]:
        rebuild()
    else:
        rebuild_in_background(app)


def reset() -> None:
    """Remove the index and its companions (tests start from nothing)."""
    folder = index_dir()
    for path in folder.parent.glob(folder.name + "*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
