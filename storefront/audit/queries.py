"""Reading the audit log: who changed what, filtered the way the office asks, and written out in words."""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..areas.models import Area
from ..catalog.models import CraftVillage, ListingEdit, Producer, Product
from ..certification.models import Certificate
from ..clock import end_of_local_day_utc
from ..extensions import db
from ..i18n import format_date, format_datetime, format_vnd
from ..labels import area_name
from ..locator.models import SalesPoint
from ..orders.models import Order, OrderLine
from ..text import search_key
from . import labels
from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # part of the actor's e-mail or name, or of "system" / "command line" in either language
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    since: date | None = None  # local dates, inclusive
    until: date | None = None


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _special_actors(typed: str) -> list[str]:
    """The actor codes ("system", "command line") whose name in either language contains what was typed."""
    key = search_key(typed)
    found = []
    for code, name in labels.ACTOR_NAMES.items():
        names = [code]
        for lang in ("vi", "en"):
            with force_locale(lang):
                names.append(str(name))
        if key and any(key in search_key(written) for written in names):
            found.append(code)
    return found


def _conditions(filters: AuditFilters) -> list:
    conditions = []
    actor = "".join(c for c in filters.actor if c.isprintable())
    if actor.strip():
        pattern = _contains(" ".join(actor.split()))
        named = select(User.id).where(User.name.ilike(pattern, escape="\\"))
        conditions.append(or_(AuditEntry.actor_label.ilike(pattern, escape="\\"), AuditEntry.actor_id.in_(named),
                              AuditEntry.actor_label.in_(_special_actors(actor))))
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.object_type:
        conditions.append(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        conditions.append(AuditEntry.object_id == filters.object_id)
    if filters.since and filters.since > date.min:
        conditions.append(AuditEntry.at >= end_of_local_day_utc(filters.since - timedelta(days=1)))
    if filters.until and filters.until < date.max:
        conditions.append(AuditEntry.at < end_of_local_day_utc(filters.until))
    return conditions


def audit_entries(filters: AuditFilters, page: int = 1, per_page: int = 50) -> tuple[list[AuditEntry], int]:
    """A page of entries, newest first, and how many match in all."""
    conditions = _conditions(filters)
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    entries = db.session.scalars(select(AuditEntry).where(*conditions).options(selectinload(AuditEntry.actor))
                                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)).all()
    return list(entries), total


def all_audit_entries(filters: AuditFilters, batch: int = 500):
    """Every matching entry, newest first, read a batch at a time (for the export)."""
    conditions = _conditions(filters)
    last = None
    while True:
        statement = select(AuditEntry).where(*conditions).options(selectinload(AuditEntry.actor)) \
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(batch)
        if last is not None:
            statement = statement.where(or_(AuditEntry.at < last.at, (AuditEntry.at == last.at) &
                                            (AuditEntry.id < last.id)))
        entries = list(db.session.scalars(statement))
        if not entries:
            return
        yield entries
        last = entries[-1]


def known_actions() -> list[tuple[str, str]]:
    """(code, name) of every action in the log, by name."""
    codes = db.session.scalars(select(AuditEntry.action).distinct())
    return sorted(((code, labels.action_label(code)) for code in codes), key=lambda pair: search_key(pair[1]))


def known_object_types() -> list[tuple[str, str]]:
    codes = db.session.scalars(select(AuditEntry.object_type).distinct())
    return sorted(((code, labels.object_type_label(code)) for code in codes), key=lambda pair: search_key(pair[1]))


# --- the log in words -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadableChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class ReadableEntry:
    entry: AuditEntry
    when: str  # dd/mm/yyyy HH:MM, Asia/Ho_Chi_Minh
    actor: str  # "Name (e-mail)", an e-mail, or the shop / the command line
    action: str
    object_type: str
    object_name: str
    changes: list[ReadableChange] = field(default_factory=list)
    note: str = ""


def _person(name: str | None, email: str) -> str:
    return f"{name} ({email})" if name else email


def _lookup(kind: str, ids: set[int]) -> dict[int, str]:
    """The names of objects of one kind, in one query."""
    ids = {value for value in ids if isinstance(value, int) and not isinstance(value, bool)}
    if not ids:
        return {}
    if kind == "user":
        return {row.id: _person(row.name, row.email)
                for row in db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(ids)))}
    if kind == "area":
        return {area.id: area_name(area) for area in db.session.scalars(select(Area).where(Area.id.in_(ids)))}
    if kind == "listingedit":
        return dict(db.session.execute(select(ListingEdit.id, Product.name_vi).join(ListingEdit.product)
                                       .where(ListingEdit.id.in_(ids))).all())
    if kind == "orderline":
        return {row.id: f"{row.product_name_vi} ({row.number})" for row in db.session.execute(
            select(OrderLine.id, OrderLine.product_name_vi, Order.number).join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.id.in_(ids)))}
    column = {"product": Product.name_vi, "producer": Producer.name, "craftvillage": CraftVillage.name_vi,
              "certificate": Certificate.number, "salespoint": SalesPoint.name_vi, "order": Order.number}.get(kind)
    if column is None:
        return {}
    model = column.class_
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def _value_text(object_type: str, name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return labels.yes_no(value)
    coded = labels.value_name(object_type, name, value)
    if coded is not None:
        return coded
    if isinstance(value, int):
        if name in labels.PERSON_FIELDS:
            return names["user"].get(value, f"#{value}")
        if name in labels.REFERENCE_FIELDS:
            return names[labels.REFERENCE_FIELDS[name]].get(value, f"#{value}")
        if name in labels.MONEY_FIELDS:
            return format_vnd(value)
        return str(value)
    if isinstance(value, str):
        try:
            if name in labels.DATE_FIELDS:
                return format_date(date.fromisoformat(value))
            if name.endswith("_at"):
                return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            pass
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_order(name: str) -> tuple:
    order = list(labels.FIELDS)
    return (order.index(name), name) if name in order else (len(order), name)


def _add_references(changes: dict, wanted: dict[str, set[int]]) -> None:
    """Note the ids of people and objects that `changes` hold, to look their names up."""
    for name, pair in (changes or {}).items():
        kind = "user" if name in labels.PERSON_FIELDS else labels.REFERENCE_FIELDS.get(name)
        if kind and isinstance(pair, list):
            wanted.setdefault(kind, set()).update(value for value in pair if isinstance(value, int))


def _names(wanted: dict[str, set[int]]) -> dict[str, dict[int, str]]:
    names = {kind: {} for kind in {"user", *labels.REFERENCE_FIELDS.values()}}
    names.update({kind: _lookup(kind, ids) for kind, ids in wanted.items()})
    return names


def readable_changes(changes: dict | None, object_type: str = "", names: dict | None = None) -> list[ReadableChange]:
    """An entry's {field: [old, new]} as labelled, named and formatted old → new pairs, in form order."""
    changes = changes or {}
    if names is None:
        wanted: dict[str, set[int]] = {}
        _add_references(changes, wanted)
        names = _names(wanted)
    readable = []
    for name in sorted(changes, key=_field_order):
        pair = changes[name]
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        readable.append(ReadableChange(name, labels.field_label(name), _value_text(object_type, name, old, names),
                                       _value_text(object_type, name, new, names)))
    return readable


def readable_entries(entries: list[AuditEntry]) -> list[ReadableEntry]:
    """Entries as the office reads them: local time, people and objects by name, labels in its language."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        _add_references(entry.changes, wanted)
        if not entry.object_label and entry.object_id is not None:  # entries made before labels were kept
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = _names(wanted)
    readable = []
    for entry in entries:
        if entry.actor is not None:
            actor = _person(entry.actor.name, entry.actor.email)
        else:
            actor = labels.actor_name(entry.actor_label)
        name = entry.object_label or names.get(entry.object_type, {}).get(entry.object_id)
        readable.append(ReadableEntry(
            entry=entry, when=format_datetime(entry.at), actor=actor, action=labels.action_label(entry.action),
            object_type=labels.object_type_label(entry.object_type),
            object_name=labels.object_name(entry.object_type, name, entry.object_id),
            changes=readable_changes(entry.changes, entry.object_type, names),
            note=labels.note_text(entry.action, entry.note)))
    return readable
