"""The audit log: every back-office change, who made it, and each field's old and new value, in words; and
the same entries, with the same filters, as a CSV file."""
from datetime import date

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.audit.queries import (AuditFilters, all_audit_entries, audit_entries, known_actions,
                                      known_object_types, readable_changes, readable_entries)
from storefront.clock import today
from storefront.reports.export import CONTENT_TYPES, Sheet, to_csv
from storefront.text import whole_number

from .navigation import add, admin_nav
from .paging import list_arguments
from .views import bp

add(admin_nav, "admin.audit_log", _l("Audit log"), 90)

PER_PAGE = 50
SORTS = {"newest": None}  # newest first, always
FILTERS = ("actor", "action", "object_type", "object_id", "since", "until")

# Where each kind of object is seen in the back office.
OBJECT_PAGES = {
    "product": lambda entry: url_for("admin.product", product_id=entry.object_id),
    "producer": lambda entry: url_for("admin.producer", producer_id=entry.object_id),
    "certificate": lambda entry: url_for("admin.certificate", certificate_id=entry.object_id),
    "listingedit": lambda entry: url_for("admin.listing_edit", edit_id=entry.object_id),
    "salespoint": lambda entry: url_for("admin.sales_point", point_id=entry.object_id),
    "area": lambda entry: url_for("admin.area", area_id=entry.object_id),
    "order": lambda entry: url_for("admin.order_detail", number=entry.object_label) if entry.object_label else None,
}


def _text(name: str, limit: int) -> str:
    """A filter's text, printable characters only (a NUL cannot reach PostgreSQL), cut at `limit`."""
    value = request.args.get(name, "")[:limit * 4]
    return " ".join("".join(c for c in value if c.isprintable()).split())[:limit]


def _day(name: str) -> tuple[date | None, bool]:
    """(the date, whether it was understood)."""
    value = _text(name, 10)
    if not value:
        return None, True
    try:
        return date.fromisoformat(value), True
    except ValueError:
        return None, False


def parse_filters() -> tuple[AuditFilters, list[str]]:
    """The page's filters from the query string, and the names of those that were not understood (ignored)."""
    invalid = []
    since, understood = _day("since")
    if not understood:
        invalid.append("since")
    until, understood = _day("until")
    if not understood:
        invalid.append("until")
    raw_id = _text("object_id", 12)
    object_id = whole_number(raw_id, 1)
    if raw_id and object_id is None:
        invalid.append("object_id")
    filters = AuditFilters(actor=_text("actor", 254), action=_text("action", 60), object_type=_text("object_type", 40),
                           object_id=object_id, since=since, until=until)
    return filters, invalid


@bp.app_template_global("audit_changes")
def audit_changes(changes: dict | None, object_type: str = ""):
    """For admin/_changes.html: an entry's stored changes in words (pages listing a few entries)."""
    return readable_changes(changes, object_type)


def object_url(entry) -> str | None:
    page = OBJECT_PAGES.get(entry.object_type)
    return page(entry) if page is not None and entry.object_id is not None else None


@bp.route("/admin/audit")
def audit_log():
    _query, _sort, page = list_arguments(SORTS, "newest")
    filters, invalid = parse_filters()
    entries, total = audit_entries(filters, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    export_url = url_for("admin.audit_log_export", **{name: request.args[name] for name in FILTERS
                                                      if request.args.get(name)})
    return render_template("admin/audit_log.html", entries=readable_entries(entries), total=total,
                           filters=filters, page=page, pages=pages, actions=known_actions(),
                           object_types=known_object_types(), invalid=invalid, object_url=object_url,
                           export_url=export_url)


@bp.route("/admin/audit.csv")
def audit_log_export():
    """The entries the page's filters select, all of them, newest first: UTF-8 with a byte-order mark (which
    Excel needs for Vietnamese), cells that would start a formula written safely."""
    filters, _invalid = parse_filters()
    rows = [[_("When (Quảng Ngãi time)"), _("Who"), _("Action"), _("Object type"), _("Object number"), _("Object"),
             _("Changes"), _("Note")]]
    for batch in all_audit_entries(filters):
        for item in readable_entries(batch):
            rows.append([item.when, item.actor, item.action, item.object_type, item.entry.object_id,
                         item.object_name, "\n".join(f"{change.label}: {change.old} → {change.new}"
                                                     for change in item.changes), item.note])
    filename = f"audit-log-{today():%Y%m%d}.csv"
    return Response(to_csv([Sheet(_("Audit log"), rows)]), content_type=CONTENT_TYPES["csv"],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
