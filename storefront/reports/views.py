from flask import Blueprint, jsonify, render_template

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from .queries import province_figures

bp = LocalizedBlueprint("reports", __name__)
api = Blueprint("reports_api", __name__, url_prefix="/api/v1")


@bp.route("/ocop-in-figures")
@cached_page
def figures():
    return render_template("storefront/reports/figures.html", figures=province_figures())


@api.route("/stats")
@cached_page
def stats():
    return jsonify(province_figures().as_json())
