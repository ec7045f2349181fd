import enum
from datetime import date, datetime

import click
from flask import has_request_context
from flask_login import current_user
from sqlalchemy import inspect, select

from ..accounts.models import User
from ..extensions import db
from .models import COMMAND_LINE, SYSTEM, AuditEntry

# Never copied into the log, whatever object they belong to.
SECRET_FIELDS = {"password_hash"}
# Kept by the models from other columns (the folded search text, the normalised certificate number):
# their change says nothing new.
DERIVED_FIELDS = {"search_text", "number_key"}
# Set on a `flask` command's click context by `from_command_line()`.
COMMAND_LINE_FLAG = "audit_from_command_line"


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _same(old, new) -> bool:
    """An empty text and no text say the same thing (a form's blank optional field becomes None)."""
    return old == new or (old in ("", None) and new in ("", None))


def _logged_attributes(state):
    for attribute in state.mapper.column_attrs:
        if attribute.key not in SECRET_FIELDS | DERIVED_FIELDS:
            yield attribute


def created_values(obj) -> dict:
    """{column: [None, value]} of every column `obj` has a value for: what an entry about a new object holds."""
    return {attribute.key: [None, _plain(getattr(obj, attribute.key))]
            for attribute in _logged_attributes(inspect(obj))
            if attribute.key != "id" and getattr(obj, attribute.key) is not None}


def pending_changes(obj) -> dict:
    """{column: [old, new]} of `obj`'s unflushed changes; every set column for a new object."""
    state = inspect(obj)
    if state.pending or state.transient:
        return created_values(obj)
    changes = {}
    stored = None
    for attribute in _logged_attributes(state):
        key = attribute.key
        history = state.attrs[key].history
        if history.has_changes():
            if history.deleted:
                old = history.deleted[0]
            else:  # the old value was not loaded (expired after a commit): read it as stored
                stored = stored if stored is not None else _stored_row(state)
                old = stored[attribute.columns[0].name]
            new = history.added[0] if history.added else None
            if not _same(old, new):
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _stored_row(state):
    table = state.mapper.local_table
    key = dict(zip((column.name for column in state.mapper.primary_key), state.identity))
    with db.session.no_autoflush:
        return db.session.connection().execute(
            select(table).where(*(table.c[name] == value for name, value in key.items()))).mappings().one()


def from_command_line() -> None:
    """Entries recorded by the running `flask` command name "command line" as their actor (call it from the
    command, or from its group's callback for every command of the group)."""
    click.get_current_context().meta[COMMAND_LINE_FLAG] = True


def _running_command_line() -> bool:
    context = click.get_current_context(silent=True)
    return context is not None and bool(context.meta.get(COMMAND_LINE_FLAG))


def object_label(obj) -> str:
    """The words an entry keeps to name its object, as it was then: a name, a number, an e-mail, or for a
    listing edit or an order line the product's name."""
    if isinstance(obj, User):  # names repeat, e-mails do not
        return (f"{obj.name} ({obj.email})" if obj.name else obj.email or "")[:300]
    line_of = getattr(getattr(obj, "order", None), "number", None)
    if getattr(obj, "product_name_vi", None) and line_of:  # an order line: its product, in its order
        return f"{obj.product_name_vi} ({line_of})"[:300]
    for attribute in ("name_vi", "name", "number", "email"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:300]
    product = getattr(obj, "product", None)
    return str(getattr(product, "name_vi", "") or "")[:300]


def record(action: str, obj, changes: dict | None = None, note: str = "", actor=None) -> AuditEntry | None:
    """Stage an audit entry for `action` on `obj`, in the transaction that makes the change.

    Call it before the change is flushed so the old values are still known, or pass `changes` (an action
    that changes no field, such as asking Stripe again, passes `{}` and a note). Nothing is recorded when
    no field changed and no `changes` were given (saving a form as it was). The actor is the signed-in user unless given;
    a change made by a `flask` command that called `from_command_line()` is recorded as "command line",
    any other as "system" (the shop itself).
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if changes is None:
        changes = pending_changes(obj)
        if not changes:  # a form saved as it was
            return None
    if getattr(obj, "id", None) is None and not inspect(obj).deleted:
        db.session.add(obj)
        db.session.flush()  # a new object's id, so its entry can point at it
    if actor is not None:
        actor_label = actor.email
    else:
        actor_label = COMMAND_LINE if _running_command_line() else SYSTEM
    entry = AuditEntry(
        actor=actor, actor_label=actor_label, action=action,
        object_type=type(obj).__name__.lower(), object_id=getattr(obj, "id", None),
        object_label=object_label(obj), changes=changes, note=note[:1000])
    db.session.add(entry)
    return entry
