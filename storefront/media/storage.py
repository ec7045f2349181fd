"""Where media files live: one small interface, two stores, chosen by MEDIA_STORE.

Every file the shop keeps for its pages (image renditions, scanned decisions) is written and read through
`media_store()`, under a name that already holds the content's hash ("ab/ab12…-320.webp",
"decisions/ab/ab12….pdf"): a name never changes its content, so a copy of it is never stale.

- `local`: a folder (MEDIA_ROOT). The embedded default for one machine (`make run`, the tests).
- `postgresql`: the files are rows of `media_blob` in the shop's PostgreSQL database, written in the same
  transaction as the row that uses them (a rolled-back upload leaves no file), so every app node serves
  them. Each node keeps a read-through cache folder (MEDIA_CACHE_DIR) that it may lose at any time: a
  missing file is fetched from the database and written to the cache atomically.
"""
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url

from ..clock import utcnow
from ..extensions import db
from .models import MediaBlob

STORES = ("local", "postgresql")
# Relative, lower-case, no "..": the only names the shop makes. Anything else is refused before it
# reaches a folder or the database.
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:[/_.-][a-z0-9]+)*")
NAME_MAX = 200


class MediaStore(Protocol):
    def put(self, name: str, data: bytes) -> None:
        """Keep `data` under `name` (in the session's transaction where the store has one)."""

    def get(self, name: str) -> bytes | None:
        """The content kept under `name`, or None."""

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None:
        """Remove `name` (nothing when it is not there)."""

    def names(self) -> Iterator[tuple[str, datetime]]:
        """Every name kept, with when it was last written (naive UTC), for the orphan cleanup."""


class InvalidMediaName(ValueError):
    pass


def checked_name(name: str) -> str:
    if len(name) > NAME_MAX or not NAME_PATTERN.fullmatch(name):
        raise InvalidMediaName(name)
    return name


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


class LocalStore:
    """Files in a folder, as the shop kept them before stores existed (MEDIA_ROOT/<name>)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        return self.root / checked_name(name)

    def put(self, name: str, data: bytes) -> None:
        # Written again even when present: the fresh time tells the orphan cleanup it is in use.
        _write_atomically(self._path(name), data)

    def get(self, name: str) -> bytes | None:
        return _read(self._path(name))

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            name = path.relative_to(self.root).as_posix()
            if path.is_file() and NAME_PATTERN.fullmatch(name):  # not the temporary files of a write
                stored = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(tzinfo=None)
                yield name, stored


class PostgresStore:
    """Immutable rows of `media_blob`, written in the session's transaction, read through a cache folder."""

    def __init__(self, cache_dir: str | Path):
        self.cache = LocalStore(cache_dir)

    def put(self, name: str, data: bytes) -> None:
        # Same name, same content: a second put only records that the blob is in use again, which also
        # makes a concurrent orphan cleanup (DELETE … WHERE stored_at < …) leave it alone.
        statement = pg_insert(MediaBlob).values(name=checked_name(name), data=data, size=len(data),
                                                stored_at=utcnow())
        db.session.execute(statement.on_conflict_do_update(index_elements=[MediaBlob.name],
                                                           set_={"stored_at": statement.excluded.stored_at}))

    def get(self, name: str) -> bytes | None:
        cached = self.cache.get(name)
        if cached is not None:
            return cached
        data = db.session.scalar(select(MediaBlob.data).where(MediaBlob.name == name))
        if data is None:
            return None
        data = bytes(data)
        try:
            self.cache.put(name, data)
        except OSError as error:  # a full or read-only cache disk slows the node down, nothing more
            current_app.logger.warning("media cache: cannot keep %s: %s", name, error)
        return data

    def exists(self, name: str) -> bool:
        checked_name(name)
        return db.session.scalar(select(MediaBlob.name).where(MediaBlob.name == name)) is not None

    def delete(self, name: str) -> None:
        db.session.execute(delete(MediaBlob).where(MediaBlob.name == checked_name(name)))
        self.cache.delete(name)

    def delete_if_unused_since(self, name: str, cutoff: datetime) -> bool:
        """Delete `name` unless it was written (or written again) after `cutoff`; True when deleted."""
        gone = db.session.scalar(delete(MediaBlob).where(MediaBlob.name == checked_name(name),
                                                         MediaBlob.stored_at < cutoff).returning(MediaBlob.name))
        if gone is not None:
            self.cache.delete(name)
        return gone is not None

    def names(self) -> Iterator[tuple[str, datetime]]:
        # In byte order, as the local store lists its files, whatever the database's collation.
        yield from db.session.execute(select(MediaBlob.name, MediaBlob.stored_at).order_by(MediaBlob.name.collate("C")))


def build_store(config) -> MediaStore:
    """The store the settings name, or a RuntimeError saying what to change (checked at start-up)."""
    kind = (config.get("MEDIA_STORE") or "local").strip().lower()
    if kind not in STORES:
        raise RuntimeError(f"MEDIA_STORE must be one of {', '.join(STORES)}, not {config.get('MEDIA_STORE')!r}.")
    if kind == "local":
        return LocalStore(config["MEDIA_ROOT"])
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend != "postgresql":
        raise RuntimeError("MEDIA_STORE=postgresql keeps media in the PostgreSQL database, but DATABASE_URL is a "
                           f"{backend} database: use MEDIA_STORE=local, or a PostgreSQL DATABASE_URL.")
    if not config.get("MEDIA_CACHE_DIR"):
        raise RuntimeError("MEDIA_STORE=postgresql needs MEDIA_CACHE_DIR, the folder where this node caches media.")
    return PostgresStore(config["MEDIA_CACHE_DIR"])


def init_app(app) -> None:
    app.extensions["media_store"] = build_store(app.config)


def media_store() -> MediaStore:
    return current_app.extensions["media_store"]
