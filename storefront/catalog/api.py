"""Read-only JSON of the certified catalogue, filtered like the catalogue page."""
from flask import Blueprint, abort, jsonify, request, url_for

from ..pagecache import cached_page
from . import queries
from .views import parse_filters

bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1")


def product_json(card: queries.ProductCard) -> dict:
    product = card.product
    return {
        "slug": product.slug,
        "name": {"vi": product.name_vi, "en": product.name_en},
        "summary": {"vi": product.summary_vi, "en": product.summary_en},
        "stars": card.stars,
        "group": product.group,
        "subgroup": product.subgroup,
        "price_vnd": product.price,
        "unit": {"vi": product.unit_vi, "en": product.unit_en},
        "in_stock": product.in_stock,
        "sold_online": product.sold_online,
        "shippable": product.shippable,
        "producer": {"slug": product.producer.slug, "name": product.producer.name,
                     "type": product.producer.type.value},
        "commune": product.producer.area.name,
        "url": url_for("catalog.product", slug=product.slug, lang="vi", _external=True),
    }


@bp.route("/products")
@cached_page
def products():
    filters = parse_filters(request.args, per_page=50, max_per_page=100)
    page = queries.catalogue(filters, with_facets=False, load=queries.cards_for)
    if filters.page > page.pages:
        abort(404)
    return jsonify({
        "count": page.total,
        "page": filters.page,
        "pages": page.pages,
        "per_page": filters.per_page,
        "results": [product_json(card) for card in page.cards],
    })
