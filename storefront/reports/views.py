from flask import Blueprint, jsonify, render_template

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from .programme import todays_public_figures
from .queries import todays_figures

bp = LocalizedBlueprint("reports", __name__)
api = Blueprint("reports_api", __name__, url_prefix="/api/v1")


@bp.route("/ocop-in-figures")
@cached_page
def figures():
    public = todays_public_figures()
    return render_template("storefront/reports/figures.html", figures=public.figures, districts=public.districts,
                           groups=public.groups, years=public.years)


@api.route("/stats")
@cached_page
def stats():
    return jsonify(todays_figures().as_json())
