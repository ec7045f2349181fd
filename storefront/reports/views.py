from flask import Blueprint, jsonify, render_template

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from .queries import todays_figures

bp = LocalizedBlueprint("reports", __name__)
api = Blueprint("reports_api", __name__, url_prefix="/api/v1")


@bp.route("/ocop-in-figures")
@cached_page
def figures():
    return render_template("storefront/reports/figures.html", figures=todays_figures())


@api.route("/stats")
@cached_page
def stats():
    return jsonify(todays_figures().as_json())
