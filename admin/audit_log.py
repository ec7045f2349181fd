"""The audit log: every back-office change, who made it, and each field's old and new value."""
from datetime import date

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l

from storefront.audit.queries import AuditFilters, audit_entries, known_actions, known_object_types

from storefront.text import whole_number

from .navigation import add, admin_nav
from .paging import page_argument
from .views import bp

add(admin_nav, "admin.audit_log", _l("Audit log"), 90)

PER_PAGE = 50


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip()) if request.args.get(name) else None
    except ValueError:
        return None


@bp.route("/admin/audit")
def audit_log():
    object_id = request.args.get("object_id", "").strip()
    filters = AuditFilters(
        actor=" ".join(request.args.get("actor", "").split())[:254],
        action=request.args.get("action", "").strip()[:60],
        object_type=request.args.get("object_type", "").strip()[:40],
        object_id=whole_number(object_id, 1),
        since=_day("since"), until=_day("until"))
    invalid = [name for name in ("since", "until") if request.args.get(name) and _day(name) is None]
    if object_id and filters.object_id is None:
        invalid.append("object_id")
    page = page_argument()
    entries, total = audit_entries(filters, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    return render_template("admin/audit_log.html", entries=entries, total=total, filters=filters, page=page,
                           pages=pages, actions=known_actions(), object_types=known_object_types(),
                           invalid=invalid)
