"""Lists of the back office: search, filters, sorting and pages done in SQL, so a list of 20,000
products costs one page of rows and one count."""
import math
from dataclasses import dataclass

from flask import abort, request
from sqlalchemy import Select, func, or_, select

from storefront.extensions import db
from storefront.text import nfc

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
    raw_page = request.args.get("page", "1") or "1"
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        abort(400)
    return query, sort, int(raw_page)


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
