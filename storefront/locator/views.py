from flask import abort, render_template

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from . import queries

bp = LocalizedBlueprint("locator", __name__)


@bp.route("/sales-points")
@cached_page
def sales_points():
    return render_template("storefront/locator/sales_points.html", points=queries.published_sales_points())


@bp.route("/sales-points/<slug:slug>")
@cached_page
def sales_point(slug):
    point = queries.sales_point_by_slug(slug)
    if point is None:
        abort(404)
    return render_template("storefront/locator/sales_point.html", point=point)
