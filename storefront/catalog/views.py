from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from . import queries
from .forms import BadFilter, CatalogueFilters
from .models import ProducerType, ProductGroup
from .structured_data import product_json_ld

bp = LocalizedBlueprint("catalog", __name__)


# What the filter form calls each parameter, so that a refusal names what the visitor sees.
FILTER_LABELS = {"stars": _l("Stars"), "group": _l("Product group"), "district": _l("Former district"),
                 "type": _l("Producer"), "online": _l("Sold online only"), "min_price": _l("Price (₫)"),
                 "max_price": _l("Price (₫)"), "sort": _l("Sort by"), "page": _l("Page"),
                 "per_page": _l("Products per page")}


def parse_filters(args, per_page: int, max_per_page: int) -> CatalogueFilters:
    districts = queries.former_districts()
    try:
        return CatalogueFilters.parse(args, [d.slug for d in districts], per_page, max_per_page)
    except BadFilter as error:
        abort(400, description=_("The filter “%(name)s” has a value the catalogue does not know.",
                                 name=FILTER_LABELS.get(str(error), str(error))))


@bp.route("/products")
@cached_page
def products():
    per_page = 24
    filters = parse_filters(request.args, per_page, per_page)
    page = queries.catalogue(filters)
    if filters.page > page.pages:
        abort(404)
    return render_template("storefront/catalog/products.html", page=page, filters=filters,
                           districts=queries.former_districts(), groups=list(ProductGroup),
                           producer_types=list(ProducerType))


@bp.route("/products/<slug:slug>")
@cached_page
def product(slug):
    details = queries.product_details(slug)
    if details is None:
        abort(404)
    return render_template("storefront/catalog/product.html", details=details, product=details.product,
                           json_ld=product_json_ld(details))


@bp.route("/producers/<slug:slug>")
@cached_page
def producer(slug):
    producer, cards = queries.producer_with_products(slug)
    if producer is None:
        abort(404)
    return render_template("storefront/catalog/producer.html", producer=producer, cards=cards)
