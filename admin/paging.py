"""Lists of the back office: search, filters, sorting and pages done in SQL, so a list of 20,000
products costs one page of rows and one count."""
import math
from dataclasses import dataclass

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from storefront.extensions import db
from storefront.text import nfc, whole_number

PER_PAGE = 50
MAX_PAGE = 10_000
MAX_QUERY = 100


@dataclass
class ListPage:
    items: list
    total: int
    page: int
    per_page: int
    query: str
    sort: str

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def list_arguments(sorts: dict, default_sort: str) -> tuple[str, str, int]:
    """(search text, sort, page) from the query string; an unknown sort or page is a 400."""
    query = nfc(request.args.get("q", "")).strip()[:MAX_QUERY]
    sort = request.args.get("sort", default_sort) or default_sort
    if sort not in sorts:
        abort(400)
    return query, sort, page_argument()


def page_argument() -> int:
    """The page asked for in `?page=`: 1 when absent; a 400 for what is not a page number, a 404 for a
    page far beyond any list's end."""
    raw = request.args.get("page", "").strip() or "1"
    if whole_number(raw, 1, 10**18) is None:
        abort(400, description=_("The page number must be a whole number from 1."))
    page = int(raw)
    if page > MAX_PAGE:
        abort(404)
    return page


def matching(query: str, *columns):
    """Rows where any of `columns` contains the typed text, ignoring case."""
    if not query:
        return None
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))


def paginate(statement: Select, query: str, sort: str, page: int, per_page: int = PER_PAGE) -> ListPage:
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        abort(404)
    items = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return ListPage(list(items), total, page, per_page, query, sort)
