from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog.models import ProducerType, ProductGroup
from ..catalog.queries import former_districts
from ..catalog.views import parse_filters
from ..i18n import LocalizedBlueprint, localized, set_lang
from ..pagecache import cached_page
from .index import applied_position
from .queries import MAX_QUERY_LENGTH, search, suggestions

bp = LocalizedBlueprint("search", __name__)
api = Blueprint("search_api", __name__, url_prefix="/api/v1/search")


@bp.route("/search")
@cached_page(depends_on=applied_position)  # search pages show this node's index, as far as it has followed
def results():
    filters = parse_filters(request.args, per_page=24, max_per_page=24)
    page = search(request.args.get("q", ""), filters)
    if filters.page > page.pages:
        abort(404)
    return render_template("storefront/search/results.html", page=page, filters=filters,
                           districts=former_districts(), groups=list(ProductGroup),
                           producer_types=list(ProducerType))


@api.route("/suggest")
@cached_page(store="suggestion_cache", depends_on=applied_position)
def suggest():
    raw, lang = request.args.get("q", "").strip(), request.args.get("lang", "vi")
    if lang not in ("vi", "en"):
        abort(400, description="lang must be vi or en")
    set_lang(lang)
    if len(raw) > MAX_QUERY_LENGTH:
        abort(400, description=_("The search text is too long."))
    return jsonify(query=raw, suggestions=[{
        "name": localized(item["product"], "name"),
        "url": url_for("catalog.product", slug=item["product"].slug, lang=lang),
        "stars": item["stars"],
        "producer": item["product"].producer_name,
        "label_html": str(item["label_html"]),
    } for item in suggestions(raw)])
