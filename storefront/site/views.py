"""Site-wide pages: home, health, robots, sitemap, and the error pages."""
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from sqlalchemy import text
from werkzeug.exceptions import HTTPException, InternalServerError

from ..catalog import queries as catalog
from ..catalog.models import ProductGroup
from ..extensions import db
from ..i18n import LocalizedBlueprint, lang_from_path, set_lang
from ..locator.queries import current_locator
from ..pagecache import cached_page
from ..reports.queries import todays_figures

bp = LocalizedBlueprint("site", __name__)
plain = Blueprint("site_plain", __name__)


@bp.route("/")
@cached_page
def home():
    return render_template(
        "storefront/home.html",
        featured=catalog.featured(limit=8),
        groups=list(ProductGroup),
        group_counts=catalog.group_counts(),
        producers=catalog.producers_with_stories(limit=3),
        figures=todays_figures(),
    )


@plain.route("/healthz/live")
def live():
    """The process answers; touches nothing else (the benchmark's baseline route, too)."""
    return current_app.response_class("ok\n", mimetype="text/plain")


@plain.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the database is the one thing this answers about
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@plain.route("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /api/\nSitemap: {url_for('site_plain.sitemap', _external=True)}\n"
    return current_app.response_class(body, mimetype="text/plain")


@plain.route("/sitemap.xml")
@cached_page
def sitemap():
    products, producers = catalog.sitemap_entries()
    pages = [("site.home", {}), ("catalog.products", {}), ("reports.figures", {}),
             ("locator.sales_points", {}), ("locator.destinations", {})]
    pages += [("locator.sales_point", {"slug": point.slug}) for point in current_locator().sales_points]
    pages += [("catalog.product", {"slug": slug}) for slug in products]
    pages += [("catalog.producer", {"slug": slug}) for slug in producers]
    body = render_template("sitemap.xml", pages=pages)
    return current_app.response_class(body, mimetype="application/xml")


def handle_http_error(error: HTTPException):
    set_lang(lang_from_path(request.path))
    db.session.rollback()
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, message=error.description, status=error.code), error.code
    template = f"errors/{error.code}.html" if error.code in (400, 404, 500) else "errors/generic.html"
    # Only a message written for the user (abort(400, description=…)), never werkzeug's default text.
    message = error.description if error.description != type(error).description else None
    return render_template(template, error=error, message=message), error.code


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def init_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
