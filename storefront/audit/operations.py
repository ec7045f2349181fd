import enum
from datetime import date, datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import inspect, select

from ..extensions import db
from .models import AuditEntry

# Never copied into the log, whatever object they belong to.
SECRET_FIELDS = {"password_hash"}


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def pending_changes(obj) -> dict:
    """{column: [old, new]} of `obj`'s unflushed changes; every set column for a new object."""
    state = inspect(obj)
    changes = {}
    stored = None
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in SECRET_FIELDS:
            continue
        history = state.attrs[key].history
        if state.pending or state.transient:
            value = getattr(obj, key)
            if value is not None and key != "id":
                changes[key] = [None, _plain(value)]
        elif history.has_changes():
            if history.deleted:
                old = history.deleted[0]
            else:  # the old value was not loaded (expired after a commit): read it as stored
                stored = stored if stored is not None else _stored_row(state)
                old = stored[attribute.columns[0].name]
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _stored_row(state):
    table = state.mapper.local_table
    key = dict(zip((column.name for column in state.mapper.primary_key), state.identity))
    with db.session.no_autoflush:
        return db.session.connection().execute(
            select(table).where(*(table.c[name] == value for name, value in key.items()))).mappings().one()


def record(action: str, obj, changes: dict | None = None, note: str = "", actor=None) -> AuditEntry:
    """Stage an audit entry for `action` on `obj`, in the transaction that makes the change.

    Call it before the change is flushed so the old values are still known, or pass `changes`.
    The actor is the signed-in user unless given; a command-line change is recorded as "system".
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if changes is None:
        changes = pending_changes(obj)
    if getattr(obj, "id", None) is None and not inspect(obj).deleted:
        db.session.add(obj)
        db.session.flush()  # a new object's id, so its entry can point at it
    entry = AuditEntry(
        actor=actor, actor_label=actor.email if actor is not None else "system", action=action,
        object_type=type(obj).__name__.lower(), object_id=getattr(obj, "id", None),
        object_label=str(getattr(obj, "name_vi", None) or getattr(obj, "name", None)
                         or getattr(obj, "number", None) or getattr(obj, "email", None) or "")[:300],
        changes=changes, note=note[:1000])
    db.session.add(entry)
    return entry
