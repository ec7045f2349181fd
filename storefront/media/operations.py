"""Removing what nothing uses any more: images no row shows, and stored files no image or document names.

Images are stored once per content and kept when a photo is removed (another listing, a pending edit or
the audit of a change may still show it), so orphans pile up slowly; `flask media prune` removes them.
A grace period protects anything written recently, so an upload in progress is never removed.

What uses an image: every foreign key to `media_image` (found in the schema, so a new one counts at once),
plus what other areas register with `holds_images` (ids kept in JSON, such as a producer's proposed photo
list). What uses a stored file: the renditions of the images that remain, plus what is registered with
`holds_files` (the scanned decisions of certificates).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, union

from ..clock import utcnow
from ..extensions import db
from .models import MediaBlob, MediaImage
from .pipeline import rendition_name
from .storage import LocalStore, PostgresStore, media_store

_image_holders: list[Callable[[], set[int]]] = []
_file_holders: list[Callable[[], set[str]]] = []


def holds_images(function: Callable[[], set[int]]):
    """Register a function returning ids of images in use that no foreign key shows."""
    _image_holders.append(function)
    return function


def holds_files(function: Callable[[], set[str]]):
    """Register a function returning names of stored files in use that are not image renditions."""
    _file_holders.append(function)
    return function


@dataclass
class PruneReport:
    images: list[str] = field(default_factory=list)   # keys of the MediaImage rows removed
    files: list[str] = field(default_factory=list)    # names removed from the store
    kept_unknown: list[str] = field(default_factory=list)  # names the shop did not make: left alone


def images_in_use() -> set[int]:
    columns = [fk.parent for table in db.metadata.tables.values() for fk in table.foreign_keys
               if fk.column.table.name == MediaImage.__tablename__ and table.name != MediaImage.__tablename__]
    used: set[int] = set()
    if columns:
        used.update(db.session.scalars(union(*(select(column).where(column.is_not(None)) for column in columns))))
    for holder in _image_holders:
        used.update(holder())
    return used


def files_in_use() -> set[str]:
    names = {rendition_name(key, int(width))
             for key, widths in db.session.execute(select(MediaImage.key, MediaImage.rendition_widths))
             for width in widths.split(",")}
    for holder in _file_holders:
        names.update(holder())
    return names


def _made_by_the_shop(name: str) -> bool:
    return name.endswith(".webp") or (name.startswith("decisions/") and name.endswith(".pdf"))


def prune(grace: timedelta, dry_run: bool = False, now: datetime | None = None) -> PruneReport:
    """Remove images no row uses and stored files no image or document names, if older than `grace`.

    Commits (it is the command's whole work): the rows and, with the PostgreSQL store, the files in one
    transaction; with the local store the files after it, each only if still not written since the cutoff.
    """
    cutoff = (now or utcnow()) - grace
    report = PruneReport()
    used = images_in_use()
    candidates = select(MediaImage).where(MediaImage.created_at < cutoff).order_by(MediaImage.id)
    # An upload that is reusing an image holds a shared lock on its row: skip it this time.
    locked = [image for image in db.session.scalars(candidates.with_for_update(skip_locked=True))
              if image.id not in used]
    orphans = []
    if locked:
        used = images_in_use()  # again, now that the rows are locked: nothing can start using them
        orphans = [image for image in locked if image.id not in used]
        report.images = [image.key for image in orphans]
        if orphans and not dry_run:
            db.session.execute(delete(MediaImage).where(MediaImage.id.in_([image.id for image in orphans])))
    in_use = files_in_use()
    if dry_run:  # the orphans' rows are still there: their renditions would go with them
        in_use -= {rendition_name(image.key, width) for image in orphans for width in image.widths}
    store = media_store()
    stale = []
    for name, stored_at in store.names():
        if stored_at >= cutoff or name in in_use:
            continue
        if _made_by_the_shop(name):
            stale.append(name)
        else:
            report.kept_unknown.append(name)
    if dry_run:
        report.files = stale
        db.session.rollback()
    elif isinstance(store, PostgresStore):
        report.files = [name for name in stale if store.delete_if_unused_since(name, cutoff)]
        db.session.commit()
    else:
        db.session.commit()
        report.files = [name for name in stale if _delete_local_if_unused_since(store, name, cutoff)]
    return report


def _delete_local_if_unused_since(store: LocalStore, name: str, cutoff: datetime) -> bool:
    path = store.root / name
    try:
        stored_at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(tzinfo=None)
    except FileNotFoundError:
        return False
    if stored_at >= cutoff:  # written again since it was listed (the same photo uploaded anew): in use
        return False
    path.unlink(missing_ok=True)
    return True


def clean_cache(batch: int = 500) -> list[str]:
    """Drop the files of this node's cache whose blob the database no longer holds (another node pruned it)."""
    store = media_store()
    if not isinstance(store, PostgresStore):
        return []
    cached = [name for name, _stored_at in store.cache.names()]
    removed = []
    for start in range(0, len(cached), batch):
        names = cached[start:start + batch]
        held = set(db.session.scalars(select(MediaBlob.name).where(MediaBlob.name.in_(names))))
        for name in names:
            if name not in held:
                store.cache.delete(name)
                removed.append(name)
    db.session.rollback()
    return removed
